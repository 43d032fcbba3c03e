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

	.section .note.GNU-stack, "", @progbits
