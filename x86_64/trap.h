/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The register frame every trap and interrupt stub builds, and the trap entry points. */
#ifndef X86_64_TRAP_H
#define X86_64_TRAP_H

#include <stdbool.h>
#include <stdint.h>

/* Pushed by x86_64/trap_entry.S, in this order (lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8,
               "trap_frame layout is shared with trap_entry.S");

#define T_DIVIDE 0
#define T_DEBUG 1
#define T_NMI 2
#define T_BREAKPOINT 3
#define T_DOUBLE_FAULT 8
#define T_GP 13
#define T_PAGE_FAULT 14
#define T_FIRST_IRQ 32

/* Page fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_RSVD 0x8
#define PF_FETCH 0x10

void trap_init(void); /* GDT, TSS and IDT for the boot CPU */

/*
 * A test can catch the next kernel fault instead of panicking: the handler
 * gets the frame, decides where execution resumes (it sets tf->rip) and
 * returns true; false lets the fault panic as usual. trap_set_catch()
 * returns the previous hook. Used by the page-fault test.
 */
typedef bool (*trap_catch_fn)(struct trap_frame *tf);
trap_catch_fn trap_set_catch(trap_catch_fn fn);

#endif
