// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vDSO (docs/vdso.md): time without a trap. Readers of the vvar page
 * (kern/vvar.h), which the kernel maps one page below this image's first
 * byte: the linker script's vvar_page, reached RIP-relative, so the code
 * has no relocation and no pointer to follow.
 *
 * clock_gettime is in user/vdso/clock_gettime.S (its length is the
 * point); the rest, here, builds on it or reads the vvar directly. The
 * slow path, for clocks the vvar does not serve or a TSC the kernel does
 * not trust, is the vmach trap VMACH_TRAP_CLOCK_GETTIME.
 */
#include <stdint.h>

#include "kern/vvar.h"

#define NS_PER_SEC 1000000000ULL

#define CLOCK_REALTIME 0

struct vdso_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
struct vdso_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

extern const volatile struct vvar_data vvar_page __attribute__((visibility("hidden")));

#define VDSO_EXPORT __attribute__((visibility("default")))

/* user/vdso/clock_gettime.S, called directly (hidden: no PLT, no relocation). */
long vdso_clock_gettime_hidden(long clk, struct vdso_timespec *ts)
    __attribute__((visibility("hidden")));

VDSO_EXPORT long
__vdso_gettimeofday(struct vdso_timeval *tv, void *tz)
{
	struct vdso_timespec ts;
	long r;

	(void)tz; /* time zones are the C library's business */
	if (!tv)
		return 0;
	if ((r = vdso_clock_gettime_hidden(CLOCK_REALTIME, &ts)))
		return r;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

VDSO_EXPORT int64_t
__vdso_time(int64_t *t)
{
	/* Seconds only: the last tick's, as Linux's vDSO answers (the sequence protects sec). */
	uint32_t seq;
	int64_t sec;

	do {
		seq = vvar_page.seq & ~VVAR_SEQ_SLOW;
		sec = vvar_page.real.sec;
		__asm__ volatile("" ::: "memory");
	} while ((seq & VVAR_SEQ_WRITING) || seq != (vvar_page.seq & ~VVAR_SEQ_SLOW));
	if (t)
		*t = sec;
	return sec;
}

VDSO_EXPORT long
__vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	/* One CPU until SMP: then each CPU's number comes from per_cpu (docs/vdso.md). */
	if (cpu)
		*cpu = vvar_page.per_cpu[0].vc_cpu;
	if (node)
		*node = vvar_page.per_cpu[0].vc_node;
	return 0;
}

/* The names a C library looks up, as on Linux: both the __vdso_ ones and the plain ones
 * (clock_gettime: user/vdso/vdso.map gives the alias through clock_gettime.S). */
long gettimeofday(struct vdso_timeval *, void *)
    __attribute__((weak, alias("__vdso_gettimeofday"), visibility("default")));
int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time"), visibility("default")));
long getcpu(unsigned *, unsigned *, void *)
    __attribute__((weak, alias("__vdso_getcpu"), visibility("default")));
