// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * FPU and SSE state across traps and task switches, within one thread
 * (the two-thread test needs thread_create, an RPC). A new task starts with
 * MXCSR 0x1f80 and the x87 control word 0x37f (MACH-ABI.md), as crt0 saw
 * them. Then two SSE computations (packed doubles in xmm0-1, packed singles
 * in xmm8-9, with constants and sentinels in the other xmm registers) run
 * under a non-default MXCSR, once straight and once with swtch() between
 * every step, which lets the other programs of the boot run: the two runs
 * must end with the same bits in all 16 registers and in MXCSR. The same for
 * a value on the x87 stack and a changed x87 control word.
 */
#include <start.h>
#include <stdint.h>
#include <string.h>
#include <tap.h>

#define MXCSR_TOWARD_ZERO 0x7f80 /* the default with RC = 11 */
#define FPU_CW_DOWN 0x077f       /* the default with RC = 01 */

struct sse_run {
	uint64_t xmm[16][2];
	uint32_t mxcsr;
};

static const double a_init[4] = {1.0, 2.0, 3.0, 4.0};
static const double a_mul[4] = {1.0000001, 0.9999999, 1.0000003, 0.9999997};
static const double a_add[4] = {0.1, 0.2, 0.3, 0.4};
static const float b_init[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const float b_mul[8] = {1.001f, 0.999f, 1.002f, 0.998f, 1.003f, 0.997f, 1.004f, 0.996f};
static const float b_add[8] = {0.5f, 0.25f, 0.125f, 0.0625f, 1.5f, 1.25f, 1.125f, 1.0625f};
static const uint64_t sentinel[8] = {0x0123456789abcdef, 0xfedcba9876543210, 0x1122334455667788,
                                     0x8877665544332211, 0xdeadbeefcafef00d, 0x0badc0de0ddba11f,
                                     0xa5a5a5a55a5a5a5a, 0x3c3c3c3cc3c3c3c3};

/*
 * Both computations, `steps` times, with swtch (trap -60) after each half
 * step when do_swtch. The asm keeps everything in registers across the
 * traps: a kernel that loses the FPU state changes the result.
 */
static void
sse_compute(long steps, long do_swtch, struct sse_run *r)
{
	uint32_t mxcsr_set = MXCSR_TOWARD_ZERO, mxcsr_default = 0x1f80;

	__asm__ volatile("ldmxcsr %[set]\n\t"
	                 "movupd 0(%[ai]), %%xmm0\n\t"
	                 "movupd 16(%[ai]), %%xmm1\n\t"
	                 "movupd 0(%[am]), %%xmm2\n\t"
	                 "movupd 16(%[am]), %%xmm3\n\t"
	                 "movupd 0(%[aa]), %%xmm4\n\t"
	                 "movupd 16(%[aa]), %%xmm5\n\t"
	                 "movdqu 0(%[sn]), %%xmm6\n\t"
	                 "movdqu 16(%[sn]), %%xmm7\n\t"
	                 "movups 0(%[bi]), %%xmm8\n\t"
	                 "movups 16(%[bi]), %%xmm9\n\t"
	                 "movups 0(%[bm]), %%xmm10\n\t"
	                 "movups 16(%[bm]), %%xmm11\n\t"
	                 "movups 0(%[ba]), %%xmm12\n\t"
	                 "movups 16(%[ba]), %%xmm13\n\t"
	                 "movdqu 32(%[sn]), %%xmm14\n\t"
	                 "movdqu 48(%[sn]), %%xmm15\n\t"
	                 "1:\n\t"
	                 "mulpd %%xmm2, %%xmm0\n\t"
	                 "addpd %%xmm4, %%xmm0\n\t"
	                 "mulpd %%xmm3, %%xmm1\n\t"
	                 "addpd %%xmm5, %%xmm1\n\t"
	                 "testq %[sw], %[sw]\n\t"
	                 "jz 2f\n\t"
	                 "movq $-60, %%rax\n\t"
	                 "syscall\n\t"
	                 "2:\n\t"
	                 "mulps %%xmm10, %%xmm8\n\t"
	                 "addps %%xmm12, %%xmm8\n\t"
	                 "mulps %%xmm11, %%xmm9\n\t"
	                 "addps %%xmm13, %%xmm9\n\t"
	                 "testq %[sw], %[sw]\n\t"
	                 "jz 3f\n\t"
	                 "movq $-60, %%rax\n\t"
	                 "syscall\n\t"
	                 "3:\n\t"
	                 "decq %[n]\n\t"
	                 "jnz 1b\n\t"
	                 "stmxcsr %[got]\n\t"
	                 "ldmxcsr %[def]\n\t"
	                 "movdqu %%xmm0, 0(%[out])\n\t"
	                 "movdqu %%xmm1, 16(%[out])\n\t"
	                 "movdqu %%xmm2, 32(%[out])\n\t"
	                 "movdqu %%xmm3, 48(%[out])\n\t"
	                 "movdqu %%xmm4, 64(%[out])\n\t"
	                 "movdqu %%xmm5, 80(%[out])\n\t"
	                 "movdqu %%xmm6, 96(%[out])\n\t"
	                 "movdqu %%xmm7, 112(%[out])\n\t"
	                 "movdqu %%xmm8, 128(%[out])\n\t"
	                 "movdqu %%xmm9, 144(%[out])\n\t"
	                 "movdqu %%xmm10, 160(%[out])\n\t"
	                 "movdqu %%xmm11, 176(%[out])\n\t"
	                 "movdqu %%xmm12, 192(%[out])\n\t"
	                 "movdqu %%xmm13, 208(%[out])\n\t"
	                 "movdqu %%xmm14, 224(%[out])\n\t"
	                 "movdqu %%xmm15, 240(%[out])"
	                 : [n] "+r"(steps), [got] "=m"(r->mxcsr)
	                 : [set] "m"(mxcsr_set), [def] "m"(mxcsr_default), [sw] "r"(do_swtch),
	                   [ai] "r"(a_init), [am] "r"(a_mul), [aa] "r"(a_add), [bi] "r"(b_init),
	                   [bm] "r"(b_mul), [ba] "r"(b_add), [sn] "r"(sentinel), [out] "r"(r->xmm)
	                 : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
	                   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
	                   "xmm13", "xmm14", "xmm15");
}

struct x87_run {
	uint16_t cw;
	long double value;
};

/* pi, then 1 added under round-down, with a swtch between when asked. */
static void
x87_compute(long do_swtch, struct x87_run *r)
{
	uint16_t cw = FPU_CW_DOWN, cw_default = 0x37f;

	__asm__ volatile("fldcw %[cw]\n\t"
	                 "fld1\n\t"
	                 "fldpi\n\t"
	                 "testq %[sw], %[sw]\n\t"
	                 "jz 1f\n\t"
	                 "movq $-60, %%rax\n\t"
	                 "syscall\n\t"
	                 "1:\n\t"
	                 "faddp\n\t"
	                 "fnstcw %[got]\n\t"
	                 "fstpt %[val]\n\t"
	                 "fldcw %[def]"
	                 : [got] "=m"(r->cw), [val] "=m"(r->value)
	                 : [cw] "m"(cw), [def] "m"(cw_default), [sw] "r"(do_swtch)
	                 : "rax", "rcx", "r11", "memory", "st");
}

int
main(void)
{
	static struct sse_run straight, switched;
	struct x87_run x_straight, x_switched;

	tap_plan(6);
	tap_is_int(crt0_start_state.mxcsr, 0x1f80, "MXCSR at start is 0x1f80");
	tap_is_int(crt0_start_state.fpu_cw, 0x37f, "x87 control word at start is 0x37f");

	sse_compute(500, 0, &straight);
	sse_compute(500, 1, &switched);
	/* The control bits as set, the exception flags as the straight run left them. */
	tap_ok((switched.mxcsr & ~0x3fu) == MXCSR_TOWARD_ZERO && switched.mxcsr == straight.mxcsr,
	       "MXCSR kept across 1,000 swtch traps (%#x, straight %#x)", switched.mxcsr,
	       straight.mxcsr);
	int same = memcmp(straight.xmm, switched.xmm, sizeof(straight.xmm)) == 0;
	tap_ok(same, "xmm0-15 hold the same bits with and without swtch between steps");
	for (int i = 0; !same && i < 16; i++)
		if (memcmp(straight.xmm[i], switched.xmm[i], 16))
			tap_diag(
			    "xmm%d: %016lx%016lx, expected %016lx%016lx", i,
			    (unsigned long)switched.xmm[i][1], (unsigned long)switched.xmm[i][0],
			    (unsigned long)straight.xmm[i][1], (unsigned long)straight.xmm[i][0]);

	memset(&x_straight, 0, sizeof(x_straight));
	memset(&x_switched, 0, sizeof(x_switched));
	x87_compute(0, &x_straight);
	x87_compute(1, &x_switched);
	tap_is_int(x_switched.cw, FPU_CW_DOWN, "x87 control word kept across swtch");
	tap_ok(memcmp(&x_straight.value, &x_switched.value, 10) == 0,
	       "the x87 stack is kept across swtch (pi + 1 rounded down)");
	return tap_done();
}
