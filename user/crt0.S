/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entry of every user program. The kernel starts a boot task here with
 * rsp pointing at argc, the argv pointers, NULL, the envp pointers, NULL
 * (MACH-ABI.md). Before anything changes them, the registers, rsp, rflags,
 * MXCSR and the x87 control word are kept in crt0_start_state (user/start.h)
 * so that a test can check what the kernel handed over.
 */
	.section .text.start, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	/* rax first: the stores below use no register. */
	movq	%rax, crt0_start_state + 0(%rip)
	movq	%rbx, crt0_start_state + 8(%rip)
	movq	%rcx, crt0_start_state + 16(%rip)
	movq	%rdx, crt0_start_state + 24(%rip)
	movq	%rsi, crt0_start_state + 32(%rip)
	movq	%rdi, crt0_start_state + 40(%rip)
	movq	%rbp, crt0_start_state + 48(%rip)
	movq	%rsp, crt0_start_state + 56(%rip)
	movq	%r8, crt0_start_state + 64(%rip)
	movq	%r9, crt0_start_state + 72(%rip)
	movq	%r10, crt0_start_state + 80(%rip)
	movq	%r11, crt0_start_state + 88(%rip)
	movq	%r12, crt0_start_state + 96(%rip)
	movq	%r13, crt0_start_state + 104(%rip)
	movq	%r14, crt0_start_state + 112(%rip)
	movq	%r15, crt0_start_state + 120(%rip)
	/* pushfq writes below argc, which stays intact. */
	pushfq
	popq	crt0_start_state + 128(%rip)
	stmxcsr	crt0_start_state + 136(%rip)
	fnstcw	crt0_start_state + 140(%rip)

	xorl	%ebp, %ebp		/* the end of frame-pointer chains */
	movq	%rsp, %rdi		/* crt0_main(the initial stack) */
	/* The ABI promises 16-byte alignment; be safe if a kernel does not. */
	andq	$-16, %rsp
	call	crt0_main
	ud2				/* crt0_main never returns */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
