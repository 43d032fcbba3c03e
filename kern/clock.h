/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's one monotonic clock, in nanoseconds since boot, from the
 * TSC (invariant under QEMU; frequency measured at boot against the PIT or
 * HPET). The LAPIC timer provides the periodic tick.
 */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include <stdint.h>

/* The periodic timer's rate: clock_tick() runs this many times a second. */
#define CLOCK_TICK_HZ 100

/* Nanoseconds since boot; 0 until clock_init() has measured the TSC. */
uint64_t clock_monotonic_ns(void);
uint64_t clock_tsc_to_ns(uint64_t ticks);
/* TSC frequency in Hz, 0 before calibration. */
uint64_t clock_tsc_hz(void);
/* Ticks of the periodic timer since it started. */
uint64_t clock_ticks(void);
/* Busy-waits at least ns nanoseconds. */
void clock_delay_ns(uint64_t ns);

/* Measures the TSC (boot, before the LAPIC timer starts). */
void clock_init(void);
/* Called by the timer interrupt. */
void clock_tick(void);

#endif
