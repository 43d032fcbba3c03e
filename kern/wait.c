// SPDX-License-Identifier: GPL-2.0-or-later
/* The wait/wake primitive of kern/wait.h, for the one flow of control before threads. */
#include "kern/wait.h"

#include "kern/clock.h"
#include "kern/cpu.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "x86_64/machine.h"

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
	for (;;) {
		/*
		 * Interrupts off from the check to the halt: a wake-up that comes
		 * in between is taken by the halt itself (sti; hlt is atomic).
		 */
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

void
wait_wake(struct wait_event *ev)
{
	/* The halted waiter is woken by the interrupt this runs in; count it for diagnostics. */
	__atomic_add_fetch(&ev->we_wakes, 1, __ATOMIC_RELAXED);
}
