/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TSC and LAPIC timer frequencies from the CPUID leaves that state
 * them: pure arithmetic on the leaves' values (x86_64/tsc.c reads them), so
 * the host tests can check every path (tests/host/test_tsc_cpuid.c).
 */
#ifndef X86_64_TSC_CPUID_H
#define X86_64_TSC_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#define TSC_CPUID_HV_BASE 0x40000000
#define TSC_CPUID_HV_TIMING 0x40000010

/* The leaves' values; a leaf beyond its range's maximum is left 0. */
struct tsc_cpuid {
	uint32_t max_basic;      /* leaf 0 EAX */
	bool hypervisor;         /* leaf 1 ECX bit 31 */
	uint32_t hv_max;         /* leaf 0x40000000 EAX (hypervisor only) */
	uint32_t hv_tsc_khz;     /* leaf 0x40000010 EAX */
	uint32_t hv_bus_khz;     /* leaf 0x40000010 EBX: the LAPIC timer's clock */
	uint32_t l15_den;        /* leaf 0x15 EAX: TSC / crystal denominator */
	uint32_t l15_num;        /* leaf 0x15 EBX: numerator */
	uint32_t l15_crystal_hz; /* leaf 0x15 ECX, 0 when not stated */
	uint32_t l16_base_mhz;   /* leaf 0x16 EAX: base frequency */
};

/* Frequencies outside this range are taken for garbage: the PIT decides. */
#define TSC_CPUID_MIN_HZ 1000000ULL      /* 1 MHz */
#define TSC_CPUID_MAX_HZ 100000000000ULL /* 100 GHz */

/*
 * The TSC frequency in Hz, or 0 when the leaves do not state it. On
 * success *lapic_hz is the LAPIC timer's input clock (0 when not stated)
 * and *source names the leaf.
 */
uint64_t tsc_hz_from_cpuid(const struct tsc_cpuid *c, uint64_t *lapic_hz, const char **source);

#endif
