/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock_gettime, the vDSO's hot path, in assembly because its length is
 * the point (docs/vdso.md, "Costs": 23 instructions with the call for
 * CLOCK_MONOTONIC or CLOCK_REALTIME). The vvar's fields are reached
 * RIP-relative at fixed offsets from vvar_page (user/vdso/vdso.lds).
 *
 * long __vdso_clock_gettime(clockid_t clk (edi), struct timespec *ts (rsi))
 *
 * One read (READ_CLOCK): the sequence counter with its two flag bits
 * cleared is what the end must see again, so a write in progress (odd) or
 * the slow flag fails the final compare; the retry path tells them apart.
 * Then ns = base.nsec + ((rdtsc - tsc_base) * mult) >> 32 (mulq: a 128-bit
 * product, so no delta overflows it), and the carry into the seconds.
 */
#include "kern/vvar.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME 7

#define V(off) vvar_page + (off)(%rip)

.macro READ_CLOCK base
1:	movl	V(VVAR_OFF_SEQ), %r9d
	andl	$~VVAR_SEQ_MASK, %r9d
	lfence				/* rdtsc after the counter's load */
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	subq	V(VVAR_OFF_TSC_BASE), %rax
	mulq	V(VVAR_OFF_MULT)	/* rdx:rax = delta * mult */
	shrdq	$VVAR_SHIFT, %rdx, %rax
	addq	V(\base + 8), %rax	/* + base.nsec */
	movq	V(\base), %rcx		/* base.sec */
	cmpl	V(VVAR_OFF_SEQ), %r9d
	jne	3f
2:	cmpq	$999999999, %rax
	ja	4f
	movq	%rcx, (%rsi)
	movq	%rax, 8(%rsi)
	xorl	%eax, %eax
	ret
3:	testb	$VVAR_SEQ_SLOW, V(VVAR_OFF_SEQ)
	jnz	.Lslow
	pause
	jmp	1b
4:	subq	$1000000000, %rax	/* only after a stalled tick: loop */
	incq	%rcx
	jmp	2b
.endm

	.text
	.globl	__vdso_clock_gettime
	.type	__vdso_clock_gettime, @function
	.weak	clock_gettime
	.type	clock_gettime, @function
	.set	clock_gettime, __vdso_clock_gettime
	.globl	vdso_clock_gettime_hidden
	.hidden	vdso_clock_gettime_hidden
__vdso_clock_gettime:
vdso_clock_gettime_hidden:
	cmpl	$CLOCK_MONOTONIC, %edi
	ja	.Lother			/* unsigned: negative ids (CPU clocks) too */
	jne	.Lrealtime
.Lmono:
	READ_CLOCK VVAR_OFF_MONO
.Lrealtime:
	READ_CLOCK VVAR_OFF_REAL
.Lother:
	/* No rate correction and no suspend here: RAW and BOOTTIME are MONOTONIC. */
	cmpl	$CLOCK_MONOTONIC_RAW, %edi
	je	.Lmono
	cmpl	$CLOCK_BOOTTIME, %edi
	je	.Lmono
.Lslow:
	/* The kernel's clocks through the trap: other ids, or a TSC not trusted. */
	movq	$VMACH_TRAP_CLOCK_GETTIME, %rax
	movslq	%edi, %rdi
	syscall
	testl	%eax, %eax
	jz	5f
	cmpl	$1, %eax		/* KERN_INVALID_ADDRESS */
	movq	$-VMACH_EFAULT, %rax
	movq	$-VMACH_EINVAL, %rdx
	cmovneq	%rdx, %rax
5:	ret
	.size	__vdso_clock_gettime, . - __vdso_clock_gettime

	.section .note.GNU-stack, "", @progbits
