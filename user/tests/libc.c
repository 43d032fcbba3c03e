// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user C library itself (user/libc/): snprintf against C99's results
 * for the formats it supports, and the string functions, so a program that
 * reports through them can be believed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>

static int fmt_failures;

#define FMT(want, ...)                                                                             \
	do {                                                                                       \
		char buf_[96];                                                                     \
		int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__);                                \
		if (strcmp(buf_, want) || n_ != (int)strlen(want)) {                               \
			tap_diag("%s: got \"%s\" (%d), expected \"%s\"", #__VA_ARGS__, buf_, n_,   \
			         want);                                                            \
			fmt_failures++;                                                            \
		}                                                                                  \
	} while (0)

static void
formats(void)
{
	FMT("42 -7 0", "%d %i %u", 42, -7, 0u);
	FMT("-9223372036854775808", "%ld", (long)INT64_MIN);
	FMT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	FMT("ff FF 0xff 0XFF 17 017", "%x %X %#x %#X %o %#o", 255u, 255u, 255u, 255u, 15u, 15u);
	FMT("[   42] [42   ] [00042] [+42] [ 42]", "[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42,
	    42, 42);
	FMT("[  -42] [-0042] [  007]", "[%5d] [%05d] [%5.3d]", -42, -42, 7);
	FMT("[] [0]", "[%.0d] [%d]", 0, 0);
	const char *null = NULL;
	__asm__("" : "+r"(null)); /* gcc refuses a %s it can see is NULL */
	FMT("[  abc] [abc  ] [ab] [(null)]", "[%5s] [%-5s] [%.2s] [%s]", "abc", "abc", "abcdef",
	    null);
	FMT("[    x] [x    ] [%]", "[%5c] [%-5c] [%%]", 'x', 'x');
	FMT("[   ab] [ab   ]", "[%*s] [%*s]", 5, "ab", -5, "ab");
	FMT("[abc]", "[%.*s]", 3, "abcdef");
	FMT("0x1000", "%p", (void *)0x1000);
	FMT("-1 255 65535 -1", "%hhd %hhu %hu %lld", (signed char)-1, (unsigned char)255,
	    (unsigned short)65535, -1ll);
	FMT("12345678901 5", "%zu %td", (size_t)12345678901ull, (ptrdiff_t)5);

	/* Truncation: the length of the whole output, the buffer terminated. */
	char small[5];
	int n = snprintf(small, sizeof(small), "%s", "abcdefgh");
	if (n != 8 || strcmp(small, "abcd")) {
		tap_diag("truncation: got \"%s\" (%d)", small, n);
		fmt_failures++;
	}
}

int
main(void)
{
	tap_plan(8);
	formats();
	tap_is_int(fmt_failures, 0, "snprintf: C99 results for each supported format");

	char a[16] = "hello", b[16];
	tap_ok(strlen(a) == 5 && strnlen(a, 3) == 3 && strnlen(a, 10) == 5, "strlen, strnlen");
	tap_ok(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0 &&
	           strncmp("abcx", "abcy", 3) == 0 && strncmp("ab", "abc", 5) < 0 &&
	           strcmp("\xff", "a") > 0,
	       "strcmp, strncmp (unsigned order)");
	tap_ok(strchr(a, 'l') == a + 2 && strrchr(a, 'l') == a + 3 && strchr(a, 'z') == NULL &&
	           strchr(a, '\0') == a + 5,
	       "strchr, strrchr");
	tap_ok(strlcpy(b, "0123456789abcdefXYZ", sizeof(b)) == 19 &&
	           strcmp(b, "0123456789abcde") == 0,
	       "strlcpy truncates, terminates and returns strlen(src)");

	char m[16] = "0123456789";
	memmove(m + 2, m, 8); /* overlapping, forwards */
	int ok = memcmp(m, "0101234567", 10) == 0;
	memmove(m, m + 2, 8); /* overlapping, backwards */
	ok &= memcmp(m, "0123456767", 10) == 0;
	tap_ok(ok, "memmove of overlapping ranges both ways");
	memset(m, 'z', 3);
	tap_ok(memcmp(m, "zzz3456767", 10) == 0 && memcmp("a", "b", 1) < 0 &&
	           memcmp("\x80", "\x01", 1) > 0,
	       "memset, memcmp");
	memcpy(b, "copy", 5);
	tap_is(b, "copy", "memcpy");
	return tap_done();
}
