/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where boot time goes: start-up code marks the end of each phase with
 * the cycle counter, cheaply (no log line, no clock needed: the first
 * phases run before the TSC is calibrated), and initcalls_run() logs the
 * phases once start-up is over (docs/bench.md, "Boot time"). A phase
 * starts at the previous mark; the first starts at kernel entry
 * (machine_entry_cycles()).
 *
 *   boot: start-up took N ns from kernel entry (entry at E ns after reset,
 *         device probes P ns)                       (info: `make bench` reads it)
 *   boot:   T us  NAME [(device probe)]            (debug: loglevel=3)
 */
#ifndef KERN_BOOT_PHASE_H
#define KERN_BOOT_PHASE_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_PHASE_MAX 48      /* later marks are counted, not kept */
#define BOOT_PHASE_NAME_MAX 32 /* longer names are cut */

struct boot_phase {
	char bp_name[BOOT_PHASE_NAME_MAX];
	uint64_t bp_end; /* cycle counter at the mark */
	bool bp_probe;   /* a device probe: may move off the path to the first task */
};

/* Ends the phase called name (copied) now. Boot CPU, before the scheduler. */
void boot_phase_end(const char *name);
/* The same for a phase that probes a device (its driver's attach). */
void boot_probe_end(const char *name);
/* Logs the phases and the start-up total (once; later calls do nothing). */
void boot_phase_report(void);
/* The phases marked so far (*n of them) and the kernel's entry in cycles. */
const struct boot_phase *boot_phases(unsigned *n, uint64_t *entry);

#endif
