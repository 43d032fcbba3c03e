// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-CPU areas and idle accounting. */
#include "kern/cpu.h"

#include "kern/clock.h"
#include "x86_64/cpu.h"

struct cpu cpus[MAX_CPUS];
unsigned cpu_count = 1;

void
cpu_init_boot(void)
{
	struct cpu *c = &cpus[0];

	c->cpu_self = c;
	c->cpu_index = 0;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
}

void
cpu_idle_wait(void)
{
	struct cpu *c = cpu_self();
	uint64_t flags = read_rflags();

	irq_disable();
	c->cpu_halt_tsc = rdtsc();
	/*
	 * sti takes effect after the next instruction, so no interrupt slips in
	 * before hlt. The interrupt that wakes us ends the idle period on entry
	 * (irq_dispatch calls cpu_idle_end), so its handler counts as busy.
	 */
	__asm__ volatile("sti; hlt" : : : "memory");
	irq_disable();
	cpu_idle_end(c, rdtsc()); /* woken by something that is not an interrupt */
	if (flags & (1 << 9))
		irq_enable();
}

uint64_t
cpu_idle_ns(const struct cpu *c)
{
	return clock_tsc_to_ns(c->cpu_idle_tsc);
}
