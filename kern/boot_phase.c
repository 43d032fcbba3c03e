// SPDX-License-Identifier: GPL-2.0-or-later
/* The boot phases and their report (kern/boot_phase.h). */
#include "kern/boot_phase.h"

#include "kern/clock.h"
#include "kern/log.h"
#include "kern/string.h"
#include "x86_64/machine.h"

static struct boot_phase phases[BOOT_PHASE_MAX];
static unsigned nphases, dropped;
static bool reported;

static void
mark(const char *name, bool probe)
{
	uint64_t now = machine_cycles();

	if (nphases == BOOT_PHASE_MAX) {
		dropped++;
		return;
	}
	strlcpy(phases[nphases].bp_name, name, sizeof(phases[nphases].bp_name));
	phases[nphases].bp_end = now;
	phases[nphases].bp_probe = probe;
	nphases++;
}

void
boot_phase_end(const char *name)
{
	mark(name, false);
}

void
boot_probe_end(const char *name)
{
	mark(name, true);
}

const struct boot_phase *
boot_phases(unsigned *n, uint64_t *entry)
{
	*n = nphases;
	*entry = machine_entry_cycles();
	return phases;
}

void
boot_phase_report(void)
{
	uint64_t entry = machine_entry_cycles(), prev = entry, probes = 0;

	if (reported || !nphases)
		return;
	reported = true;
	for (unsigned i = 0; i < nphases; i++) {
		uint64_t ns = clock_tsc_to_ns(phases[i].bp_end - prev);
		log_debug("boot: %8lu us  %s%s", ns / 1000, phases[i].bp_name,
		          phases[i].bp_probe ? " (device probe)" : "");
		if (phases[i].bp_probe)
			probes += ns;
		prev = phases[i].bp_end;
	}
	if (dropped)
		log_warn("boot: %u phases not kept (BOOT_PHASE_MAX %d)", dropped, BOOT_PHASE_MAX);
	log_info("boot: start-up took %lu ns from kernel entry (entry at %lu ns after reset, "
	         "device probes %lu ns)",
	         clock_tsc_to_ns(prev - entry), clock_tsc_to_ns(entry), probes);
}
