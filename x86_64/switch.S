/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stack switch, the core of machine_switch() (x86_64/thread.c):
 * saves the callee-saved registers on the old stack and its pointer in
 * *save_ksp, then continues on new_ksp where the same registers were saved
 * the same way (or made up by machine_thread_init_kernel()). The SysV ABI
 * lets the callee clobber every other register; the interrupt flag is the
 * caller's business (off across a switch).
 */
	.text
	.global switch_stacks
switch_stacks:                          /* (uint64_t *save_ksp, uint64_t new_ksp) */
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/*
 * Where a new thread's first switch returns: r12 = fn, r13 = arg (from its
 * made-up frame). fn must not return.
 */
	.global thread_trampoline
thread_trampoline:
	mov %r13, %rdi
	and $-16, %rsp
	xor %ebp, %ebp                      /* backtraces stop here */
	call *%r12
	ud2
