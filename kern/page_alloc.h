/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The physical page allocator: a binary buddy allocator over 4 KiB pages.
 *
 * Blocks are 2^order contiguous pages, naturally aligned, order 0 to
 * PAGE_MAX_ORDER. Memory is split in two zones at 4 GiB so that devices
 * that cannot address more than 32 bits get PAGE_BELOW_4G memory; other
 * requests take memory above 4 GiB first, to keep the low zone for them.
 *
 * All bookkeeping is in one metadata array (struct page_meta, 16 bytes per
 * page of [0, max_phys)) that the boot code carves out of RAM; free pages
 * themselves are never written (except for PAGE_ZERO), so host tests can use
 * made-up physical addresses. Page contents are reached only through
 * phys_to_virt() (x86_64/machine.h).
 *
 * Boot sequence:
 *	size = page_alloc_meta_size(max_phys);
 *	(carve size bytes out of RAM, at meta_phys)
 *	page_alloc_init(phys_to_virt(meta_phys), size, max_phys);
 *	page_alloc_add_free(start, end);   (for each free RAM range)
 *
 * Locking: one spinlock (page_alloc, LOCK_RANK_PAGE_ALLOC), taken with
 * interrupts disabled; every function may be called from any context once
 * init is done, with no lock of that rank or above held, and none blocks.
 * A double free, or a free of a block that was not allocated with that
 * address and order, is a kernel bug and panics.
 */
#ifndef KERN_PAGE_ALLOC_H
#define KERN_PAGE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "x86_64/machine.h"

/* Largest block: 2^10 pages = 4 MiB. */
#define PAGE_MAX_ORDER 10
#define PAGE_NR_ORDERS (PAGE_MAX_ORDER + 1)

/* page_alloc() flags. */
#define PAGE_ZERO 0x1     /* fill the block with zeros */
#define PAGE_BELOW_4G 0x2 /* the whole block below 4 GiB (32-bit DMA) */

/* Zones, indexes of the per-zone statistics. */
#define PAGE_ZONE_LOW 0  /* below 4 GiB */
#define PAGE_ZONE_HIGH 1 /* 4 GiB and above */
#define PAGE_NR_ZONES 2

/* The "no page" value of page frame number links. */
#define PAGE_PFN_NONE UINT32_MAX

/* Page states (pm_state). */
#define PAGE_STATE_NONE 0  /* not RAM given to the allocator */
#define PAGE_STATE_TAIL 1  /* inside a block, not its first page */
#define PAGE_STATE_FREE 2  /* first page of a free block */
#define PAGE_STATE_ALLOC 3 /* first page of an allocated block */

/*
 * Metadata of one physical page. Only the first page of a block carries
 * meaning. For a free block, pm_next/pm_prev link the free list of its
 * zone and order. For an allocated block, pm_next, pm_prev, pm_tag and
 * pm_data belong to the block's owner (the kernel heap keeps its slab
 * state there): page_alloc() clears them, page_free() ignores them.
 * pm_state and pm_order belong to the allocator, under its lock.
 */
struct page_meta {
	uint32_t pm_next; /* page frame number, or PAGE_PFN_NONE */
	uint32_t pm_prev;
	uint8_t pm_state; /* PAGE_STATE_* */
	uint8_t pm_order; /* order of the block it heads */
	uint16_t pm_tag;  /* owner's tag, 0 when none */
	uint32_t pm_data; /* owner's word */
};

_Static_assert(sizeof(struct page_meta) == 16, "page_meta must stay 16 bytes");

struct page_stats {
	uint64_t max_phys;                    /* as given to page_alloc_init() */
	uint64_t total_pages;                 /* pages given by page_alloc_add_free() */
	uint64_t free_pages;                  /* of those, free now */
	uint64_t zone_total[PAGE_NR_ZONES];   /* total_pages per zone */
	uint64_t zone_free[PAGE_NR_ZONES];    /* free_pages per zone */
	uint64_t free_blocks[PAGE_NR_ORDERS]; /* free blocks per order, all zones */
	uint64_t allocs;                      /* successful page_alloc() calls */
	uint64_t frees;                       /* page_free() calls */
	uint64_t failures;                    /* page_alloc() calls that returned 0 */
};

/*
 * Bytes of metadata needed for physical addresses [0, max_phys): 16 bytes
 * per page. Memory beyond 16 TiB (2^32 pages) is not managed.
 */
size_t page_alloc_meta_size(uint64_t max_phys);

/*
 * Starts the allocator with no free memory. meta is a virtual address of
 * meta_size bytes, at least page_alloc_meta_size(max_phys) (panics if not).
 * May be called again to start over (host tests); all earlier state is lost.
 */
void page_alloc_init(void *meta, size_t meta_size, uint64_t max_phys);

/*
 * Gives the RAM [start, end) to the allocator. The range is rounded inward
 * to whole pages and clipped to max_phys; empty ranges are ignored and
 * physical page 0 is never used. Pages already given by an earlier call
 * (overlapping firmware map entries) are skipped with a warning.
 */
void page_alloc_add_free(uint64_t start, uint64_t end);

/*
 * Allocates 2^order contiguous pages aligned to their size. Returns the
 * physical address of the first page, or 0 when no such block is free
 * (or order > PAGE_MAX_ORDER).
 */
uint64_t page_alloc(unsigned order, unsigned flags);

/*
 * Frees a block from page_alloc(), with the same order. Panics on a double
 * free, an address that is not the start of an allocated block, or a wrong
 * order.
 */
void page_free(uint64_t phys, unsigned order);

/*
 * Called by page_alloc() when it finds no block, without the allocator's
 * lock held, with the number of pages wanted; returns how many pages it gave
 * back with page_free() (then the allocation is tried once more). The
 * balloon driver installs one for DEFLATE_ON_OOM. Not called for requests
 * larger than PAGE_MAX_ORDER, nor while a call of it is running. It runs in
 * page_alloc()'s context, so with whatever locks the caller holds (the
 * heap's, paging's): it may take locks ranked between those and the
 * allocator's, and must only try (spin_trylock) any other.
 */
typedef unsigned page_oom_fn(unsigned npages);
void page_alloc_set_oom_hook(page_oom_fn *fn);

/* The smallest order whose block holds bytes (0 for 0 bytes). */
unsigned page_order_for(size_t bytes);

/* page_alloc()/page_free() of page_order_for(bytes); 0 if bytes is too big. */
uint64_t page_alloc_bytes(size_t bytes, unsigned flags);
void page_free_bytes(uint64_t phys, size_t bytes);

/* A snapshot of the counters (for the monitor's `mem`). */
void page_alloc_stats(struct page_stats *st);

/*
 * The metadata of the allocated block that starts at phys, for its owner to
 * use the owner fields; NULL if phys is not the start of an allocated block.
 */
struct page_meta *page_meta_get(uint64_t phys);

/*
 * The metadata of page frame pfn, unchecked: only for the owner of a block
 * it has already validated (e.g. to follow its own pm_next links).
 */
static inline struct page_meta *
page_meta_pfn(uint64_t pfn)
{
	extern struct page_meta *page_meta_arr;
	return &page_meta_arr[pfn];
}

#endif
