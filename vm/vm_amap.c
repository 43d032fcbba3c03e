// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Amaps (vm/vm_amap.h): a radix tree of slots. Level 0 is a leaf of
 * slots (physical addresses); a node of level l > 0 holds 512 pointers to
 * nodes of level l - 1. An amap of at most 512 slots is a single leaf of
 * exactly its size.
 */
#include "vm/vm_amap.h"

#include "kern/kmalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "vm/vm_page.h"

#define FANOUT 512
#define FANOUT_SHIFT 9
#define MAX_LEVELS 4 /* 512^4 slots: the whole user half */

struct vm_amap *
vm_amap_create(uint64_t nslots)
{
	struct vm_amap *am;
	unsigned levels = 0;

	while (levels < MAX_LEVELS && (nslots - 1) >> (FANOUT_SHIFT * (levels + 1)))
		levels++;
	if (nslots == 0 || levels == MAX_LEVELS)
		return NULL;
	am = kzalloc(sizeof(*am));
	if (!am)
		return NULL;
	spin_init(&am->am_lock, "vm_amap", LOCK_RANK_VM_AMAP);
	am->am_ref = 1;
	am->am_levels = levels;
	am->am_nslots = nslots;
	return am;
}

void
vm_amap_ref(struct vm_amap *am)
{
	__atomic_add_fetch(&am->am_ref, 1, __ATOMIC_RELAXED);
}

static size_t
node_bytes(const struct vm_amap *am, unsigned level)
{
	if (am->am_levels == 0)
		return am->am_nslots * sizeof(uint64_t);
	return FANOUT * sizeof(uint64_t);
}

static void
node_free(struct vm_amap *am, uint64_t *node, unsigned level)
{
	size_t n = node_bytes(am, level) / sizeof(uint64_t);

	for (size_t i = 0; i < n; i++) {
		if (!node[i])
			continue;
		if (level == 0)
			vm_page_unref(node[i]);
		else
			node_free(am, (uint64_t *)(uintptr_t)node[i], level - 1);
	}
	kfree(node);
}

void
vm_amap_unref(struct vm_amap *am)
{
	if (__atomic_sub_fetch(&am->am_ref, 1, __ATOMIC_ACQ_REL))
		return;
	if (am->am_root)
		node_free(am, am->am_root, am->am_levels);
	kfree(am);
}

/* The slot's cell, or NULL when absent (and not create, or no memory). */
static uint64_t *
cell(struct vm_amap *am, uint64_t slot, bool create)
{
	uint64_t *ref = (uint64_t *)&am->am_root;

	if (slot >= am->am_nslots)
		panic("vm_amap: slot %lu of %lu", slot, am->am_nslots);
	for (int l = am->am_levels; l >= 0; l--) {
		if (!*ref) {
			void *n;
			if (!create || !(n = kzalloc(node_bytes(am, l))))
				return NULL;
			*ref = (uint64_t)(uintptr_t)n;
		}
		uint64_t *node = (uint64_t *)(uintptr_t)*ref;
		ref = &node[(slot >> (FANOUT_SHIFT * l)) & (FANOUT - 1)];
	}
	return ref;
}

uint64_t
vm_amap_get(struct vm_amap *am, uint64_t slot)
{
	assert_held(&am->am_lock);
	uint64_t *c = cell(am, slot, false);
	return c ? *c : 0;
}

/* vm_amap_set, for an amap private to the caller (no lock). */
static kern_return_t
store(struct vm_amap *am, uint64_t slot, uint64_t pa)
{
	uint64_t *c = cell(am, slot, pa != 0);

	if (!c)
		return pa ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
	if (*c) {
		vm_page_unref(*c);
		am->am_npages--;
	}
	*c = pa;
	if (pa)
		am->am_npages++;
	return KERN_SUCCESS;
}

kern_return_t
vm_amap_set(struct vm_amap *am, uint64_t slot, uint64_t pa)
{
	assert_held(&am->am_lock);
	return store(am, slot, pa);
}

/* Walks the node of level l whose first slot is base, over the slots [lo, hi). */
static bool
walk(uint64_t *node, unsigned l, uint64_t base, uint64_t lo, uint64_t hi, size_t n,
     bool (*fn)(void *, uint64_t *, uint64_t), void *arg)
{
	uint64_t span = 1ULL << (FANOUT_SHIFT * l);

	for (size_t i = 0; i < n; i++) {
		uint64_t first = base + i * span;
		if (first >= hi)
			break;
		if (!node[i] || first + span <= lo)
			continue;
		if (l == 0) {
			if (!fn(arg, &node[i], first))
				return false;
		} else if (!walk((uint64_t *)(uintptr_t)node[i], l - 1, first, lo, hi, FANOUT, fn,
		                 arg)) {
			return false;
		}
	}
	return true;
}

static bool
walk_amap(struct vm_amap *am, uint64_t lo, uint64_t hi, bool (*fn)(void *, uint64_t *, uint64_t),
          void *arg)
{
	if (!am->am_root)
		return true;
	return walk(am->am_root, am->am_levels, 0, lo, hi,
	            node_bytes(am, am->am_levels) / sizeof(uint64_t), fn, arg);
}

static bool
clear_cell(void *arg, uint64_t *c, uint64_t slot)
{
	struct vm_amap *am = arg;

	vm_page_unref(*c);
	*c = 0;
	am->am_npages--;
	return true;
}

void
vm_amap_clear(struct vm_amap *am, uint64_t lo, uint64_t hi)
{
	assert_held(&am->am_lock);
	walk_amap(am, lo, hi, clear_cell, am);
}

static bool
no_page(void *arg, uint64_t *c, uint64_t slot)
{
	return false; /* a page: stop */
}

bool
vm_amap_empty(struct vm_amap *am, uint64_t lo, uint64_t hi)
{
	assert_held(&am->am_lock);
	return walk_amap(am, lo, hi, no_page, NULL);
}

struct foreach_arg {
	bool (*fn)(void *arg, uint64_t slot, uint64_t pa);
	void *arg;
};

static bool
foreach_cell(void *arg, uint64_t *c, uint64_t slot)
{
	struct foreach_arg *fa = arg;
	return fa->fn(fa->arg, slot, *c);
}

bool
vm_amap_foreach(struct vm_amap *am, uint64_t lo, uint64_t hi,
                bool (*fn)(void *arg, uint64_t slot, uint64_t pa), void *arg)
{
	struct foreach_arg fa = {fn, arg};

	assert_held(&am->am_lock);
	return walk_amap(am, lo, hi, foreach_cell, &fa);
}

struct copy_arg {
	struct vm_amap *dst;
	uint64_t lo;
	bool eager;
};

static bool
copy_cell(void *arg, uint64_t *c, uint64_t slot)
{
	struct copy_arg *ca = arg;
	uint64_t pa = *c;

	if (ca->eager) {
		if (!(pa = vm_page_alloc(pa)))
			return false;
	} else {
		vm_page_ref(pa);
	}
	if (store(ca->dst, slot - ca->lo, pa) != KERN_SUCCESS) {
		vm_page_unref(pa);
		return false;
	}
	return true;
}

kern_return_t
vm_amap_copy(struct vm_amap *src, uint64_t lo, uint64_t n, bool eager, struct vm_amap **out)
{
	struct vm_amap *dst = vm_amap_create(n);
	struct copy_arg ca = {dst, lo, eager};
	bool ok;

	assert_held(&src->am_lock);
	if (!dst)
		return KERN_RESOURCE_SHORTAGE;
	/* dst is private until returned: its lock (src's rank) is not taken. */
	ok = walk_amap(src, lo, lo + n, copy_cell, &ca);
	if (!ok) {
		vm_amap_unref(dst);
		return KERN_RESOURCE_SHORTAGE;
	}
	*out = dst;
	return KERN_SUCCESS;
}

struct extract_arg {
	uint64_t *pages;
	uint64_t lo;
	bool eager;
};

static bool
extract_cell(void *arg, uint64_t *c, uint64_t slot)
{
	struct extract_arg *ea = arg;
	uint64_t pa = *c;

	if (ea->eager) {
		if (!(pa = vm_page_alloc(pa)))
			return false;
	} else {
		vm_page_ref(pa);
	}
	ea->pages[slot - ea->lo] = pa;
	return true;
}

kern_return_t
vm_amap_extract(struct vm_amap *src, uint64_t lo, uint64_t n, bool eager, uint64_t *pages)
{
	struct extract_arg ea = {pages, lo, eager};

	assert_held(&src->am_lock);
	return walk_amap(src, lo, lo + n, extract_cell, &ea) ? KERN_SUCCESS
	                                                     : KERN_RESOURCE_SHORTAGE;
}

struct take_arg {
	struct vm_amap *src, *dst;
	uint64_t lo;
};

/* Moves one page from src's cell to dst's slot: no reference changes hands. */
static bool
take_cell(void *arg, uint64_t *c, uint64_t slot)
{
	struct take_arg *ta = arg;

	if (store(ta->dst, slot - ta->lo, *c) != KERN_SUCCESS)
		return false;
	*c = 0;
	ta->src->am_npages--;
	return true;
}

/* Puts a page taken from src back into its cell (which take_cell left in place). */
static bool
give_back_cell(void *arg, uint64_t *c, uint64_t slot)
{
	struct take_arg *ta = arg;

	*cell(ta->src, ta->lo + slot, false) = *c;
	ta->src->am_npages++;
	*c = 0;
	ta->dst->am_npages--;
	return true;
}

kern_return_t
vm_amap_take(struct vm_amap *src, uint64_t lo, uint64_t n, struct vm_amap **out)
{
	struct vm_amap *dst = vm_amap_create(n);
	struct take_arg ta = {src, dst, lo};

	assert_held(&src->am_lock);
	if (!dst)
		return KERN_RESOURCE_SHORTAGE;
	/* dst is private until returned: its lock is not taken. */
	if (!walk_amap(src, lo, lo + n, take_cell, &ta)) {
		walk_amap(dst, 0, n, give_back_cell, &ta);
		vm_amap_unref(dst); /* empty now: frees only its nodes */
		return KERN_RESOURCE_SHORTAGE;
	}
	*out = dst;
	return KERN_SUCCESS;
}

struct vm_amap *
vm_amap_from_pages(const uint64_t *pages, uint64_t n)
{
	struct vm_amap *am = vm_amap_create(n);

	if (!am)
		return NULL;
	for (uint64_t i = 0; i < n; i++) {
		if (pages[i] && store(am, i, pages[i]) != KERN_SUCCESS) {
			/* Give the references taken so far back to the caller. */
			for (uint64_t j = 0; j < i; j++)
				if (pages[j])
					vm_page_ref(pages[j]);
			vm_amap_unref(am);
			return NULL;
		}
	}
	return am;
}

kern_return_t
vm_amap_grow(struct vm_amap *am, uint64_t nslots)
{
	assert_held(&am->am_lock);
	if (nslots <= am->am_nslots)
		return KERN_SUCCESS;
	if (am->am_levels == 0) {
		/* A lone leaf is sized exactly: make it as big as needed, or full. */
		uint64_t want = nslots < FANOUT ? nslots : FANOUT;
		if (am->am_root) {
			uint64_t *leaf = kzalloc(want * sizeof(uint64_t));
			if (!leaf)
				return KERN_RESOURCE_SHORTAGE;
			memcpy(leaf, am->am_root, am->am_nslots * sizeof(uint64_t));
			kfree(am->am_root);
			am->am_root = leaf;
		}
		am->am_nslots = want;
	}
	/* Each new level puts the old root at slot 0 of a new one. */
	while ((nslots - 1) >> (FANOUT_SHIFT * (am->am_levels + 1))) {
		uint64_t *top;
		if (am->am_levels + 1 == MAX_LEVELS)
			return KERN_RESOURCE_SHORTAGE;
		if (am->am_root) {
			if (!(top = kzalloc(FANOUT * sizeof(uint64_t))))
				return KERN_RESOURCE_SHORTAGE;
			top[0] = (uint64_t)(uintptr_t)am->am_root;
			am->am_root = top;
		}
		am->am_levels++;
	}
	am->am_nslots = nslots;
	return KERN_SUCCESS;
}
