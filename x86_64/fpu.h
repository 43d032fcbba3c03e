/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-thread FPU and SSE state (x86_64/fpu.c). The kernel is built without
 * SSE and never touches these registers itself, so a thread's user FPU
 * state stays in the registers while it is in the kernel; machine_switch()
 * saves it with FXSAVE (or XSAVE where CPUID offers it) and loads the next
 * thread's (eager switching).
 *
 * An area starts with the 512-byte FXSAVE image in both cases (XSAVE's
 * legacy region has the same layout), so thread state reads it the same way.
 */
#ifndef X86_64_FPU_H
#define X86_64_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* The FXSAVE image (Intel SDM vol. 1, 10.5.1), 64-bit form. */
struct fxsave_area {
	uint16_t fx_fcw;
	uint16_t fx_fsw;
	uint8_t fx_ftw; /* abridged: one bit per physical register, 1 = not empty */
	uint8_t fx_reserved1;
	uint16_t fx_fop;
	uint64_t fx_fip;
	uint64_t fx_fdp;
	uint32_t fx_mxcsr;
	uint32_t fx_mxcsr_mask;
	uint8_t fx_st[8][16]; /* ST(0)..ST(7), 10 bytes used of each */
	uint8_t fx_xmm[16][16];
	uint8_t fx_reserved2[96];
} __attribute__((packed, aligned(16)));

_Static_assert(sizeof(struct fxsave_area) == 512, "FXSAVE image");

#define FPU_FCW_INIT 0x037f
#define FPU_MXCSR_INIT 0x1f80

/*
 * Sets this CPU up for user FPU and SSE (CR0.MP and NE on, EM and TS off;
 * CR4.OSFXSR and OSXMMEXCPT; OSXSAVE and XCR0 when the CPU has XSAVE) and
 * chooses the save format. Each CPU, at boot.
 */
void fpu_init_cpu(void);
/* True when areas are saved with XSAVE (else FXSAVE). */
bool fpu_uses_xsave(void);
/* The size of an area in bytes (512 with FXSAVE). */
uint32_t fpu_area_size(void);
/*
 * A new area holding the state a fresh thread starts with (x87 control
 * word 0x37f, MXCSR 0x1f80, all registers empty and zero), or NULL without
 * memory. fpu_area_free() gives it back.
 */
struct fxsave_area *fpu_area_alloc(void);
void fpu_area_free(struct fxsave_area *a);
/* Fills an area with the fresh state (the portable part, host-testable). */
void fpu_area_init(struct fxsave_area *a, uint32_t size, bool xsave);
/* Saves this CPU's FPU registers into a, and loads them from a. */
void fpu_save(struct fxsave_area *a);
void fpu_restore(const struct fxsave_area *a);

#endif
