/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Trap and interrupt entry stubs: one per vector. Each pushes a dummy error
 * code when the CPU did not, then its vector, then joins trap_common, which
 * saves the general registers as a struct trap_frame and calls
 * trap_dispatch(frame).
 */

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
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	/* %rbp still holds the interrupted code's frame pointer: backtraces go through it. */
	cld
	call trap_dispatch
	.global trap_return
trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	add $16, %rsp                       /* vector and error code */
	iretq
