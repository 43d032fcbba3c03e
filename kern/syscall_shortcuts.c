// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The syscall_* shortcut traps of <mach/syscall_sw.h> (-64 to -76): the
 * RPCs programs make most, as traps with the same arguments and results,
 * the task or thread named by a send right in the caller's space. A name
 * that is not a task (thread) gives MACH_SEND_INTERRUPTED: GNU Mach 2025
 * answers that (user/tests/ipc-trap.c checks it on both kernels). Results the RPC returns by
 * reference are written to the caller's pointer (KERN_INVALID_ADDRESS when it is bad, nothing lost:
 * the write comes before any effect that cannot be taken back, or the effect is undone).
 */
#include <mach/exception.h>
#include <mach/task_special_ports.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

#include "ipc/ipc_right.h"
#include "ipc/mach_port.h"
#include "kern/ipc_traps.h"
#include "kern/ipc_tt.h"
#include "kern/sched.h"
#include "kern/thread.h"
#include "kern/user_entry.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

static struct task *
caller(void)
{
	return current_thread()->th_task;
}

/* The task behind name in the caller's space (a reference), or NULL. */
static struct task *
name_to_task(mach_port_name_t name)
{
	struct ipc_port *p = ipc_task_name_to_send(caller(), name);
	struct task *t = ipc_port_to_task(p);

	if (p)
		ipc_right_release(p, MACH_MSG_TYPE_PORT_SEND);
	return t;
}

static struct thread *
name_to_thread(mach_port_name_t name)
{
	struct ipc_port *p = ipc_task_name_to_send(caller(), name);
	struct thread *th = ipc_port_to_thread(p);

	if (p)
		ipc_right_release(p, MACH_MSG_TYPE_PORT_SEND);
	return th;
}

static bool
put_user64(uint64_t uaddr, uint64_t v)
{
	return copyout(&v, (void *)uaddr, sizeof v) == KERN_SUCCESS;
}

static bool
put_user32(uint64_t uaddr, uint32_t v)
{
	return copyout(&v, (void *)uaddr, sizeof v) == KERN_SUCCESS;
}

/*
 * syscall_vm_map(task, &address, size, mask, anywhere, memory_object,
 * offset, copy, cur_protection, max_protection, inheritance): the last
 * five on the user stack, above the stub's return address, 8 bytes each.
 * The memory object is a send right of the caller's (copied, as GNU Mach
 * does: KERN_INVALID_NAME, KERN_INVALID_RIGHT), then the RPC's work.
 */
uint64_t
trap_syscall_vm_map(const uint64_t *a)
{
	uint64_t sp = machine_syscall_user_sp(a), more[5], addr;
	mach_port_name_t oname = (mach_port_name_t)a[5];
	struct ipc_port *object = NULL;
	struct ipc_copyin_undo u;
	mach_msg_type_name_t type;
	struct ipc_space *s = caller()->tk_space;
	struct task *t;
	kern_return_t kr;

	if (copyin((const void *)(sp + 8), more, sizeof more) != KERN_SUCCESS) {
		user_exception(EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, sp + 8, 0);
		return KERN_INVALID_ADDRESS;
	}
	t = name_to_task((mach_port_name_t)a[0]);
	if (!t)
		return MACH_SEND_INTERRUPTED;
	if (MACH_PORT_VALID(oname)) {
		spin_lock(&s->is_lock);
		kr = ipc_right_copyin(s, oname, MACH_MSG_TYPE_COPY_SEND, &object, &type, &u);
		if (kr == KERN_SUCCESS)
			ipc_right_copyin_commit(&u);
		spin_unlock(&s->is_lock);
		if (kr != KERN_SUCCESS) {
			task_deallocate(t);
			return kr;
		}
	}
	if (copyin((const void *)a[1], &addr, sizeof addr) != KERN_SUCCESS)
		kr = KERN_INVALID_ADDRESS;
	else if ((kr = vm_map_port(t->tk_map, &addr, a[2], a[3], a[4] != 0, object, more[0],
	                           more[1] != 0, (vm_prot_t)more[2], (vm_prot_t)more[3],
	                           (vm_inherit_t)more[4])) == KERN_SUCCESS &&
	         !put_user64(a[1], addr)) {
		vm_deallocate(t->tk_map, addr, a[2]);
		kr = KERN_INVALID_ADDRESS;
	}
	if (object)
		ipc_right_release(object, MACH_MSG_TYPE_PORT_SEND);
	task_deallocate(t);
	return kr;
}

/* syscall_vm_allocate(task, &address, size, anywhere) */
uint64_t
trap_syscall_vm_allocate(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	uint64_t addr;
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	if (copyin((const void *)a[1], &addr, sizeof addr) != KERN_SUCCESS)
		kr = KERN_INVALID_ADDRESS;
	else if ((kr = vm_allocate(t->tk_map, &addr, a[2], a[3] != 0)) == KERN_SUCCESS &&
	         !put_user64(a[1], addr)) {
		vm_deallocate(t->tk_map, addr, a[2]);
		kr = KERN_INVALID_ADDRESS;
	}
	task_deallocate(t);
	return kr;
}

/* syscall_vm_deallocate(task, address, size) */
uint64_t
trap_syscall_vm_deallocate(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr = vm_deallocate(t->tk_map, a[1], a[2]);
	task_deallocate(t);
	return kr;
}

/* syscall_task_create(parent, inherit_memory, &child): a send right to the child. */
uint64_t
trap_syscall_task_create(const uint64_t *a)
{
	struct task *parent = name_to_task((mach_port_name_t)a[0]);
	struct task *child;
	kern_return_t kr;

	if (!parent)
		return MACH_SEND_INTERRUPTED;
	kr = task_create(parent, a[1] != 0, parent->tk_name, &child);
	task_deallocate(parent);
	if (kr != KERN_SUCCESS)
		return kr;
	mach_port_name_t name = ipc_task_copyout_send(caller(), ipc_task_make_send(child));
	if (!put_user32(a[2], name)) {
		ipc_mach_port_deallocate(caller()->tk_space, name);
		task_terminate(child);
		kr = KERN_INVALID_ADDRESS;
	}
	task_deallocate(child);
	return kr;
}

/* syscall_task_suspend(task) */
uint64_t
trap_syscall_task_suspend(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr = task_suspend(t);
	task_deallocate(t);
	return kr;
}

/* syscall_task_set_special_port(task, which, port): a copy of the caller's send right. */
uint64_t
trap_syscall_task_set_special_port(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	mach_port_name_t pname = (mach_port_name_t)a[2];
	struct ipc_port *send = NULL;
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	if (MACH_PORT_VALID(pname)) {
		send = ipc_task_name_to_send(caller(), pname);
		if (!send) {
			task_deallocate(t);
			return KERN_INVALID_RIGHT;
		}
	}
	kr = ipc_task_set_special(t, (int)a[1], send);
	if (kr != KERN_SUCCESS && send)
		ipc_right_release(send, MACH_MSG_TYPE_PORT_SEND);
	task_deallocate(t);
	return kr;
}

/* syscall_mach_port_allocate(task, right, &name) */
uint64_t
trap_syscall_mach_port_allocate(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	mach_port_name_t name;
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr = ipc_mach_port_allocate(t->tk_space, (mach_port_right_t)a[1], &name);
	if (kr == KERN_SUCCESS && !put_user32(a[2], name)) {
		ipc_mach_port_destroy(t->tk_space, name);
		kr = KERN_INVALID_ADDRESS;
	}
	task_deallocate(t);
	return kr;
}

/* syscall_mach_port_deallocate(task, name) */
uint64_t
trap_syscall_mach_port_deallocate(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr = ipc_mach_port_deallocate(t->tk_space, (mach_port_name_t)a[1]);
	task_deallocate(t);
	return kr;
}

/* syscall_mach_port_insert_right(task, name, right, disposition): right named in the caller. */
uint64_t
trap_syscall_mach_port_insert_right(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr =
	    ipc_mach_port_insert_right_from(t->tk_space, (mach_port_name_t)a[1], caller()->tk_space,
	                                    (mach_port_name_t)a[2], (mach_msg_type_name_t)a[3]);
	task_deallocate(t);
	return kr;
}

/* syscall_mach_port_allocate_name(task, right, name) */
uint64_t
trap_syscall_mach_port_allocate_name(const uint64_t *a)
{
	struct task *t = name_to_task((mach_port_name_t)a[0]);
	kern_return_t kr;

	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr = ipc_mach_port_allocate_name(t->tk_space, (mach_port_right_t)a[1],
	                                 (mach_port_name_t)a[2]);
	task_deallocate(t);
	return kr;
}

/* syscall_thread_depress_abort(thread) */
uint64_t
trap_syscall_thread_depress_abort(const uint64_t *a)
{
	struct thread *th = name_to_thread((mach_port_name_t)a[0]);
	uint64_t f;

	if (!th)
		return MACH_SEND_INTERRUPTED;
	f = spin_lock_irqsave(&sched_lock);
	sched_undepress(th);
	spin_unlock_irqrestore(&sched_lock, f);
	thread_deallocate(th);
	return KERN_SUCCESS;
}
