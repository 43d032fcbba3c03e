/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding the vDSO (docs/vdso.md): its ELF header's address from the
 * auxiliary vector a boot task starts with (AT_SYSINFO_EHDR), and a symbol
 * of a given version in its dynamic symbol table, as glibc's dl-vdso does
 * on Linux. A task made by another task asks the kernel instead
 * (vmach_vdso_find, <vmach/vmach.h>).
 */
#ifndef USER_VDSO_H
#define USER_VDSO_H

#include <stdint.h>

#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_SYSINFO_EHDR 33

#define VDSO_VERSION "VMACH_1.0"

struct vdso_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
struct vdso_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};
typedef long vdso_clock_gettime_fn(long clk, struct vdso_timespec *ts);
typedef long vdso_gettimeofday_fn(struct vdso_timeval *tv, void *tz);
typedef int64_t vdso_time_fn(int64_t *t);
typedef long vdso_getcpu_fn(unsigned *cpu, unsigned *node, void *unused);

/* The value of auxiliary vector entry key (from the initial stack), or 0. */
uint64_t auxv_get(uint64_t key);
/*
 * The address of symbol name, defined with version (NULL: any) in the vDSO
 * whose ELF header is at base, or NULL. Checks the image as it goes.
 */
void *vdso_sym(uint64_t base, const char *name, const char *version);

#endif
