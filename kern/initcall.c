// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs the registered start-up hooks. */
#include "kern/initcall.h"

#include "kern/log.h"

extern const struct initcall initcalls_start[], initcalls_end[];

void
initcalls_run(void)
{
	for (const struct initcall *ic = initcalls_start; ic < initcalls_end; ic++) {
		log_debug("init: %s", ic->ic_name);
		ic->ic_fn();
	}
}
