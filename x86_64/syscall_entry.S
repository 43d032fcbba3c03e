/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The syscall entry (LSTAR) and the first entry into user mode.
 *
 * syscall leaves the user rip in rcx and rflags in r11, and FMASK has
 * cleared IF, DF, TF, AC and NT. The entry swaps GS, moves to the thread's
 * kernel stack (%gs:CPU_OFF_KSTACK_TOP) and builds the same struct
 * trap_frame a trap from user mode builds, ending at the stack top, then
 * calls syscall_dispatch() with interrupts on, stores its result in the
 * frame's rax and, with interrupts off, passes sched_preempt_point(). It
 * leaves with sysret when that restores the frame exactly: rcx == rip,
 * r11 == rflags, a user-half rip (the sysret #GP erratum), no RF/VM/TF
 * (cs and ss of a user frame are always the user selectors: the entries,
 * machine_thread_init_user and thread state write nothing else). Otherwise (thread state changed the frame, say) it
 * leaves through trap_user_return() and iretq like a trap. The whole path
 * is assembly because it is the hottest in the kernel (docs/usermode.md
 * has its cost).
 *
 * What the user sees (GNU Mach keeps rbx, rbp, r12-r15 across a trap,
 * MACH-ABI.md): every register but rax survives, except rcx and r11,
 * which hold the return rip and rflags, as the instruction leaves them.
 */
#include "x86_64/gdt.h"
#include "x86_64/layout.h"
#include "x86_64/trap_frame.h"

#define RFLAGS_NO_SYSRET ((1 << 8) | (1 << 16) | (1 << 17)) /* TF, RF, VM */

	.text
	.align 16
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:CPU_OFF_USER_RSP
	mov %gs:CPU_OFF_KSTACK_TOP, %rsp
	pushq $USER_SS
	pushq %gs:CPU_OFF_USER_RSP
	pushq %r11                          /* rflags */
	pushq $USER_CS
	pushq %rcx                          /* rip */
	pushq $0                            /* error */
	pushq $T_SYSCALL                    /* vector */
	/*
	 * A light trap (kern/user_entry.h, syscall_light[rax + 129]) never
	 * blocks, faults or touches thread state, so it runs with interrupts
	 * off on a frame that holds only what C may clobber: the six argument
	 * registers (restored, so nothing of the kernel's leaks), rip and
	 * rflags. rbx, rbp and r12-r15 stay in their registers: C keeps them.
	 * rcx and r11 are in the frame already, so they serve as scratch.
	 */
	lea 129(%rax), %rcx                 /* -129..-1 -> 0..128 (kern/syscall.c asserts the span) */
	cmp $128, %rcx
	ja 3f
	cmpb $0, syscall_light(%rcx)
	je 3f
	sub $(TF_VECTOR - TF_RAX), %rsp     /* rax..r15 slots: not written on this path */
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	mov %rax, %rdi
	mov %rsp, %rsi
	call syscall_dispatch
	cmpq $0, %gs:CPU_OFF_NEED_RESCHED
	jne 4f
	mov TF_RIP(%rsp), %rcx
	mov TF_RFLAGS(%rsp), %r11
	bt $47, %rcx                        /* a rip past the user half: sysret would #GP in ring 0 */
	jc 4f
	test $RFLAGS_NO_SYSRET, %r11d
	jnz 4f
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	mov TF_RSP - TF_RAX(%rsp), %rsp
	swapgs
	sysretq
	/* The light path must stop at the safe point or leave by iretq: complete the frame. */
4:	mov %rax, TF_RAX(%rsp)
	mov %rbx, TF_RBX(%rsp)
	mov %rbp, TF_RBP(%rsp)
	mov %r12, TF_R12(%rsp)
	mov %r13, TF_R13(%rsp)
	mov %r14, TF_R14(%rsp)
	mov %r15, TF_R15(%rsp)
	mov TF_RIP(%rsp), %rcx
	mov %rcx, TF_RCX(%rsp)
	mov TF_RFLAGS(%rsp), %r11
	mov %r11, TF_R11(%rsp)
	jmp 5f

	/* The full path: every register in the frame, interrupts on during the trap. */
3:	mov TF_RIP - TF_VECTOR(%rsp), %rcx /* the light check used it: the user's rcx is rip */
	PUSH_GPRS
	/* syscall_dispatch(rax, args): the frame starts with the six arguments in ABI order. */
	mov %rax, %rdi
	lea TF_RDI(%rsp), %rsi
	xor %ebp, %ebp                      /* backtraces stop here */
	sti
	call syscall_dispatch
	cli
	mov %rax, TF_RAX(%rsp)
5:	cmpq $0, %gs:CPU_OFF_NEED_RESCHED   /* nothing for the safe point: skip the call */
	je 2f
	call sched_preempt_point
2:
	/* sysret restores rip from rcx and rflags from r11: only if the frame agrees. */
	mov TF_RIP(%rsp), %rcx
	cmp %rcx, TF_RCX(%rsp)
	jne 1f
	mov TF_RFLAGS(%rsp), %r11
	cmp %r11, TF_R11(%rsp)
	jne 1f
	test $RFLAGS_NO_SYSRET, %r11d
	jnz 1f
	shr $47, %rcx                       /* a user-half rip: no sysret #GP in ring 0 */
	jnz 1f
	POP_GPRS
	mov TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq
	/* Anything else leaves like a trap: the C checks, then iretq. */
1:	mov %rsp, %rdi
	call trap_user_return
	jmp trap_return

/*
 * machine_thread_enter_user(): the current thread's first entry into user
 * mode, through its frame at the top of its kernel stack; iretq, since the
 * frame's rcx and r11 are zero.
 */
	.global machine_thread_enter_user
machine_thread_enter_user:
	cli
	mov %gs:CPU_OFF_KSTACK_TOP, %rsp
	sub $TF_SIZE, %rsp
	mov %rsp, %rdi
	xor %ebp, %ebp
	call trap_user_return
	/* Boot time (x86_64/first_user.c): the first thread ever to get here is stamped. */
	cmpq $0, machine_first_user_cycles(%rip)
	jne trap_return
	call machine_first_user_note
	jmp trap_return
