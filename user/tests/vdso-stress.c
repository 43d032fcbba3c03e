// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `vdso-stress SECONDS`, under the kernel option vvar_stress=on: reads
 * CLOCK_MONOTONIC for SECONDS while the kernel rewrites the vvar at every
 * tick, every other write anchored half a second back (kern/realtime.c):
 * every read interrupted by a tick sees a write land in the middle of it,
 * and one that mixed two writes would be 0.5 s off, so it or the read
 * after it would go back. Checks no read goes back (a long step forward is
 * the host's scheduling, not a tear), and that the writes did happen.
 */
#include <stddef.h>
#include <stdlib.h>
#include <tap.h>
#include <vdso.h>

#define NS 1000000000LL

int
main(int argc, char **argv)
{
	uint64_t base = auxv_get(AT_SYSINFO_EHDR);
	vdso_clock_gettime_fn *cg = vdso_sym(base, "__vdso_clock_gettime", VDSO_VERSION);
	volatile uint64_t *updates = (volatile uint64_t *)(base - 4096 + 88);
	long secs = argc > 1 ? (long)strtoul(argv[1], NULL, 10) : 2;
	struct vdso_timespec ts;
	int64_t start, last, now, worst = 0;
	long reads = 0, bad = 0;
	uint64_t u0;

	tap_plan(2);
	if (!tap_ok(cg != NULL, "the vDSO's clock_gettime"))
		return tap_done();
	u0 = *updates;
	cg(1, &ts);
	start = last = ts.tv_sec * NS + ts.tv_nsec;
	do {
		cg(1, &ts);
		now = ts.tv_sec * NS + ts.tv_nsec;
		reads++;
		/* A torn value is 0.5 s off either way: it or the read after it goes back. */
		if (now < last || ts.tv_nsec >= NS)
			bad++;
		if (now - last > worst)
			worst = now - last;
		last = now;
	} while (now - start < secs * NS);
	tap_ok(!bad && *updates - u0 >= (uint64_t)secs * 50,
	       "%ld reads over %ld s while the vvar was rewritten %lu times: %ld torn (largest "
	       "step %ld us)",
	       reads, secs, (unsigned long)(*updates - u0), bad, (long)(worst / 1000));
	return tap_done();
}
