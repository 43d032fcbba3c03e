// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Threads: creation, blocking and waking, suspension, abort and
 * termination, on top of the scheduler (kern/sched.c). kern/thread.h has
 * the rules.
 */
#include "kern/thread.h"

#include "kern/clock.h"
#include "kern/ipc_tt.h"
#include "kern/kmalloc.h"
#include "kern/kstack.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/panic.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/task.h"
#include "x86_64/machine.h"

static uint64_t thread_next_id = 1;

static void
thread_set_name(struct thread *th, const char *name)
{
	strlcpy(th->th_name, name, sizeof(th->th_name));
}

/* A thread structure with a stack, not yet runnable or in a task. */
static kern_return_t
thread_alloc(struct task *task, int pri, struct thread **out)
{
	struct thread *th = kzalloc(sizeof(*th));
	kern_return_t kr;

	if (!th)
		return KERN_RESOURCE_SHORTAGE;
	kr = kstack_alloc(&th->th_kstack);
	if (kr != KERN_SUCCESS) {
		kfree(th);
		return kr == KERN_NO_SPACE ? KERN_RESOURCE_SHORTAGE : kr;
	}
	list_init(&th->th_task_link);
	list_init(&th->th_queue_link);
	list_init(&th->th_timeout_link);
	th->th_task = task;
	th->th_base_pri = th->th_sched_pri = pri;
	th->th_ref = 1; /* alive: dropped when it is reaped */
	th->th_id = __atomic_fetch_add(&thread_next_id, 1, __ATOMIC_RELAXED);
	*out = th;
	return KERN_SUCCESS;
}

static void
thread_free(struct thread *th)
{
	if (th->th_self)
		ipc_thread_free(th);
	if (th->th_kstack)
		kstack_free(th->th_kstack);
	machine_thread_release(&th->th_machine);
	kfree(th);
}

/* Puts th in its task; false when the task is terminating. sched_lock held. */
static bool
thread_join_task(struct thread *th)
{
	struct task *t = th->th_task;

	if (!t->tk_active)
		return false;
	list_append(&t->tk_threads, &th->th_task_link);
	t->tk_thread_count++;
	task_reference(t);
	return true;
}

/* The first code of every kernel thread: the switch to it left sched_lock held. */
static void
thread_kernel_start(void *arg)
{
	struct thread *th = arg;

	spin_unlock(&sched_lock);
	irq_enable();
	sched_reap();
	th->th_entry(th->th_entry_arg);
	thread_terminate_self();
}

/* The first code of every user thread, on its kernel stack. */
static void
thread_user_start(void *arg)
{
	(void)arg;
	spin_unlock(&sched_lock);
	sched_reap();
	thread_safe_point();
	machine_thread_enter_user();
}

static void
idle_loop(void *arg)
{
	struct cpu *c = cpu_self();

	(void)arg;
	for (;;) {
		irq_disable();
		spin_lock(&sched_lock);
		if (c->cpu_runq.rq_count) {
			sched_switch();
			spin_unlock(&sched_lock);
			irq_enable();
			sched_reap();
			continue;
		}
		spin_unlock(&sched_lock);
		cpu_idle_wait(); /* halts with interrupts enabled only while halted */
		irq_enable();
	}
}

void
thread_bootstrap(void)
{
	struct cpu *c = cpu_self();
	struct thread *boot = kzalloc(sizeof(*boot)), *idle;

	sched_init();
	task_bootstrap();
	if (!boot)
		panic("thread_bootstrap: no memory for the boot thread");
	/* The boot flow of control runs on the boot stack, which it never frees. */
	list_init(&boot->th_task_link);
	list_init(&boot->th_queue_link);
	list_init(&boot->th_timeout_link);
	boot->th_task = &kernel_task;
	boot->th_base_pri = boot->th_sched_pri = BASEPRI_SYSTEM;
	boot->th_state = TH_RUN;
	boot->th_ref = 1;
	boot->th_id = __atomic_fetch_add(&thread_next_id, 1, __ATOMIC_RELAXED);
	boot->th_quantum_left = sched_quantum_ticks;
	thread_set_name(boot, "boot");
	uint64_t f = spin_lock_irqsave(&sched_lock);
	thread_join_task(boot);
	c->cpu_thread = boot;
	spin_unlock_irqrestore(&sched_lock, f);

	if (thread_alloc(&kernel_task, PRI_LOWEST, &idle) != KERN_SUCCESS)
		panic("thread_bootstrap: no memory for the idle thread");
	thread_set_name(idle, "idle");
	idle->th_entry = idle_loop;
	machine_thread_init_kernel(&idle->th_machine, idle->th_kstack + KSTACK_SIZE,
	                           thread_kernel_start, idle);
	idle->th_state = TH_RUN | TH_IDLE;
	c->cpu_idle_thread = idle;
}

kern_return_t
kthread_create(void (*fn)(void *), void *arg, const char *name, int pri, struct thread **out)
{
	struct thread *th;
	kern_return_t kr = thread_alloc(&kernel_task, pri, &th);
	uint64_t f;

	if (kr != KERN_SUCCESS)
		return kr;
	thread_set_name(th, name);
	th->th_entry = fn;
	th->th_entry_arg = arg;
	machine_thread_init_kernel(&th->th_machine, th->th_kstack + KSTACK_SIZE,
	                           thread_kernel_start, th);
	if (out)
		th->th_ref++;
	f = spin_lock_irqsave(&sched_lock);
	thread_join_task(th);
	sched_make_runnable(th);
	spin_unlock_irqrestore(&sched_lock, f);
	if (out)
		*out = th;
	return KERN_SUCCESS;
}

kern_return_t
thread_create(struct task *task, struct thread **out)
{
	struct thread *th;
	kern_return_t kr;
	uint64_t f;
	bool joined;

	if (!task || task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	kr = thread_alloc(task, BASEPRI_USER, &th);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = machine_thread_init_user(&th->th_machine, th->th_kstack + KSTACK_SIZE,
	                              thread_user_start, th);
	if (kr != KERN_SUCCESS) {
		thread_free(th);
		return kr;
	}
	kr = ipc_thread_init(th);
	if (kr != KERN_SUCCESS) {
		thread_free(th);
		return kr;
	}
	ksnprintf(th->th_name, sizeof(th->th_name), "%s.%lu", task->tk_name, th->th_id);
	th->th_state = TH_SUSP;
	th->th_suspend_count = 1;
	th->th_ref = 2; /* alive, and the caller's */
	f = spin_lock_irqsave(&sched_lock);
	joined = thread_join_task(th);
	spin_unlock_irqrestore(&sched_lock, f);
	if (!joined) {
		thread_free(th);
		return KERN_INVALID_ARGUMENT;
	}
	*out = th;
	return KERN_SUCCESS;
}

void
thread_reference(struct thread *th)
{
	__atomic_add_fetch(&th->th_ref, 1, __ATOMIC_RELAXED);
}

void
thread_deallocate(struct thread *th)
{
	if (th && __atomic_sub_fetch(&th->th_ref, 1, __ATOMIC_ACQ_REL) == 0)
		thread_free(th);
}

void
thread_reap(struct thread *th)
{
	struct task *t = th->th_task;
	bool last = th->th_last_in_task;

	/* The stack goes now: nothing runs on it any more. The structure may be referenced. */
	if (th->th_kstack) {
		kstack_free(th->th_kstack);
		th->th_kstack = 0;
	}
	machine_thread_release(&th->th_machine);
	ipc_thread_disable(th);
	thread_deallocate(th);
	if (last)
		task_thread_gone(t);
	task_deallocate(t);
}

/* Whether th must stay stopped: its own or its task's suspend count. sched_lock held. */
static bool
thread_held(const struct thread *th)
{
	return th->th_suspend_count > 0 || th->th_task->tk_suspend_count > 0;
}

/* Lets a stopped thread go on when nothing holds it any more. sched_lock held. */
static void
thread_release_stopped(struct thread *th)
{
	if ((th->th_state & TH_SUSP) && (!thread_held(th) || (th->th_ast & TH_AST_TERMINATE)))
		sched_make_runnable(th);
}

kern_return_t
thread_suspend(struct thread *th)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);
	kern_return_t kr = KERN_SUCCESS;

	if (th->th_state & TH_TERMINATED)
		kr = KERN_TERMINATED;
	else
		th->th_suspend_count++;
	cpu_self()->cpu_need_resched = true; /* if it runs, it stops at its safe point */
	spin_unlock_irqrestore(&sched_lock, f);
	return kr;
}

kern_return_t
thread_resume(struct thread *th)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);
	kern_return_t kr = KERN_SUCCESS;

	if (th->th_state & TH_TERMINATED)
		kr = KERN_TERMINATED;
	else if (th->th_suspend_count == 0)
		kr = KERN_FAILURE;
	else if (--th->th_suspend_count == 0)
		thread_release_stopped(th);
	spin_unlock_irqrestore(&sched_lock, f);
	return kr;
}

/* Ends th's wait with result (sched_lock held), leaving where it runs to the caller. */
static void
end_wait_locked(struct thread *th, int result)
{
	list_remove(&th->th_queue_link);
	th->th_wait_event = NULL;
	th->th_wait_slot = NULL;
	th->th_wait_result = result;
	th->th_state &= ~(TH_WAIT | TH_UNINT);
	if (th->th_wait_deadline_ns)
		sched_set_deadline(th, 0);
}

void
thread_wake_locked(struct thread *th, int result)
{
	if (!(th->th_state & TH_WAIT))
		return;
	end_wait_locked(th, result);
	/* Still TH_RUN: woken between thread_assert_wait() and thread_block(). */
	if (!(th->th_state & TH_RUN))
		sched_make_runnable(th);
}

kern_return_t
thread_abort(struct thread *th)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);

	if ((th->th_state & TH_WAIT) && !(th->th_state & TH_UNINT))
		thread_wake_locked(th, THREAD_INTERRUPTED);
	spin_unlock_irqrestore(&sched_lock, f);
	return KERN_SUCCESS;
}

/* Under sched_lock: asks th to terminate and gets it moving towards its safe point. */
void
thread_terminate_locked(struct thread *th)
{
	th->th_ast |= TH_AST_TERMINATE;
	cpu_self()->cpu_need_resched = true; /* if it runs, it ends at its safe point */
	if ((th->th_state & TH_WAIT) && !(th->th_state & TH_UNINT))
		thread_wake_locked(th, THREAD_INTERRUPTED);
	thread_release_stopped(th);
}

void
thread_terminate(struct thread *th)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);

	thread_terminate_locked(th);
	spin_unlock_irqrestore(&sched_lock, f);
}

void
thread_terminate_self(void)
{
	struct thread *th = current_thread();
	struct task *t = th->th_task;

	irq_disable();
	spin_lock(&sched_lock);
	th->th_state = TH_TERMINATED;
	list_remove(&th->th_task_link);
	th->th_last_in_task = --t->tk_thread_count == 0;
	sched_undepress(th);
	sched_set_deadline(th, 0);
	cpu_self()->cpu_dead = th;
	sched_switch();
	panic("thread_terminate_self: %s ran again", th->th_name);
}

void
thread_safe_point(void)
{
	struct cpu *c = cpu_self();
	struct thread *th = c->cpu_thread;

	/*
	 * The common case, read without the lock (interrupts are off, and a
	 * setter on another CPU would interrupt this one): nothing to do.
	 * Whoever gives the running thread work sets cpu_need_resched, and
	 * so does the switch to a thread that has some (sched_switch).
	 */
	if (!c->cpu_need_resched)
		return;
	spin_lock(&sched_lock);
	for (;;) {
		if (th->th_ast & TH_AST_TERMINATE) {
			spin_unlock(&sched_lock);
			thread_terminate_self();
		}
		if (thread_held(th)) {
			th->th_state = (th->th_state & ~TH_RUN) | TH_SUSP;
			sched_switch();
			continue;
		}
		if (c->cpu_need_resched ||
		    (!th->th_quantum_left && sched_runnable_at(th->th_sched_pri))) {
			sched_make_runnable(th);
			sched_switch();
			continue;
		}
		if (!th->th_quantum_left)
			th->th_quantum_left = sched_quantum_ticks; /* nobody to give the CPU to */
		break;
	}
	spin_unlock(&sched_lock);
	sched_reap();
}

void
thread_assert_wait(struct wait_event *ev, bool interruptible)
{
	thread_assert_wait_slot(ev, interruptible, NULL);
}

/* Queues the current thread th on ev (sched_lock held). */
static inline __attribute__((always_inline)) void
assert_wait_locked(struct thread *th, struct wait_event *ev, bool interruptible, void *slot)
{
	if (!ev->we_waiters.ln_next)
		list_init(&ev->we_waiters);
	if (th->th_state & TH_WAIT)
		panic("thread_assert_wait(%s): %s already waits for %s", ev->we_name, th->th_name,
		      th->th_wait_event->we_name);
	list_append(&ev->we_waiters, &th->th_queue_link);
	th->th_wait_event = ev;
	th->th_wait_slot = slot;
	th->th_wait_result = THREAD_AWAKENED;
	th->th_state |= TH_WAIT | (interruptible ? 0 : TH_UNINT);
	/* A thread told to terminate does not start an interruptible wait. */
	if (interruptible && (th->th_ast & TH_AST_TERMINATE))
		thread_wake_locked(th, THREAD_INTERRUPTED);
}

void
thread_assert_wait_slot(struct wait_event *ev, bool interruptible, void *slot)
{
	struct thread *th = current_thread();
	uint64_t f = spin_lock_irqsave(&sched_lock);

	assert_wait_locked(th, ev, interruptible, slot);
	spin_unlock_irqrestore(&sched_lock, f);
	/* Queued before the caller reads its condition: thread_wakeup looks without the lock. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
thread_clear_wait(void)
{
	struct thread *th = current_thread();
	uint64_t f = spin_lock_irqsave(&sched_lock);

	thread_wake_locked(th, THREAD_AWAKENED);
	spin_unlock_irqrestore(&sched_lock, f);
}

/* Blocks th if it still waits (sched_lock held, taken with flags f); answers how it ended. */
static int
block_locked(struct thread *th, uint64_t timeout_ns, uint64_t f)
{
	uint64_t now;
	int result;

	if (th->th_state & TH_WAIT) {
		if (timeout_ns != WAIT_FOREVER) {
			now = clock_monotonic_ns();
			sched_set_deadline(th, timeout_ns > UINT64_MAX - now - 1
			                           ? UINT64_MAX
			                           : now + timeout_ns + 1);
		}
		th->th_state &= ~TH_RUN;
		sched_switch();
	}
	result = th->th_wait_result;
	spin_unlock_irqrestore(&sched_lock, f);
	sched_reap();
	return result;
}

int
thread_block(uint64_t timeout_ns)
{
	struct thread *th = current_thread();

	spin_assert_none_held("thread_block",
	                      th->th_wait_event ? th->th_wait_event->we_name : NULL);
	if (cpu_self()->cpu_irq_depth)
		panic("thread_block: called from an interrupt handler");
	return block_locked(th, timeout_ns, spin_lock_irqsave(&sched_lock));
}

int
thread_block_unlock(struct wait_event *ev, bool interruptible, void *slot, struct spinlock *lock,
                    uint64_t timeout_ns)
{
	struct thread *th = current_thread();
	uint64_t f = spin_lock_irqsave(&sched_lock);

	assert_wait_locked(th, ev, interruptible, slot);
	spin_unlock(lock);
	return block_locked(th, timeout_ns, f);
}

void
thread_wakeup(struct wait_event *ev)
{
	struct list_node *n, *tmp;
	uint64_t f;

	/*
	 * No waiter: nothing to take sched_lock for. The count's locked add
	 * is a full barrier, and a waiter queues itself (under sched_lock)
	 * before it checks its condition, so one queued before the condition
	 * became true is seen here, and one queued after sees the condition.
	 */
	__atomic_add_fetch(&ev->we_wakes, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&ev->we_waiters.ln_next, __ATOMIC_RELAXED) ||
	    list_empty(&ev->we_waiters))
		return;
	f = spin_lock_irqsave(&sched_lock);
	if (ev->we_waiters.ln_next) {
		list_for_each_safe(n, tmp, &ev->we_waiters)
		{
			thread_wake_locked(list_entry(n, struct thread, th_queue_link),
			                   THREAD_AWAKENED);
		}
	}
	spin_unlock_irqrestore(&sched_lock, f);
}

void
thread_wakeup_one(struct wait_event *ev)
{
	uint64_t f = spin_lock_irqsave(&sched_lock);

	__atomic_add_fetch(&ev->we_wakes, 1, __ATOMIC_RELAXED);
	if (ev->we_waiters.ln_next && !list_empty(&ev->we_waiters))
		thread_wake_locked(
		    list_entry(list_first(&ev->we_waiters), struct thread, th_queue_link),
		    THREAD_AWAKENED);
	spin_unlock_irqrestore(&sched_lock, f);
}

bool
thread_wakeup_handoff(struct wait_event *ev, bool (*give)(void *slot, void *arg), void *arg)
{
	struct list_node *n;
	bool given = false;
	uint64_t f;

	/* Unlocked first look, as thread_wakeup's: a waiter queues itself before its check. */
	if (!__atomic_load_n(&ev->we_waiters.ln_next, __ATOMIC_RELAXED) ||
	    list_empty(&ev->we_waiters))
		return false;
	f = spin_lock_irqsave(&sched_lock);
	for (n = ev->we_waiters.ln_next; n != &ev->we_waiters; n = n->ln_next) {
		struct thread *th = list_entry(n, struct thread, th_queue_link);
		if (!th->th_wait_slot)
			continue;
		given = give(th->th_wait_slot, arg);
		if (given) {
			__atomic_add_fetch(&ev->we_wakes, 1, __ATOMIC_RELAXED);
			thread_wake_locked(th, THREAD_AWAKENED);
		}
		break;
	}
	spin_unlock_irqrestore(&sched_lock, f);
	return given;
}

int
thread_handoff_block(struct wait_event *own, void *own_slot, struct wait_event *ev,
                     bool (*give)(void *slot, void *arg), void *arg, struct spinlock *lock,
                     bool *given)
{
	struct thread *cur = current_thread(), *to = NULL;
	uint64_t f = spin_lock_irqsave(&sched_lock);
	int result;

	/* The caller's own wait first: a request handed to itself (ev is own) comes back. */
	assert_wait_locked(cur, own, true, own_slot);
	if (ev->we_waiters.ln_next) {
		for (struct list_node *n = ev->we_waiters.ln_next; n != &ev->we_waiters;
		     n = n->ln_next) {
			struct thread *th = list_entry(n, struct thread, th_queue_link);
			if (!th->th_wait_slot)
				continue;
			if (give(th->th_wait_slot, arg))
				to = th;
			break;
		}
	}
	*given = to != NULL;
	if (!to) {
		spin_unlock_irqrestore(&sched_lock, f);
		/* As thread_assert_wait_slot(): queued before the caller looks at anything. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return THREAD_AWAKENED;
	}
	__atomic_add_fetch(&ev->we_wakes, 1, __ATOMIC_RELAXED);
	end_wait_locked(to, THREAD_AWAKENED);
	spin_unlock(lock);
	/* Straight to it, when the current thread still waits and nothing better is queued. */
	if (!(to->th_state & TH_RUN)) {
		if (cur->th_state & TH_WAIT) {
			cur->th_state &= ~TH_RUN;
			if (!sched_switch_to(to))
				sched_switch();
			goto done;
		}
		sched_make_runnable(to);
	}
	if (cur->th_state & TH_WAIT) {
		cur->th_state &= ~TH_RUN;
		sched_switch();
	}
done:
	result = cur->th_wait_result;
	spin_unlock_irqrestore(&sched_lock, f);
	sched_reap();
	return result;
}

void
thread_yield(void)
{
	struct thread *th = current_thread();
	uint64_t f = spin_lock_irqsave(&sched_lock);

	if (sched_runnable_at(th->th_sched_pri)) {
		sched_make_runnable(th);
		sched_switch();
	}
	spin_unlock_irqrestore(&sched_lock, f);
	sched_reap();
}

unsigned
thread_state(const struct thread *th)
{
	return __atomic_load_n(&th->th_state, __ATOMIC_RELAXED);
}
