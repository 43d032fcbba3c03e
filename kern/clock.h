/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's one monotonic clock, in nanoseconds since boot, from the
 * TSC (invariant under QEMU; frequency measured at boot against the PIT or
 * read from CPUID, then refined over the first second against the HPET).
 * The LAPIC timer provides the periodic tick.
 *
 * The clock is  ns(t) = (base + (t - tsc_base) * mult) >> CLOCK_SHIFT,
 * base a 128-bit count of ns << CLOCK_SHIFT: the refinement starts a new
 * segment at the cycle it runs (base = the old segment's value there, the
 * new mult from then on), so the clock never steps. The vvar page
 * (kern/vvar.h) publishes the same formula, re-based every tick, so the
 * vDSO and the kernel agree to the nanosecond.
 */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* The periodic timer's rate: clock_tick() runs this many times a second. */
#define CLOCK_TICK_HZ 100
#define CLOCK_SHIFT 32

/* One segment of the clock (see above). */
struct clock_segment {
	uint64_t cs_tsc_base;
	uint64_t cs_mult;              /* ns per cycle << CLOCK_SHIFT */
	unsigned __int128 cs_base;     /* ns << CLOCK_SHIFT at cs_tsc_base */
	uint64_t cs_hz;                /* the cycle rate mult stands for */
	unsigned cs_source;            /* VVAR_SOURCE_* (kern/vvar.h) */
};

/* Nanoseconds since boot; 0 until clock_init() has measured the TSC. */
uint64_t clock_monotonic_ns(void);
/* Cycles to nanoseconds at the current rate (for spans, not for times). */
uint64_t clock_tsc_to_ns(uint64_t ticks);
/* TSC frequency in Hz, 0 before calibration. */
uint64_t clock_tsc_hz(void);
/* Ticks of the periodic timer since it started. */
uint64_t clock_ticks(void);
/* Busy-waits at least ns nanoseconds. */
void clock_delay_ns(uint64_t ns);

/* The clock's value, << CLOCK_SHIFT with its fraction, at cycle t (a cycle before the
 * segment's start, another CPU's counter one day, counts as its start). */
static inline unsigned __int128
clock_segment_at(const struct clock_segment *s, uint64_t t)
{
	uint64_t d = t > s->cs_tsc_base ? t - s->cs_tsc_base : 0;

	return s->cs_base + (unsigned __int128)d * s->cs_mult;
}
/* A consistent copy of the current segment. */
void clock_segment_get(struct clock_segment *out);
/*
 * The refinement (kern/realtime.c calls it every tick, under its lock,
 * before it publishes): once a second has passed since clock_init, the
 * TSC's rate measured against the HPET over that second replaces the boot
 * measurement, as a new segment from now on. True when the rate changed.
 */
bool clock_refine(void);
/* The multiplier for hz, rounded to nearest (host-tested arithmetic). 1e9 << 32 is below
 * 2^62: no 128-bit division (the kernel has no libgcc). */
static inline uint64_t
clock_mult_for_hz(uint64_t hz)
{
	return ((1000000000ULL << CLOCK_SHIFT) + hz / 2) / hz;
}

/* Measures the TSC (boot, before the LAPIC timer starts). */
void clock_init(void);
/* Called by the timer interrupt. */
void clock_tick(void);

#endif
