// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the number parser parse_u64 (kern/string.c), which the
 * monitor and the command line use: decimal and 0x numbers up to
 * 2^64 - 1 are read, anything else is refused and leaves the output alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kern/string.h"

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

static uint64_t
parse_ok(const char *s)
{
	uint64_t v = UNTOUCHED;

	if (parse_u64(s, &v) != KERN_SUCCESS)
		fail_msg("parse_u64(\"%s\") refused a valid number", s);
	return v;
}

static void
parse_refused(const char *s)
{
	uint64_t v = UNTOUCHED;

	if (parse_u64(s, &v) != KERN_INVALID_ARGUMENT)
		fail_msg("parse_u64(\"%s\") accepted it (%#llx)", s, (unsigned long long)v);
	if (v != UNTOUCHED)
		fail_msg("parse_u64(\"%s\") wrote %#llx on error", s, (unsigned long long)v);
}

static void
test_decimal(void **state)
{
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("7"), 7);
	assert_int_equal(parse_ok("000042"), 42);
	assert_int_equal(parse_ok("4096"), 4096);
	assert_true(parse_ok("18446744073709551615") == UINT64_MAX);
	assert_true(parse_ok("18446744073709551614") == UINT64_MAX - 1);
	assert_true(parse_ok("1844674407370955161") == UINT64_MAX / 10);
}

static void
test_hex(void **state)
{
	assert_int_equal(parse_ok("0x0"), 0);
	assert_int_equal(parse_ok("0xff"), 255);
	assert_int_equal(parse_ok("0XfF"), 255);
	assert_true(parse_ok("0xffffffffffffffff") == UINT64_MAX);
	assert_true(parse_ok("0x00000000000000000001") == 1);
	assert_true(parse_ok("0x8000000000000000") == 1ull << 63);
}

/* 2^64 and beyond: an error, never a wrapped value. */
static void
test_too_large(void **state)
{
	parse_refused("18446744073709551616");
	parse_refused("18446744073709551617");
	parse_refused("18446744073709551620");
	parse_refused("99999999999999999999");
	parse_refused("184467440737095516150");
	parse_refused("100000000000000000000000000000");
	parse_refused("0x10000000000000000");
	parse_refused("0xffffffffffffffff0");
	parse_refused("0x1ffffffffffffffff");
}

static void
test_malformed(void **state)
{
	parse_refused("");
	parse_refused("0x");
	parse_refused("0X");
	parse_refused("12a");
	parse_refused("a");
	parse_refused("-1");
	parse_refused("+1");
	parse_refused(" 1");
	parse_refused("1 ");
	parse_refused("0x-1");
	parse_refused("0xg");
	parse_refused("0x 1");
	parse_refused("1x10");
	parse_refused("0b101");
	parse_refused("1.5");
	parse_refused("\xff");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decimal),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
