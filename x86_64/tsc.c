// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cycle counter's frequency. Boot time matters (issue 9: the first
 * task within 10 ms of entry), so it is read from CPUID when the machine
 * states it, and only measured against the PIT otherwise:
 *
 *   1. the hypervisor timing leaf 0x40000010 (TSC and LAPIC bus in kHz;
 *      VMware's convention, offered by KVM and QEMU with
 *      vmware-cpuid-freq and a known TSC frequency);
 *   2. leaf 0x15: TSC = crystal x EBX / EAX, the crystal in ECX, or, when
 *      ECX is 0, derived from leaf 0x16's base frequency in MHz;
 *      (the arithmetic on the leaves: x86_64/tsc_cpuid.c);
 *   3. PIT channel 2 one-shot countdowns of 1 ms (the PIT runs at a fixed
 *      1.193182 MHz), until one is bracketed tightly enough.
 *
 * The PIT measurement brackets both ends with the cycle counter (the count
 * starts at the write of its high byte; OUT2 rises between the last poll
 * that saw it low and the first that saw it high), so a window is accepted
 * only when both brackets together are within 0.5% of it (the
 * middles, which it uses, are then within 0.25%): a host that
 * deschedules the vCPU at an edge spoils that window, not the result. The
 * mode-0 count may start up to one PIT period (838 ns) after the write on
 * hardware, another 0.08%. The clock's users need 2% (tests/qemu/timer.t).
 */
#include "x86_64/tsc.h"

#include <stdbool.h>

#include "x86_64/cpu.h"
#include "x86_64/machine.h"
#include "x86_64/tsc_cpuid.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define PIT_WINDOW (PIT_HZ / 1000) /* 1 ms */
#define PIT_TRIES 8
#define PIT_SLACK_DIV 200 /* brackets up to 0.5% of a window: its middle within 0.25% */

#define CPUID_HYPERVISOR (1u << 31) /* leaf 1 ECX: running under a hypervisor */

static const char *hz_source = "not measured";
static uint64_t lapic_clock_hz;

/* The leaves tsc_hz_from_cpuid() needs, each read only when it exists. */
static void
tsc_cpuid_read(struct tsc_cpuid *l)
{
	uint32_t a, b, c, d;

	*l = (struct tsc_cpuid){0};
	cpuid(0, 0, &l->max_basic, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	l->hypervisor = c & CPUID_HYPERVISOR;
	if (l->hypervisor) {
		cpuid(TSC_CPUID_HV_BASE, 0, &l->hv_max, &b, &c, &d);
		if (l->hv_max >= TSC_CPUID_HV_TIMING && l->hv_max <= TSC_CPUID_HV_BASE + 0xffff)
			cpuid(TSC_CPUID_HV_TIMING, 0, &l->hv_tsc_khz, &l->hv_bus_khz, &c, &d);
	}
	if (l->max_basic >= 0x15)
		cpuid(0x15, 0, &l->l15_den, &l->l15_num, &l->l15_crystal_hz, &d);
	if (l->max_basic >= 0x16)
		cpuid(0x16, 0, &l->l16_base_mhz, &b, &c, &d);
}

/*
 * One countdown of `count` PIT ticks: its length in cycles (*cycles) and
 * how uncertain that is (*slack: both brackets together).
 */
static void
tsc_over_pit(uint16_t count, uint64_t *cycles, uint64_t *slack)
{
	uint64_t s0, s1, before, after, low = 0;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                            /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	s0 = machine_cycles();
	outb(PIT_CH2, count >> 8); /* the count starts here */
	s1 = machine_cycles();
	low = s1;
	for (;;) {
		before = machine_cycles();
		bool high = inb(PIT_GATE) & 0x20; /* OUT2 goes high at terminal count */
		after = machine_cycles();
		if (high)
			break;
		low = before;
	}
	/* Start in [s0, s1], end in [low, after]: the middle of each. */
	*cycles = (low + after) / 2 - (s0 + s1) / 2;
	*slack = (after - low) + (s1 - s0);
}

static uint64_t
tsc_hz_pit(void)
{
	uint64_t best = 0, best_slack = ~0ULL;

	for (int i = 0; i < PIT_TRIES; i++) {
		uint64_t t, slack;
		tsc_over_pit(PIT_WINDOW, &t, &slack);
		if (slack < best_slack) {
			best = t;
			best_slack = slack;
		}
		if (best_slack <= best / PIT_SLACK_DIV)
			break;
	}
	return best * PIT_HZ / PIT_WINDOW;
}

uint64_t
machine_cycles_measure_hz(void)
{
	struct tsc_cpuid leaves;
	uint64_t hz;

	tsc_cpuid_read(&leaves);
	hz = tsc_hz_from_cpuid(&leaves, &lapic_clock_hz, &hz_source);
	if (!hz) {
		lapic_clock_hz = 0;
		hz = tsc_hz_pit();
		hz_source = "measured against the PIT";
	}
	return hz;
}

const char *
machine_cycles_hz_source(void)
{
	return hz_source;
}

uint64_t
tsc_lapic_clock_hz(void)
{
	return lapic_clock_hz;
}

#define KVM_CPUID_FEATURES 0x40000001
#define KVM_FEATURE_CLOCKSOURCE (1u << 0)
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define KVM_FEATURE_CLOCKSOURCE_STABLE (1u << 24)

bool
machine_kvmclock(bool *stable)
{
	uint32_t a, b, c, d, max;
	char sig[13];

	*stable = false;
	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID_HYPERVISOR))
		return false;
	cpuid(TSC_CPUID_HV_BASE, 0, &max, &b, &c, &d);
	__builtin_memcpy(sig, &b, 4);
	__builtin_memcpy(sig + 4, &c, 4);
	__builtin_memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	if (__builtin_memcmp(sig, "KVMKVMKVM\0\0\0", 12) || max < KVM_CPUID_FEATURES)
		return false;
	cpuid(KVM_CPUID_FEATURES, 0, &a, &b, &c, &d);
	*stable = a & KVM_FEATURE_CLOCKSOURCE_STABLE;
	return a & (KVM_FEATURE_CLOCKSOURCE | KVM_FEATURE_CLOCKSOURCE2);
}
