// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory start-up: pick a pool for the first page tables, build the final
 * page tables, then hand every free RAM page to the page allocator. Free
 * means RAM in the boot map, minus the first MiB (BIOS data, real-mode
 * structures and page 0), the kernel image, the boot modules, the page
 * tables' pool and the allocator's own metadata.
 */
#include "kern/mem_init.h"

#include "kern/boot_info.h"
#include "kern/boot_phase.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "x86_64/machine.h"

#define MAX_RESERVED (BOOT_MODULES_MAX + 8)
#define EARLY_POOL_SIZE (1ULL << 20)
#define BOOT_MAPPED_LIMIT (1ULL << 30) /* what x86_64/boot.S maps */

uint64_t mem_max_phys;

struct range {
	uint64_t start, end;
};
static struct range reserved[MAX_RESERVED];
static unsigned reserved_count;

static void
reserve(uint64_t start, uint64_t end)
{
	if (reserved_count == MAX_RESERVED)
		panic("mem_init: too many reserved ranges");
	reserved[reserved_count++] = (struct range){start, end};
}

/* The first reserved range overlapping [start, end), or NULL. */
static const struct range *
overlap(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < reserved_count; i++)
		if (reserved[i].start < end && start < reserved[i].end)
			return &reserved[i];
	return NULL;
}

/* A free, page-aligned stretch of size bytes below limit; panics when none. */
static uint64_t
find_free(uint64_t size, uint64_t limit)
{
	for (unsigned i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];
		if (r->type != BOOT_MEM_RAM)
			continue;
		uint64_t s = (r->start + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		while (s + size <= r->end && s + size <= limit) {
			const struct range *o = overlap(s, s + size);
			if (!o)
				return s;
			s = (o->end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		}
	}
	panic("mem_init: no free RAM for %lu bytes below %#lx", size, limit);
}

/* Gives [start, end) minus every reserved range to the page allocator. */
static void
add_free(uint64_t start, uint64_t end)
{
	while (start < end) {
		const struct range *o = overlap(start, end);
		if (!o) {
			page_alloc_add_free(start, end);
			return;
		}
		if (o->start > start)
			page_alloc_add_free(start, o->start);
		start = o->end;
	}
}

void
mem_init(void)
{
	reserve(0, 1 << 20);
	reserve(1 << 20, machine_image_end_phys());
	for (unsigned i = 0; i < boot_info.module_count; i++)
		reserve(boot_info.modules[i].start, boot_info.modules[i].end);
	for (unsigned i = 0; i < boot_info.mem_count; i++)
		if (boot_info.mem[i].type == BOOT_MEM_RAM && boot_info.mem[i].end > mem_max_phys)
			mem_max_phys = boot_info.mem[i].end;

	uint64_t pool = find_free(EARLY_POOL_SIZE, BOOT_MAPPED_LIMIT);
	reserve(pool, pool + EARLY_POOL_SIZE);
	paging_set_early_pool(pool, pool + EARLY_POOL_SIZE);
	paging_init(mem_max_phys);
	boot_phase_end("memory: paging");

	size_t meta_size = page_alloc_meta_size(mem_max_phys);
	uint64_t meta = find_free(meta_size, ~0ULL);
	reserve(meta, meta + meta_size);
	page_alloc_init(phys_to_virt(meta), meta_size, mem_max_phys);
	boot_phase_end("memory: page metadata");

	uint64_t pool_end, pool_next = paging_early_pool_close(&pool_end);
	reserved[reserved_count - 2].end = pool_next; /* the pool's unused tail is free RAM */
	for (unsigned i = 0; i < boot_info.mem_count; i++)
		if (boot_info.mem[i].type == BOOT_MEM_RAM)
			add_free(boot_info.mem[i].start, boot_info.mem[i].end);
	boot_phase_end("memory: free pages");

	struct page_stats st;
	page_alloc_stats(&st);
	log_info("mem: %lu MiB free of %lu MiB RAM (highest address %#lx)", st.free_pages >> 8,
	         st.total_pages >> 8, mem_max_phys);
}
