// SPDX-License-Identifier: GPL-2.0-or-later
/* Tasks: creation with inherited memory, suspension, termination (kern/task.h). */
#include "kern/task.h"

#include "kern/ipc_tt.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/task_notify.h"
#include "kern/thread.h"
#include "kern/vdso.h"
#include "vm/vm_map.h"

struct task kernel_task;
static struct list_node all_tasks = LIST_HEAD_INIT(all_tasks);
static unsigned tasks_alive;
static uint64_t task_next_id = 1;
static task_end_hook_fn *task_end_hook;

void
task_bootstrap(void)
{
	list_init(&kernel_task.tk_threads);
	kernel_task.tk_active = true;
	kernel_task.tk_ref = 1; /* never freed */
	strlcpy(kernel_task.tk_name, "kernel", sizeof(kernel_task.tk_name));
	list_append(&all_tasks, &kernel_task.tk_all_link);
	tasks_alive = 1;
}

unsigned
task_count(void)
{
	return __atomic_load_n(&tasks_alive, __ATOMIC_RELAXED);
}

unsigned
task_collect(struct task **out, unsigned cap)
{
	struct list_node *n, *tmp;
	unsigned count = 0;
	uint64_t f = spin_lock_irqsave(&sched_lock);

	list_for_each_safe(n, tmp, &all_tasks)
	{
		struct task *t = list_entry(n, struct task, tk_all_link);
		if (count < cap && t->tk_active) {
			task_reference(t);
			out[count++] = t;
		}
	}
	spin_unlock_irqrestore(&sched_lock, f);
	return count;
}

kern_return_t
task_create(struct task *parent, bool inherit, const char *name, struct task **out)
{
	struct task *t;
	kern_return_t kr;
	uint64_t f;

	if (inherit && (!parent || parent == &kernel_task))
		return KERN_INVALID_ARGUMENT;
	t = kzalloc(sizeof(*t));
	if (!t)
		return KERN_RESOURCE_SHORTAGE;
	kr = inherit ? vm_map_fork(parent->tk_map, &t->tk_map) : vm_map_create(&t->tk_map);
	if (kr != KERN_SUCCESS) {
		kfree(t);
		return kr;
	}
	kr = vdso_map(t->tk_map); /* every task has the vDSO and its vvar (docs/vdso.md) */
	if (kr != KERN_SUCCESS) {
		vm_map_deallocate(t->tk_map);
		kfree(t);
		return kr;
	}
	kr = ipc_task_init(t, parent);
	if (kr != KERN_SUCCESS) {
		vm_map_deallocate(t->tk_map);
		kfree(t);
		return kr;
	}
	list_init(&t->tk_threads);
	t->tk_active = true;
	t->tk_ref = 1;
	t->tk_id = __atomic_fetch_add(&task_next_id, 1, __ATOMIC_RELAXED);
	strlcpy(t->tk_name, name ? name : "task", sizeof(t->tk_name));
	f = spin_lock_irqsave(&sched_lock);
	list_append(&all_tasks, &t->tk_all_link);
	tasks_alive++;
	spin_unlock_irqrestore(&sched_lock, f);
	task_notify_new(t, parent == &kernel_task ? NULL : parent);
	*out = t;
	return KERN_SUCCESS;
}

void
task_reference(struct task *t)
{
	__atomic_add_fetch(&t->tk_ref, 1, __ATOMIC_RELAXED);
}

void
task_deallocate(struct task *t)
{
	uint64_t f;

	if (!t || __atomic_sub_fetch(&t->tk_ref, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (t == &kernel_task)
		panic("task_deallocate: the kernel task's last reference");
	f = spin_lock_irqsave(&sched_lock);
	list_remove(&t->tk_all_link);
	tasks_alive--;
	spin_unlock_irqrestore(&sched_lock, f);
	ipc_task_free(t);
	if (t->tk_map)
		vm_map_deallocate(t->tk_map);
	kfree(t);
}

kern_return_t
task_suspend(struct task *t)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);
	kern_return_t kr = KERN_SUCCESS;

	if (!t->tk_active)
		kr = KERN_TERMINATED;
	else
		t->tk_suspend_count++;
	cpu_self()->cpu_need_resched = true; /* a running thread of t stops at its safe point */
	spin_unlock_irqrestore(&sched_lock, f);
	return kr;
}

kern_return_t
task_resume(struct task *t)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);
	kern_return_t kr = KERN_SUCCESS;
	struct list_node *n, *tmp;

	if (!t->tk_active)
		kr = KERN_TERMINATED;
	else if (t->tk_suspend_count == 0)
		kr = KERN_FAILURE;
	else if (--t->tk_suspend_count == 0) {
		list_for_each_safe(n, tmp, &t->tk_threads)
		{
			struct thread *th = list_entry(n, struct thread, th_task_link);
			if ((th->th_state & TH_SUSP) && th->th_suspend_count == 0)
				sched_make_runnable(th);
		}
	}
	spin_unlock_irqrestore(&sched_lock, f);
	return kr;
}

/* Stops t's threads; the caller's too if it is one of them: now (self_now) or at its safe point. */
static kern_return_t
terminate(struct task *t, bool self_now)
{
	struct thread *self = current_thread();
	struct list_node *n, *tmp;
	bool empty;
	uint64_t f;

	if (t == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	f = spin_lock_irqsave(&sched_lock);
	if (!t->tk_active) {
		spin_unlock_irqrestore(&sched_lock, f);
		return KERN_FAILURE;
	}
	t->tk_active = false;
	list_for_each_safe(n, tmp, &t->tk_threads)
	{
		struct thread *th = list_entry(n, struct thread, th_task_link);
		if (th != self)
			thread_terminate_locked(th);
	}
	empty = t->tk_thread_count == 0;
	spin_unlock_irqrestore(&sched_lock, f);
	/*
	 * GNU Mach 2025 records essential tasks and carries on when one dies
	 * (the Hurd's startup server is the one that halts): the line says so.
	 */
	if (__atomic_load_n(&t->tk_essential, __ATOMIC_RELAXED))
		log_warn("task %s (%lu): an essential task ended; the system carries on",
		         t->tk_name, t->tk_id);
	ipc_task_disable(t); /* RPCs to it fail from now on */
	/* Its own reference goes; the caller's (or a thread's) keeps it until we return. */
	if (__atomic_exchange_n(&t->tk_held, false, __ATOMIC_ACQ_REL))
		task_deallocate(t);
	if (self->th_task == t && self_now)
		thread_terminate_self();
	if (self->th_task == t)
		thread_terminate(self);
	/* A task that never had a thread ends now; otherwise its last thread ends it. */
	if (empty)
		task_thread_gone(t);
	return KERN_SUCCESS;
}

kern_return_t
task_terminate(struct task *t)
{
	return terminate(t, true);
}

kern_return_t
task_terminate_deferred(struct task *t)
{
	return terminate(t, false);
}

struct pmap *
task_pmap(const struct task *t)
{
	return t->tk_map ? vm_map_pmap(t->tk_map) : pmap_kernel();
}

void
task_set_end_hook(task_end_hook_fn *fn)
{
	task_end_hook = fn;
}

void
task_thread_gone(struct task *t)
{
	/* Memory goes with the last reference (task_deallocate); this is the task's end. */
	if (t->tk_active)
		return;
	ipc_task_end(t); /* its rights go: receivers' ports die, senders get notified */
	if (task_end_hook)
		task_end_hook(t);
}
