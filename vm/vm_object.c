// SPDX-License-Identifier: GPL-2.0-or-later
/* Physical memory objects: device ranges and contiguous blocks (vm/vm_object.h). */
#include "vm/vm_object.h"

#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "x86_64/machine.h"

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)
#define FOUR_GIB (1ULL << 32)

static struct vm_object *
object_new(uint8_t kind, uint64_t pa, uint64_t size, unsigned cache)
{
	struct vm_object *ob = kzalloc(sizeof(*ob));

	if (ob) {
		ob->ob_ref = 1;
		ob->ob_kind = kind;
		ob->ob_pa = pa;
		ob->ob_size = size;
		ob->ob_cache = cache;
	}
	return ob;
}

kern_return_t
vm_object_device(uint64_t pa, uint64_t size, unsigned cache, struct vm_object **out)
{
	if (size == 0 || ((pa | size) & PAGE_MASK) || pa + size < pa)
		return KERN_INVALID_ARGUMENT;
	if (cache != PMAP_CACHE_UC && cache != PMAP_CACHE_WC)
		return KERN_INVALID_ARGUMENT;
	*out = object_new(VM_OBJECT_DEVICE, pa, size, cache);
	return *out ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

/*
 * A block of 2^order pages whose first size bytes lie in [pmin, pmax), or
 * 0. The allocator knows no bound finer than 4 GiB, so blocks outside are
 * held aside while looking (up to CONTIG_TRIES of them), then given back.
 */
#define CONTIG_TRIES 64
static uint64_t
contig_alloc(unsigned order, unsigned flags, uint64_t pmin, uint64_t pmax, uint64_t size)
{
	uint64_t aside[CONTIG_TRIES], pa = 0;
	unsigned n = 0;

	while (n < CONTIG_TRIES && (pa = page_alloc(order, flags))) {
		if (pa >= pmin && (!pmax || pa + size <= pmax))
			break;
		aside[n++] = pa;
		pa = 0;
	}
	while (n)
		page_free(aside[--n], order);
	return pa;
}

kern_return_t
vm_object_contig(uint64_t size, uint64_t pmin, uint64_t pmax, uint64_t palign,
                 struct vm_object **out)
{
	unsigned order, flags = PAGE_ZERO;
	uint64_t pa;

	if (size == 0 || size > ((uint64_t)PAGE_SIZE << PAGE_MAX_ORDER))
		return KERN_INVALID_ARGUMENT;
	if (palign & (palign - 1))
		return KERN_INVALID_ARGUMENT;
	size = (size + PAGE_MASK) & ~PAGE_MASK;
	/* A buddy block is aligned to its size: a larger alignment takes a larger block. */
	order = page_order_for(size > palign ? size : palign);
	if (order > PAGE_MAX_ORDER)
		return KERN_INVALID_ARGUMENT;
	if (pmax && (pmax <= pmin || pmax - pmin < size))
		return KERN_INVALID_ARGUMENT;
	if (pmax && pmax <= FOUR_GIB)
		flags |= PAGE_BELOW_4G;
	if (!(pa = contig_alloc(order, flags, pmin, pmax, size)))
		return KERN_RESOURCE_SHORTAGE;
	*out = object_new(VM_OBJECT_CONTIG, pa, size, 0);
	if (!*out) {
		page_free(pa, order);
		return KERN_RESOURCE_SHORTAGE;
	}
	(*out)->ob_order = (uint8_t)order;
	return KERN_SUCCESS;
}

void
vm_object_ref(struct vm_object *ob)
{
	__atomic_add_fetch(&ob->ob_ref, 1, __ATOMIC_RELAXED);
}

void
vm_object_unref(struct vm_object *ob)
{
	if (__atomic_sub_fetch(&ob->ob_ref, 1, __ATOMIC_ACQ_REL))
		return;
	if (ob->ob_kind == VM_OBJECT_CONTIG)
		page_free(ob->ob_pa, ob->ob_order);
	kfree(ob);
}
