/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The syscall entry (LSTAR) and the first entry into user mode.
 *
 * syscall leaves the user rip in rcx and rflags in r11, and FMASK has
 * cleared IF, DF, TF, AC and NT. The entry swaps GS, moves to the thread's
 * kernel stack (%gs:CPU_OFF_KSTACK_TOP) and builds the same struct
 * trap_frame a trap from user mode builds, ending at the stack top, then
 * calls syscall_trap() (x86_64/trap.c). That returns with interrupts off,
 * and nonzero when sysret restores the frame exactly: rcx == rip,
 * r11 == rflags, a canonical user rip (the sysret #GP erratum) and no
 * RF/VM/TF. Otherwise the frame leaves through iretq like a trap's.
 *
 * What the user sees (GNU Mach keeps rbx, rbp, r12-r15 across a trap,
 * MACH-ABI.md): every register but rax survives, except rcx and r11,
 * which hold the return rip and rflags, as the instruction leaves them.
 */
#include "x86_64/gdt.h"
#include "x86_64/layout.h"
#include "x86_64/trap_frame.h"

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
	PUSH_GPRS
	mov %rsp, %rdi
	xor %ebp, %ebp                      /* backtraces stop here */
	call syscall_trap
	test %eax, %eax
	jz trap_return                      /* iretq, swapgs included */
	POP_GPRS                            /* rcx and r11 are the return rip and rflags */
	mov TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq

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
