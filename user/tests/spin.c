// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Spins on the CPU for a long time without a trap, then reports. Booted
 * first beside a short program of the same priority (tests/qemu/sched.t):
 * only preemption by the timer lets the other one run, and finish, before
 * this one does.
 */
#include <stddef.h>
#include <stdlib.h>
#include <tap.h>

static volatile unsigned long sink;

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000000;

	tap_plan(1);
	tap_diag("spinning for %lu iterations", n);
	for (unsigned long i = 0; i < n; i++)
		sink += i;
	tap_ok(sink != 0, "spun %lu iterations", n);
	return tap_done();
}
