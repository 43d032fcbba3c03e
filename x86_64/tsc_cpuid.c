// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64/tsc_cpuid.c: frequencies from CPUID leaves (x86_64/tsc_cpuid.h).
 * Preference: the hypervisor's timing leaf (what the hypervisor gives the
 * guest is what it runs at), then leaf 0x15, with leaf 0x16's base
 * frequency standing for the TSC when 0x15 omits the crystal.
 */
#include "x86_64/tsc_cpuid.h"

static bool
sane(uint64_t hz)
{
	return hz >= TSC_CPUID_MIN_HZ && hz <= TSC_CPUID_MAX_HZ;
}

/* a * b / c (c > 0), saturated at UINT64_MAX rather than wrapped: sane() refuses it. */
static uint64_t
mul_div(uint64_t a, uint32_t b, uint32_t c)
{
	uint64_t q = a / c, r = a % c; /* a * b / c = q * b + r * b / c, r * b < 2^64 */

	if (b && q > (UINT64_MAX - r * b / c) / b)
		return UINT64_MAX;
	return q * b + r * b / c;
}

/* A LAPIC clock that is not sane is dropped: the timer is then calibrated. */
static uint64_t
lapic_or_zero(uint64_t hz)
{
	return sane(hz) ? hz : 0;
}

static uint64_t
from_hypervisor(const struct tsc_cpuid *c, uint64_t *lapic_hz)
{
	if (!c->hypervisor || c->hv_max < TSC_CPUID_HV_TIMING ||
	    c->hv_max > TSC_CPUID_HV_BASE + 0xffff)
		return 0;
	uint64_t hz = (uint64_t)c->hv_tsc_khz * 1000;
	if (!sane(hz))
		return 0;
	*lapic_hz = lapic_or_zero((uint64_t)c->hv_bus_khz * 1000);
	return hz;
}

static uint64_t
from_leaf15(const struct tsc_cpuid *c, uint64_t *lapic_hz)
{
	uint64_t hz, crystal;

	if (c->max_basic < 0x15 || !c->l15_den || !c->l15_num)
		return 0;
	if (c->l15_crystal_hz) {
		crystal = c->l15_crystal_hz;
		hz = mul_div(crystal, c->l15_num, c->l15_den);
	} else {
		/* No crystal stated: the base frequency is the TSC's, the crystal follows. */
		if (c->max_basic < 0x16 || !c->l16_base_mhz)
			return 0;
		hz = (uint64_t)c->l16_base_mhz * 1000000;
		crystal = mul_div(hz, c->l15_den, c->l15_num);
	}
	if (!sane(hz))
		return 0;
	*lapic_hz = lapic_or_zero(crystal); /* the LAPIC timer runs on the core crystal */
	return hz;
}

uint64_t
tsc_hz_from_cpuid(const struct tsc_cpuid *c, uint64_t *lapic_hz, const char **source)
{
	uint64_t hz, lapic = 0;

	if ((hz = from_hypervisor(c, &lapic)) != 0) {
		*source = "CPUID 0x40000010";
	} else if ((hz = from_leaf15(c, &lapic)) != 0) {
		*source = c->l15_crystal_hz ? "CPUID 0x15" : "CPUID 0x15 and 0x16";
	} else {
		return 0;
	}
	*lapic_hz = lapic;
	return hz;
}
