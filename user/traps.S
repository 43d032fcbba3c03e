/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The trap stubs, generated from GNU Mach's own table: <mach/syscall_sw.h>
 * lists every trap as kernel_trap(name, number, argc), so the numbers are
 * never typed here. Its machine part (<mach/machine/syscall_sw.h>) would
 * define kernel_trap with GNU Mach's asm.h; marking that header as already
 * included lets this file give its own definition. make preprocesses this
 * file into build/user/traps.s (readable) and assembles that.
 *
 * Each stub: rax = the trap number, the fourth C argument (rcx, which
 * `syscall` overwrites with the return address) moved to r10, syscall, ret.
 * Arguments 5 and 6 are already in r8 and r9. A 7th and later C argument
 * is on the caller's stack at [rsp+8] on entry to the stub (above the return
 * address), which is where the kernel reads the 7th: so the stub must not
 * push anything. Each stub has its own section so the linker drops the
 * unused ones (--gc-sections).
 */
#define _MACH_X86_64_SYSCALL_SW_H_ 1

#define kernel_trap(name, number, argc)	\
	.set name ## _number, number;	\
	.section .text.trap.name, "ax", @progbits; \
	.globl name;			\
	.type name, @function;		\
name:					\
	movq $ number, %rax;		\
	movq %rcx, %r10;		\
	syscall;			\
	ret;				\
	.size name, . - name;

#include <mach/syscall_sw.h>

/*
 * mach_msg() (<mach/mach_traps.h>): the trap, retried when it was
 * interrupted part-way, as glibc does. The common case, no interruption,
 * is the trap alone: the arguments stay where the caller put them (the
 * 7th at [rsp+8]) and are kept in the red zone, which no trap writes, for
 * a retry (the kernel need not keep the argument registers). An
 * interrupted send or receive goes on in C with the same arguments
 * (user/libc/mig_support.c).
 */
	.section .text.mach_msg, "ax", @progbits
	.globl mach_msg
	.type mach_msg, @function
mach_msg:
	movq %rdi, -8(%rsp)
	movl %esi, -12(%rsp)
	movl %edx, -16(%rsp)
	movl %ecx, -20(%rsp)
	movl %r8d, -24(%rsp)
	movl %r9d, -28(%rsp)
	movq $ mach_msg_trap_number, %rax
	movq %rcx, %r10
	syscall
	cmpl $0x10000007, %eax              /* MACH_SEND_INTERRUPTED (asserted in mig_support.c) */
	je 1f
	cmpl $0x10004005, %eax              /* MACH_RCV_INTERRUPTED */
	je 1f
	ret
	/* mach_msg_retry(r, msg, option, send_size, rcv_size, rcv_name, timeout, notify). */
1:	movl %eax, %edi
	movq -8(%rsp), %rsi
	movl -12(%rsp), %edx
	movl -16(%rsp), %ecx
	movl -20(%rsp), %r8d
	movl -24(%rsp), %r9d
	movl -28(%rsp), %eax
	subq $8, %rsp                       /* the call's 16-byte alignment */
	pushq 16(%rsp)                      /* notify, the 8th argument */
	pushq %rax                          /* timeout, the 7th */
	call mach_msg_retry
	addq $24, %rsp
	ret
	.size mach_msg, . - mach_msg

	.section .note.GNU-stack, "", @progbits
