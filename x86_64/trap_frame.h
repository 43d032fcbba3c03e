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

#define TF_RDI 0 /* rdi, rsi, rdx, r10, r8, r9: a syscall's arguments, in ABI order */
#define TF_RAX (6 * 8)
#define TF_RBX (7 * 8)
#define TF_RCX (8 * 8)
#define TF_RBP (9 * 8)
#define TF_R11 (10 * 8)
#define TF_R12 (11 * 8)
#define TF_R13 (12 * 8)
#define TF_R14 (13 * 8)
#define TF_R15 (14 * 8)
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
	pushq %r15
	pushq %r14
	pushq %r13
	pushq %r12
	pushq %r11
	pushq %rbp
	pushq %rcx
	pushq %rbx
	pushq %rax
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
.endm

.macro POP_GPRS
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	popq %rax
	popq %rbx
	popq %rcx
	popq %rbp
	popq %r11
	popq %r12
	popq %r13
	popq %r14
	popq %r15
.endm
/* clang-format on */
#endif

#endif
