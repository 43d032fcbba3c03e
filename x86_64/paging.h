/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel page tables: the direct map of RAM, the kernel image with its
 * protections, and uncached device mappings.
 */
#ifndef X86_64_PAGING_H
#define X86_64_PAGING_H

#include <stddef.h>
#include <stdint.h>

#include "x86_64/layout.h"

#ifndef VMACH_HOST
/* The direct map: every byte of RAM at DIRECT_MAP_BASE + physical. */
static inline void *
phys_to_virt(uint64_t phys)
{
	return (void *)(phys + DIRECT_MAP_BASE);
}
#else
/* Host unit tests provide their own mapping (e.g. an arena). */
void *phys_to_virt(uint64_t phys);
#endif

/* Physical address of a direct-map or kernel-image address. */
uint64_t virt_to_phys(const void *va);

/*
 * Maps [phys, phys + size) uncached (device registers) and returns its
 * virtual address; the mapping stays for the kernel's life. Returns NULL
 * when the MMIO window is exhausted. May be called before and after
 * paging_init(); not from interrupt context.
 */
void *mmio_map(uint64_t phys, size_t size);

/*
 * Boot order: kmain gives paging a pool of free RAM (inside the first GiB,
 * which the boot tables map) for page tables, builds the final tables with
 * paging_init(), then starts the page allocator with the rest of RAM; from
 * then on tables come from the page allocator. paging_early_pool_close()
 * returns the pool's next free address (and its end in *end), so kmain
 * gives the unused part to the page allocator.
 */
void paging_set_early_pool(uint64_t start, uint64_t end);
uint64_t paging_early_pool_close(uint64_t *end);
void paging_init(uint64_t max_phys);

#endif
