// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * FPU and SSE set-up and per-thread state (x86_64/fpu.h). XSAVE is used
 * when CPUID has it and its area is what XCR0 enables (x87, SSE and AVX);
 * otherwise FXSAVE alone, as on -cpu core2duo-v1 (the conformance runs).
 */
#include "x86_64/fpu.h"

#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/string.h"
#include "x86_64/cpu.h"

#define CR0_MP (1ULL << 1)
#define CR0_EM (1ULL << 2)
#define CR0_TS (1ULL << 3)
#define CR0_NE (1ULL << 5)
#define CR4_OSFXSR (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define CR4_OSXSAVE (1ULL << 18)
#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_AVX (1u << 28)
#define XCR0_X87 0x1
#define XCR0_SSE 0x2
#define XCR0_AVX 0x4
#define XSAVE_HEADER_OFF 512

static bool use_xsave;
static uint32_t area_size = sizeof(struct fxsave_area);
static uint64_t xcr0;

static void
write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static void
write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static void
xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

void
fpu_init_cpu(void)
{
	uint32_t a, b, c, d;

	write_cr0((read_cr(0) | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr(4) | CR4_OSFXSR | CR4_OSXMMEXCPT);
	cpuid(1, 0, &a, &b, &c, &d);
	if (c & CPUID1_ECX_XSAVE) {
		write_cr4(read_cr(4) | CR4_OSXSAVE);
		xcr0 = XCR0_X87 | XCR0_SSE | (c & CPUID1_ECX_AVX ? XCR0_AVX : 0);
		xsetbv(0, xcr0);
		cpuid(0xd, 0, &a, &b, &c, &d); /* ebx: the area size for the enabled XCR0 */
		use_xsave = true;
		area_size = b > XSAVE_HEADER_OFF + 64 ? b : XSAVE_HEADER_OFF + 64;
	}
	__asm__ volatile("fninit");
}

bool
fpu_uses_xsave(void)
{
	return use_xsave;
}

uint32_t
fpu_area_size(void)
{
	return area_size;
}

void
fpu_area_init(struct fxsave_area *a, uint32_t size, bool xsave)
{
	memset(a, 0, size);
	a->fx_fcw = FPU_FCW_INIT;
	a->fx_mxcsr = FPU_MXCSR_INIT;
	/*
	 * XSAVE header: x87 and SSE present in the image, so XRSTOR loads the
	 * control word and MXCSR above; other components start in their init
	 * state. Standard (not compacted) format.
	 */
	if (xsave)
		*(uint64_t *)((char *)a + XSAVE_HEADER_OFF) = XCR0_X87 | XCR0_SSE;
}

struct fxsave_area *
fpu_area_alloc(void)
{
	/* XSAVE needs 64-byte alignment; FXSAVE 16. */
	struct fxsave_area *a = kmalloc_aligned(area_size, 64);

	if (a)
		fpu_area_init(a, area_size, use_xsave);
	return a;
}

void
fpu_area_free(struct fxsave_area *a)
{
	kfree(a);
}

void
fpu_save(struct fxsave_area *a)
{
	if (use_xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(a), "a"((uint32_t)xcr0), "d"(0) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(a) : "memory");
}

void
fpu_restore(const struct fxsave_area *a)
{
	if (use_xsave)
		__asm__ volatile("xrstor64 (%0)"
		                 :
		                 : "r"(a), "a"((uint32_t)xcr0), "d"(0)
		                 : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(a) : "memory");
}
