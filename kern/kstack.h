/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stacks: KSTACK_SIZE bytes each, mapped in the kernel-stack area
 * (x86_64/layout.h) with an unmapped guard page below, so an overflow
 * faults at once instead of corrupting the memory below.
 */
#ifndef KERN_KSTACK_H
#define KERN_KSTACK_H

#include <mach/kern_return.h>
#include <stdint.h>

/* A new stack; *base is its lowest address, the top is base + KSTACK_SIZE. */
kern_return_t kstack_alloc(uint64_t *base);
void kstack_free(uint64_t base);
/* Whether addr lies in the guard page of some stack (for the fault report). */
int kstack_is_guard(uint64_t addr);

#endif
