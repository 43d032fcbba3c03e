/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turning the boot memory map into page tables and the page allocator. */
#ifndef KERN_MEM_INIT_H
#define KERN_MEM_INIT_H

#include <stdint.h>

/* Highest RAM address + 1, from the boot memory map. */
extern uint64_t mem_max_phys;

void mem_init(void);

#endif
