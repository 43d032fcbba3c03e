/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cycle counter's frequency and the LAPIC timer's clock (x86_64/tsc.c). */
#ifndef X86_64_TSC_H
#define X86_64_TSC_H

#include <stdint.h>

/*
 * The LAPIC timer's input clock in Hz as CPUID states it (the hypervisor's
 * timing leaf, or the core crystal of leaf 0x15), or 0 when it does not:
 * the timer is then calibrated against the TSC.
 */
uint64_t tsc_lapic_clock_hz(void);

#endif
