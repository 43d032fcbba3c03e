// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test=boot_time: the boot phases (kern/boot_phase.h) as `make bench`
 * reads them (bench/boot), and checks that can fail:
 *   - the phases are in order and lie between kernel entry and now;
 *   - the clock, memory, interrupt and PCI phases were all marked, and
 *     each virtio PCI function found has its device-probe phase;
 *   - with boot_max_us=N (tests/qemu/boot-time.t, under icount): start-up
 *     took at most N us from kernel entry, and the TSC and LAPIC
 *     calibrations at most clock_max_us=M each (a 50 ms window would fail).
 * One line for bench/boot:
 *   bench boot startup_ns=... entry_ns=... probes_ns=... phases=N
 *   bench boot.phase ns=... probe=0|1 name=NAME
 */
#include "debug/ktest.h"
#include "kern/boot_phase.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "pci/pci.h"
#include "x86_64/machine.h"

#define VIRTIO_VENDOR 0x1af4

static uint64_t
option_u64(const char *name)
{
	const char *s = kernel_option(name);
	uint64_t v = 0;

	if (s && parse_u64(s, &v) != KERN_SUCCESS)
		panic("%s=%s is not a number", name, s);
	return v;
}

/* The length in ns of the first phase whose name starts with prefix, or ~0. */
static uint64_t
phase_ns(const struct boot_phase *p, unsigned n, uint64_t entry, const char *prefix)
{
	for (unsigned i = 0; i < n; i++)
		if (!strncmp(p[i].bp_name, prefix, strlen(prefix)))
			return clock_tsc_to_ns(p[i].bp_end - (i ? p[i - 1].bp_end : entry));
	return ~0ULL;
}

KTEST(boot_time, "start-up phases from kernel entry, and their bounds")
{
	unsigned n, probes = 0, virtio = 0;
	uint64_t entry, now = machine_cycles(), probe_ns = 0;
	const struct boot_phase *p = boot_phases(&n, &entry);
	uint64_t max_us = option_u64("boot_max_us"), clock_max_us = option_u64("clock_max_us");
	bool ordered = entry > 0 && n > 0 && p[n - 1].bp_end <= now;

	ktap_plan(5);
	for (unsigned i = 0; i < n; i++) {
		uint64_t start = i ? p[i - 1].bp_end : entry;
		uint64_t ns = clock_tsc_to_ns(p[i].bp_end - start);
		ordered &= p[i].bp_end >= start;
		probes += p[i].bp_probe;
		if (p[i].bp_probe)
			probe_ns += ns;
		kprintf("bench boot.phase ns=%lu probe=%d name=%s\n", ns, p[i].bp_probe,
		        p[i].bp_name);
	}
	uint64_t startup = n ? clock_tsc_to_ns(p[n - 1].bp_end - entry) : 0;
	kprintf("bench boot startup_ns=%lu entry_ns=%lu probes_ns=%lu phases=%u\n", startup,
	        clock_tsc_to_ns(entry), probe_ns, n);
	ktap_ok(ordered, "%u phases in order between entry and now", n);

	static const char *const core[] = {"clock", "memory: paging", "memory: free pages",
	                                   "acpi",  "lapic timer",    "pci"};
	bool all = true;
	for (unsigned i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if (phase_ns(p, n, entry, core[i]) == ~0ULL) {
			ktap_diag("no phase '%s'", core[i]);
			all = false;
		}
	ktap_ok(all, "the clock, memory, interrupt and PCI phases are marked");

	for (struct pci_dev *d = NULL; (d = pci_find(d, VIRTIO_VENDOR, 0xffff)) != NULL;)
		virtio++;
	ktap_ok(probes == virtio, "%u device-probe phases for %u virtio functions", probes, virtio);

	uint64_t tsc = phase_ns(p, n, entry, "clock"), lapic = phase_ns(p, n, entry, "lapic timer");
	ktap_ok(!clock_max_us || (tsc <= clock_max_us * 1000 && lapic <= clock_max_us * 1000),
	        "TSC frequency in %lu us, LAPIC timer in %lu us (at most %lu us each)", tsc / 1000,
	        lapic / 1000, clock_max_us);
	ktap_ok(!max_us || startup <= max_us * 1000,
	        "start-up took %lu us from kernel entry (at most %lu us)", startup / 1000, max_us);
}
