// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kern/string.c's memcpy, memmove and memset against byte-by-byte
 * references, over every small size and alignment: their 8-byte fast
 * paths must give the same bytes as the 1-byte ones and touch nothing
 * outside the range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

void *kstr_memcpy(void *dst, const void *src, size_t n);
void *kstr_memmove(void *dst, const void *src, size_t n);
void *kstr_memset(void *dst, int c, size_t n);

#define AREA 1024

static void
fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

static void
test_memcpy_all_alignments(void **state)
{
	static uint8_t src[AREA], dst[AREA], want[AREA];

	(void)state;
	for (size_t so = 0; so < 16; so++)
		for (size_t d_o = 0; d_o < 16; d_o++)
			for (size_t n = 0; n < 600; n += (n < 80 ? 1 : 37)) {
				fill(src, AREA, (unsigned)(so + n));
				fill(dst, AREA, 99);
				memcpy(want, dst, AREA);
				for (size_t i = 0; i < n; i++)
					want[d_o + i] = src[so + i];
				assert_ptr_equal(kstr_memcpy(dst + d_o, src + so, n), dst + d_o);
				assert_memory_equal(dst, want, AREA);
			}
}

static void
test_memset_all_alignments(void **state)
{
	static uint8_t dst[AREA], want[AREA];

	(void)state;
	for (size_t d_o = 0; d_o < 16; d_o++)
		for (size_t n = 0; n < 600; n += (n < 80 ? 1 : 37)) {
			fill(dst, AREA, 5);
			memcpy(want, dst, AREA);
			for (size_t i = 0; i < n; i++)
				want[d_o + i] = 0xa5;
			assert_ptr_equal(kstr_memset(dst + d_o, 0xa5, n), dst + d_o);
			assert_memory_equal(dst, want, AREA);
		}
}

static void
test_memmove_overlaps(void **state)
{
	static uint8_t buf[AREA], want[AREA];

	(void)state;
	for (long shift = -20; shift <= 20; shift++)
		for (size_t n = 0; n < 300; n += 13) {
			fill(buf, AREA, (unsigned)n);
			memcpy(want, buf, AREA);
			memmove(want + 300 + shift, want + 300, n);
			kstr_memmove(buf + 300 + shift, buf + 300, n);
			assert_memory_equal(buf, want, AREA);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy_all_alignments),
	    cmocka_unit_test(test_memset_all_alignments),
	    cmocka_unit_test(test_memmove_overlaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
