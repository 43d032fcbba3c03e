/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The instructions that touch user memory for copyin, copyout and
 * copyinstr (x86_64/user_copy.c). They lie between user_copy_fault_start
 * and user_copy_fault_end: a page fault there is resolved through the VM
 * and the instruction retried, or, if the VM cannot, the fault handler
 * resumes at user_copy_fault_recover, which returns USER_COPY_FAULT.
 * Both routines are leaves that keep nothing on the stack, so recovery is
 * a plain return. rep movsq, rep movsb and the byte loop keep their
 * progress in registers, so a retry continues where the fault stopped.
 * Eight bytes a step where it can: under icount each step of a rep
 * instruction counts, and messages are copied in and out whole.
 */
#define USER_COPY_FAULT -2

	.text
	.global user_copy_bytes, user_copy_str
	.global user_copy_fault_start, user_copy_fault_end, user_copy_fault_recover

/* int64_t user_copy_bytes(void *dst, const void *src, size_t len): 0 or USER_COPY_FAULT */
user_copy_bytes:
	mov %rdx, %rcx
	shr $3, %rcx
	and $7, %edx
user_copy_fault_start:
	rep movsq
	mov %rdx, %rcx
	rep movsb
	xor %eax, %eax
	ret

/*
 * int64_t user_copy_str(char *dst, const char *src, size_t max): the
 * length before the NUL (copied too), -1 when none is within max bytes,
 * or USER_COPY_FAULT.
 */
user_copy_str:
	xor %eax, %eax
1:	cmp %rdx, %rax
	jae 3f
	movb (%rsi,%rax), %cl
	movb %cl, (%rdi,%rax)
	test %cl, %cl
	jz 2f
	inc %rax
	jmp 1b
2:	ret
3:	mov $-1, %rax
	ret
user_copy_fault_end:

user_copy_fault_recover:
	mov $USER_COPY_FAULT, %rax
	ret
