// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monotonic clock: the TSC, its frequency measured at boot against
 * PIT channel 2 (a fixed 1.193182 MHz), and the tick counter the LAPIC
 * timer advances.
 */
#include "kern/clock.h"

#include "kern/log.h"
#include "x86_64/cpu.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

static uint64_t tsc_hz;
static uint64_t tsc_boot;
static uint64_t ns_mult; /* ns per tick as a 32.32 fixed-point factor */
static volatile uint64_t ticks;

uint64_t
clock_tsc_to_ns(uint64_t t)
{
	if (!ns_mult)
		return 0;
	/* 128-bit product keeps precision for decades of uptime. */
	return (uint64_t)(((unsigned __int128)t * ns_mult) >> 32);
}

uint64_t
clock_monotonic_ns(void)
{
	return clock_tsc_to_ns(rdtsc() - tsc_boot);
}

uint64_t
clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t
clock_ticks(void)
{
	return ticks;
}

void
clock_tick(void)
{
	ticks++;
}

void
clock_delay_ns(uint64_t ns)
{
	uint64_t end = rdtsc() + ns * tsc_hz / 1000000000;

	while (rdtsc() < end)
		cpu_relax();
}

/* TSC ticks during one PIT channel-2 one-shot countdown of `count` PIT ticks. */
static uint64_t
tsc_over_pit(uint16_t count)
{
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                            /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20)) /* OUT2 goes high at terminal count */
		;
	return rdtsc() - t0;
}

void
clock_init(void)
{
	/* 50 ms windows; take the smallest of three (least disturbed by the host). */
	uint16_t count = PIT_HZ / 20;
	uint64_t best = ~0ULL;

	for (int i = 0; i < 3; i++) {
		uint64_t t = tsc_over_pit(count);
		if (t < best)
			best = t;
	}
	tsc_hz = best * PIT_HZ / count;
	ns_mult = (1000000000ULL << 32) / tsc_hz;
	tsc_boot = 0; /* time counts from TSC 0, i.e. from machine reset */
	log_info("clock: TSC %lu.%03lu MHz (measured against the PIT)", tsc_hz / 1000000,
	         (tsc_hz / 1000) % 1000);
}
