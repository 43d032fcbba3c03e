/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Waiting for an event, with a timeout: the kernel's one wait/wake
 * primitive. A waiter names an event and a condition; whoever makes the
 * condition true (usually an interrupt handler) calls wait_wake() on the
 * event.
 *
 * The waiting thread blocks (kern/thread.h) until a wake-up, an
 * interrupt that makes the condition true and wakes the event, or the
 * deadline (the periodic tick bounds the wait past a deadline to one
 * tick). Waits here are uninterruptible: thread_abort() does not end them.
 *
 * Conditions: wait_until() may not be called from interrupt context, with
 * interrupts disabled or with a spinlock held (it panics; the spinlock
 * check is the lock checker's, in test builds). The condition is called
 * with interrupts disabled: it may take a spinlock, never wait.
 * wait_wake() may be called from anywhere, interrupt handlers included.
 */
#ifndef KERN_WAIT_H
#define KERN_WAIT_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/list.h"

struct spinlock;

#define WAIT_FOREVER UINT64_MAX

struct wait_event {
	const char *we_name;        /* for diagnostics */
	volatile uint64_t we_wakes; /* wait_wake() calls so far */
	/* The threads waiting (under sched_lock); set up at the first wait. */
	struct list_node we_waiters;
};

#define WAIT_EVENT_INIT(name)                                                                      \
	{                                                                                          \
		.we_name = (name)                                                                  \
	}

typedef bool wait_cond_fn(void *arg);

/*
 * Waits until cond(arg) is true (checked first, then after each wake-up or
 * interrupt) or timeout_ns nanoseconds have passed. Returns KERN_SUCCESS
 * when the condition holds, KERN_TIMEDOUT otherwise.
 */
kern_return_t wait_until(struct wait_event *ev, wait_cond_fn *cond, void *arg, uint64_t timeout_ns);

/*
 * Blocking in three steps, for a waiter that checks its condition under
 * its own lock (the message queues of ipc/):
 *	wait_prepare(ev, interruptible);
 *	lock; ready = check; unlock;
 *	if (ready) wait_cancel(); else r = wait_block(timeout_ns);
 * A wake-up after wait_prepare() makes wait_block() return at once, so
 * none is lost. wait_block() answers KERN_SUCCESS (woken: check again),
 * KERN_TIMEDOUT, or KERN_ABORTED (thread_abort or termination, on an
 * interruptible wait). Only from a thread, with no spinlock held at
 * wait_block().
 */
void wait_prepare(struct wait_event *ev, bool interruptible);
/*
 * Direct hand-over, for a waiter that can take what it waits for from the
 * waker's hands (a receiver given a message instead of finding it queued):
 * wait_prepare_slot() is wait_prepare() with slot, the waiter's place for
 * it. wait_wake_handoff() offers the first such waiter of ev to
 * give(slot, arg), under the scheduler's lock; when give fills the slot
 * and answers true, that waiter alone is woken and the answer is true.
 * give must not block nor take a lock (it runs under the scheduler's).
 */
void wait_prepare_slot(struct wait_event *ev, bool interruptible, void *slot);
/*
 * The three steps in one, for a waiter that checked its condition under
 * lock (a spinlock, held, that every waker takes to change it): queued on
 * ev before lock is released, then blocked. Returns as wait_block().
 */
kern_return_t wait_block_unlock(struct wait_event *ev, bool interruptible, void *slot,
                                struct spinlock *lock, uint64_t timeout_ns);
bool wait_wake_handoff(struct wait_event *ev, bool (*give)(void *slot, void *arg), void *arg);
/*
 * An RPC's hand-off, in one pass through the scheduler: the caller is
 * prepared on its own wait (own, interruptibly, with own_slot), then
 * offers the first slot waiter of ev to give(slot, arg). When it is taken
 * (*given), lock (held) is released and the caller blocks, the CPU going
 * straight to the waiter; the answer is as wait_block()'s. Otherwise lock
 * is still held and the caller only prepared (wait_block or wait_cancel).
 */
kern_return_t wait_handoff_block(struct wait_event *own, void *own_slot, struct wait_event *ev,
                                 bool (*give)(void *slot, void *arg), void *arg,
                                 struct spinlock *lock, bool *given);
void wait_cancel(void);
kern_return_t wait_block(uint64_t timeout_ns);

/* Wakes every waiter of ev, which then re-checks its condition. */
void wait_wake(struct wait_event *ev);

#endif
