// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of tsc_hz_from_cpuid() (x86_64/tsc_cpuid.c): the CPUID paths
 * to the TSC and LAPIC frequencies, which QEMU's TCG never offers, so no
 * QEMU test reaches them. Values are those of real CPUs and hypervisors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86_64/tsc_cpuid.h"

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

static uint64_t lapic;
static const char *source;

static uint64_t
hz_of(const struct tsc_cpuid *c)
{
	lapic = UNTOUCHED;
	source = NULL;
	return tsc_hz_from_cpuid(c, &lapic, &source);
}

/* KVM or VMware with a known TSC frequency: leaf 0x40000010 in kHz. */
static void
test_hypervisor_leaf(void **state)
{
	struct tsc_cpuid c = {.max_basic = 0xd,
	                      .hypervisor = true,
	                      .hv_max = 0x40000010,
	                      .hv_tsc_khz = 2095998,
	                      .hv_bus_khz = 1000000};

	assert_true(hz_of(&c) == 2095998000ULL);
	assert_true(lapic == 1000000000ULL);
	assert_string_equal(source, "CPUID 0x40000010");
}

/* The hypervisor leaf wins over 0x15: it is what the guest's TSC runs at. */
static void
test_hypervisor_before_leaf15(void **state)
{
	struct tsc_cpuid c = {.max_basic = 0x16,
	                      .hypervisor = true,
	                      .hv_max = 0x40000010,
	                      .hv_tsc_khz = 3000000,
	                      .hv_bus_khz = 100000,
	                      .l15_den = 2,
	                      .l15_num = 176,
	                      .l15_crystal_hz = 24000000};

	assert_true(hz_of(&c) == 3000000000ULL);
	assert_true(lapic == 100000000ULL);
}

/* Leaves that do not exist or say nothing are not used. */
static void
test_hypervisor_leaf_absent(void **state)
{
	struct tsc_cpuid no_bit = {.hypervisor = false, .hv_max = 0x40000010, .hv_tsc_khz = 1000};
	struct tsc_cpuid low_max = {
	    .hypervisor = true, .hv_max = 0x40000001, .hv_tsc_khz = 2000000};
	struct tsc_cpuid bad_max = {
	    .hypervisor = true, .hv_max = 0x7fffffff, .hv_tsc_khz = 2000000};
	struct tsc_cpuid zero = {.hypervisor = true, .hv_max = 0x40000010};

	assert_true(hz_of(&no_bit) == 0);
	assert_true(hz_of(&low_max) == 0);
	assert_true(hz_of(&bad_max) == 0);
	assert_true(hz_of(&zero) == 0);
	assert_true(lapic == UNTOUCHED); /* untouched when nothing is stated */
}

/* Skylake client: 24 MHz crystal, ratio 176/2: 2.112 GHz. */
static void
test_leaf15_crystal(void **state)
{
	struct tsc_cpuid c = {.max_basic = 0x16,
	                      .l15_den = 2,
	                      .l15_num = 176,
	                      .l15_crystal_hz = 24000000,
	                      .l16_base_mhz = 2100};

	assert_true(hz_of(&c) == 2112000000ULL);
	assert_true(lapic == 24000000ULL);
	assert_string_equal(source, "CPUID 0x15");
}

/* A ratio that does not divide evenly: rounded down, not overflowed. */
static void
test_leaf15_uneven(void **state)
{
	struct tsc_cpuid c = {
	    .max_basic = 0x15, .l15_den = 3, .l15_num = 250, .l15_crystal_hz = 25000000};

	assert_true(hz_of(&c) == 2083333333ULL); /* 25 MHz x 250 / 3 */
}

/* Skylake server: 0x15 without the crystal, 0x16 gives the base frequency. */
static void
test_leaf15_from_leaf16(void **state)
{
	struct tsc_cpuid c = {
	    .max_basic = 0x16, .l15_den = 2, .l15_num = 168, .l16_base_mhz = 2100};

	assert_true(hz_of(&c) == 2100000000ULL);
	assert_true(lapic == 25000000ULL); /* 2.1 GHz x 2 / 168 */
	assert_string_equal(source, "CPUID 0x15 and 0x16");
}

static void
test_leaf15_unusable(void **state)
{
	struct tsc_cpuid old_cpu = {
	    .max_basic = 0x14, .l15_den = 2, .l15_num = 176, .l15_crystal_hz = 24000000};
	struct tsc_cpuid no_ratio = {
	    .max_basic = 0x16, .l15_crystal_hz = 24000000, .l16_base_mhz = 2100};
	struct tsc_cpuid no_leaf16 = {.max_basic = 0x15, .l15_den = 2, .l15_num = 168};
	struct tsc_cpuid zero_base = {.max_basic = 0x16, .l15_den = 2, .l15_num = 168};

	assert_true(hz_of(&old_cpu) == 0);
	assert_true(hz_of(&no_ratio) == 0);
	assert_true(hz_of(&no_leaf16) == 0);
	assert_true(hz_of(&zero_base) == 0);
}

/* Garbage (below 1 MHz, above 100 GHz) falls back to the PIT. */
static void
test_insane_values(void **state)
{
	struct tsc_cpuid slow = {.hypervisor = true, .hv_max = 0x40000010, .hv_tsc_khz = 999};
	struct tsc_cpuid fast = {
	    .max_basic = 0x15, .l15_den = 1, .l15_num = 0xffffffff, .l15_crystal_hz = 0xffffffff};

	/* The derived crystal would be 2^32 x 2^32 / 2: saturated, then dropped. */
	struct tsc_cpuid huge = {
	    .max_basic = 0x16, .l15_den = 0xffffffff, .l15_num = 2, .l16_base_mhz = 3000};
	/* A hypervisor that gives the TSC but no bus clock: the LAPIC is calibrated. */
	struct tsc_cpuid no_bus = {.hypervisor = true, .hv_max = 0x40000010, .hv_tsc_khz = 2000000};

	assert_true(hz_of(&slow) == 0);
	assert_true(hz_of(&fast) == 0);
	assert_true(hz_of(&huge) == 3000000000ULL);
	assert_true(lapic == 0);
	assert_true(hz_of(&no_bus) == 2000000000ULL);
	assert_true(lapic == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hypervisor_leaf),
	    cmocka_unit_test(test_hypervisor_before_leaf15),
	    cmocka_unit_test(test_hypervisor_leaf_absent),
	    cmocka_unit_test(test_leaf15_crystal),
	    cmocka_unit_test(test_leaf15_uneven),
	    cmocka_unit_test(test_leaf15_from_leaf16),
	    cmocka_unit_test(test_leaf15_unusable),
	    cmocka_unit_test(test_insane_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
