/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Waiting for an event, with a timeout: the kernel's one wait/wake
 * primitive. A waiter names an event and a condition; whoever makes the
 * condition true (usually an interrupt handler) calls wait_wake() on the
 * event.
 *
 * Before threads exist the only waiter is the boot CPU's one flow of
 * control, so wait_until() halts the CPU with interrupts on until the
 * condition holds or the deadline passes (the periodic tick bounds the
 * wait past a deadline to one tick). The issue "Threads, tasks, virtual
 * memory and user mode" turns this into thread blocking with the same
 * interface.
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

#define WAIT_FOREVER UINT64_MAX

struct wait_event {
	const char *we_name;        /* for diagnostics */
	volatile uint64_t we_wakes; /* wait_wake() calls so far */
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

/* Wakes every waiter of ev, which then re-checks its condition. */
void wait_wake(struct wait_event *ev);

#endif
