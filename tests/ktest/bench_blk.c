// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test=blk_bench: runs `blk bench` (debug/blk_bench.c) without the
 * monitor, for bench/run and tests/qemu/bench.t. Options:
 *   bench=PATTERN:QD:COUNT[:halt|spin][,...]   the runs, in order
 *   bench_disk=vdN                             the disk (default vd0)
 * Each run is one TAP line (ok when the command succeeded: every request
 * completed without error); the bench lines are printed by the command.
 */
#include "device/blk.h"
#include "debug/blk_monitor.h"
#include "kern/cmdline.h"
#include "debug/ktest.h"
#include "kern/string.h"

#define BENCH_MAX_RUNS 16
#define BENCH_FIELDS 4

/* Splits s (modified) at sep into at most max words; returns how many. */
static int
bench_split(char *s, char sep, char **out, int max)
{
	int n = 0;

	while (*s && n < max) {
		out[n++] = s;
		while (*s && *s != sep)
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static void
bench_one(const char *disk, char *spec)
{
	char *f[BENCH_FIELDS], *argv[3 + BENCH_FIELDS] = {"blk", "bench", (char *)disk};
	char what[CMDLINE_VALUE_MAX];
	struct blk_disk *d = blk_find(disk);
	int n;

	strlcpy(what, spec, sizeof(what));
	n = bench_split(spec, ':', f, BENCH_FIELDS);
	if (!d || n < 3) {
		ktap_ok(false, "bench %s on %s: %s", what, disk,
		        d ? "want PATTERN:QD:COUNT[:MODE]" : "no such disk");
		return;
	}
	for (int i = 0; i < n; i++)
		argv[3 + i] = f[i];
	ktap_ok(blk_cmd_bench(d, 3 + n, argv) == 0, "blk bench %s %s", disk, what);
}

KTEST(blk_bench, "the in-kernel block benchmark, runs from the bench= option")
{
	const char *opt = kernel_option("bench");
	const char *disk = kernel_option("bench_disk");
	char list[CMDLINE_VALUE_MAX], *runs[BENCH_MAX_RUNS];
	int n;

	strlcpy(list, opt ? opt : "", sizeof(list));
	n = bench_split(list, ',', runs, BENCH_MAX_RUNS);
	ktap_plan(n > 0 ? n : 1);
	if (n == 0)
		ktap_ok(false, "bench=PATTERN:QD:COUNT[:MODE],... given");
	for (int i = 0; i < n; i++)
		bench_one(disk ? disk : "vd0", runs[i]);
}
