// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address maps (vm/vm_map.h): the entry tree and list, lookup, split,
 * merge, insertion, removal, creation, fork and the last reference.
 */
#include "vm/vm_map.h"

#include "kern/kmalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "vm/vm_amap.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "x86_64/machine.h"

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

/* ---- The AVL tree -------------------------------------------------------- */

/*
 * The tree is augmented with free space: e_maxgap is the largest hole
 * after an entry (up to the next one; the space after the last entry is
 * not counted) in the entry's subtree, so vm_map_find_space finds the
 * lowest hole that fits in O(log n). A hole depends on the list, so the
 * list is always updated before the tree, and every entry whose hole
 * changes lies on the path the tree operation recomputes: an entry
 * linked or unlinked changes only its predecessor's hole, which is an
 * ancestor of a new leaf, and on the path of a removal that replaces the
 * removed entry by its predecessor (tree_remove).
 */
static int
height(const struct vm_map_entry *e)
{
	return e ? e->e_height : 0;
}

static uint64_t
gap_after(const struct vm_map_entry *e)
{
	return e->e_next ? e->e_next->e_start - e->e_end : 0;
}

static uint64_t
maxgap(const struct vm_map_entry *e)
{
	return e ? e->e_maxgap : 0;
}

/* Recomputes e's height and largest hole from its children and its own hole. */
static inline __attribute__((always_inline)) void
fix_height(struct vm_map_entry *e)
{
	int l = height(e->e_left), r = height(e->e_right);
	uint64_t g = gap_after(e), gl = maxgap(e->e_left), gr = maxgap(e->e_right);

	e->e_height = 1 + (l > r ? l : r);
	if (gl > g)
		g = gl;
	e->e_maxgap = gr > g ? gr : g;
}

static struct vm_map_entry *
rotate_right(struct vm_map_entry *y)
{
	struct vm_map_entry *x = y->e_left;

	y->e_left = x->e_right;
	x->e_right = y;
	fix_height(y);
	fix_height(x);
	return x;
}

static struct vm_map_entry *
rotate_left(struct vm_map_entry *x)
{
	struct vm_map_entry *y = x->e_right;

	x->e_right = y->e_left;
	y->e_left = x;
	fix_height(x);
	fix_height(y);
	return y;
}

static inline __attribute__((always_inline)) struct vm_map_entry *
rebalance(struct vm_map_entry *n)
{
	int l = height(n->e_left), r = height(n->e_right);
	uint64_t g = gap_after(n), gl = maxgap(n->e_left), gr = maxgap(n->e_right);

	if (l - r > 1) {
		if (height(n->e_left->e_left) < height(n->e_left->e_right))
			n->e_left = rotate_left(n->e_left);
		return rotate_right(n);
	}
	if (r - l > 1) {
		if (height(n->e_right->e_right) < height(n->e_right->e_left))
			n->e_right = rotate_right(n->e_right);
		return rotate_left(n);
	}
	/* Balanced: fix_height, inline, with the heights already read. */
	n->e_height = 1 + (l > r ? l : r);
	if (gl > g)
		g = gl;
	n->e_maxgap = gr > g ? gr : g;
	return n;
}

static struct vm_map_entry *
tree_insert(struct vm_map_entry *n, struct vm_map_entry *e)
{
	if (!n) {
		e->e_left = e->e_right = NULL;
		fix_height(e);
		return e;
	}
	if (e->e_start < n->e_start)
		n->e_left = tree_insert(n->e_left, e);
	else
		n->e_right = tree_insert(n->e_right, e);
	return rebalance(n);
}

static struct vm_map_entry *
tree_remove_max(struct vm_map_entry *n, struct vm_map_entry **max)
{
	if (!n->e_right) {
		*max = n;
		return n->e_left;
	}
	n->e_right = tree_remove_max(n->e_right, max);
	return rebalance(n);
}

/*
 * Removes e, replacing it by its predecessor (not its successor): the
 * predecessor's hole grows, so it must be on the recomputed path.
 */
static struct vm_map_entry *
tree_remove(struct vm_map_entry *n, struct vm_map_entry *e)
{
	if (!n)
		panic("vm_map: entry %#lx not in its tree", e->e_start);
	if (n == e) {
		struct vm_map_entry *l = n->e_left, *r = n->e_right, *m;
		if (!l)
			return r;
		l = tree_remove_max(l, &m);
		m->e_left = l;
		m->e_right = r;
		return rebalance(m);
	}
	if (e->e_start < n->e_start)
		n->e_left = tree_remove(n->e_left, e);
	else
		n->e_right = tree_remove(n->e_right, e);
	return rebalance(n);
}

/*
 * The first entry (in address order) starting above after whose hole
 * holds size bytes. Down the tree, never into a subtree whose largest
 * hole is too small; a node is kept to come back to only when its left
 * subtree is entered for a hole that may lie at or below after.
 */
static struct vm_map_entry *
tree_gap_find(struct vm_map_entry *n, uint64_t after, uint64_t size)
{
	struct vm_map_entry *back[64]; /* an AVL tree of 2^32 entries is 46 high */
	unsigned depth = 0;

	for (;;) {
		while (n && n->e_maxgap >= size) {
			if (n->e_start <= after) {
				n = n->e_right;
			} else if (maxgap(n->e_left) >= size) {
				if (gap_after(n) >= size || maxgap(n->e_right) >= size)
					back[depth++] = n;
				n = n->e_left;
			} else if (gap_after(n) >= size) {
				return n;
			} else {
				n = n->e_right;
			}
		}
		if (!depth)
			return NULL;
		/* Nothing above after fitted in its left subtree: the node, then its right. */
		n = back[--depth];
		if (gap_after(n) >= size)
			return n;
		n = n->e_right;
	}
}

/* The entry with the largest start <= addr, or NULL. */
static struct vm_map_entry *
tree_floor(struct vm_map_entry *n, uint64_t addr)
{
	struct vm_map_entry *best = NULL;

	while (n) {
		if (n->e_start <= addr) {
			best = n;
			n = n->e_right;
		} else {
			n = n->e_left;
		}
	}
	return best;
}

/* ---- Entries ------------------------------------------------------------- */

/*
 * Entry structures: each map keeps the last one it freed (m_spare), under
 * its lock, for its next insertion or split: a region unmapped then
 * another mapped (a moved region's two ends, a received region given
 * back) goes to the heap neither way.
 */
static struct vm_map_entry *
entry_alloc(struct vm_map *map)
{
	struct vm_map_entry *e = map->m_spare;

	if (!e)
		return kmalloc(sizeof(*e));
	map->m_spare = NULL;
	return e;
}

static void
entry_free(struct vm_map *map, struct vm_map_entry *e)
{
	if (map->m_spare)
		kfree(e);
	else
		map->m_spare = e;
}

void
vm_map_drop_spare(struct vm_map *map)
{
	struct vm_map_entry *e;
	uint64_t f = vm_map_lock(map);

	e = map->m_spare;
	map->m_spare = NULL;
	vm_map_unlock(map, f);
	kfree(e);
}

bool
vm_map_lookup(struct vm_map *map, uint64_t addr, struct vm_map_entry **entry)
{
	struct vm_map_entry *e = map->m_hint;

	assert_held(&map->m_lock);
	/* The hint serves runs of faults in one entry and the gap after it. */
	if (!e || addr < e->e_start || (e->e_next && addr >= e->e_next->e_start))
		e = tree_floor(map->m_root, addr);
	*entry = e;
	if (e)
		map->m_hint = e;
	return e && addr < e->e_end;
}

/* Links e (not overlapping any entry) after prev in the list, then into the tree. */
static void
entry_link(struct vm_map *map, struct vm_map_entry *prev, struct vm_map_entry *e)
{
	e->e_prev = prev;
	e->e_next = prev ? prev->e_next : map->m_first;
	if (e->e_next)
		e->e_next->e_prev = e;
	else
		map->m_last = e;
	if (prev)
		prev->e_next = e;
	else
		map->m_first = e;
	map->m_root = tree_insert(map->m_root, e);
	map->m_nentries++;
}

static void
entry_unlink(struct vm_map *map, struct vm_map_entry *e)
{
	/* The list first: the tree's holes are computed from it. */
	if (e->e_prev)
		e->e_prev->e_next = e->e_next;
	else
		map->m_first = e->e_next;
	if (e->e_next)
		e->e_next->e_prev = e->e_prev;
	else
		map->m_last = e->e_prev;
	if (map->m_root) /* none while the last reference empties the map */
		map->m_root = tree_remove(map->m_root, e);
	if (map->m_hint == e)
		map->m_hint = e->e_prev ? e->e_prev : e->e_next;
	map->m_nentries--;
}

kern_return_t
vm_map_split(struct vm_map *map, struct vm_map_entry *e, uint64_t addr, struct vm_map_entry **right)
{
	struct vm_map_entry *r;
	uint64_t delta = addr - e->e_start;

	assert_held(&map->m_lock);
	if (addr <= e->e_start || addr >= e->e_end || (addr & PAGE_MASK))
		panic("vm_map_split: %#lx is not inside [%#lx, %#lx)", addr, e->e_start, e->e_end);
	r = entry_alloc(map);
	if (!r)
		return KERN_RESOURCE_SHORTAGE;
	*r = *e;
	r->e_start = addr;
	r->e_slot += delta >> 12;
	r->e_offset += delta;
	if (r->e_amap)
		vm_amap_ref(r->e_amap);
	if (r->e_object)
		vm_object_ref(r->e_object);
	e->e_end = addr;
	entry_link(map, e, r);
	*right = r;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_clip(struct vm_map *map, uint64_t start, uint64_t end, struct vm_map_entry **first)
{
	struct vm_map_entry *e, *r;
	kern_return_t kr;

	if (vm_map_lookup(map, start, &e)) {
		if (e->e_start < start) {
			if ((kr = vm_map_split(map, e, start, &r)) != KERN_SUCCESS)
				return kr;
			e = r;
		}
	} else {
		e = e ? e->e_next : map->m_first;
	}
	*first = (e && e->e_start < end) ? e : NULL;
	if (vm_map_lookup(map, end - 1, &r) && r->e_end > end && r->e_start < end) {
		struct vm_map_entry *tail;
		if ((kr = vm_map_split(map, r, end, &tail)) != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

/* True when b directly follows a with the same attributes and physical object. */
static bool
alike(const struct vm_map_entry *a, const struct vm_map_entry *b)
{
	if (a->e_end != b->e_start || a->e_prot != b->e_prot || a->e_maxprot != b->e_maxprot ||
	    a->e_inherit != b->e_inherit || a->e_wired != b->e_wired ||
	    a->e_needs_copy != b->e_needs_copy)
		return false;
	if (a->e_object != b->e_object)
		return false;
	return !a->e_object || a->e_offset + (a->e_end - a->e_start) == b->e_offset;
}

/*
 * An amap only this entry uses. The slots outside its range are usually
 * empty, but not always (a needs-copy entry removed while a copy used its
 * slots leaves them): an entry growing into more slots checks them.
 */
static bool
amap_private(struct vm_amap *am)
{
	return __atomic_load_n(&am->am_ref, __ATOMIC_ACQUIRE) == 1 && !am->am_shared;
}

kern_return_t
vm_map_entry_unshare(struct vm_map_entry *e)
{
	struct vm_amap *am = e->e_amap, *own;
	kern_return_t kr;

	if (!e->e_needs_copy)
		return KERN_SUCCESS;
	if (!amap_private(am)) {
		vm_amap_lock(am);
		kr = vm_amap_copy(am, e->e_slot, vm_entry_pages(e), false, &own);
		vm_amap_unlock(am);
		if (kr != KERN_SUCCESS)
			return kr;
		vm_amap_unref(am);
		e->e_amap = own;
		e->e_slot = 0;
	}
	e->e_needs_copy = false;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_entry_own_slots(struct vm_map_entry *e)
{
	struct vm_amap *am = e->e_amap, *own;
	kern_return_t kr;

	if (!am || e->e_needs_copy || __atomic_load_n(&am->am_ref, __ATOMIC_ACQUIRE) == 1)
		return KERN_SUCCESS;
	vm_amap_lock(am);
	kr = vm_amap_take(am, e->e_slot, vm_entry_pages(e), &own);
	vm_amap_unlock(am);
	if (kr != KERN_SUCCESS)
		return kr;
	vm_amap_unref(am);
	e->e_amap = own;
	e->e_slot = 0;
	return KERN_SUCCESS;
}

/*
 * Whether a and b (its successor) may share one amap as one entry, and
 * then makes it so: the same amap at contiguous slots; or an untouched
 * entry next to one whose amap only it uses and which has room (or can
 * grow) for the other's pages.
 */
static bool
join_amaps(struct vm_map_entry *a, struct vm_map_entry *b)
{
	struct vm_amap *am;
	bool ok;

	if (a->e_amap == b->e_amap)
		return !a->e_amap || a->e_slot + vm_entry_pages(a) == b->e_slot;
	if (a->e_amap && !b->e_amap) {
		uint64_t end = a->e_slot + vm_entry_pages(a);
		am = a->e_amap;
		vm_amap_lock(am);
		ok = amap_private(am) && vm_amap_empty(am, end, end + vm_entry_pages(b)) &&
		     vm_amap_grow(am, end + vm_entry_pages(b)) == KERN_SUCCESS;
		vm_amap_unlock(am);
		return ok;
	}
	if (!a->e_amap && b->e_amap) {
		am = b->e_amap;
		vm_amap_lock(am);
		ok = amap_private(am) && b->e_slot >= vm_entry_pages(a) &&
		     vm_amap_empty(am, b->e_slot - vm_entry_pages(a), b->e_slot);
		vm_amap_unlock(am);
		if (ok) { /* b's reference moves to a */
			a->e_amap = am;
			a->e_slot = b->e_slot - vm_entry_pages(a);
			b->e_amap = NULL;
		}
		return ok;
	}
	return false;
}

/* Merges b (a's successor) into a when they would behave as one entry. */
static bool
try_merge(struct vm_map *map, struct vm_map_entry *a, struct vm_map_entry *b)
{
	if (!alike(a, b) || !join_amaps(a, b))
		return false;
	/* a grows first: unlinking b recomputes a's hole (a precedes b). */
	a->e_end = b->e_end;
	entry_unlink(map, b);
	/* b held its own references on a shared amap or object: a keeps one. */
	if (b->e_amap)
		vm_amap_unref(b->e_amap);
	if (b->e_object)
		vm_object_unref(b->e_object);
	entry_free(map, b);
	return true;
}

struct vm_map_entry *
vm_map_merge(struct vm_map *map, struct vm_map_entry *e)
{
	assert_held(&map->m_lock);
	if (e->e_next)
		try_merge(map, e, e->e_next);
	struct vm_map_entry *p = e->e_prev;
	if (p && try_merge(map, p, e))
		e = p;
	return e;
}

void
vm_map_merge_range(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *p;

	assert_held(&map->m_lock);
	if (!vm_map_lookup(map, start, &p) && !p)
		p = map->m_first;
	if (p && p->e_prev)
		p = p->e_prev;
	while (p && p->e_next && p->e_next->e_start <= end)
		if (!try_merge(map, p, p->e_next))
			p = p->e_next;
}

kern_return_t
vm_map_insert(struct vm_map *map, uint64_t start, uint64_t end, struct vm_amap *amap, uint64_t slot,
              struct vm_object *object, uint64_t offset, vm_prot_t prot, vm_prot_t maxprot,
              vm_inherit_t inherit, struct vm_map_entry **out)
{
	struct vm_map_entry *e = entry_alloc(map), *prev;

	assert_held(&map->m_lock);
	if (!e)
		return KERN_RESOURCE_SHORTAGE;
	*e = (struct vm_map_entry){0};
	e->e_start = start;
	e->e_end = end;
	e->e_amap = amap;
	e->e_slot = slot;
	e->e_needs_copy = amap && !amap_private(amap);
	e->e_object = object;
	e->e_offset = offset;
	e->e_prot = prot;
	e->e_maxprot = maxprot;
	e->e_inherit = inherit;
	if (object)
		vm_object_ref(object);
	if (vm_map_lookup(map, start, &prev))
		panic("vm_map_insert: [%#lx, %#lx) overlaps an entry", start, end);
	entry_link(map, prev, e);
	map->m_size += end - start;
	/* The new memory is what the caller touches next: the hint points at it. */
	*out = map->m_hint = vm_map_merge(map, e);
	return KERN_SUCCESS;
}

void
vm_map_clamp(const struct vm_map *map, uint64_t *start, uint64_t *end)
{
	if (*start < map->m_min)
		*start = map->m_min;
	if (*end > map->m_max)
		*end = map->m_max;
	if (*start > *end)
		*start = *end;
}

kern_return_t
vm_map_find_space(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere)
{
	struct vm_map_entry *e, *next;
	uint64_t start = anywhere ? VM_MAP_ANYWHERE_MIN : *addr;

	assert_held(&map->m_lock);
	if (!anywhere) {
		if (start < map->m_min || start + size < start || start + size > map->m_max ||
		    size == 0)
			return KERN_INVALID_ADDRESS;
		if (vm_map_lookup(map, start, &e))
			return KERN_NO_SPACE;
		e = e ? e->e_next : map->m_first;
		return (e && e->e_start < start + size) ? KERN_NO_SPACE : KERN_SUCCESS;
	}
	if (start < map->m_min)
		start = map->m_min;
	if (size == 0 || size > map->m_max || start > map->m_max - size)
		return KERN_NO_SPACE;
	/* The hole holding start, or the one after the entry holding it. */
	if (vm_map_lookup(map, start, &e))
		start = e->e_end;
	next = e ? e->e_next : map->m_first;
	if (start <= map->m_max - size && (!next || next->e_start - start >= size)) {
		*addr = start;
		return KERN_SUCCESS;
	}
	/* Else the first hole after a later entry that fits, or the space after the last. */
	if ((next = tree_gap_find(map->m_root, e ? e->e_start : start, size)) != NULL) {
		map->m_hint = next; /* the insertion that follows looks its predecessor up */
		*addr = next->e_end;
		return KERN_SUCCESS;
	}
	if (!map->m_last || map->m_last == e || map->m_last->e_end > map->m_max - size)
		return KERN_NO_SPACE; /* the space after e was tried first */
	map->m_hint = map->m_last;
	*addr = map->m_last->e_end;
	return KERN_SUCCESS;
}

bool
vm_map_covered(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;

	if (start >= end)
		return true;
	if (!vm_map_lookup(map, start, &e))
		return false;
	while (e->e_end < end) {
		if (!e->e_next || e->e_next->e_start != e->e_end)
			return false;
		e = e->e_next;
	}
	return true;
}

/* Unmaps and frees one entry and what only it holds. */
static void
entry_destroy(struct vm_map *map, struct vm_map_entry *e)
{
	pmap_remove(map->m_pmap, e->e_start, e->e_end);
	if (e->e_wired)
		vm_count(&vm_counters.vc_wired, -(int64_t)vm_entry_pages(e));
	if (e->e_amap) {
		struct vm_amap *am = e->e_amap;
		vm_amap_lock(am);
		/*
		 * Other users of a private amap use other slots; a shared one
		 * keeps its pages, and so does a needs-copy one that a copy uses.
		 */
		if (!am->am_shared && (!e->e_needs_copy || amap_private(am)))
			vm_amap_clear(am, e->e_slot, e->e_slot + vm_entry_pages(e));
		vm_amap_unlock(am);
		vm_amap_unref(am);
	}
	if (e->e_object)
		vm_object_unref(e->e_object);
	entry_unlink(map, e);
	map->m_size -= e->e_end - e->e_start;
	entry_free(map, e);
}

void
vm_map_entry_remove(struct vm_map *map, struct vm_map_entry *e)
{
	assert_held(&map->m_lock);
	entry_destroy(map, e);
}

kern_return_t
vm_map_remove_locked(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;
	kern_return_t kr;

	assert_held(&map->m_lock);
	vm_map_clamp(map, &start, &end);
	if (start == end)
		return KERN_SUCCESS;
	if ((kr = vm_map_clip(map, start, end, &e)) != KERN_SUCCESS)
		return kr;
	while (e && e->e_start < end) {
		struct vm_map_entry *next = e->e_next;
		entry_destroy(map, e);
		e = next;
	}
	return KERN_SUCCESS;
}

/* ---- Maps ---------------------------------------------------------------- */

static kern_return_t
map_new(struct vm_map **out)
{
	struct vm_map *map = kzalloc(sizeof(*map));

	if (!map)
		return KERN_RESOURCE_SHORTAGE;
	if (pmap_create(&map->m_pmap) != KERN_SUCCESS) {
		kfree(map);
		return KERN_RESOURCE_SHORTAGE;
	}
	spin_init(&map->m_lock, "vm_map", LOCK_RANK_VM_MAP);
	map->m_ref = 1;
	map->m_min = 0;
	map->m_max = USER_SPACE_END;
	*out = map;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_create(struct vm_map **out)
{
	return map_new(out);
}

void
vm_map_reference(struct vm_map *map)
{
	__atomic_add_fetch(&map->m_ref, 1, __ATOMIC_RELAXED);
}

struct pmap *
vm_map_pmap(struct vm_map *map)
{
	return map->m_pmap;
}

void
vm_map_deallocate(struct vm_map *map)
{
	uint64_t f;

	if (!map || __atomic_sub_fetch(&map->m_ref, 1, __ATOMIC_ACQ_REL))
		return;
	f = vm_map_lock(map);
	/* Nothing looks the entries up any more: the tree is not kept up as they go. */
	map->m_root = NULL;
	map->m_hint = NULL;
	while (map->m_first)
		entry_destroy(map, map->m_first);
	kfree(map->m_spare);
	vm_map_unlock(map, f);
	pmap_destroy(map->m_pmap);
	kfree(map);
}

/* ---- Fork ---------------------------------------------------------------- */

/*
 * Replaces every page of e's slots that has other references by a private
 * copy, so that the slots may be shared (vm/vm_amap.h's invariant). Amap locked.
 */
struct unshare_arg {
	struct vm_amap *am;
	bool failed;
	bool replaced;
};

static bool
unshare_page(void *arg, uint64_t slot, uint64_t pa)
{
	struct unshare_arg *ua = arg;
	uint64_t copy;

	if (vm_page_refs(pa) == 1)
		return true;
	if (!(copy = vm_page_alloc(pa))) {
		ua->failed = true;
		return false;
	}
	vm_amap_set(ua->am, slot, copy); /* the cell exists: cannot fail */
	ua->replaced = true;
	return true;
}

/*
 * Gives e an amap that both maps may share, its slots free of
 * copy-on-write pages. Each time, not only the first: another piece of
 * the same amap may be shared later with copy-on-write pages in it.
 * Parent locked.
 */
static kern_return_t
fork_share(struct vm_map *parent, struct vm_map_entry *e)
{
	struct vm_amap *am = e->e_amap;
	struct unshare_arg ua = {NULL, false, false};

	if (e->e_object)
		return KERN_SUCCESS;
	/* Slots a copy also uses cannot become shared: the entry takes its own. */
	if (am && vm_map_entry_unshare(e) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	am = e->e_amap;
	if (!am) {
		if (!(am = vm_amap_create(vm_entry_pages(e))))
			return KERN_RESOURCE_SHORTAGE;
		e->e_amap = am;
		e->e_slot = 0;
	}
	ua.am = am;
	vm_amap_lock(am);
	vm_amap_foreach(am, e->e_slot, e->e_slot + vm_entry_pages(e), unshare_page, &ua);
	if (!ua.failed)
		am->am_shared = true;
	vm_amap_unlock(am);
	/* Pages replaced above may still be mapped read-only: refault them. */
	if (ua.replaced)
		pmap_remove(parent->m_pmap, e->e_start, e->e_end);
	return ua.failed ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
}

/*
 * Whether the child's copy of e may be deferred (needs-copy on e's amap):
 * not for a shared amap (others write it in place) nor a wired entry
 * (its pages stay writable), and only once e's slots are its own (other
 * entries of the parent using the amap's other slots would keep the
 * range's pages alive after both copies went). Parent locked.
 */
static bool
fork_defer(struct vm_map_entry *e)
{
	bool shared;

	if (e->e_wired)
		return false;
	vm_amap_lock(e->e_amap);
	shared = e->e_amap->am_shared;
	vm_amap_unlock(e->e_amap);
	return !shared && vm_map_entry_own_slots(e) == KERN_SUCCESS;
}

/* The child's entry for parent entry e, or NULL when it gets none. Parent locked. */
static kern_return_t
fork_entry(struct vm_map *parent, struct vm_map_entry *e, struct vm_map_entry **out)
{
	struct vm_map_entry *c;
	kern_return_t kr = KERN_SUCCESS;

	*out = NULL;
	if (e->e_inherit == VM_INHERIT_NONE)
		return KERN_SUCCESS;
	if (!(c = kmalloc(sizeof(*c))))
		return KERN_RESOURCE_SHORTAGE;
	*c = *e;
	c->e_wired = 0;
	c->e_needs_copy = false; /* its amap is a new one, or shared (never a copy's) */
	if (e->e_object) {
		vm_object_ref(e->e_object);
	} else if (e->e_inherit == VM_INHERIT_SHARE) {
		kr = fork_share(parent, e);
		c->e_amap = NULL; /* the copy above may hold an amap fork_share replaced */
		if (kr == KERN_SUCCESS) {
			c->e_amap = e->e_amap;
			c->e_slot = e->e_slot;
			vm_amap_ref(c->e_amap);
		}
	} else if (e->e_amap && fork_defer(e)) {
		/*
		 * Needs-copy, as a copy of memory (vm_read): both entries use
		 * the amap, neither changes its slots in place; the first to
		 * write copies the slots, the other then finds the amap its own.
		 */
		vm_amap_ref(e->e_amap);
		c->e_amap = e->e_amap; /* fork_defer may have given e an amap of its own */
		c->e_slot = e->e_slot;
		c->e_needs_copy = true;
		if (!e->e_needs_copy) {
			e->e_needs_copy = true;
			pmap_protect(parent->m_pmap, e->e_start, e->e_end,
			             e->e_prot & ~VM_PROT_WRITE);
		}
	} else if (e->e_amap) {
		struct vm_amap *am = e->e_amap;
		vm_amap_lock(am);
		/* A shared amap's pages are written in place by others: copy them now. */
		kr = vm_amap_copy(am, e->e_slot, vm_entry_pages(e), am->am_shared, &c->e_amap);
		bool eager = am->am_shared;
		vm_amap_unlock(am);
		c->e_slot = 0;
		if (kr == KERN_SUCCESS && !eager)
			pmap_protect(parent->m_pmap, e->e_start, e->e_end,
			             e->e_prot & ~VM_PROT_WRITE);
	}
	if (kr != KERN_SUCCESS) {
		kfree(c);
		return kr;
	}
	*out = c;
	return KERN_SUCCESS;
}

kern_return_t
vm_map_fork(struct vm_map *parent, struct vm_map **child)
{
	struct vm_map *map;
	kern_return_t kr;
	uint64_t f;

	if ((kr = map_new(&map)) != KERN_SUCCESS)
		return kr;
	f = vm_map_lock(parent);
	for (struct vm_map_entry *e = parent->m_first; e && kr == KERN_SUCCESS; e = e->e_next) {
		struct vm_map_entry *c;
		kr = fork_entry(parent, e, &c);
		if (kr == KERN_SUCCESS && c) {
			/* The child is private to this CPU: it is built without its lock. */
			entry_link(map, map->m_last, c);
			map->m_size += c->e_end - c->e_start;
		}
	}
	vm_map_unlock(parent, f);
	if (kr != KERN_SUCCESS) {
		vm_map_deallocate(map);
		return kr;
	}
	*child = map;
	return KERN_SUCCESS;
}

/* ---- Checks (tests) ------------------------------------------------------ */

static bool
tree_check(const struct vm_map_entry *n, uint64_t lo, uint64_t hi, unsigned *count, int *h,
           uint64_t *gap)
{
	int hl, hr;
	uint64_t gl, gr, g;

	if (!n) {
		*h = 0;
		*gap = 0;
		return true;
	}
	if (n->e_start < lo || n->e_end > hi || n->e_start >= n->e_end)
		return false;
	if (!tree_check(n->e_left, lo, n->e_start, count, &hl, &gl) ||
	    !tree_check(n->e_right, n->e_end, hi, count, &hr, &gr))
		return false;
	(*count)++;
	*h = 1 + (hl > hr ? hl : hr);
	g = gap_after(n);
	g = gl > g ? gl : g;
	*gap = gr > g ? gr : g;
	return n->e_height == *h && n->e_maxgap == *gap && hl - hr <= 1 && hr - hl <= 1;
}

bool
vm_map_check(struct vm_map *map)
{
	unsigned count = 0, listed = 0;
	uint64_t size = 0;
	int h;
	uint64_t gap;
	const struct vm_map_entry *prev = NULL;

	if (!tree_check(map->m_root, map->m_min, map->m_max, &count, &h, &gap))
		return false;
	for (const struct vm_map_entry *e = map->m_first; e; prev = e, e = e->e_next) {
		if (e->e_prev != prev || (prev && prev->e_end > e->e_start))
			return false;
		if ((e->e_start | e->e_end) & PAGE_MASK)
			return false;
		if (tree_floor(map->m_root, e->e_start) != e)
			return false;
		listed++;
		size += e->e_end - e->e_start;
	}
	return prev == map->m_last && count == listed && listed == map->m_nentries &&
	       size == map->m_size;
}
