/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fault-recoverable copy instructions (x86_64/user_copy_asm.S), for the page fault handler. */
#ifndef X86_64_USER_COPY_H
#define X86_64_USER_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USER_COPY_FAULT (-2)

int64_t user_copy_bytes(void *dst, const void *src, size_t len);
int64_t user_copy_str(char *dst, const char *src, size_t max);

extern char user_copy_fault_start[], user_copy_fault_end[], user_copy_fault_recover[];

/* True when a kernel fault at pc is one of the copy instructions. */
static inline bool
user_copy_fault_at(uint64_t pc)
{
	return pc >= (uint64_t)user_copy_fault_start && pc < (uint64_t)user_copy_fault_end;
}

#endif
