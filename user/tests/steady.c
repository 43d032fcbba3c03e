// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Takes 256 pages first, then keeps running for a while, checking its
 * memory over and over: the program beside hog (tests/qemu/sched.t). When
 * hog exhausts memory and is terminated, this one must go on unharmed.
 */
#include <stddef.h>
#include <stdlib.h>
#include <tap.h>
#include <traps.h>

#define PAGES 256
static unsigned long pages[PAGES][512];

int
main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 400;
	unsigned long bad = 0;

	tap_plan(2);
	for (unsigned long p = 0; p < PAGES; p++)
		pages[p][p % 512] = p * 7 + 1;
	tap_ok(1, "touched %d pages", PAGES);
	for (unsigned long r = 0; r < rounds; r++) {
		for (unsigned long p = 0; p < PAGES; p++)
			bad += pages[p][p % 512] != p * 7 + 1;
		swtch(); /* let the hog run */
	}
	tap_ok(bad == 0, "%lu rounds over its pages found them intact (%lu bad)", rounds, bad);
	return tap_done();
}
