/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Amaps: the anonymous layer of copy-on-write, as in UVM. An amap is an
 * array of slots, one per page of the region it serves; a slot holds an
 * anonymous page (vm/vm_page.h: a physical address with a reference count)
 * or 0 for a page never touched (zero-fill). Slots live in a radix tree of
 * 512-way nodes, so a huge region costs only what is touched.
 *
 * Copy-on-write needs no chains: a copy of an amap (fork with
 * VM_INHERIT_COPY, vm_read) is a new amap whose slots take one more
 * reference on the same pages; a write to a page with more than one
 * reference copies it into the writer's amap. An amap is never layered on
 * another, so nothing collapses and depth is always one.
 *
 * Several map entries may use one amap: the pieces of a clipped entry
 * (disjoint slot ranges of one map) and, with VM_INHERIT_SHARE, entries of
 * other maps (am_shared). Invariant: every page in a slot that more than
 * one map uses has exactly one reference (copies of a shared amap's pages
 * are made eagerly, and sharing an entry breaks copy-on-write in its slots
 * first), because the maps sharing it cannot see each other's page tables.
 *
 * Locking: am_lock (LOCK_RANK_VM_AMAP) guards the slots and am_shared;
 * am_ref is atomic. Functions marked "locked" want am_lock held.
 */
#ifndef VM_VM_AMAP_H
#define VM_VM_AMAP_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/spinlock.h"

struct vm_amap {
	struct spinlock am_lock;
	uint32_t am_ref;    /* map entries and copies using it (atomic) */
	bool am_shared;     /* used by entries of more than one map */
	unsigned am_levels; /* radix levels above the slots: 0 means one leaf */
	uint64_t am_nslots;
	uint64_t am_npages; /* slots holding a page */
	void *am_root;
};

/* A new amap of nslots empty slots (reference 1), or NULL without memory. */
struct vm_amap *vm_amap_create(uint64_t nslots);
void vm_amap_ref(struct vm_amap *am);
/* Drops a reference; the last frees the amap and drops its pages. */
void vm_amap_unref(struct vm_amap *am);

/* The page in slot, or 0. Locked. */
uint64_t vm_amap_get(struct vm_amap *am, uint64_t slot);
/*
 * Stores pa (a reference the caller gives) in slot, dropping the page
 * there before. KERN_RESOURCE_SHORTAGE when a tree node cannot be had
 * (pa is then not taken). Locked.
 */
kern_return_t vm_amap_set(struct vm_amap *am, uint64_t slot, uint64_t pa);
/* Empties the slots [lo, hi), dropping their pages. Locked. */
void vm_amap_clear(struct vm_amap *am, uint64_t lo, uint64_t hi);
/* Whether no slot of [lo, hi) holds a page. Locked. */
bool vm_amap_empty(struct vm_amap *am, uint64_t lo, uint64_t hi);
/* Calls fn(arg, slot, pa) for every page in [lo, hi), in order; stops when fn returns false.
 * Locked. */
bool vm_amap_foreach(struct vm_amap *am, uint64_t lo, uint64_t hi,
                     bool (*fn)(void *arg, uint64_t slot, uint64_t pa), void *arg);

/*
 * A new amap of n slots holding the pages of src's [lo, lo + n): shared
 * copy-on-write (one more reference each), or copied at once when eager.
 * KERN_RESOURCE_SHORTAGE without memory. src locked.
 */
kern_return_t vm_amap_copy(struct vm_amap *src, uint64_t lo, uint64_t n, bool eager,
                           struct vm_amap **out);

/*
 * Makes room for nslots slots (more than now), keeping the slots there
 * are: a map entry that grows into free space after it. Locked.
 * KERN_RESOURCE_SHORTAGE without memory or past the user half's size
 * (the amap is then unchanged but for room it may have gained).
 */
kern_return_t vm_amap_grow(struct vm_amap *am, uint64_t nslots);
/*
 * Fills pages[0, n) with the pages of src's slots [lo, lo + n) (0 for an
 * empty slot), each with a new reference, or a fresh copy when eager.
 * KERN_RESOURCE_SHORTAGE without memory (pages filled so far keep their
 * references: the caller drops them). src locked.
 */
kern_return_t vm_amap_extract(struct vm_amap *src, uint64_t lo, uint64_t n, bool eager,
                              uint64_t *pages);
/*
 * A new amap of n slots holding the pages that were in src's [lo, lo + n),
 * which are emptied: the pages move, their references with them (a moved
 * region that was part of a larger entry). KERN_RESOURCE_SHORTAGE without
 * memory (src is then as it was). src locked.
 */
kern_return_t vm_amap_take(struct vm_amap *src, uint64_t lo, uint64_t n, struct vm_amap **out);
/*
 * A new amap of n slots holding pages[0, n) (0: empty), whose references it
 * takes over; NULL without memory (the references stay the caller's).
 */
struct vm_amap *vm_amap_from_pages(const uint64_t *pages, uint64_t n);

static inline void
vm_amap_lock(struct vm_amap *am)
{
	spin_lock(&am->am_lock);
}

static inline void
vm_amap_unlock(struct vm_amap *am)
{
	spin_unlock(&am->am_lock);
}

#endif
