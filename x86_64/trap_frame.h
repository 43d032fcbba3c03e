/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The struct trap_frame layout for assembly (x86_64/trap.h has the C
 * struct and checks these offsets against it), and the macros that push
 * and pop its general registers. The trap stubs and the syscall entry both
 * build it, ending at the top of the thread's kernel stack when they come
 * from user mode, so thread state always reads one frame.
 */
#ifndef X86_64_TRAP_FRAME_H
#define X86_64_TRAP_FRAME_H

#define TF_RCX (12 * 8)
#define TF_R11 (4 * 8)
#define TF_RAX (14 * 8)
#define TF_VECTOR (15 * 8)
#define TF_ERROR (16 * 8)
#define TF_RIP (17 * 8)
#define TF_CS (18 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP (20 * 8)
#define TF_SS (21 * 8)
#define TF_SIZE (22 * 8)

/* Not an IDT vector: marks a frame built by the syscall entry. */
#define T_SYSCALL 256

#ifdef __ASSEMBLY__
/* clang-format off */
.macro PUSH_GPRS
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
.endm

.macro POP_GPRS
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
.endm
/* clang-format on */
#endif

#endif
