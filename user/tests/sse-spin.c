// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fills xmm0-xmm15, MXCSR's rounding mode and the x87 control word with
 * values drawn from its seed (argv[1]), spins long enough to be preempted
 * many times by the timer, then checks that every value is still there.
 * Two instances with different seeds run at once (tests/qemu/sched.t): if
 * the kernel did not keep each thread's FPU and SSE state across
 * preemption, one would find the other's values.
 */
#include <stddef.h>
#include <stdlib.h>
#include <tap.h>

static volatile unsigned long sink;

#define XMM_LOAD(n) __asm__ volatile("movdqu %0, %%xmm" #n : : "m"(want[n]))
#define XMM_STORE(n) __asm__ volatile("movdqu %%xmm" #n ", %0" : "=m"(got[n]))

int
main(int argc, char **argv)
{
	unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 50000000;
	unsigned long want[16][2] __attribute__((aligned(16))),
	    got[16][2] __attribute__((aligned(16)));
	unsigned mxcsr_want = 0x1f80 | ((seed & 3) << 13), mxcsr_got;
	unsigned short fcw_want = 0x037f | ((seed & 3) << 10), fcw_got;
	int bad = 0;

	tap_plan(3);
	for (int i = 0; i < 16; i++) {
		want[i][0] = seed * 0x9e3779b97f4a7c15UL + i;
		want[i][1] = ~want[i][0] ^ (seed << 32);
	}
	XMM_LOAD(0);
	XMM_LOAD(1);
	XMM_LOAD(2);
	XMM_LOAD(3);
	XMM_LOAD(4);
	XMM_LOAD(5);
	XMM_LOAD(6);
	XMM_LOAD(7);
	XMM_LOAD(8);
	XMM_LOAD(9);
	XMM_LOAD(10);
	XMM_LOAD(11);
	XMM_LOAD(12);
	XMM_LOAD(13);
	XMM_LOAD(14);
	XMM_LOAD(15);
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr_want));
	__asm__ volatile("fldcw %0" : : "m"(fcw_want));
	/* The loop uses general registers only: the compiler keeps its hands off the xmm file. */
	for (unsigned long i = 0; i < n; i++)
		sink += i;
	XMM_STORE(0);
	XMM_STORE(1);
	XMM_STORE(2);
	XMM_STORE(3);
	XMM_STORE(4);
	XMM_STORE(5);
	XMM_STORE(6);
	XMM_STORE(7);
	XMM_STORE(8);
	XMM_STORE(9);
	XMM_STORE(10);
	XMM_STORE(11);
	XMM_STORE(12);
	XMM_STORE(13);
	XMM_STORE(14);
	XMM_STORE(15);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_got));
	__asm__ volatile("fnstcw %0" : "=m"(fcw_got));
	for (int i = 0; i < 16; i++)
		if (got[i][0] != want[i][0] || got[i][1] != want[i][1]) {
			tap_diag("xmm%d: %#lx %#lx, want %#lx %#lx", i, got[i][1], got[i][0],
			         want[i][1], want[i][0]);
			bad++;
		}
	tap_ok(!bad, "seed %lu: xmm0-xmm15 kept across %lu iterations of spinning", seed, n);
	tap_is_int(mxcsr_got, mxcsr_want, "MXCSR kept (rounding mode %lu)", seed & 3);
	tap_is_int(fcw_got, fcw_want, "x87 control word kept");
	return tap_done();
}
