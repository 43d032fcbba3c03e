/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Trap and interrupt entry stubs: one per vector. Each pushes a dummy error
 * code when the CPU did not, then its vector, then joins trap_common, which
 * saves the general registers as a struct trap_frame and calls
 * trap_dispatch(frame).
 *
 * GS: in user mode GS base is the thread's; the kernel's per-CPU pointer
 * waits in MSR_KERNEL_GS_BASE. A trap from user mode (saved cs has RPL 3)
 * swaps them on entry and back on exit. NMI and double fault may arrive
 * anywhere, even between a swapgs and the iretq or sysret after it, so they
 * look at GS base itself: a kernel address (sign bit set) means the
 * kernel's is loaded. Users cannot set a kernel-half base (thread state
 * refuses it).
 */
#include "x86_64/gdt.h"
#include "x86_64/trap_frame.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.align 16
	.global trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if HAS_ERR(vec)
	nop; nop
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	cmpq $2, (%rsp)                     /* NMI */
	je trap_paranoid
	cmpq $8, (%rsp)                     /* double fault */
	je trap_paranoid
	testb $3, TF_CS - TF_VECTOR(%rsp)
	jz 1f
	swapgs
1:	PUSH_GPRS
	mov %rsp, %rdi
	/* %rbp still holds the interrupted code's frame pointer: backtraces go through it. */
	cld
	call trap_dispatch
	.global trap_return
trap_return:
	POP_GPRS
	add $16, %rsp                       /* vector and error code */
	testb $3, 8(%rsp)                   /* the saved cs */
	jz 2f
	swapgs
2:	iretq

trap_paranoid:
	PUSH_GPRS
	xor %ebx, %ebx                      /* callee-saved: survives trap_dispatch */
	mov $0xc0000101, %ecx               /* MSR_GS_BASE */
	rdmsr
	test %edx, %edx
	js 3f
	swapgs
	mov $1, %ebx
3:	mov %rsp, %rdi
	cld
	call trap_dispatch
	test %ebx, %ebx
	jz 4f
	swapgs
4:	POP_GPRS
	add $16, %rsp
	iretq
