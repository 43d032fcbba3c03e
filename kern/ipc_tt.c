// SPDX-License-Identifier: GPL-2.0-or-later
/* Tasks and threads behind ports (kern/ipc_tt.h). */
#include "kern/ipc_tt.h"

#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>

#include "ipc/ipc_marequest.h"
#include "ipc/ipc_right.h"

/* A port the kernel receives on, standing for object. */
static struct ipc_port *
kobject_port(enum ipc_kobject_type kind, void *object)
{
	struct ipc_port *p = ipc_port_alloc();

	if (p)
		ipc_port_set_kobject(p, kind, object);
	return p;
}

/* Drops a send right held in a special-port slot (NULL and dead pass). */
static void
release_send(struct ipc_port *p)
{
	if (IPC_PORT_VALID(p))
		ipc_port_send_release(p);
}

/* Destroys a kernel port: unbound, then its receive right goes (its queue with it). */
static void
kobject_port_destroy(struct ipc_port *p)
{
	if (!p)
		return;
	ipc_port_set_kobject(p, IKOT_NONE, NULL);
	ipc_port_destroy(p);
}

kern_return_t
ipc_task_init(struct task *t, struct task *parent)
{
	spin_init(&t->tk_ports_lock, "task_ports", LOCK_RANK_TASK_PORTS);
	t->tk_space = ipc_space_create();
	t->tk_self = kobject_port(IKOT_TASK, t);
	if (!t->tk_space || !t->tk_self) {
		if (t->tk_self)
			kobject_port_destroy(t->tk_self);
		if (t->tk_space)
			ipc_space_destroy(t->tk_space);
		t->tk_self = NULL;
		t->tk_space = NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	t->tk_space->is_owner = t; /* the MIG servers' space references are task references */
	t->tk_sself = ipc_port_make_send(t->tk_self);
	if (parent && parent != &kernel_task) {
		spin_lock(&parent->tk_ports_lock);
		t->tk_bootstrap = ipc_port_copy_send(parent->tk_bootstrap);
		t->tk_exception = ipc_port_copy_send(parent->tk_exception);
		for (unsigned i = 0; i < TASK_REGISTERED_MAX; i++)
			t->tk_registered[i] = ipc_port_copy_send(parent->tk_registered[i]);
		spin_unlock(&parent->tk_ports_lock);
	}
	return KERN_SUCCESS;
}

void
ipc_task_disable(struct task *t)
{
	if (t->tk_self)
		ipc_port_set_kobject(t->tk_self, IKOT_NONE, NULL);
}

void
ipc_task_end(struct task *t)
{
	struct ipc_port *drop[3 + TASK_REGISTERED_MAX];
	unsigned n = 0;

	if (!t->tk_space)
		return;
	spin_lock(&t->tk_ports_lock);
	drop[n++] = t->tk_sself;
	drop[n++] = t->tk_exception;
	drop[n++] = t->tk_bootstrap;
	t->tk_sself = t->tk_exception = t->tk_bootstrap = NULL;
	for (unsigned i = 0; i < TASK_REGISTERED_MAX; i++) {
		drop[n++] = t->tk_registered[i];
		t->tk_registered[i] = NULL;
	}
	spin_unlock(&t->tk_ports_lock);
	for (unsigned i = 0; i < n; i++)
		release_send(drop[i]);
	ipc_marequest_space_gone(t->tk_space);
	ipc_space_terminate(t->tk_space);
	kobject_port_destroy(t->tk_self);
	t->tk_self = NULL;
}

void
ipc_task_free(struct task *t)
{
	/* A task never terminated (a failed creation) ends here. */
	ipc_task_disable(t);
	if (t->tk_self)
		ipc_task_end(t);
	if (t->tk_space)
		ipc_space_free(t->tk_space);
	t->tk_space = NULL;
}

kern_return_t
ipc_thread_init(struct thread *th)
{
	spin_init(&th->th_ports_lock, "task_ports", LOCK_RANK_TASK_PORTS);
	th->th_self = kobject_port(IKOT_THREAD, th);
	if (!th->th_self)
		return KERN_RESOURCE_SHORTAGE;
	th->th_sself = ipc_port_make_send(th->th_self);
	return KERN_SUCCESS;
}

void
ipc_thread_disable(struct thread *th)
{
	struct ipc_port *sself, *exc;

	if (!th->th_self)
		return;
	ipc_port_set_kobject(th->th_self, IKOT_NONE, NULL);
	spin_lock(&th->th_ports_lock);
	sself = th->th_sself;
	exc = th->th_exception;
	th->th_sself = th->th_exception = NULL;
	spin_unlock(&th->th_ports_lock);
	release_send(sself);
	release_send(exc);
}

void
ipc_thread_free(struct thread *th)
{
	ipc_thread_disable(th);
	kobject_port_destroy(th->th_self);
	th->th_self = NULL;
}

mach_port_name_t
ipc_task_copyout_send(struct task *t, struct ipc_port *send)
{
	struct ipc_copyout_undo u;
	mach_port_name_t name = MACH_PORT_NULL;
	kern_return_t kr;

	if (!send)
		return MACH_PORT_NULL;
	spin_lock(&t->tk_space->is_lock);
	kr = t->tk_space->is_active
	         ? ipc_right_copyout(t->tk_space, send, MACH_MSG_TYPE_PORT_SEND, &name, &u)
	         : KERN_INVALID_TASK;
	spin_unlock(&t->tk_space->is_lock);
	if (kr != KERN_SUCCESS) {
		release_send(send);
		return MACH_PORT_NULL;
	}
	return name;
}

mach_port_name_t
ipc_task_self_name(struct task *t)
{
	struct ipc_space *s = t->tk_space;
	mach_port_name_t name = MACH_PORT_NULL, n;
	struct ipc_port *p;

	spin_lock(&t->tk_ports_lock);
	p = t->tk_sself;
	spin_lock(&s->is_lock);
	if (p && s->is_active && __atomic_load_n(&p->ip_active, __ATOMIC_RELAXED)) {
		/* The hint first: the reverse map's hash costs more than the check. */
		n = t->tk_sself_name;
		if (n == MACH_PORT_NULL || n >= s->is_next || s->is_table[n].ie_object != p)
			n = ipc_space_port_name(s, p);
		struct ipc_entry *e = n ? &s->is_table[n] : NULL;
		if (e && (e->ie_type & MACH_PORT_TYPE_SEND) && e->ie_urefs < IPC_UREFS_MAX) {
			e->ie_urefs++;
			name = t->tk_sself_name = n;
		}
	}
	spin_unlock(&s->is_lock);
	spin_unlock(&t->tk_ports_lock);
	return name;
}

static struct ipc_port **
task_slot(struct task *t, int which)
{
	switch (which) {
	case TASK_KERNEL_PORT:
		return &t->tk_sself;
	case TASK_EXCEPTION_PORT:
		return &t->tk_exception;
	case TASK_BOOTSTRAP_PORT:
		return &t->tk_bootstrap;
	default:
		return NULL;
	}
}

static struct ipc_port **
thread_slot(struct thread *th, int which)
{
	switch (which) {
	case THREAD_KERNEL_PORT:
		return &th->th_sself;
	case THREAD_EXCEPTION_PORT:
		return &th->th_exception;
	default:
		return NULL;
	}
}

static kern_return_t
get_special(struct spinlock *lock, struct ipc_port **slot, struct ipc_port **send)
{
	if (!slot)
		return KERN_INVALID_ARGUMENT;
	spin_lock(lock);
	*send = ipc_port_copy_send(*slot);
	spin_unlock(lock);
	return KERN_SUCCESS;
}

static kern_return_t
set_special(struct spinlock *lock, struct ipc_port **slot, struct ipc_port *send)
{
	struct ipc_port *old;

	if (!slot)
		return KERN_INVALID_ARGUMENT;
	spin_lock(lock);
	old = *slot;
	*slot = send;
	spin_unlock(lock);
	release_send(old);
	return KERN_SUCCESS;
}

kern_return_t
ipc_task_get_special(struct task *t, int which, struct ipc_port **send)
{
	return get_special(&t->tk_ports_lock, task_slot(t, which), send);
}

kern_return_t
ipc_task_set_special(struct task *t, int which, struct ipc_port *send)
{
	return set_special(&t->tk_ports_lock, task_slot(t, which), send);
}

kern_return_t
ipc_thread_get_special(struct thread *th, int which, struct ipc_port **send)
{
	return get_special(&th->th_ports_lock, thread_slot(th, which), send);
}

kern_return_t
ipc_thread_set_special(struct thread *th, int which, struct ipc_port *send)
{
	return set_special(&th->th_ports_lock, thread_slot(th, which), send);
}

struct task *
ipc_port_to_task(struct ipc_port *p)
{
	struct task *t = NULL;

	if (!IPC_PORT_VALID(p))
		return NULL;
	spin_lock(&p->ip_lock);
	if (p->ip_active && p->ip_kotype == IKOT_TASK) {
		t = p->ip_kobject;
		task_reference(t);
	}
	spin_unlock(&p->ip_lock);
	return t;
}

struct thread *
ipc_port_to_thread(struct ipc_port *p)
{
	struct thread *th = NULL;

	if (!IPC_PORT_VALID(p))
		return NULL;
	spin_lock(&p->ip_lock);
	if (p->ip_active && p->ip_kotype == IKOT_THREAD) {
		th = p->ip_kobject;
		thread_reference(th);
	}
	spin_unlock(&p->ip_lock);
	return th;
}

struct ipc_port *
ipc_task_make_send(struct task *t)
{
	struct ipc_port *p = NULL;

	spin_lock(&t->tk_ports_lock);
	if (t->tk_self)
		p = ipc_port_make_send(t->tk_self);
	spin_unlock(&t->tk_ports_lock);
	return p;
}

struct ipc_port *
ipc_thread_make_send(struct thread *th)
{
	struct ipc_port *p = NULL;

	spin_lock(&th->th_ports_lock);
	if (th->th_self)
		p = ipc_port_make_send(th->th_self);
	spin_unlock(&th->th_ports_lock);
	return p;
}
