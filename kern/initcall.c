// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs the registered start-up hooks, level by level (kern/initcall.h). */
#include "kern/initcall.h"

#include "kern/boot_phase.h"
#include "kern/log.h"
#include "kern/panic.h"

/* Set by the linker script around the sorted .initcall.* sections. */
extern const struct initcall initcalls_start[], initcalls_end[];

static unsigned initcalls_called;

void
initcalls_run(void)
{
	unsigned level = 0;

	for (const struct initcall *ic = initcalls_start; ic < initcalls_end; ic++) {
		if (ic->ic_level < level)
			panic("initcall %s (level %u) placed after level %u", ic->ic_name,
			      ic->ic_level, level);
		level = ic->ic_level;
		/* Start-up ends where the tests and the monitor begin. */
		if (level >= INIT_TEST)
			boot_phase_report();
		log_debug("init: level %u: %s", level, ic->ic_name);
		initcalls_called++;
		ic->ic_fn();
		if (level < INIT_TEST)
			boot_phase_end(ic->ic_name);
	}
	boot_phase_report();
}

const struct initcall *
initcall_table(const struct initcall **end)
{
	*end = initcalls_end;
	return initcalls_start;
}

unsigned
initcalls_done(void)
{
	return initcalls_called;
}
