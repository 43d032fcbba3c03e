// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vm_* operations on maps (vm/vm_user.h): allocation, protection,
 * inheritance, regions, wiring, contiguous memory, statistics. The copies
 * (vm_read, vm_write, vm_copy) are in vm/vm_copy.c.
 */
#include "vm/vm_user.h"

#include <mach/vm_wire.h>

#include "kern/page_alloc.h"
#include "vm/vm_amap.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "x86_64/machine.h"

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static uint64_t
trunc_page(uint64_t a)
{
	return a & ~PAGE_MASK;
}

/* round_page, which wraps to 0 past the top like GNU Mach's. */
static uint64_t
round_page(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

/* Faults in every page of e for wiring, or unwires it (wire false). Map locked. */
static kern_return_t
wire_entry(struct vm_map *map, struct vm_map_entry *e, bool wire)
{
	uint64_t pa;

	if (!wire) {
		if (--e->e_wired == 0) {
			/* Drop the wired mappings: faults map the pages again, unwired. */
			pmap_remove(map->m_pmap, e->e_start, e->e_end);
			vm_count(&vm_counters.vc_wired, -(int64_t)vm_entry_pages(e));
		}
		return KERN_SUCCESS;
	}
	if (e->e_wired++)
		return KERN_SUCCESS;
	for (uint64_t va = e->e_start; va < e->e_end; va += PAGE_SIZE) {
		/* With write access a copy-on-write page is copied now: no fault later. */
		kern_return_t kr = vm_fault_entry(map, e, va, e->e_prot, &pa);
		if (kr != KERN_SUCCESS) {
			e->e_wired = 0;
			pmap_remove(map->m_pmap, e->e_start, e->e_end);
			return kr;
		}
	}
	vm_count(&vm_counters.vc_wired, (int64_t)vm_entry_pages(e));
	return KERN_SUCCESS;
}

kern_return_t
vm_allocate(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere)
{
	struct vm_map_entry *e;
	uint64_t start, f;
	kern_return_t kr;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*addr = 0;
		return KERN_SUCCESS;
	}
	start = anywhere ? 0 : trunc_page(*addr);
	if (round_page(size) == 0) /* wrapped: no map holds it */
		return anywhere ? KERN_NO_SPACE : KERN_INVALID_ADDRESS;
	size = round_page(size);
	f = vm_map_lock(map);
	kr = vm_map_find_space(map, &start, size, anywhere);
	if (kr == KERN_SUCCESS)
		kr = vm_map_insert(map, start, start + size, NULL, 0, NULL, 0, VM_PROT_DEFAULT,
		                   VM_PROT_ALL, VM_INHERIT_DEFAULT, &e);
	if (kr == KERN_SUCCESS && map->m_wire_future) {
		struct vm_map_entry *w;
		if (vm_map_clip(map, start, start + size, &w) == KERN_SUCCESS && w)
			kr = wire_entry(map, w, true);
		if (kr != KERN_SUCCESS)
			vm_map_remove_locked(map, start, start + size);
	}
	vm_map_unlock(map, f);
	if (kr == KERN_SUCCESS)
		*addr = start;
	return kr;
}

kern_return_t
vm_deallocate(struct vm_map *map, uint64_t start, uint64_t size)
{
	kern_return_t kr;
	uint64_t f;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	f = vm_map_lock(map);
	kr = vm_map_remove_locked(map, trunc_page(start), round_page(start + size));
	vm_map_unlock(map, f);
	return kr;
}

/* Applies fn to each entry of [start, end) after clipping, then merges what became alike. */
static kern_return_t
for_range(struct vm_map *map, uint64_t start, uint64_t end,
          void (*fn)(struct vm_map *, struct vm_map_entry *, uint64_t), uint64_t arg)
{
	struct vm_map_entry *e;
	kern_return_t kr;

	vm_map_clamp(map, &start, &end);
	if (start == end)
		return KERN_SUCCESS;
	if ((kr = vm_map_clip(map, start, end, &e)) != KERN_SUCCESS)
		return kr;
	for (; e && e->e_start < end; e = e->e_next)
		fn(map, e, arg);
	vm_map_merge_range(map, start, end);
	return KERN_SUCCESS;
}

static void
set_prot(struct vm_map *map, struct vm_map_entry *e, uint64_t arg)
{
	vm_prot_t prot = (vm_prot_t)(arg & VM_PROT_ALL);

	if (arg >> 32) { /* set the maximum */
		e->e_maxprot = prot;
		e->e_prot &= prot;
	} else {
		e->e_prot = prot;
	}
	/* Lowering takes effect at once; raising, at the next fault. */
	pmap_protect(map->m_pmap, e->e_start, e->e_end, e->e_prot);
}

kern_return_t
vm_protect(struct vm_map *map, uint64_t start, uint64_t size, bool set_maximum, vm_prot_t prot)
{
	struct vm_map_entry *e;
	uint64_t end, f;
	kern_return_t kr = KERN_SUCCESS;

	if (!map || (prot & ~(VM_PROT_ALL | VM_PROT_NOTIFY)))
		return KERN_INVALID_ARGUMENT;
	prot &= VM_PROT_ALL;
	start = trunc_page(start);
	end = round_page(start + size);
	f = vm_map_lock(map);
	vm_map_clamp(map, &start, &end);
	/* First every entry is checked: all or nothing. */
	if (start < end) {
		if (!vm_map_lookup(map, start, &e))
			e = e ? e->e_next : map->m_first;
		for (; e && e->e_start < end; e = e->e_next)
			if (prot & ~e->e_maxprot)
				kr = KERN_PROTECTION_FAILURE;
	}
	if (kr == KERN_SUCCESS)
		kr = for_range(map, start, end, set_prot,
		               (uint64_t)prot | (uint64_t)set_maximum << 32);
	vm_map_unlock(map, f);
	return kr;
}

static void
set_inherit(struct vm_map *map, struct vm_map_entry *e, uint64_t arg)
{
	e->e_inherit = (vm_inherit_t)arg;
}

kern_return_t
vm_inherit(struct vm_map *map, uint64_t start, uint64_t size, vm_inherit_t inherit)
{
	kern_return_t kr;
	uint64_t f;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if (inherit != VM_INHERIT_SHARE && inherit != VM_INHERIT_COPY && inherit != VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	start = trunc_page(start);
	f = vm_map_lock(map);
	kr = for_range(map, start, round_page(start + size), set_inherit, (uint64_t)inherit);
	vm_map_unlock(map, f);
	return kr;
}

kern_return_t
vm_region(struct vm_map *map, uint64_t *addr, uint64_t *size, vm_prot_t *prot, vm_prot_t *max_prot,
          vm_inherit_t *inherit, bool *shared, uint64_t *offset)
{
	struct vm_map_entry *e;
	uint64_t f;
	kern_return_t kr = KERN_SUCCESS;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	f = vm_map_lock(map);
	if (!vm_map_lookup(map, *addr, &e))
		e = e ? e->e_next : map->m_first;
	if (!e) {
		kr = KERN_NO_SPACE;
	} else {
		*addr = e->e_start;
		*size = e->e_end - e->e_start;
		*prot = e->e_prot;
		*max_prot = e->e_maxprot;
		*inherit = e->e_inherit;
		*shared =
		    (e->e_amap && e->e_amap->am_shared) ||
		    (e->e_object && __atomic_load_n(&e->e_object->ob_ref, __ATOMIC_RELAXED) > 1);
		*offset = e->e_object ? e->e_offset : e->e_slot << PAGE_SHIFT;
	}
	vm_map_unlock(map, f);
	return kr;
}

/* Wires or unwires every entry of [start, end), which has no hole. Map locked. */
static kern_return_t
wire_range(struct vm_map *map, uint64_t start, uint64_t end, bool wire)
{
	struct vm_map_entry *e;
	kern_return_t kr;

	if ((kr = vm_map_clip(map, start, end, &e)) != KERN_SUCCESS)
		return kr;
	for (; e && e->e_start < end; e = e->e_next) {
		if ((kr = wire_entry(map, e, wire)) != KERN_SUCCESS) {
			/* Undo the entries wired so far. */
			for (e = e->e_prev; e && e->e_start >= start; e = e->e_prev)
				wire_entry(map, e, false);
			return kr;
		}
	}
	return KERN_SUCCESS;
}

kern_return_t
vm_wire(struct vm_map *map, uint64_t start, uint64_t size, vm_prot_t access)
{
	struct vm_map_entry *e;
	uint64_t end, f;
	kern_return_t kr = KERN_SUCCESS;

	if (!map || (access & ~VM_PROT_ALL))
		return KERN_INVALID_ARGUMENT;
	start = trunc_page(start);
	end = round_page(start + size);
	f = vm_map_lock(map);
	vm_map_clamp(map, &start, &end);
	if (start == end)
		goto out;
	if (!vm_map_lookup(map, start, &e)) {
		kr = KERN_INVALID_ADDRESS;
		goto out;
	}
	if (!vm_map_covered(map, start, end)) {
		kr = KERN_INVALID_ARGUMENT;
		goto out;
	}
	for (; e && e->e_start < end; e = e->e_next) {
		if (access != VM_PROT_NONE && (access & ~e->e_prot))
			kr = KERN_PROTECTION_FAILURE;
		else if (access == VM_PROT_NONE && !e->e_wired)
			kr = KERN_INVALID_ARGUMENT;
	}
	if (kr == KERN_SUCCESS)
		kr = wire_range(map, start, end, access != VM_PROT_NONE);
	vm_map_merge_range(map, start, end);
out:
	vm_map_unlock(map, f);
	return kr;
}

kern_return_t
vm_wire_all(struct vm_map *map, int flags)
{
	kern_return_t kr = KERN_SUCCESS;
	uint64_t f;

	if (!map || (flags & ~VM_WIRE_ALL))
		return KERN_INVALID_ARGUMENT;
	f = vm_map_lock(map);
	if (flags == VM_WIRE_NONE) {
		for (struct vm_map_entry *e = map->m_first; e; e = e->e_next)
			while (e->e_wired)
				wire_entry(map, e, false);
	} else if (flags & VM_WIRE_CURRENT) {
		struct vm_map_entry *e = map->m_first;
		for (; e && kr == KERN_SUCCESS; e = e->e_next)
			if (e->e_prot != VM_PROT_NONE && !e->e_wired)
				kr = wire_entry(map, e, true);
	}
	if (kr == KERN_SUCCESS)
		map->m_wire_future = (flags & VM_WIRE_FUTURE) != 0;
	vm_map_unlock(map, f);
	return kr;
}

kern_return_t
vm_allocate_contiguous(struct vm_map *map, uint64_t *vaddr, uint64_t *paddr, uint64_t size,
                       uint64_t pmin, uint64_t pmax, uint64_t palign)
{
	struct vm_object *ob;
	struct vm_map_entry *e;
	uint64_t addr = 0, f;
	kern_return_t kr;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if (palign < PAGE_SIZE)
		palign = PAGE_SIZE;
	if ((kr = vm_object_contig(size, pmin, pmax, palign, &ob)) != KERN_SUCCESS)
		return kr;
	f = vm_map_lock(map);
	kr = vm_map_find_space(map, &addr, ob->ob_size, true);
	if (kr == KERN_SUCCESS)
		kr = vm_map_insert(map, addr, addr + ob->ob_size, NULL, 0, ob, 0,
		                   VM_PROT_READ | VM_PROT_WRITE, VM_PROT_READ | VM_PROT_WRITE,
		                   VM_INHERIT_DEFAULT, &e);
	/* DMA memory: wired, as GNU Mach's is. */
	if (kr == KERN_SUCCESS) {
		kr = vm_map_clip(map, addr, addr + ob->ob_size, &e);
		if (kr == KERN_SUCCESS)
			kr = wire_entry(map, e, true);
		if (kr != KERN_SUCCESS)
			vm_map_remove_locked(map, addr, addr + ob->ob_size);
	}
	vm_map_unlock(map, f);
	if (kr == KERN_SUCCESS) {
		*vaddr = addr;
		*paddr = ob->ob_pa;
	}
	vm_object_unref(ob); /* the entry holds its own reference */
	return kr;
}

kern_return_t
vm_statistics(struct vm_map *map, struct vm_statistics *st)
{
	struct page_stats ps;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	page_alloc_stats(&ps);
	*st = (struct vm_statistics){0};
	st->pagesize = PAGE_SIZE;
	st->free_count = (integer_t)ps.free_pages;
	st->active_count = (integer_t)__atomic_load_n(&vm_counters.vc_pages, __ATOMIC_RELAXED);
	st->wire_count = (integer_t)__atomic_load_n(&vm_counters.vc_wired, __ATOMIC_RELAXED);
	st->zero_fill_count =
	    (integer_t)__atomic_load_n(&vm_counters.vc_zero_fill, __ATOMIC_RELAXED);
	st->faults = (integer_t)__atomic_load_n(&vm_counters.vc_faults, __ATOMIC_RELAXED);
	st->cow_faults = (integer_t)__atomic_load_n(&vm_counters.vc_cow_faults, __ATOMIC_RELAXED);
	return KERN_SUCCESS;
}

kern_return_t
vm_map_object(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere,
              struct vm_object *object, uint64_t offset, vm_prot_t prot, vm_prot_t maxprot,
              vm_inherit_t inherit)
{
	struct vm_map_entry *e;
	uint64_t start = anywhere ? 0 : *addr, f;
	kern_return_t kr;

	if (!map || !object || (prot & ~VM_PROT_ALL) || (maxprot & ~VM_PROT_ALL) ||
	    (prot & ~maxprot))
		return KERN_INVALID_ARGUMENT;
	if (size == 0 || ((size | offset | start) & PAGE_MASK) || offset + size < offset ||
	    offset + size > object->ob_size)
		return KERN_INVALID_ARGUMENT;
	if (inherit != VM_INHERIT_SHARE && inherit != VM_INHERIT_COPY && inherit != VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	f = vm_map_lock(map);
	kr = vm_map_find_space(map, &start, size, anywhere);
	if (kr == KERN_SUCCESS)
		kr = vm_map_insert(map, start, start + size, NULL, 0, object, offset, prot, maxprot,
		                   inherit, &e);
	vm_map_unlock(map, f);
	if (kr == KERN_SUCCESS)
		*addr = start;
	return kr;
}
