// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-CPU areas and idle accounting. */
#include "kern/cpu.h"

#include "kern/clock.h"
#include "kern/spinlock.h"
#include "x86_64/machine.h"

struct cpu cpus[MAX_CPUS];
unsigned cpu_count = 1;

void
cpu_init_boot(void)
{
	struct cpu *c = &cpus[0];

	c->cpu_self = c;
	c->cpu_index = 0;
	machine_early_init(c);
}

void
cpu_idle_wait(void)
{
	struct cpu *c = cpu_self();
	uint64_t flags;

	spin_assert_none_held("cpu_idle_wait", NULL);
	flags = irq_save();

	c->cpu_halt_tsc = machine_cycles();
	/*
	 * The interrupt that wakes us ends the idle period on entry
	 * (irq_dispatch calls cpu_idle_end), so its handler counts as busy.
	 */
	machine_idle_halt();
	cpu_idle_end(c, machine_cycles()); /* woken by something that is not an interrupt */
	irq_restore(flags);
}

uint64_t
cpu_idle_ns(const struct cpu *c)
{
	return clock_tsc_to_ns(c->cpu_idle_tsc);
}
