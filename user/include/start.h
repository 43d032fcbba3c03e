/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the kernel handed to _start, kept by user/crt0.S before any change. */
#ifndef USER_START_H
#define USER_START_H

#include <stdint.h>

/* The layout is fixed: crt0.S stores at these offsets. */
struct crt0_start_state {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp; /* 0 .. 56 */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;   /* 64 .. 120 */
	uint64_t rflags;                                 /* 128 */
	uint32_t mxcsr;                                  /* 136 */
	uint16_t fpu_cw;                                 /* 140: the x87 control word */
	uint16_t pad;
};

_Static_assert(__builtin_offsetof(struct crt0_start_state, rflags) == 128, "crt0.S offsets");
_Static_assert(__builtin_offsetof(struct crt0_start_state, mxcsr) == 136, "crt0.S offsets");
_Static_assert(__builtin_offsetof(struct crt0_start_state, fpu_cw) == 140, "crt0.S offsets");

extern struct crt0_start_state crt0_start_state;

/* The program's own environment (envp from the initial stack). */
extern char **environ;

/* From user/user.ld: the program's segments and its end (page-aligned). */
extern char __user_text_start[], __user_rodata_start[], __user_data_start[];
extern char __user_tail[], _end[];

#endif
