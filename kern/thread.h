/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Threads: the unit the scheduler runs. Every thread has its own kernel
 * stack (kern/kstack.h, an unmapped guard page below it) and its machine
 * state (struct machine_thread, x86_64/machine.h). A thread belongs to a
 * task (kern/task.h); kernel threads belong to kernel_task.
 *
 * States (th_state bits, as Mach names them):
 *   TH_RUN         runnable: running, or on its CPU's run queue
 *   TH_WAIT        waiting for an event (with TH_UNINT when it cannot be
 *                  interrupted by thread_abort)
 *   TH_SUSP        stopped at its suspend point (suspend count > 0)
 *   TH_TERMINATED  finished; its stack is freed by the next thread to run
 *
 * Suspension and termination take effect at a safe point: on the way back
 * to user mode (sched_preempt_point), never in the middle of a kernel
 * operation. A thread blocked in an interruptible wait is woken by
 * thread_abort() and by termination, with THREAD_INTERRUPTED.
 *
 * Priorities are Mach's: 0 is the highest, NRQS - 1 the lowest. User
 * threads start at BASEPRI_USER (25, as GNU Mach 2025), kernel threads at
 * BASEPRI_SYSTEM.
 *
 * Locking: sched_lock (kern/sched.h) guards every thread's scheduling
 * state, the run queues, the wait queues and the task thread lists.
 */
#ifndef KERN_THREAD_H
#define KERN_THREAD_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/cpu.h"
#include "kern/list.h"
#include "kern/task.h"
#include "kern/wait.h"
#include "x86_64/machine.h"

#define NRQS 50
#define PRI_HIGHEST 0
#define PRI_LOWEST (NRQS - 1)
#define BASEPRI_SYSTEM 6
#define BASEPRI_USER 25
#define DEPRESSPRI PRI_LOWEST

#define TH_RUN 0x01
#define TH_WAIT 0x02
#define TH_UNINT 0x04
#define TH_SUSP 0x08
#define TH_TERMINATED 0x10
#define TH_IDLE 0x20

/* Work a thread does at its next safe point (th_ast). */
#define TH_AST_TERMINATE 0x1

/* How a wait ended (thread_block()). */
#define THREAD_AWAKENED 0
#define THREAD_TIMED_OUT 1
#define THREAD_INTERRUPTED 2

struct task;

struct thread {
	struct machine_thread th_machine;
	struct task *th_task;
	struct list_node th_task_link;    /* the task's threads */
	struct list_node th_queue_link;   /* its run queue or its event's wait queue */
	struct list_node th_timeout_link; /* waits with a deadline; depressions */
	unsigned th_state;                /* TH_* */
	unsigned th_ast;                  /* TH_AST_* */
	int th_base_pri;                  /* its priority */
	int th_sched_pri;                 /* what the scheduler uses: base, or depressed */
	bool th_depressed;
	uint64_t th_depress_until_ns; /* 0: until thread_depress_abort */
	int th_suspend_count;
	struct wait_event *th_wait_event; /* while TH_WAIT */
	void *th_wait_slot;               /* while TH_WAIT: where a waker may hand it something */
	uint64_t th_wait_deadline_ns;     /* 0: none */
	int th_wait_result;               /* THREAD_* */
	unsigned th_quantum_left;         /* ticks */
	unsigned th_ref;                  /* references (under sched_lock) */
	uint64_t th_kstack;               /* lowest address of its stack (kern/kstack.h) */
	uint64_t th_id;
	uint64_t th_switches;     /* times it was switched in */
	void (*th_entry)(void *); /* a kernel thread's function */
	void *th_entry_arg;
	bool th_last_in_task; /* it was its task's last thread */
	/* IPC (kern/ipc_tt.h): the kernel port (IKOT_THREAD) and the special ports. */
	struct ipc_port *th_self;
	struct spinlock th_ports_lock;
	struct ipc_port *th_sself;
	struct ipc_port *th_exception;
	char th_name[24];
};

/* The thread running on this CPU. */
static inline struct thread *
current_thread(void)
{
	return cpu_self()->cpu_thread;
}

/*
 * Makes the boot flow of control the first thread (on the boot stack) and
 * creates this CPU's idle thread. After the heap, before interrupts.
 */
void thread_bootstrap(void);

/*
 * A kernel thread running fn(arg) at priority pri, started at once. fn
 * ends with thread_terminate_self(). KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t kthread_create(void (*fn)(void *), void *arg, const char *name, int pri,
                             struct thread **out);

/*
 * A user thread in task, suspended (count 1) until thread_resume, with
 * zeroed user registers. The caller sets its pc and sp. The task holds
 * the thread; *out is a reference for the caller (thread_deallocate).
 * KERN_INVALID_ARGUMENT when the task is terminating, KERN_RESOURCE_SHORTAGE.
 */
kern_return_t thread_create(struct task *task, struct thread **out);

void thread_reference(struct thread *th);
void thread_deallocate(struct thread *th);

/* Suspend counts. thread_resume of a thread whose count is 0 is KERN_FAILURE. */
kern_return_t thread_suspend(struct thread *th);
kern_return_t thread_resume(struct thread *th);

/* Ends an interruptible wait of th with THREAD_INTERRUPTED (Mach's thread_abort). */
kern_return_t thread_abort(struct thread *th);

/* Asks th to terminate at its next safe point, waking it if it waits interruptibly. */
void thread_terminate(struct thread *th);
/* thread_terminate() with sched_lock held (task_terminate). */
void thread_terminate_locked(struct thread *th);
/* The current thread ends here. */
void thread_terminate_self(void) __attribute__((noreturn));

/*
 * Blocking. The pattern that loses no wake-up:
 *	thread_assert_wait(ev, interruptible);
 *	if (condition already true) thread_clear_wait(); else r = thread_block(timeout);
 * A wake-up between the assert and the block makes thread_block return at
 * once. Not from interrupt context, nor with a spinlock held.
 */
void thread_assert_wait(struct wait_event *ev, bool interruptible);
/* The same, with slot: what thread_wakeup_handoff() offers to fill. */
void thread_assert_wait_slot(struct wait_event *ev, bool interruptible, void *slot);
void thread_clear_wait(void);
int thread_block(uint64_t timeout_ns);
/*
 * Assert and block in one pass through the scheduler, for a waiter whose
 * condition is guarded by a spinlock it holds (lock, ranked below
 * sched_lock): the thread is queued on ev (with slot) before lock is
 * released, so a waker, which takes lock to change the condition, cannot
 * slip in between. Returns as thread_block(); lock is released either way.
 */
int thread_block_unlock(struct wait_event *ev, bool interruptible, void *slot,
                        struct spinlock *lock, uint64_t timeout_ns);

/* Makes every (or the first) waiter of ev runnable. Any context. */
void thread_wakeup(struct wait_event *ev);
void thread_wakeup_one(struct wait_event *ev);
/*
 * Offers the first waiter of ev that has a slot to give(slot, arg), under
 * the scheduler's lock: when give fills the slot and answers true, that
 * waiter is woken (THREAD_AWAKENED) and the answer is true. Waiters
 * without a slot are passed over; with none, false. give must not block
 * or take a lock ranked below sched_lock.
 */
bool thread_wakeup_handoff(struct wait_event *ev, bool (*give)(void *slot, void *arg), void *arg);
/*
 * The hand-off of an RPC, under one hold of the scheduler's lock: the
 * current thread queues itself on own (interruptibly, with own_slot), as
 * thread_assert_wait_slot() would, then offers the first waiter of ev
 * that has a slot to give(slot, arg), as thread_wakeup_handoff() does.
 * When that waiter takes it (*given true), lock (held, ranked below
 * sched_lock) is released and the current thread blocks, the CPU going
 * straight to the waiter unless a better thread is queued; the answer is
 * then the current thread's wait result, as thread_block()'s. When none
 * takes it (*given false), lock is still held and the current thread is
 * left queued on own, only asserted (thread_block() or
 * thread_clear_wait() next).
 */
int thread_handoff_block(struct wait_event *own, void *own_slot, struct wait_event *ev,
                         bool (*give)(void *slot, void *arg), void *arg, struct spinlock *lock,
                         bool *given);

/* Gives the CPU to another runnable thread of the same or higher priority, if any. */
void thread_yield(void);

/* For the scheduler (sched_lock held): ends th's wait with result. */
void thread_wake_locked(struct thread *th, int result);
/* For the scheduler: frees a terminated thread once off its stack (no lock held). */
void thread_reap(struct thread *th);
/*
 * The safe point on the way to user mode: terminates the current thread
 * if asked, stops it while it or its task is suspended, and gives the CPU
 * away when the scheduler asked for it. Interrupts disabled.
 */
void thread_safe_point(void);

/* Whether th has work at its safe point: terminate, or stop while suspended (sched_lock held). */
static inline bool
thread_has_work(const struct thread *th)
{
	return th->th_ast || th->th_suspend_count > 0 || th->th_task->tk_suspend_count > 0;
}

/* A thread's state for the monitor and tests: TH_* bits. */
unsigned thread_state(const struct thread *th);

#endif
