// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Thread state flavours (machine_thread_get_state/set_state,
 * x86_64/machine.h): the conversion between a thread's trap frame and FPU
 * area and GNU Mach's layouts (<mach/x86_64/thread_status.h>, MACH-ABI.md).
 * Portable C: host tests run it (tests/host/test_thread_state.c).
 *
 * - i386_THREAD_STATE and i386_REGS_SEGS_STATE (count 42): the general
 *   registers, rip, cs, rflags, ursp (the user stack), ss. rsp reads 0.
 * - i386_FLOAT_STATE (count 30): the legacy 108-byte FNSAVE image, made
 *   from and put back into the FXSAVE image (MXCSR and XMM untouched).
 * - i386_FSGS_BASE_STATE (count 4): the user FS and GS bases.
 * A larger count is accepted (get answers with the flavour's own), a
 * smaller one is KERN_INVALID_ARGUMENT, as GNU Mach does.
 *
 * Setting never gives user mode kernel privilege: cs and ss are forced to
 * the user selectors, rflags keeps only the user-settable flags with IF on
 * and IOPL 0, and FS/GS bases must lie in the user half. A non-canonical
 * rip is stored: the return path turns it into the user's #GP.
 */
#include <mach/thread_status.h>

#include "kern/string.h"
#include "x86_64/fpu.h"
#include "x86_64/gdt.h"
#include "x86_64/thread.h"
#include "x86_64/trap.h"

/* GNU Mach's fp_kind values (<mach/x86_64/fp_reg.h> shows them to the kernel only). */
#define FPKIND_387FX 4
#define FPKIND_387X 5
#define XSAVE_HEADER_OFF 512

/* CF PF AF ZF SF TF DF OF AC ID: what a user may set in rflags. */
#define RFLAGS_USER_MASK 0x240dd5ULL
#define RFLAGS_FORCED 0x202ULL /* IF and the always-one bit */

_Static_assert(i386_THREAD_STATE_COUNT == 42, "MACH-ABI.md: count 42");
_Static_assert(i386_FLOAT_STATE_COUNT == 30, "MACH-ABI.md: count 30");
_Static_assert(i386_FSGS_BASE_STATE_COUNT == 4, "MACH-ABI.md: count 4");
_Static_assert(__builtin_offsetof(struct i386_thread_state, cs) == 136, "MACH-ABI.md");
_Static_assert(__builtin_offsetof(struct i386_thread_state, ursp) == 152, "MACH-ABI.md");
_Static_assert(sizeof(struct i386_fp_save) + sizeof(struct i386_fp_regs) == 108, "FNSAVE");

static void
regs_get(const struct trap_frame *tf, struct i386_thread_state *s)
{
	memset(s, 0, sizeof(*s));
	s->r8 = tf->r8, s->r9 = tf->r9, s->r10 = tf->r10, s->r11 = tf->r11;
	s->r12 = tf->r12, s->r13 = tf->r13, s->r14 = tf->r14, s->r15 = tf->r15;
	s->rdi = tf->rdi, s->rsi = tf->rsi, s->rbp = tf->rbp, s->rbx = tf->rbx;
	s->rdx = tf->rdx, s->rcx = tf->rcx, s->rax = tf->rax, s->rip = tf->rip;
	s->rsp = 0;
	s->cs = tf->cs;
	s->rfl = tf->rflags;
	s->ursp = tf->rsp;
	s->ss = tf->ss;
}

static void
regs_set(struct trap_frame *tf, const struct i386_thread_state *s)
{
	tf->r8 = s->r8, tf->r9 = s->r9, tf->r10 = s->r10, tf->r11 = s->r11;
	tf->r12 = s->r12, tf->r13 = s->r13, tf->r14 = s->r14, tf->r15 = s->r15;
	tf->rdi = s->rdi, tf->rsi = s->rsi, tf->rbp = s->rbp, tf->rbx = s->rbx;
	tf->rdx = s->rdx, tf->rcx = s->rcx, tf->rax = s->rax, tf->rip = s->rip;
	tf->cs = USER_CS;
	tf->ss = USER_SS;
	tf->rflags = (s->rfl & RFLAGS_USER_MASK) | RFLAGS_FORCED;
	tf->rsp = s->ursp;
}

/* The FNSAVE tag of ST(i) from its 80-bit value: 0 valid, 1 zero, 2 special. */
static unsigned
fp_tag_of(const uint8_t *r)
{
	uint64_t mant;
	unsigned exp = (r[8] | r[9] << 8) & 0x7fff;

	memcpy(&mant, r, 8);
	if (exp == 0x7fff)
		return 2;
	if (exp == 0)
		return mant ? 2 : 1;
	return mant >> 63 ? 0 : 2;
}

static void
float_get(const struct fxsave_area *fx, struct i386_float_state *s)
{
	struct i386_fp_save env = {0};
	struct i386_fp_regs regs;
	unsigned top = (fx->fx_fsw >> 11) & 7, tag = 0;

	for (unsigned p = 0; p < 8; p++) {
		unsigned t = 3;
		if (fx->fx_ftw & (1u << p))
			t = fp_tag_of(fx->fx_st[(p - top) & 7]);
		tag |= t << (2 * p);
	}
	env.fp_control = fx->fx_fcw;
	env.fp_status = fx->fx_fsw;
	env.fp_tag = tag;
	env.fp_eip = (uint32_t)fx->fx_fip;
	env.fp_opcode = fx->fx_fop;
	env.fp_dp = (uint32_t)fx->fx_fdp;
	for (int i = 0; i < 8; i++)
		memcpy(regs.fp_reg_word[i], fx->fx_st[i], 10);
	memset(s, 0, sizeof(*s));
	s->fpkind = fpu_uses_xsave() ? FPKIND_387X : FPKIND_387FX;
	s->initialized = 1;
	memcpy(s->hw_state, &env, sizeof(env));
	memcpy(s->hw_state + sizeof(env), &regs, sizeof(regs));
	s->exc_status = 0;
}

static void
float_set(struct fxsave_area *fx, const struct i386_float_state *s)
{
	struct i386_fp_save env;
	struct i386_fp_regs regs;

	memcpy(&env, s->hw_state, sizeof(env));
	memcpy(&regs, s->hw_state + sizeof(env), sizeof(regs));
	if (!s->initialized) {
		/* An uninitialised FPU: the x87 part of a fresh thread's. */
		memset(&env, 0, sizeof(env));
		memset(&regs, 0, sizeof(regs));
		env.fp_control = FPU_FCW_INIT;
		env.fp_tag = 0xffff;
	}
	fx->fx_fcw = env.fp_control;
	fx->fx_fsw = env.fp_status;
	fx->fx_ftw = 0;
	for (unsigned p = 0; p < 8; p++)
		if (((env.fp_tag >> (2 * p)) & 3) != 3)
			fx->fx_ftw |= 1u << p;
	fx->fx_fop = env.fp_opcode & 0x7ff;
	fx->fx_fip = env.fp_eip;
	fx->fx_fdp = env.fp_dp;
	for (int i = 0; i < 8; i++) {
		memset(fx->fx_st[i], 0, 16);
		memcpy(fx->fx_st[i], regs.fp_reg_word[i], 10);
	}
	/* XRSTOR loads the x87 part only when the header says the image has it. */
	if (fpu_uses_xsave())
		*(uint64_t *)((char *)fx + XSAVE_HEADER_OFF) |= 1;
}

kern_return_t
machine_thread_get_state(struct machine_thread *mt, int flavor, uint32_t *state, uint32_t *count)
{
	switch (flavor) {
	case i386_THREAD_STATE:
	case i386_REGS_SEGS_STATE: {
		struct i386_thread_state s;
		if (*count < i386_THREAD_STATE_COUNT || !mt->mt_uframe)
			return KERN_INVALID_ARGUMENT;
		regs_get(mt->mt_uframe, &s);
		memcpy(state, &s, sizeof(s));
		*count = i386_THREAD_STATE_COUNT;
		return KERN_SUCCESS;
	}
	case i386_FLOAT_STATE: {
		struct i386_float_state s;
		if (*count < i386_FLOAT_STATE_COUNT || !mt->mt_fpu)
			return KERN_INVALID_ARGUMENT;
		machine_thread_sync(mt);
		float_get(mt->mt_fpu, &s);
		memcpy(state, &s, sizeof(s));
		*count = i386_FLOAT_STATE_COUNT;
		return KERN_SUCCESS;
	}
	case i386_FSGS_BASE_STATE: {
		struct i386_fsgs_base_state s;
		if (*count < i386_FSGS_BASE_STATE_COUNT || !mt->mt_uframe)
			return KERN_INVALID_ARGUMENT;
		machine_thread_sync(mt);
		s.fs_base = mt->mt_fs_base;
		s.gs_base = mt->mt_gs_base;
		memcpy(state, &s, sizeof(s));
		*count = i386_FSGS_BASE_STATE_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t
machine_thread_set_state(struct machine_thread *mt, int flavor, const uint32_t *state,
                         uint32_t count)
{
	switch (flavor) {
	case i386_THREAD_STATE:
	case i386_REGS_SEGS_STATE: {
		struct i386_thread_state s;
		if (count < i386_THREAD_STATE_COUNT || !mt->mt_uframe)
			return KERN_INVALID_ARGUMENT;
		memcpy(&s, state, sizeof(s));
		regs_set(mt->mt_uframe, &s);
		return KERN_SUCCESS;
	}
	case i386_FLOAT_STATE: {
		struct i386_float_state s;
		if (count < i386_FLOAT_STATE_COUNT || !mt->mt_fpu)
			return KERN_INVALID_ARGUMENT;
		memcpy(&s, state, sizeof(s));
		machine_thread_sync(mt);
		float_set(mt->mt_fpu, &s);
		machine_thread_load(mt);
		return KERN_SUCCESS;
	}
	case i386_FSGS_BASE_STATE: {
		struct i386_fsgs_base_state s;
		if (count < i386_FSGS_BASE_STATE_COUNT || !mt->mt_uframe)
			return KERN_INVALID_ARGUMENT;
		memcpy(&s, state, sizeof(s));
		/* A kernel-half or non-canonical base would fault wrmsr or fool the NMI entry. */
		if (!user_addr_canonical(s.fs_base) || !user_addr_canonical(s.gs_base))
			return KERN_INVALID_ARGUMENT;
		machine_thread_sync(mt);
		mt->mt_fs_base = s.fs_base;
		mt->mt_gs_base = s.gs_base;
		machine_thread_load(mt);
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}
