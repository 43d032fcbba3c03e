// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monotonic clock: the machine's cycle counter scaled to nanoseconds
 * (its frequency measured once at boot), and the tick counter the periodic
 * timer advances.
 */
#include "kern/clock.h"

#include "kern/realtime.h"
#include "kern/sched.h"

#include "kern/log.h"
#include "x86_64/machine.h"

static uint64_t tsc_hz;
static uint64_t ns_mult; /* ns per cycle as a 32.32 fixed-point factor */
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
	/* Time counts from cycle 0, i.e. from machine reset. */
	return clock_tsc_to_ns(machine_cycles());
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
	realtime_tick();
	sched_tick();
}

void
clock_delay_ns(uint64_t ns)
{
	uint64_t end = machine_cycles() + ns * tsc_hz / 1000000000;

	while (machine_cycles() < end)
		cpu_relax();
}

void
clock_init(void)
{
	tsc_hz = machine_cycles_measure_hz();
	ns_mult = (1000000000ULL << 32) / tsc_hz;
	log_info("clock: TSC %lu.%03lu MHz (%s)", tsc_hz / 1000000, (tsc_hz / 1000) % 1000,
	         machine_cycles_hz_source());
}
