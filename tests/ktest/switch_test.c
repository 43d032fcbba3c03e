// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * machine_switch() between kernel threads set up by hand (the scheduler
 * is not involved): two stacks ping-pong many times with the callee-saved
 * registers checked across every switch, and two threads with different
 * x87 and SSE states keep them across switches; a new thread starts with
 * the fresh FPU state (control word 0x37f, MXCSR 0x1f80).
 */
#include "debug/ktest.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "x86_64/fpu.h"
#include "x86_64/machine.h"

#define PINGPONG_ROUNDS 1000
#define FPU_ROUNDS 50

/*
 * Loads rbx, rbp and r12-r15 with seed + 0..5, calls machine_switch(from,
 * to), and returns a mask of the registers that did not come back.
 */
uint64_t ktest_switch_regs(struct machine_thread *from, struct machine_thread *to, uint64_t seed);
__asm__(".text\n"
        "ktest_switch_regs:\n"
        "	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "	mov %rdx, %rbx\n"
        "	lea 1(%rdx), %rbp\n"
        "	lea 2(%rdx), %r12\n"
        "	lea 3(%rdx), %r13\n"
        "	lea 4(%rdx), %r14\n"
        "	lea 5(%rdx), %r15\n"
        "	push %rdx\n" /* 16-byte aligned for the call */
        "	call machine_switch\n"
        "	pop %rdx\n"
        "	xor %eax, %eax\n"
        "	cmp %rdx, %rbx; je 1f; or $1, %eax\n"
        "1:	lea 1(%rdx), %rcx; cmp %rcx, %rbp; je 1f; or $2, %eax\n"
        "1:	lea 2(%rdx), %rcx; cmp %rcx, %r12; je 1f; or $4, %eax\n"
        "1:	lea 3(%rdx), %rcx; cmp %rcx, %r13; je 1f; or $8, %eax\n"
        "1:	lea 4(%rdx), %rcx; cmp %rcx, %r14; je 1f; or $16, %eax\n"
        "1:	lea 5(%rdx), %rcx; cmp %rcx, %r15; je 1f; or $32, %eax\n"
        "1:	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "	ret\n");

static struct machine_thread main_mt, a_mt, b_mt;
static unsigned a_rounds, b_rounds;
static uint64_t a_bad, b_bad;
static bool a_done;

static uint64_t
stack_alloc(void)
{
	uint64_t pa = page_alloc_bytes(KSTACK_SIZE, PAGE_ZERO);

	return pa ? (uint64_t)phys_to_virt(pa) + KSTACK_SIZE : 0;
}

static void
stack_free(uint64_t top)
{
	page_free_bytes(virt_to_phys((void *)(top - KSTACK_SIZE)), KSTACK_SIZE);
}

static void
ping(void *arg)
{
	for (unsigned i = 0; i < PINGPONG_ROUNDS; i++) {
		a_bad |= ktest_switch_regs(&a_mt, &b_mt, 0xa000000000000000ULL + 16 * i);
		a_rounds++;
	}
	a_done = true;
	machine_switch(&a_mt, &main_mt);
}

static void
pong(void *arg)
{
	for (uint64_t i = 0;; i++) {
		b_bad |= ktest_switch_regs(&b_mt, &a_mt, 0xb000000000000000ULL + 16 * i);
		b_rounds++;
	}
}

KTEST(switch_pingpong, "machine_switch ping-pongs two kernel threads, registers preserved")
{
	uint64_t sa = stack_alloc(), sb = stack_alloc(), f;

	ktap_plan(4);
	ktap_ok(sa && sb, "two kernel stacks");
	machine_thread_init_kernel(&a_mt, sa, ping, NULL);
	machine_thread_init_kernel(&b_mt, sb, pong, NULL);
	f = irq_save();
	machine_switch(&main_mt, &a_mt);
	irq_restore(f);
	ktap_ok(a_done && a_rounds == PINGPONG_ROUNDS,
	        "the first thread ran %u rounds and came back", a_rounds);
	ktap_ok(b_rounds == PINGPONG_ROUNDS - 1 || b_rounds == PINGPONG_ROUNDS,
	        "the second thread ran %u rounds", b_rounds);
	ktap_ok(a_bad == 0 && b_bad == 0,
	        "rbx, rbp, r12-r15 survive every switch (lost: %#lx, %#lx)", a_bad, b_bad);
	stack_free(sa);
	stack_free(sb);
}

/* ---- FPU ---- */

struct fpu_probe {
	uint8_t xmm[2][16];
	uint64_t st0; /* an x87 double */
	uint32_t mxcsr;
	uint16_t fcw;
};

/* Loads xmm0, xmm15, ST(0), MXCSR and the x87 control word (asm: the kernel has no SSE). */
static void
fpu_load(const struct fpu_probe *p)
{
	__asm__ volatile("movdqu (%0), %%xmm0\n\t"
	                 "movdqu 16(%0), %%xmm15\n\t"
	                 "fninit\n\t"
	                 "fldl 32(%0)\n\t"
	                 "ldmxcsr 40(%0)\n\t"
	                 "fldcw 44(%0)"
	                 :
	                 : "r"(p)
	                 : "memory");
}

static void
fpu_read(struct fpu_probe *p)
{
	__asm__ volatile("movdqu %%xmm0, (%0)\n\t"
	                 "movdqu %%xmm15, 16(%0)\n\t"
	                 "fstl 32(%0)\n\t"
	                 "stmxcsr 40(%0)\n\t"
	                 "fnstcw 44(%0)"
	                 :
	                 : "r"(p)
	                 : "memory");
}

_Static_assert(__builtin_offsetof(struct fpu_probe, st0) == 32 &&
                   __builtin_offsetof(struct fpu_probe, mxcsr) == 40 &&
                   __builtin_offsetof(struct fpu_probe, fcw) == 44,
               "offsets used by the asm");

static struct machine_thread fa_mt, fb_mt, fc_mt;
static unsigned fpu_bad[2];
static struct fpu_probe fresh;

static void
probe_fill(struct fpu_probe *p, unsigned who, unsigned round)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < 16; i++) {
		p->xmm[0][i] = (uint8_t)(who * 0x40 + round + i);
		p->xmm[1][i] = (uint8_t)(who * 0x80 + 3 * round + i);
	}
	p->st0 = 0x4000000000000000ULL + ((uint64_t)(who + 1) << 40) + round; /* 2.0 and a bit */
	p->mxcsr = who ? 0x1f80 | 0x6000 /* round toward zero */ : 0x1f80 | 0x2000 /* down */;
	p->fcw = who ? 0x027f : 0x0c7f;
}

static void
fpu_worker(unsigned who, struct machine_thread *self, struct machine_thread *other)
{
	struct fpu_probe want, got;

	for (unsigned r = 0; r < FPU_ROUNDS; r++) {
		probe_fill(&want, who, r);
		fpu_load(&want);
		machine_switch(self, other);
		memset(&got, 0, sizeof(got));
		fpu_read(&got);
		if (memcmp(&want, &got, sizeof(want)))
			fpu_bad[who]++;
	}
}

static void
fpu_a(void *arg)
{
	fpu_worker(0, &fa_mt, &fb_mt);
	machine_switch(&fa_mt, &main_mt);
}

static void
fpu_b(void *arg)
{
	fpu_worker(1, &fb_mt, &fa_mt);
	machine_switch(&fb_mt, &fa_mt); /* a's last round returns to main */
	for (;;)
		machine_switch(&fb_mt, &main_mt);
}

static void
fpu_c(void *arg)
{
	memset(&fresh, 0, sizeof(fresh));
	fpu_read(&fresh);
	machine_switch(&fc_mt, &main_mt);
}

KTEST(switch_fpu, "x87 and SSE state per thread survive machine_switch; new threads start fresh")
{
	uint64_t sa = stack_alloc(), sb = stack_alloc(), sc = stack_alloc(), f;
	struct fxsave_area *aa = fpu_area_alloc(), *ab = fpu_area_alloc(), *ac = fpu_area_alloc();
	struct fpu_probe dirty;

	ktap_plan(4);
	ktap_diag("FPU areas saved with %s, %u bytes", fpu_uses_xsave() ? "XSAVE" : "FXSAVE",
	          fpu_area_size());
	ktap_ok(sa && sb && sc && aa && ab && ac, "stacks and FPU areas");
	machine_thread_init_kernel(&fa_mt, sa, fpu_a, NULL);
	machine_thread_init_kernel(&fb_mt, sb, fpu_b, NULL);
	machine_thread_init_kernel(&fc_mt, sc, fpu_c, NULL);
	fa_mt.mt_fpu = aa;
	fb_mt.mt_fpu = ab;
	fc_mt.mt_fpu = ac;
	f = irq_save();
	machine_switch(&main_mt, &fa_mt);
	ktap_ok(fpu_bad[0] == 0 && fpu_bad[1] == 0,
	        "%u rounds each: xmm0, xmm15, ST(0), MXCSR, FCW kept (bad rounds %u, %u)",
	        FPU_ROUNDS, fpu_bad[0], fpu_bad[1]);
	/* Leave odd values in the registers: the fresh thread must not see them. */
	probe_fill(&dirty, 1, 7);
	fpu_load(&dirty);
	machine_switch(&main_mt, &fc_mt);
	irq_restore(f);
	ktap_ok(fresh.fcw == 0x37f && fresh.mxcsr == 0x1f80,
	        "a new thread's x87 control word %#x, MXCSR %#x", fresh.fcw, fresh.mxcsr);
	static const uint8_t zero[16];
	ktap_ok(!memcmp(fresh.xmm[0], zero, 16) && !memcmp(fresh.xmm[1], zero, 16),
	        "a new thread's xmm0 and xmm15 are zero");
	__asm__ volatile("fninit"); /* the boot context's FPU back to a clean state */
	fpu_area_free(aa);
	fpu_area_free(ab);
	fpu_area_free(ac);
	stack_free(sa);
	stack_free(sb);
	stack_free(sc);
}
