// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the thread state flavours (x86_64/thread_state.c): the
 * layouts of MACH-ABI.md, the count rules, what setting refuses or forces,
 * and the conversion between the FXSAVE image and the FNSAVE layout of
 * i386_FLOAT_STATE (the tag word computed from the registers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mach/thread_status.h>

#include "x86_64/fpu.h"
#include "x86_64/gdt.h"
#include "x86_64/thread.h"
#include "x86_64/trap.h"

/* The machine-only parts thread_state.c calls, as a switched-out thread sees them. */
static bool xsave;
static unsigned syncs, loads;

bool
fpu_uses_xsave(void)
{
	return xsave;
}

void
machine_thread_sync(struct machine_thread *mt)
{
	syncs++;
}

void
machine_thread_load(struct machine_thread *mt)
{
	loads++;
}

struct fixture {
	struct trap_frame tf;
	union {
		struct fxsave_area fx;
		uint8_t bytes[1024];
	} __attribute__((aligned(64))) fpu;
	struct machine_thread mt;
};

static struct fixture *
fixture_new(void)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	f.tf.cs = USER_CS;
	f.tf.ss = USER_SS;
	f.tf.rflags = 0x202;
	f.fpu.fx.fx_fcw = FPU_FCW_INIT;
	f.fpu.fx.fx_mxcsr = FPU_MXCSR_INIT;
	f.mt.mt_uframe = &f.tf;
	f.mt.mt_fpu = &f.fpu.fx;
	xsave = false;
	return &f;
}

static void
test_regs_layout(void **state)
{
	struct fixture *f = fixture_new();
	uint32_t buf[64], count = 64;
	uint64_t w[21];

	f->tf.r8 = 8, f->tf.r15 = 15, f->tf.rdi = 0xd1, f->tf.rsi = 0x51, f->tf.rbp = 0xb9;
	f->tf.rbx = 0xbb, f->tf.rdx = 0xdd, f->tf.rcx = 0xcc, f->tf.rax = 0xaa;
	f->tf.rip = 0x401234, f->tf.rsp = 0x7fffffffffb0;
	assert_int_equal(machine_thread_get_state(&f->mt, i386_THREAD_STATE, buf, &count),
	                 KERN_SUCCESS);
	assert_int_equal(count, 42);
	memcpy(w, buf, sizeof(w));
	assert_int_equal(w[0], 8);               /* r8 @0 */
	assert_int_equal(w[7], 15);              /* r15 @56 */
	assert_int_equal(w[8], 0xd1);            /* rdi @64 */
	assert_int_equal(w[9], 0x51);            /* rsi */
	assert_int_equal(w[10], 0xb9);           /* rbp */
	assert_int_equal(w[11], 0);              /* rsp reads 0 */
	assert_int_equal(w[12], 0xbb);           /* rbx */
	assert_int_equal(w[13], 0xdd);           /* rdx */
	assert_int_equal(w[14], 0xcc);           /* rcx */
	assert_int_equal(w[15], 0xaa);           /* rax */
	assert_int_equal(w[16], 0x401234);       /* rip @128 */
	assert_int_equal(buf[34], USER_CS);      /* cs @136 */
	assert_int_equal(w[18], 0x202);          /* rflags @144 */
	assert_int_equal(w[19], 0x7fffffffffb0); /* ursp @152 */
	assert_int_equal(buf[40], USER_SS);      /* ss @160 */
	/* Flavour 5 is the same layout. */
	count = 42;
	assert_int_equal(machine_thread_get_state(&f->mt, i386_REGS_SEGS_STATE, buf, &count),
	                 KERN_SUCCESS);
	memcpy(w, buf, sizeof(w));
	assert_int_equal(w[16], 0x401234);
}

static void
test_counts(void **state)
{
	struct fixture *f = fixture_new();
	uint32_t buf[64] = {0}, count;
	int flavors[] = {i386_THREAD_STATE, i386_REGS_SEGS_STATE, i386_FLOAT_STATE,
	                 i386_FSGS_BASE_STATE};
	uint32_t counts[] = {42, 42, 30, 4};

	for (int i = 0; i < 4; i++) {
		count = counts[i] - 1;
		assert_int_equal(machine_thread_get_state(&f->mt, flavors[i], buf, &count),
		                 KERN_INVALID_ARGUMENT);
		assert_int_equal(machine_thread_set_state(&f->mt, flavors[i], buf, counts[i] - 1),
		                 KERN_INVALID_ARGUMENT);
		count = 64;
		assert_int_equal(machine_thread_get_state(&f->mt, flavors[i], buf, &count),
		                 KERN_SUCCESS);
		assert_int_equal(count, counts[i]);
	}
	count = 64;
	assert_int_equal(machine_thread_get_state(&f->mt, i386_DEBUG_STATE, buf, &count),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(machine_thread_set_state(&f->mt, 99, buf, 64), KERN_INVALID_ARGUMENT);
}

static void
test_set_forces_user(void **state)
{
	struct fixture *f = fixture_new();
	struct i386_thread_state s;

	memset(&s, 0, sizeof(s));
	s.rip = 0x400000;
	s.ursp = 0x7ffff000;
	s.rsp = 0xdead; /* ignored */
	s.rax = 0x1234;
	s.cs = 0x08; /* kernel code */
	s.ss = 0x10;
	s.rfl = 0x3000 | 0x4000 | 0x20000 | 0x1 | 0x400; /* IOPL 3, NT, VM, CF, DF; no IF */
	assert_int_equal(machine_thread_set_state(&f->mt, i386_THREAD_STATE, (uint32_t *)&s, 42),
	                 KERN_SUCCESS);
	assert_int_equal(f->tf.cs, USER_CS);
	assert_int_equal(f->tf.ss, USER_SS);
	assert_int_equal(f->tf.rflags, 0x202 | 0x1 | 0x400);
	assert_int_equal(f->tf.rip, 0x400000);
	assert_int_equal(f->tf.rsp, 0x7ffff000);
	assert_int_equal(f->tf.rax, 0x1234);
	/* A larger count is accepted. */
	assert_int_equal(machine_thread_set_state(&f->mt, i386_THREAD_STATE, (uint32_t *)&s, 50),
	                 KERN_SUCCESS);
}

static void
test_fsgs(void **state)
{
	struct fixture *f = fixture_new();
	struct i386_fsgs_base_state s = {0x1000, 0x7fffffff0000};
	uint32_t count = 4;

	loads = 0;
	assert_int_equal(machine_thread_set_state(&f->mt, i386_FSGS_BASE_STATE, (uint32_t *)&s, 4),
	                 KERN_SUCCESS);
	assert_int_equal(loads, 1); /* a running thread would get them in its MSRs */
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    machine_thread_get_state(&f->mt, i386_FSGS_BASE_STATE, (uint32_t *)&s, &count),
	    KERN_SUCCESS);
	assert_int_equal(s.fs_base, 0x1000);
	assert_int_equal(s.gs_base, 0x7fffffff0000);
	s.gs_base = 0xffff800000000000; /* kernel half */
	assert_int_equal(machine_thread_set_state(&f->mt, i386_FSGS_BASE_STATE, (uint32_t *)&s, 4),
	                 KERN_INVALID_ARGUMENT);
	s.gs_base = 0;
	s.fs_base = 0x0000800000000000; /* non-canonical */
	assert_int_equal(machine_thread_set_state(&f->mt, i386_FSGS_BASE_STATE, (uint32_t *)&s, 4),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(f->mt.mt_fs_base, 0x1000);
}

/* An 80-bit value: 64-bit mantissa and 16-bit sign and exponent. */
static void
st_put(uint8_t *r, uint64_t mant, uint16_t se)
{
	memset(r, 0, 16);
	memcpy(r, &mant, 8);
	memcpy(r + 8, &se, 2);
}

static void
test_float_get(void **state)
{
	struct fixture *f = fixture_new();
	struct i386_float_state s;
	struct i386_fp_save env;
	uint32_t count = 30;

	/* TOP = 6: ST(0) is physical 6, ST(1) physical 7, ST(2) physical 0. */
	f->fpu.fx.fx_fsw = 6 << 11;
	f->fpu.fx.fx_ftw = (1 << 6) | (1 << 7) | (1 << 0);
	st_put(f->fpu.fx.fx_st[0], 0x8000000000000000ULL, 0x3fff); /* 1.0: valid */
	st_put(f->fpu.fx.fx_st[1], 0, 0);                          /* zero */
	st_put(f->fpu.fx.fx_st[2], 0xc000000000000000ULL, 0x7fff); /* NaN: special */
	f->fpu.fx.fx_fcw = 0x27f;
	f->fpu.fx.fx_fop = 0x123;
	f->fpu.fx.fx_fip = 0x401000;
	f->fpu.fx.fx_fdp = 0x402000;
	assert_int_equal(machine_thread_get_state(&f->mt, i386_FLOAT_STATE, (uint32_t *)&s, &count),
	                 KERN_SUCCESS);
	assert_int_equal(count, 30);
	assert_int_equal(s.fpkind, 4); /* FP_387FX */
	assert_int_equal(s.initialized, 1);
	memcpy(&env, s.hw_state, sizeof(env));
	assert_int_equal(env.fp_control, 0x27f);
	assert_int_equal(env.fp_status, 6 << 11);
	/* physical 0: special (10), 1-5: empty (11), 6: valid (00), 7: zero (01) */
	assert_int_equal(env.fp_tag, 0x2 | 0x3 << 2 | 0x3 << 4 | 0x3 << 6 | 0x3 << 8 | 0x3 << 10 |
	                                 0x0 << 12 | 0x1 << 14);
	assert_int_equal(env.fp_opcode, 0x123);
	assert_int_equal(env.fp_eip, 0x401000);
	assert_int_equal(env.fp_dp, 0x402000);
	/* Registers in stack order, 10 bytes each, after the 28-byte environment. */
	assert_memory_equal(s.hw_state + 28, f->fpu.fx.fx_st[0], 10);
	assert_memory_equal(s.hw_state + 28 + 20, f->fpu.fx.fx_st[2], 10);
	xsave = true;
	count = 30;
	machine_thread_get_state(&f->mt, i386_FLOAT_STATE, (uint32_t *)&s, &count);
	assert_int_equal(s.fpkind, 5); /* FP_387X */
}

static void
test_float_round_trip(void **state)
{
	struct fixture *f = fixture_new();
	struct i386_float_state s, back;
	struct i386_fp_save env = {0};
	uint32_t count = 30;
	uint8_t xmm[16];

	memset(xmm, 0x5a, sizeof(xmm));
	memcpy(f->fpu.fx.fx_xmm[3], xmm, 16);
	memset(&s, 0, sizeof(s));
	s.initialized = 1;
	env.fp_control = 0x7f;
	env.fp_status = 7 << 11;
	env.fp_tag = 0x3fff; /* only physical 7 (ST(0)) in use */
	memcpy(s.hw_state, &env, sizeof(env));
	st_put(s.hw_state + 28, 0xc000000000000000ULL, 0x4000); /* 3.0, as 10 bytes */
	xsave = true;
	assert_int_equal(machine_thread_set_state(&f->mt, i386_FLOAT_STATE, (uint32_t *)&s, 30),
	                 KERN_SUCCESS);
	assert_int_equal(f->fpu.fx.fx_ftw, 0x80);
	assert_int_equal(f->fpu.fx.fx_mxcsr, FPU_MXCSR_INIT); /* SSE untouched */
	assert_memory_equal(f->fpu.fx.fx_xmm[3], xmm, 16);
	assert_int_equal(f->fpu.bytes[512] & 1, 1); /* XSTATE_BV: x87 present */
	assert_int_equal(
	    machine_thread_get_state(&f->mt, i386_FLOAT_STATE, (uint32_t *)&back, &count),
	    KERN_SUCCESS);
	assert_memory_equal(back.hw_state, s.hw_state, 28 + 10);
	/* Not initialised: back to a fresh thread's x87 state. */
	s.initialized = 0;
	machine_thread_set_state(&f->mt, i386_FLOAT_STATE, (uint32_t *)&s, 30);
	assert_int_equal(f->fpu.fx.fx_fcw, FPU_FCW_INIT);
	assert_int_equal(f->fpu.fx.fx_ftw, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_regs_layout),     cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_set_forces_user), cmocka_unit_test(test_fsgs),
	    cmocka_unit_test(test_float_get),       cmocka_unit_test(test_float_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
