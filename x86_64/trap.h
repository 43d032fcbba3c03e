/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The register frame every trap and interrupt stub builds, and the trap entry points. */
#ifndef X86_64_TRAP_H
#define X86_64_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "x86_64/trap_frame.h"

/* Pushed by x86_64/trap_entry.S, in this order (lowest address first). */
struct trap_frame {
	uint64_t rdi, rsi, rdx, r10, r8, r9; /* a syscall's arguments, in ABI order */
	uint64_t rax, rbx, rcx, rbp, r11, r12, r13, r14, r15;
	uint64_t vector, error;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap_frame layout is shared with assembly");
_Static_assert(__builtin_offsetof(struct trap_frame, rdi) == TF_RDI, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, r9) == TF_RDI + 5 * 8, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, rcx) == TF_RCX, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, r11) == TF_R11, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, rax) == TF_RAX, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == TF_VECTOR, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == TF_CS, "trap_frame.h");
_Static_assert(__builtin_offsetof(struct trap_frame, rsp) == TF_RSP, "trap_frame.h");

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

/* A user-half address that a user rip or segment base may hold (the lower canonical half). */
static inline bool
user_addr_canonical(uint64_t a)
{
	return a < 0x0000800000000000ULL;
}

/*
 * A test can catch the next kernel fault instead of panicking: the handler
 * gets the frame, decides where execution resumes (it sets tf->rip) and
 * returns true; false lets the fault panic as usual. trap_set_catch()
 * returns the previous hook. Used by the page-fault test.
 */
typedef bool (*trap_catch_fn)(struct trap_frame *tf);
trap_catch_fn trap_set_catch(trap_catch_fn fn);

/*
 * A test can catch the next exception from user mode before it becomes
 * user_exception(): the hook gets the frame and the Mach exception, code
 * and subcode, and returns true when it dealt with it (it may switch away
 * for good). Used by the user-mode test while no tasks exist.
 */
typedef bool (*trap_user_catch_fn)(struct trap_frame *tf, int exc, int code, uint64_t subcode);
trap_user_catch_fn trap_set_user_catch(trap_user_catch_fn fn);

/*
 * The way back to user mode, with interrupts off: the scheduler's
 * preemption point, and a user exception for a frame that no return
 * instruction can restore (non-canonical rip). Returns with interrupts off.
 */
void trap_user_return(struct trap_frame *tf);

#endif
