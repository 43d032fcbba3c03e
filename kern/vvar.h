/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vvar page: the time data the kernel publishes for the vDSO
 * (user/vdso/), read-only in every task, one page just below the vDSO's
 * text (docs/vdso.md). This header is the contract between the two; it is
 * the one kernel header user code includes (the vDSO only), so it holds
 * nothing but the layout and needs only <stdint.h>.
 *
 * Protocol (a sequence lock, one writer at a time under the kernel's
 * clock lock, interrupts off):
 *   writer: seq += 1 (odd: writing); barrier; fields; barrier; seq += 3.
 *   reader: s = seq; if (s & VVAR_SEQ_MASK) slow or retry; lfence; rdtsc;
 *           read fields; if (seq != s) retry.
 * seq moves by 4 per update, so bit 1 (VVAR_SEQ_SLOW, "the TSC cannot be
 * trusted: use the trap") survives the counting and the reader tests both
 * bits with one instruction.
 *
 * A clock's value at cycle t:
 *   ns  = base.nsec + (((t - tsc_base) * mult) >> VVAR_SHIFT)   (a 128-bit product)
 *   sec = base.sec, plus one for each 1e9 that ns holds
 * The kernel re-bases every tick from its own exact clock (kern/clock.h),
 * so the carry into sec is one compare, and the reader's value is the
 * kernel's rounded down twice: at most 1 ns behind it, never ahead, and
 * never back across a re-base.
 */
#ifndef KERN_VVAR_H
#define KERN_VVAR_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* Where every task gets them (high in the user half, 4 GiB under its end,
 * clear of the boot stack of MACH-ABI.md, 128 KiB ending at the top). */
#define VVAR_ADDR 0x7fff00000000
#define VVAR_SIZE 0x1000
#define VDSO_ADDR (VVAR_ADDR + VVAR_SIZE)
/* The most text the vDSO may have (the build checks its image fits). */
#define VDSO_SIZE_MAX 0x2000

/*
 * The vDSO's slow path: a vmach trap (a number GNU Mach leaves unused in
 * its table, where it answers KERN_INVALID_ARGUMENT), taking a clock id
 * and a struct timespec pointer, returning KERN_SUCCESS,
 * KERN_INVALID_ARGUMENT for a clock it does not serve or
 * KERN_INVALID_ADDRESS for a bad pointer (Mach codes, as every trap); the
 * vDSO returns -EINVAL (-22) and -EFAULT (-14) for them.
 */
#define VMACH_TRAP_CLOCK_GETTIME (-110)
#define VMACH_EINVAL 22
#define VMACH_EFAULT 14

/* mult is ns per cycle << VVAR_SHIFT; fixed, so that the reader shifts by a constant. */
#define VVAR_SHIFT 32

#define VVAR_SEQ_WRITING 1u
#define VVAR_SEQ_SLOW 2u
#define VVAR_SEQ_MASK 3u
#define VVAR_SEQ_STEP 4u

/* Offsets for the vDSO's assembly (checked below). */
#define VVAR_OFF_SEQ 0
#define VVAR_OFF_TSC_BASE 8
#define VVAR_OFF_MULT 16
#define VVAR_OFF_MONO 32
#define VVAR_OFF_REAL 48

/* Where mult and tsc_base come from (docs/vdso.md, "Clock sources"). */
#define VVAR_SOURCE_NONE 0     /* not yet calibrated: readers take the slow path */
#define VVAR_SOURCE_TSC_BOOT 1 /* the boot measurement (CPUID or PIT) */
#define VVAR_SOURCE_TSC_REFINED 2 /* refined over the first second against the HPET */
#define VVAR_SOURCE_KVMCLOCK 3 /* KVM's pvclock rates (planned, docs/vdso.md) */

#ifndef __ASSEMBLER__
/* Per-CPU data, once SMP arrives: each CPU's own TSC correction and, for
 * getcpu, its number. One cache line each, so writers never share one. */
#define VVAR_CPUS_MAX 32
struct vvar_cpu {
	uint32_t vc_seq;        /* this entry's own sequence counter */
	uint32_t vc_cpu;        /* the CPU's number */
	uint32_t vc_node;       /* its NUMA node (0) */
	uint32_t vc_pad;
	int64_t vc_tsc_offset;  /* added to this CPU's TSC before tsc_base (0: synchronised) */
	uint64_t vc_reserved[5];
};

struct vvar_base {
	int64_t sec;   /* whole seconds at tsc_base */
	uint64_t nsec; /* and nanoseconds, < 1e9 */
};

struct vvar_data {
	uint32_t seq;      /* @0 */
	uint32_t source;   /* @4: VVAR_SOURCE_* */
	uint64_t tsc_base; /* @8: the cycle at which the bases hold */
	uint64_t mult;     /* @16: ns per cycle << shift */
	uint32_t shift;    /* @24: VVAR_SHIFT, for readers that do not assume it */
	uint32_t ncpus;    /* @28: CPUs running; 1 until SMP, when getcpu uses per_cpu */
	struct vvar_base mono; /* @32: CLOCK_MONOTONIC (and MONOTONIC_RAW, BOOTTIME) */
	struct vvar_base real; /* @48: CLOCK_REALTIME */
	int64_t real_offset_ns; /* @64: REALTIME - MONOTONIC, as host_set_time and the slew left it */
	uint64_t tsc_hz;        /* @72: the cycle counter's rate */
	uint64_t tick_ns;       /* @80: the kernel's tick (the coarse clocks' resolution) */
	uint64_t updates;       /* @88: updates so far (tests) */
	uint8_t pad[1024 - 96];
	struct vvar_cpu per_cpu[VVAR_CPUS_MAX]; /* @1024, 64 bytes each */
};

_Static_assert(sizeof(struct vvar_cpu) == 64, "vvar_cpu: one cache line");
_Static_assert(sizeof(struct vvar_data) <= VVAR_SIZE, "vvar: one page");
_Static_assert(__builtin_offsetof(struct vvar_data, tsc_base) == VVAR_OFF_TSC_BASE, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar_data, mult) == VVAR_OFF_MULT, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar_data, mono) == VVAR_OFF_MONO, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar_data, real) == VVAR_OFF_REAL, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar_data, per_cpu) == 1024, "vvar layout");

#endif /* __ASSEMBLER__ */

#endif
