// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mach bench family's user-mode zero-fill fault (bench/mach,
 * docs/bench.md): one write to each fresh bss page (a write fault: trap
 * entry, vm_fault, a zeroed page, return), timed with the cycle counter,
 * less the same loop over the same pages once they are mapped. Three
 * regions, best of three. Prints, besides its TAP:
 *
 *   mach-zfill: # bench mach.user.zero_fill ops=N cycles=C loop_cycles=E
 *
 * Usage: mach-zfill [N] (pages per region, at most 4000; default 1000).
 */
#include <stdint.h>
#include <tap.h>
#include "bench-args.h"

#define PAGE 4096
#define MAX_PAGES 4000
#define DEFAULT_PAGES 1000
#define REGIONS 3

static uint8_t fresh[REGIONS][MAX_PAGES][PAGE] __attribute__((aligned(PAGE)));

static inline uint64_t
cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* One byte written per page; the loop cannot be merged or dropped (volatile). */
static uint64_t
touch(volatile uint8_t (*pages)[PAGE], unsigned n, uint8_t v)
{
	uint64_t t0 = cycles();

	for (unsigned i = 0; i < n; i++)
		pages[i][i % PAGE] = v;
	return cycles() - t0;
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? decimal(argv[1]) : DEFAULT_PAGES;
	uint64_t with = UINT64_MAX, without = UINT64_MAX;
	unsigned bad = 0;

	if (!n || n > MAX_PAGES)
		n = DEFAULT_PAGES;
	tap_plan(2);
	for (int r = 0; r < REGIONS; r++) {
		uint64_t c = touch(fresh[r], n, (uint8_t)(r + 1));
		with = c < with ? c : with;
		c = touch(fresh[r], n, (uint8_t)(r + 1));
		without = c < without ? c : without;
	}
	/* Each page holds its byte, and the byte before it (if any) is still zero. */
	for (int r = 0; r < REGIONS; r++)
		for (unsigned i = 0; i < n; i++)
			bad += fresh[r][i][i % PAGE] != r + 1 ||
			       (i % PAGE && fresh[r][i][i % PAGE - 1] != 0);
	tap_ok(bad == 0, "%lu fresh pages x %d regions read back (%u wrong)", (unsigned long)n,
	       REGIONS, bad);
	if (tap_ok(with > without, "the first touch costs more than the second (%lu > %lu cycles)",
	           (unsigned long)with, (unsigned long)without))
		tap_diag("bench mach.user.zero_fill ops=%lu cycles=%lu loop_cycles=%lu",
		         (unsigned long)n, (unsigned long)(with - without), (unsigned long)without);
	return tap_done();
}
