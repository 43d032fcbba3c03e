/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address maps: a task's user address space as a set of entries, each a
 * page-aligned range [e_start, e_end) with what backs it (anonymous memory
 * through an amap, or a physical object), its protection, maximum
 * protection, inheritance and wired count. Entries are kept in an AVL tree
 * by start (logarithmic lookup) and in a sorted list; the last lookup is
 * kept as a hint. The tree also keeps the largest hole of each subtree, so
 * a free range is found in logarithmic time too. Operations on part of an entry split it ("clip"),
 * and adjacent entries that are alike are merged again.
 *
 * The map owns a pmap (x86_64/machine.h) that caches its translations;
 * faults (vm/vm_fault.c) fill it in, and every change of the map removes
 * or lowers what it invalidates.
 *
 * Locking: m_lock (LOCK_RANK_VM_MAP), a spinlock: nothing in the VM
 * sleeps yet. Taken first, before amap locks (LOCK_RANK_VM_AMAP), the
 * heap, the pmap and the page allocator. m_ref is atomic.
 */
#ifndef VM_VM_MAP_H
#define VM_VM_MAP_H

#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/spinlock.h"

struct pmap;
struct vm_amap;
struct vm_object;

struct vm_map_entry {
	struct vm_map_entry *e_left, *e_right; /* the AVL tree, keyed by e_start */
	struct vm_map_entry *e_prev, *e_next;  /* the sorted list */
	int e_height;
	uint64_t e_maxgap; /* the largest hole after an entry of this subtree (vm_map.c) */
	uint64_t e_start, e_end;
	/* Anonymous memory: the amap (NULL until the first fault) and the slot of e_start. */
	struct vm_amap *e_amap;
	uint64_t e_slot;
	/* Or a physical object and the offset of e_start in it. */
	struct vm_object *e_object;
	uint64_t e_offset;
	vm_prot_t e_prot, e_maxprot;
	vm_inherit_t e_inherit;
	unsigned e_wired; /* vm_wire count: > 0 means every page is resident and wired */
	/*
	 * The amap's slots for this entry may also be a copy's (vm_read's
	 * copy of a whole range, which took a reference on the amap instead
	 * of on each page): nothing may change them in place. The entry's
	 * pages are mapped read-only, and before anything stores into a slot,
	 * vm_map_entry_unshare() gives the entry an amap of its own.
	 */
	bool e_needs_copy;
};

struct vm_map {
	struct spinlock m_lock; /* everything below but m_ref */
	uint32_t m_ref;
	struct pmap *m_pmap;
	struct vm_map_entry *m_root, *m_first, *m_last, *m_hint;
	uint64_t m_min, m_max; /* the range entries may take */
	unsigned m_nentries;
	uint64_t m_size;              /* bytes in entries */
	struct vm_map_entry *m_spare; /* the last entry freed, for the next one made (or NULL) */
	bool m_wire_future;           /* vm_wire_all(VM_WIRE_FUTURE): new entries are wired */
};

/* Where vm_allocate(anywhere) starts looking: page 0 stays unmapped unless asked for. */
#define VM_MAP_ANYWHERE_MIN 0x10000ULL

/* ---- For tasks and boot (kern/) ------------------------------------------ */

/*
 * A new, empty map of the user half [0, USER_SPACE_END) with its own pmap,
 * with one reference. KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t vm_map_create(struct vm_map **out);
/*
 * A new map for child holding parent's entries by their inheritance:
 * VM_INHERIT_SHARE entries are shared (both see every write),
 * VM_INHERIT_COPY entries are copied copy-on-write, VM_INHERIT_NONE entries
 * are left out. Physical objects are always shared. Wiring is not
 * inherited. KERN_RESOURCE_SHORTAGE without memory (nothing is created).
 */
kern_return_t vm_map_fork(struct vm_map *parent, struct vm_map **child);
void vm_map_reference(struct vm_map *map);
/* Drops a reference; the last frees every entry, page and table, and the pmap. */
void vm_map_deallocate(struct vm_map *map);
/*
 * Frees the entry map keeps for its next insertion (a cache, m_spare), so
 * that vm_statistics counts the heap page it may pin as free, as it does
 * the message buffer cache's.
 */
void vm_map_drop_spare(struct vm_map *map);
struct pmap *vm_map_pmap(struct vm_map *map);

/*
 * Copies len bytes from the kernel buffer src to uaddr in map (or from
 * map's uaddr to dst), faulting pages in as a user access would: writing
 * needs write permission, reading read permission. Returns KERN_SUCCESS,
 * KERN_INVALID_ADDRESS (a hole, or outside the user half),
 * KERN_PROTECTION_FAILURE or KERN_RESOURCE_SHORTAGE; on an error some
 * bytes may have been copied. Not with map's lock held.
 */
kern_return_t vm_map_copy_to_user(struct vm_map *map, uint64_t uaddr, const void *src,
                                  uint64_t len);
kern_return_t vm_map_copy_from_user(struct vm_map *map, void *dst, uint64_t uaddr, uint64_t len);

/*
 * Maps size bytes of a physical object at offset into map (device_map),
 * at *addr or anywhere (the address found goes to *addr). Takes a
 * reference on the object when it succeeds. KERN_INVALID_ARGUMENT for a
 * bad range of the object or protections, KERN_INVALID_ADDRESS or
 * KERN_NO_SPACE as vm_allocate.
 */
kern_return_t vm_map_object(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere,
                            struct vm_object *object, uint64_t offset, vm_prot_t prot,
                            vm_prot_t maxprot, vm_inherit_t inherit);

/* ---- Inside vm/ ---------------------------------------------------------- */

/*
 * The entry holding addr (true), or else the last entry before addr, or
 * NULL (false). Updates the hint. Map locked.
 */
bool vm_map_lookup(struct vm_map *map, uint64_t addr, struct vm_map_entry **entry);
/*
 * Splits e at addr (inside it, page-aligned): e keeps [e_start, addr), the
 * new entry [addr, e_end) is returned in *right. Map locked.
 * KERN_RESOURCE_SHORTAGE without memory (e is unchanged).
 */
kern_return_t vm_map_split(struct vm_map *map, struct vm_map_entry *e, uint64_t addr,
                           struct vm_map_entry **right);
/*
 * Makes [start, end) a run of whole entries: splits the entries holding
 * start and end. *first is the first entry inside the range (or NULL).
 * Map locked.
 */
kern_return_t vm_map_clip(struct vm_map *map, uint64_t start, uint64_t end,
                          struct vm_map_entry **first);
/*
 * Gives a needs-copy entry an amap of its own (each page shared
 * copy-on-write with the old one), or just clears the mark when nothing
 * else uses its amap. KERN_RESOURCE_SHORTAGE (the entry is unchanged).
 * Map locked.
 */
kern_return_t vm_map_entry_unshare(struct vm_map_entry *e);
/*
 * Gives e's range amap slots no other entry uses: when entries of the map
 * use the amap's other slots (pieces of a clipped entry, a merged
 * neighbour), e's slots move to an amap of their own (vm_amap_take).
 * Before a range's amap is shared needs-copy (vm_read, fork), so that its
 * pages go with the last copy. Nothing to do for a needs-copy entry.
 * KERN_RESOURCE_SHORTAGE (e unchanged). Map locked.
 */
kern_return_t vm_map_entry_own_slots(struct vm_map_entry *e);
/* Merges e with its neighbours where alike; returns the entry now holding e's range. */
struct vm_map_entry *vm_map_merge(struct vm_map *map, struct vm_map_entry *e);
/* Merges the alike neighbours among the entries touching [start, end]. Map locked. */
void vm_map_merge_range(struct vm_map *map, uint64_t start, uint64_t end);
/*
 * Inserts a new entry [start, end) (free, inside the map) with the given
 * backing and attributes and merges it: an amap (whose reference it takes
 * over, slot at start; needs-copy when anything else uses the amap) or an
 * object (on which it takes a reference); *out is the entry holding it.
 * Map locked.
 */
kern_return_t vm_map_insert(struct vm_map *map, uint64_t start, uint64_t end, struct vm_amap *amap,
                            uint64_t slot, struct vm_object *object, uint64_t offset,
                            vm_prot_t prot, vm_prot_t maxprot, vm_inherit_t inherit,
                            struct vm_map_entry **out);
/*
 * A free range of size bytes: at *addr (fixed) or the lowest one from
 * VM_MAP_ANYWHERE_MIN (anywhere, stored in *addr). KERN_INVALID_ADDRESS
 * when a fixed range leaves the map or wraps, KERN_NO_SPACE when it
 * overlaps an entry or no room is left. Map locked.
 */
kern_return_t vm_map_find_space(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere);
/* Removes entry e: its mappings, what only it holds, the entry. Map locked. */
void vm_map_entry_remove(struct vm_map *map, struct vm_map_entry *e);
/* Removes [start, end) (page-aligned, clamped to the map): pages, tables, entries. Map locked. */
kern_return_t vm_map_remove_locked(struct vm_map *map, uint64_t start, uint64_t end);
/* Clamps [*start, *end) to the map as GNU Mach does (VM_MAP_RANGE_CHECK). */
void vm_map_clamp(const struct vm_map *map, uint64_t *start, uint64_t *end);
/* True when [start, end) is covered by entries without a hole. Map locked. */
bool vm_map_covered(struct vm_map *map, uint64_t start, uint64_t end);
/* Checks the tree, the list and the counts (tests): true when all hold. */
bool vm_map_check(struct vm_map *map);

static inline uint64_t
vm_entry_pages(const struct vm_map_entry *e)
{
	return (e->e_end - e->e_start) >> 12;
}

/* Interrupts stay off while a map is locked (an interrupt may take lower-ranked locks). */
static inline uint64_t
vm_map_lock(struct vm_map *map)
{
	return spin_lock_irqsave(&map->m_lock);
}

static inline void
vm_map_unlock(struct vm_map *map, uint64_t flags)
{
	spin_unlock_irqrestore(&map->m_lock, flags);
}

#endif
