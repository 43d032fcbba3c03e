// SPDX-License-Identifier: GPL-2.0-or-later
/* Page faults (vm/vm_fault.h): the cases are drawn there. */
#include "vm/vm_fault.h"

#include "vm/vm_amap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "x86_64/machine.h"

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static kern_return_t
fault_object(struct vm_map *map, struct vm_map_entry *e, uint64_t va, uint64_t *pa)
{
	struct vm_object *ob = e->e_object;
	unsigned flags = ob->ob_cache | (e->e_wired ? PMAP_WIRED : 0);

	*pa = ob->ob_pa + e->e_offset + (va - e->e_start);
	return pmap_enter(map->m_pmap, va, *pa, e->e_prot, flags);
}

kern_return_t
vm_fault_entry(struct vm_map *map, struct vm_map_entry *e, uint64_t va, vm_prot_t access,
               uint64_t *pa_out)
{
	struct vm_amap *am;
	uint64_t slot, pa;
	vm_prot_t prot = e->e_prot;
	kern_return_t kr = KERN_SUCCESS;

	assert_held(&map->m_lock);
	va &= ~PAGE_MASK;
	if (e->e_object)
		return fault_object(map, e, va, pa_out);
	if (!e->e_amap) {
		/* The first fault of anonymous memory: its amap, as big as the entry. */
		if (!(e->e_amap = vm_amap_create(vm_entry_pages(e))))
			return KERN_RESOURCE_SHORTAGE;
		e->e_slot = 0;
	}
	if (e->e_needs_copy) {
		/* A write, or a page to store: the slots must be the entry's own first. */
		bool empty;
		vm_amap_lock(e->e_amap);
		empty = !vm_amap_get(e->e_amap, e->e_slot + ((va - e->e_start) >> PAGE_SHIFT));
		vm_amap_unlock(e->e_amap);
		if ((empty || (access & VM_PROT_WRITE)) &&
		    (kr = vm_map_entry_unshare(e)) != KERN_SUCCESS)
			return kr;
		if (e->e_needs_copy)
			prot &=
			    ~VM_PROT_WRITE; /* read from the copy's slots: the first write faults */
	}
	am = e->e_amap;
	slot = e->e_slot + ((va - e->e_start) >> PAGE_SHIFT);
	vm_amap_lock(am);
	pa = vm_amap_get(am, slot);
	if (!pa) {
		if (!(pa = vm_page_alloc(0)))
			kr = KERN_RESOURCE_SHORTAGE;
		else if ((kr = vm_amap_set(am, slot, pa)) != KERN_SUCCESS)
			vm_page_unref(pa);
		else
			vm_count(&vm_counters.vc_zero_fill, 1);
	} else if (vm_page_refs(pa) > 1) {
		if (access & VM_PROT_WRITE) {
			uint64_t copy = vm_page_alloc(pa);
			/* The cell exists, so the set cannot fail; it drops our reference on pa. */
			if (!copy)
				kr = KERN_RESOURCE_SHORTAGE;
			else if (vm_amap_set(am, slot, copy) == KERN_SUCCESS)
				vm_count(&vm_counters.vc_cow_faults, 1);
			pa = copy;
		} else {
			prot &= ~VM_PROT_WRITE; /* shared: the first write must fault */
		}
	}
	if (kr == KERN_SUCCESS)
		kr = pmap_enter(map->m_pmap, va, pa, prot, e->e_wired ? PMAP_WIRED : 0);
	vm_amap_unlock(am);
	*pa_out = pa;
	return kr;
}

kern_return_t
vm_fault(struct vm_map *map, uint64_t addr, vm_prot_t access)
{
	struct vm_map_entry *e;
	kern_return_t kr;
	uint64_t pa, f;

	vm_count(&vm_counters.vc_faults, 1);
	if (addr >= USER_SPACE_END)
		return KERN_INVALID_ADDRESS;
	f = vm_map_lock(map);
	if (!vm_map_lookup(map, addr, &e))
		kr = KERN_INVALID_ADDRESS;
	else if (access & ~e->e_prot)
		kr = KERN_PROTECTION_FAILURE;
	else
		kr = vm_fault_entry(map, e, addr, access, &pa);
	vm_map_unlock(map, f);
	return kr;
}
