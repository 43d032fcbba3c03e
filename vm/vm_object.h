/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory objects backed by fixed physical pages: the lower layer of a map
 * entry that is not anonymous memory.
 *  - Device memory (VM_OBJECT_DEVICE): a physical range that never came
 *    from the page allocator and never goes back to it (registers, frame
 *    buffers), mapped uncached or write-combining. device_map will use it.
 *  - Contiguous memory (VM_OBJECT_CONTIG): one block of the page allocator,
 *    zero-filled, freed with the last reference (vm_allocate_contiguous).
 * Their pages are mapped directly, never copied on write: an entry of an
 * object is shared by fork whatever its inheritance says, except NONE.
 * The object is immutable after creation; ob_ref is atomic.
 */
#ifndef VM_VM_OBJECT_H
#define VM_VM_OBJECT_H

#include <mach/kern_return.h>
#include <stdint.h>

#define VM_OBJECT_DEVICE 1
#define VM_OBJECT_CONTIG 2

struct vm_object {
	uint32_t ob_ref;
	uint8_t ob_kind;   /* VM_OBJECT_* */
	uint8_t ob_order;  /* CONTIG: the allocator block's order */
	unsigned ob_cache; /* pmap_enter cache flags: 0, PMAP_CACHE_UC or PMAP_CACHE_WC */
	uint64_t ob_pa;    /* first physical page */
	uint64_t ob_size;  /* bytes, a multiple of the page size */
};

/*
 * Device memory [pa, pa + size) (page-aligned, size > 0, no wrap) with
 * cache (PMAP_CACHE_UC or PMAP_CACHE_WC). KERN_INVALID_ARGUMENT for a bad
 * range or cache mode, KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t vm_object_device(uint64_t pa, uint64_t size, unsigned cache, struct vm_object **out);
/*
 * size bytes (rounded to pages) of zeroed, physically contiguous memory
 * within [pmin, pmax) (pmax 0: no limit) aligned to palign (0 or a power
 * of two). KERN_INVALID_ARGUMENT for size 0, a bad alignment or bounds
 * that cannot hold it; KERN_RESOURCE_SHORTAGE when no such block is free.
 */
kern_return_t vm_object_contig(uint64_t size, uint64_t pmin, uint64_t pmax, uint64_t palign,
                               struct vm_object **out);
void vm_object_ref(struct vm_object *ob);
void vm_object_unref(struct vm_object *ob);

#endif
