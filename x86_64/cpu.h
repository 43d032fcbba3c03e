/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thin wrappers around x86_64 instructions for the machine code: MSRs,
 * control registers, CPUID. What the rest of the kernel may use (the
 * interrupt flag, port I/O) is in machine.h, included here.
 */
#ifndef X86_64_CPU_H
#define X86_64_CPU_H

#include <stdint.h>

#include "x86_64/machine.h"

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void
cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

/* Control register n (a literal: 0, 2, 3 or 4). */
#define read_cr(n)                                                                                 \
	({                                                                                         \
		uint64_t cr_;                                                                      \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(cr_));                                \
		cr_;                                                                               \
	})

static inline void
write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void
invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

#define MSR_EFER 0xc0000080
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102 /* swapgs exchanges it with GS base */
#define MSR_APIC_BASE 0x1b

#endif
