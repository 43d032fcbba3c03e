// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 10,000 zero-fill faults: a bss array of 10,000 pages, never in the file,
 * must read as zero page by page and keep what is written. Half the pages
 * are read before they are written (a read fault, then a write to the same
 * page), the other half written first. Without vm_allocate (it needs IPC)
 * the bss is the way to get that much untouched memory.
 */
#include <stdint.h>
#include <tap.h>

#define PAGES 10000
#define PAGE 4096

static uint64_t big[PAGES][PAGE / sizeof(uint64_t)] __attribute__((aligned(PAGE)));

/* A value that differs per page and per word position, and is never 0. */
static uint64_t
pattern(long page, long word)
{
	return 0x5a5a000000000000ull ^ ((uint64_t)page << 16) ^ (uint64_t)word ^ 1;
}

int
main(void)
{
	long nonzero_pages = 0, first_bad = -1;

	tap_plan(3);
	/* Even pages: read every word first (a read fault must give zeros). */
	for (long p = 0; p < PAGES; p += 2) {
		uint64_t acc = 0;
		for (unsigned w = 0; w < PAGE / sizeof(uint64_t); w++)
			acc |= ((volatile uint64_t *)big[p])[w];
		if (acc) {
			nonzero_pages++;
			if (first_bad < 0)
				first_bad = p;
		}
	}
	/* Then write a word at each end of every page; odd pages fault on write. */
	for (long p = 0; p < PAGES; p++) {
		big[p][0] = pattern(p, 0);
		big[p][PAGE / sizeof(uint64_t) - 1] = pattern(p, PAGE / sizeof(uint64_t) - 1);
	}
	tap_ok(nonzero_pages == 0, "%d untouched pages read as zero", PAGES / 2);
	if (nonzero_pages)
		tap_diag("%ld pages held data, the first at index %ld", nonzero_pages, first_bad);

	/* Every page keeps both words, and the rest of it is still zero. */
	long lost = 0, dirty = 0;
	for (long p = 0; p < PAGES; p++) {
		const volatile uint64_t *w = big[p];
		unsigned last = PAGE / sizeof(uint64_t) - 1;
		if (w[0] != pattern(p, 0) || w[last] != pattern(p, last))
			lost++;
		for (unsigned i = 1; i < last; i++)
			if (w[i]) {
				dirty++;
				break;
			}
	}
	tap_is_int(lost, 0, "all %d pages keep what was written", PAGES);
	tap_is_int(dirty, 0, "the unwritten words of the %d written pages are zero", PAGES);
	return tap_done();
}
