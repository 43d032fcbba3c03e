// SPDX-License-Identifier: GPL-2.0-or-later
/* The host environment of vm/ tests (tests/host/vm_host.h). */
#include "host/vm_host.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/fake_pmap.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "vm/vm_amap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "x86_64/machine.h"

static uint8_t *arena;
static void *meta_buf;

void *
phys_to_virt(uint64_t phys)
{
	if (phys < VM_ARENA_PHYS || phys >= VM_ARENA_PHYS + VM_ARENA_SIZE)
		fail_msg("phys_to_virt(%#llx) outside the arena", (unsigned long long)phys);
	return arena + (phys - VM_ARENA_PHYS);
}

uint64_t
virt_to_phys(const void *va)
{
	const uint8_t *p = va;

	if (p < arena || p >= arena + VM_ARENA_SIZE)
		return UINT64_C(1) << 60;
	return VM_ARENA_PHYS + (uint64_t)(p - arena);
}

uint8_t *
vm_host_phys(uint64_t pa)
{
	return phys_to_virt(pa);
}

void
vm_host_start(uint64_t bytes)
{
	uint64_t max = VM_ARENA_PHYS + VM_ARENA_SIZE;
	size_t size = page_alloc_meta_size(max);

	if (!arena)
		arena = aligned_alloc(PAGE_SIZE << PAGE_MAX_ORDER, VM_ARENA_SIZE);
	assert_non_null(arena);
	free(meta_buf);
	meta_buf = malloc(size);
	assert_non_null(meta_buf);
	page_alloc_init(meta_buf, size, max);
	page_alloc_add_free(VM_ARENA_PHYS, VM_ARENA_PHYS + bytes);
	kmalloc_init();
	memset(arena, 0x77, bytes); /* stale data, as real RAM has */
}

uint64_t
vm_host_free_pages(void)
{
	struct page_stats st;

	kmalloc_reclaim();
	page_alloc_stats(&st);
	return st.free_pages;
}

/*
 * The pmap is a cache of the map: every page mapped in [start, end) must
 * be the page the map holds there, writable only when the entry allows
 * writing and the page is not shared copy-on-write.
 */
bool
vm_host_pmap_consistent(struct vm_map *map, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct vm_map_entry *e;
		uint64_t pa, want = 0;
		unsigned prot, flags;
		if (!fake_pmap_lookup(map->m_pmap, va, &pa, &prot, &flags))
			continue;
		if (!vm_map_lookup(map, va, &e) || (prot & ~e->e_prot))
			return false;
		if (e->e_object) {
			want = e->e_object->ob_pa + e->e_offset + (va - e->e_start);
		} else if (e->e_amap) {
			vm_amap_lock(e->e_amap);
			want =
			    vm_amap_get(e->e_amap, e->e_slot + ((va - e->e_start) >> PAGE_SHIFT));
			vm_amap_unlock(e->e_amap);
			if ((prot & VM_PROT_WRITE) && vm_page_refs(want) != 1)
				return false;
		}
		if (pa != want)
			return false;
	}
	return true;
}
