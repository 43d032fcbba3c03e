// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The wait/wake primitive of kern/wait.h on thread blocking
 * (kern/thread.h). Before the first thread exists (early boot) a waiter
 * halts the CPU instead, as the only flow of control.
 */
#include "kern/wait.h"

#include "kern/clock.h"
#include "kern/cpu.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/thread.h"
#include "x86_64/machine.h"

static bool
cond_now(wait_cond_fn *cond, void *arg)
{
	uint64_t f = irq_save();
	bool ok = cond(arg);

	irq_restore(f);
	return ok;
}

/* Before threads: halt until an interrupt, as the one flow of control. */
static kern_return_t
wait_halting(wait_cond_fn *cond, void *arg, uint64_t deadline)
{
	for (;;) {
		irq_disable();
		if (cond(arg)) {
			irq_enable();
			return KERN_SUCCESS;
		}
		if (clock_monotonic_ns() >= deadline) {
			irq_enable();
			return KERN_TIMEDOUT;
		}
		cpu_idle_wait();
		irq_enable();
	}
}

kern_return_t
wait_until(struct wait_event *ev, wait_cond_fn *cond, void *arg, uint64_t timeout_ns)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;

	/* First: the lock says more than "interrupts off", which irqsave locks imply. */
	spin_assert_none_held("wait_until", ev->we_name);
	if (!irq_enabled() || cpu_self()->cpu_irq_depth)
		panic("wait_until(%s): called with interrupts off or from an interrupt",
		      ev->we_name);
	if (!current_thread())
		return wait_halting(cond, arg, deadline);
	for (;;) {
		/* Queued before the check: a wake-up after it makes the block return at once. */
		thread_assert_wait(ev, false);
		if (cond_now(cond, arg)) {
			thread_clear_wait();
			return KERN_SUCCESS;
		}
		now = clock_monotonic_ns();
		if (now >= deadline) {
			thread_clear_wait();
			return KERN_TIMEDOUT;
		}
		thread_block(deadline == UINT64_MAX ? WAIT_FOREVER : deadline - now);
	}
}

void
wait_wake(struct wait_event *ev)
{
	if (!current_thread()) {
		/* The halted waiter is woken by the interrupt this runs in. */
		__atomic_add_fetch(&ev->we_wakes, 1, __ATOMIC_RELAXED);
		return;
	}
	thread_wakeup(ev);
}

void
wait_prepare(struct wait_event *ev, bool interruptible)
{
	thread_assert_wait(ev, interruptible);
}

void
wait_prepare_slot(struct wait_event *ev, bool interruptible, void *slot)
{
	thread_assert_wait_slot(ev, interruptible, slot);
}

bool
wait_wake_handoff(struct wait_event *ev, bool (*give)(void *slot, void *arg), void *arg)
{
	/* Before threads nobody waits with a slot. */
	return current_thread() && thread_wakeup_handoff(ev, give, arg);
}

void
wait_cancel(void)
{
	thread_clear_wait();
}

static kern_return_t
wait_result(int r)
{
	switch (r) {
	case THREAD_TIMED_OUT:
		return KERN_TIMEDOUT;
	case THREAD_INTERRUPTED:
		return KERN_ABORTED;
	default:
		return KERN_SUCCESS;
	}
}

kern_return_t
wait_block(uint64_t timeout_ns)
{
	return wait_result(thread_block(timeout_ns));
}

kern_return_t
wait_handoff_block(struct wait_event *own, void *own_slot, struct wait_event *ev,
                   bool (*give)(void *slot, void *arg), void *arg, struct spinlock *lock,
                   bool *given)
{
	return wait_result(thread_handoff_block(own, own_slot, ev, give, arg, lock, given));
}

kern_return_t
wait_block_unlock(struct wait_event *ev, bool interruptible, void *slot, struct spinlock *lock,
                  uint64_t timeout_ns)
{
	return wait_result(thread_block_unlock(ev, interruptible, slot, lock, timeout_ns));
}
