// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot time for `make bench` (docs/bench.md, "mach"): the cycle counter at
 * the moment the first thread leaves the kernel for user mode, which in a
 * boot with modules is the first boot task's first instruction. Under
 * QEMU's -icount the counter is guest time since reset, so bench/mach
 * subtracts the kernel's entry (the boot phases' "entry at E ns after
 * reset") to get the time from kernel entry to the first user instruction.
 *
 * machine_thread_enter_user (x86_64/syscall_entry.S) calls
 * machine_first_user_note() while machine_first_user_cycles is 0, after
 * the last kernel work and just before iretq; the log line is printed
 * after the stamp is taken, so its cost is not in the figure.
 */
#include <stdint.h>

#include "kern/clock.h"
#include "kern/log.h"
#include "x86_64/machine.h"

uint64_t machine_first_user_cycles;

void machine_first_user_note(void);

void
machine_first_user_note(void)
{
	uint64_t now = machine_cycles();

	if (machine_first_user_cycles)
		return;
	machine_first_user_cycles = now;
	log_info("boot: first user instruction at %lu ns after reset (TSC %lu)",
	         clock_tsc_to_ns(now), now);
}
