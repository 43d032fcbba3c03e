// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Touches more memory than the machine has (a 1 GiB bss, lazily mapped),
 * page by page. The kernel must terminate it when no page is left, with
 * its out-of-memory log line, and go on (tests/qemu/sched.t boots it with
 * -m 64M beside a program that keeps running). It starts its plan but can
 * never complete it.
 */
#include <tap.h>

#define HOG_BYTES (1UL << 30)
static volatile char big[HOG_BYTES];

int
main(void)
{
	tap_plan(2);
	tap_ok(1, "about to touch 1 GiB, page by page");
	for (unsigned long off = 0; off < HOG_BYTES; off += 4096)
		big[off] = 1;
	tap_ok(0, "touched 1 GiB on a machine with less: should have been terminated");
	return tap_done();
}
