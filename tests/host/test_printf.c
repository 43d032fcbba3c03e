// SPDX-License-Identifier: GPL-2.0-or-later
/* Host tests of the kernel's formatter (kern/printf.c), compared with the C library's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kern/printf.h"

/* Formats with both and checks identical output and return value. */
#define SAME(...)                                                                                  \
	do {                                                                                       \
		char a[256], b[256];                                                               \
		int na = ksnprintf(a, sizeof(a), __VA_ARGS__);                                     \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);                                      \
		assert_string_equal(a, b);                                                         \
		assert_int_equal(na, nb);                                                          \
	} while (0)

static void
test_integers(void **state)
{
	SAME("%d %i %u", 0, -1, 42u);
	SAME("%d", (int)0x80000000);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lld %llx", (long long)-5, (unsigned long long)0xdeadbeefcafeULL);
	SAME("%x %X %o", 0xabcdu, 0xabcdu, 8u);
	SAME("%hhu %hu %hhd", 300, 70000, 200);
	SAME("%zu %zx", (size_t)12345, (size_t)0xfff);
}

static void
test_flags_width_precision(void **state)
{
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%08lx] [%-8x] [%#x] [%#x] [%#lx]", 0x1234ul, 0xffu, 0x10u, 0u, 0xdeadul);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d]", 7, 7, -7, 0);
	SAME("[%*d] [%-*d] [%.*s]", 6, 1, 6, 2, 3, "abcdef");
	SAME("[%s] [%10s] [%-10s] [%.2s]", "hi", "hi", "hi", "hello");
	SAME("[%c%c] [%%] [%3c]", 'o', 'k', 'x');
}

static void
test_pointer_and_null(void **state)
{
	char buf[64];
	ksnprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001000ULL);
	assert_string_equal(buf, "0xffffffff80001000");
}

static void
test_truncation(void **state)
{
	char buf[8];
	memset(buf, 'Z', sizeof(buf));
	int n = ksnprintf(buf, 5, "%s", "abcdefgh");
	assert_int_equal(n, 8);
	assert_string_equal(buf, "abcd");
	assert_int_equal(buf[5], 'Z'); /* nothing written past size */
	n = ksnprintf(buf, 0, "%d", 12345);
	assert_int_equal(n, 5);
	assert_int_equal(buf[0], 'a'); /* size 0: nothing written at all */
	n = ksnprintf(buf, 1, "x");
	assert_int_equal(n, 1);
	assert_int_equal(buf[0], 0);
}

/* Formats the compiler's checks would refuse: that is the point here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
static void
test_odd_formats(void **state)
{
	char buf[32];
	ksnprintf(buf, sizeof(buf), "100%");
	assert_string_equal(buf, "100"); /* a lone % at the end prints nothing */
	ksnprintf(buf, sizeof(buf), "%q%d", 5);
	assert_string_equal(buf, "%q5"); /* unknown conversion is printed as is */
	ksnprintf(buf, sizeof(buf), "%s", (char *)NULL);
	assert_string_equal(buf, "(null)");
}
#pragma GCC diagnostic pop

/* A wrapper in the style of monitor_error(): its own format, nested with %pV. */
static int __attribute__((format(printf, 3, 4)))
wrap_error(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = ksnprintf(buf, size, "error: %pV (%d)", &(struct va_format){fmt, &ap}, 7);
	va_end(ap);
	return n;
}

static void
test_nested_format(void **state)
{
	char buf[64];
	int n = wrap_error(buf, sizeof(buf), "%s has %u-byte blocks", "vd0", 4096u);
	assert_string_equal(buf, "error: vd0 has 4096-byte blocks (7)");
	assert_int_equal(n, (int)strlen(buf)); /* the outer arguments stay in step */
	n = wrap_error(buf, 12, "%s %s", "abcdef", "ghijkl");
	assert_string_equal(buf, "error: abcd"); /* truncation counts the nested part */
	assert_int_equal(n, (int)strlen("error: abcdef ghijkl (7)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),         cmocka_unit_test(test_flags_width_precision),
	    cmocka_unit_test(test_pointer_and_null), cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_odd_formats),      cmocka_unit_test(test_nested_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
