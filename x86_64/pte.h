/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page-table entry bits (Intel SDM vol. 3, 4.5) and what x86_64/paging.c
 * (the kernel tables) shares with x86_64/pmap.c (the per-task tables).
 * Private to x86_64/.
 */
#ifndef X86_64_PTE_H
#define X86_64_PTE_H

#include <mach/kern_return.h>
#include <stdint.h>

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
#define LARGE_PAGE (2ULL << 20)

/*
 * Cache types through the PAT (programmed by paging_init): PAT index 1
 * (PWT alone) is write-combining, index 3 (PCD|PWT) uncached, as in the
 * power-on PAT; index 0 stays write-back.
 */
#define PTE_CACHE_WC PTE_PWT
#define PTE_CACHE_UC (PTE_PCD | PTE_PWT)

/* The first top-level slot of the kernel half. */
#define PML4_KERNEL_FIRST 256

/* The kernel's top-level table (a direct-map address), set by paging_init. */
uint64_t *paging_kernel_pml4(void);

/*
 * Allocates every missing top-level entry of the kernel half (255 or so
 * PDPT pages, 1 MiB: taken from the page allocator at the first
 * pmap_create rather than from the boot pool, so a machine that never runs
 * a task does not pay for them). Idempotent. KERN_RESOURCE_SHORTAGE when
 * memory is short (the entries made so far stay).
 */
kern_return_t paging_kernel_half_fill(void);

/*
 * Maps one kernel-half page at va (outside the direct map, the image and
 * the MMIO window) with the given PTE flags, replacing what was there, or
 * unmaps it; both flush this CPU's TLB entry. Under the paging lock.
 * paging_kmap returns KERN_RESOURCE_SHORTAGE when a table cannot be had.
 */
kern_return_t paging_kmap(uint64_t va, uint64_t pa, uint64_t flags);
void paging_kunmap(uint64_t va);

struct pmap;
/* A pmap's mapped pages, wired pages and user-half table pages (tests, monitor). */
void pmap_counts(struct pmap *pmap, uint64_t *resident, uint64_t *wired, uint64_t *tables);

#endif
