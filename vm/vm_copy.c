// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copies of memory (vm/vm_user.h: vm_read, vm_write, vm_copy, copy
 * objects) and the kernel's access to a map's memory (vm/vm_map.h:
 * vm_map_copy_to_user, vm_map_copy_from_user).
 *
 * A copy object is an array of anonymous pages, each with a reference:
 * reading anonymous memory shares its pages copy-on-write (the source is
 * write-protected, so its next write copies), except pages of a shared
 * amap and of physical objects, which are copied at once.
 */
#include "kern/kmalloc.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "vm/vm_amap.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

/*
 * Copy headers without a page array (an amap copy, a move) come from a
 * static pool while it lasts: one is made and freed per out-of-line
 * region sent, and the heap's lock and checks cost several times the
 * pool's. Being static, the pool holds no page: the kernel's free page
 * count does not depend on it.
 */
#define HEADER_POOL 32

static struct vm_copy header_pool[HEADER_POOL];
static struct vm_copy *header_free; /* linked through c_amap */
static bool header_pool_ready;
static struct spinlock header_lock = SPINLOCK_INIT("vm_copy_pool", LOCK_RANK_VM_COPY_POOL);

static struct vm_copy *
header_alloc(void)
{
	struct vm_copy *c;
	uint64_t flags = spin_lock_irqsave(&header_lock);

	if (!header_pool_ready) {
		for (unsigned i = 0; i < HEADER_POOL; i++) {
			header_pool[i].c_amap = (struct vm_amap *)header_free;
			header_free = &header_pool[i];
		}
		header_pool_ready = true;
	}
	c = header_free;
	if (c)
		header_free = (struct vm_copy *)c->c_amap;
	spin_unlock_irqrestore(&header_lock, flags);
	if (!c)
		return kzalloc(sizeof(*c));
	*c = (struct vm_copy){0};
	return c;
}

/* Frees a copy's memory: its header back to the pool, or to the heap. */
static void
copy_free(struct vm_copy *c)
{
	if (c < header_pool || c >= header_pool + HEADER_POOL) {
		kfree(c);
		return;
	}
	uint64_t flags = spin_lock_irqsave(&header_lock);
	c->c_amap = (struct vm_amap *)header_free;
	header_free = c;
	spin_unlock_irqrestore(&header_lock, flags);
}

static struct vm_copy *
copy_new(uint64_t npages)
{
	struct vm_copy *c;

	if (npages > (UINT64_MAX - sizeof(*c)) / sizeof(uint64_t))
		return NULL;
	c = kzalloc(sizeof(*c) + npages * sizeof(uint64_t));
	if (c)
		c->c_npages = npages;
	return c;
}

void
vm_copy_discard(struct vm_copy *c)
{
	if (!c)
		return;
	if (c->c_amap || c->c_pending) { /* a pending move holds nothing yet */
		if (c->c_amap)
			vm_amap_unref(c->c_amap);
		copy_free(c);
		return;
	}
	for (uint64_t i = 0; i < c->c_npages; i++)
		if (c->c_pages[i])
			vm_page_unref(c->c_pages[i]);
	copy_free(c);
}

uint64_t
vm_copy_held_bytes(const struct vm_copy *c)
{
	uint64_t bytes = sizeof(*c), pages = 0;

	if (c->c_amap) {
		/* The whole amap's pages stay while the copy does: its count, read unlocked. */
		pages = __atomic_load_n(&c->c_amap->am_npages, __ATOMIC_RELAXED);
		if (pages > c->c_npages)
			pages = c->c_npages;
	} else {
		bytes += c->c_npages * sizeof(uint64_t);
		for (uint64_t i = 0; i < c->c_npages; i++)
			pages += c->c_pages[i] != 0;
	}
	return bytes + pages * PAGE_SIZE;
}

/* The copy's page i (0: zeros), whichever form the copy has. */
static uint64_t
copy_page(const struct vm_copy *c, uint64_t i)
{
	uint64_t pa;

	if (!c->c_amap)
		return c->c_pages[i];
	/* The copy is the amap's only user: the page stays while the copy does. */
	vm_amap_lock(c->c_amap);
	pa = vm_amap_get(c->c_amap, c->c_slot + i);
	vm_amap_unlock(c->c_amap);
	return pa;
}

/* The user range [addr, addr + size) rounded to pages, or false when it wraps or leaves the user
 * half. */
static bool
user_range(uint64_t addr, uint64_t size, uint64_t *start, uint64_t *end)
{
	uint64_t last = addr + size;

	if (last < addr || last > USER_SPACE_END)
		return false;
	*start = addr & ~PAGE_MASK;
	*end = (last + PAGE_MASK) & ~PAGE_MASK;
	return true;
}

/* Every entry of [start, end) has prot and is not device memory. Map locked. */
static bool
range_allows(struct vm_map *map, uint64_t start, uint64_t end, vm_prot_t prot)
{
	struct vm_map_entry *e;

	vm_map_lookup(map, start, &e);
	for (; e && e->e_start < end; e = e->e_next) {
		if ((e->e_prot & prot) != prot)
			return false;
		if (e->e_object && e->e_object->ob_kind == VM_OBJECT_DEVICE)
			return false;
	}
	return true;
}

/* Fills c's pages for [s, t), a part of entry e starting at page first of c. Map locked. */
static kern_return_t
read_entry(struct vm_map *map, struct vm_map_entry *e, uint64_t s, uint64_t t, struct vm_copy *c,
           uint64_t first)
{
	uint64_t n = (t - s) >> PAGE_SHIFT;
	kern_return_t kr = KERN_SUCCESS;

	if (e->e_object) { /* contiguous RAM: copied */
		uint64_t pa = e->e_object->ob_pa + e->e_offset + (s - e->e_start);
		for (uint64_t i = 0; i < n; i++)
			if (!(c->c_pages[first + i] = vm_page_alloc(pa + i * PAGE_SIZE)))
				return KERN_RESOURCE_SHORTAGE;
		return KERN_SUCCESS;
	}
	if (!e->e_amap)
		return KERN_SUCCESS; /* never touched: zeros */
	struct vm_amap *am = e->e_amap;
	vm_amap_lock(am);
	bool eager = am->am_shared;
	kr = vm_amap_extract(am, e->e_slot + ((s - e->e_start) >> PAGE_SHIFT), n, eager,
	                     &c->c_pages[first]);
	vm_amap_unlock(am);
	if (kr == KERN_SUCCESS && !eager)
		pmap_protect(map->m_pmap, s, t, e->e_prot & ~VM_PROT_WRITE);
	return kr;
}

/* Fills c with the pages of [start, end) of map, checked as vm_read checks. Map locked. */
static kern_return_t
read_locked(struct vm_map *map, uint64_t start, uint64_t end, struct vm_copy *c)
{
	struct vm_map_entry *e;
	kern_return_t kr = KERN_SUCCESS;

	if (!vm_map_covered(map, start, end))
		return KERN_INVALID_ADDRESS;
	if (!range_allows(map, start, end, VM_PROT_READ))
		return KERN_PROTECTION_FAILURE;
	vm_map_lookup(map, start, &e);
	for (; kr == KERN_SUCCESS && e && e->e_start < end; e = e->e_next) {
		uint64_t s = e->e_start > start ? e->e_start : start;
		uint64_t t = e->e_end < end ? e->e_end : end;
		kr = read_entry(map, e, s, t, c, (s - start) >> PAGE_SHIFT);
	}
	return kr;
}

/*
 * A range this many pages or larger that lies in one entry of anonymous
 * memory is copied by a reference on the entry's amap (the entry clipped
 * to the range and marked needs-copy), not a reference on each page:
 * below, a page array costs less than the entries a clip may leave.
 */
#define AMAP_COPY_MIN_PAGES 16

/* [start, end) as an amap copy into c (true), or false when it is not one. Map locked. */
static bool
read_amap(struct vm_map *map, uint64_t start, uint64_t end, struct vm_copy *c)
{
	struct vm_map_entry *e;
	bool ok;

	if (!vm_map_lookup(map, start, &e) || e->e_end < end || !e->e_amap || e->e_object ||
	    e->e_wired || !(e->e_prot & VM_PROT_READ))
		return false;
	vm_amap_lock(e->e_amap);
	ok = !e->e_amap->am_shared; /* others write a shared amap in place */
	vm_amap_unlock(e->e_amap);
	if (!ok || vm_map_clip(map, start, end, &e) != KERN_SUCCESS)
		return false;
	/* Other entries of this map using the amap's other slots: the range's move out first. */
	if (vm_map_entry_own_slots(e) != KERN_SUCCESS)
		return false;
	if (!e->e_needs_copy) {
		e->e_needs_copy = true;
		pmap_protect(map->m_pmap, start, end, e->e_prot & ~VM_PROT_WRITE);
	}
	vm_amap_ref(e->e_amap);
	c->c_amap = e->e_amap;
	c->c_slot = e->e_slot;
	return true;
}

kern_return_t
vm_read(struct vm_map *map, uint64_t addr, uint64_t size, struct vm_copy **out)
{
	struct vm_copy *c;
	uint64_t start, end, f;
	kern_return_t kr = KERN_SUCCESS;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	*out = NULL;
	if (size == 0)
		return KERN_SUCCESS;
	if (!user_range(addr, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	/* A large range first without a page array: the amap copy needs none. */
	c = ((end - start) >> PAGE_SHIFT) >= AMAP_COPY_MIN_PAGES ? header_alloc() : NULL;
	if (c)
		c->c_npages = (end - start) >> PAGE_SHIFT;
	f = vm_map_lock(map);
	if (!c || !read_amap(map, start, end, c)) {
		vm_map_unlock(map, f);
		if (c)
			copy_free(c);
		if (!(c = copy_new((end - start) >> PAGE_SHIFT)))
			return KERN_RESOURCE_SHORTAGE;
		f = vm_map_lock(map);
		kr = read_locked(map, start, end, c);
	}
	c->c_offset = addr & PAGE_MASK;
	c->c_size = size;
	vm_map_unlock(map, f);
	if (kr != KERN_SUCCESS) {
		vm_copy_discard(c);
		return kr;
	}
	*out = c;
	return KERN_SUCCESS;
}

/*
 * The entry holding all of [start, end), of anonymous memory only it uses
 * (or untouched), readable and unwired: its pages can move without a
 * copy. Map locked.
 */
static struct vm_map_entry *
movable_entry(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;
	bool alone = true;

	if (!vm_map_lookup(map, start, &e) || e->e_end < end || e->e_object || e->e_wired ||
	    !(e->e_prot & VM_PROT_READ))
		return NULL;
	/*
	 * No amap lock: with one reference, the amap is this entry's alone,
	 * and only a user of it (this map, locked) could make it shared.
	 */
	if (e->e_amap)
		alone = __atomic_load_n(&e->e_amap->am_ref, __ATOMIC_ACQUIRE) == 1 &&
		        !e->e_amap->am_shared;
	return alone ? e : NULL;
}

kern_return_t
vm_read_move(struct vm_map *map, uint64_t addr, uint64_t size, struct vm_copy **out)
{
	uint64_t start, end, f;
	struct vm_copy *c;
	bool whole;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	*out = NULL;
	if (size == 0 || !user_range(addr, size, &start, &end))
		return vm_read(map, addr, size, out);
	f = vm_map_lock(map);
	whole = movable_entry(map, start, end) != NULL;
	vm_map_unlock(map, f);
	if (!whole)
		return vm_read(map, addr, size, out);
	/* No page array: the commit takes the pages (or, failing that, builds an amap). */
	if (!(c = header_alloc()))
		return KERN_RESOURCE_SHORTAGE;
	c->c_npages = (end - start) >> PAGE_SHIFT;
	c->c_offset = addr & PAGE_MASK;
	c->c_size = size;
	c->c_pending = true;
	*out = c;
	return KERN_SUCCESS;
}

/*
 * The amap of a move whose entry changed since the copyin (only another
 * CPU can do that): the pages there are now, copy-on-write, or nothing
 * (the copy becomes empty) when memory is short. Map locked.
 */
static void
move_fallback(struct vm_map *map, uint64_t start, uint64_t end, struct vm_copy *c)
{
	struct vm_copy *pages = copy_new(c->c_npages);

	/* What is left of the region is sent; a hole reads as zeros. */
	if (pages && read_locked(map, start, end, pages) == KERN_SUCCESS &&
	    (c->c_amap = vm_amap_from_pages(pages->c_pages, c->c_npages)) != NULL) {
		copy_free(pages); /* the amap took the references */
		return;
	}
	vm_copy_discard(pages);
	c->c_npages = c->c_size = c->c_offset = 0;
}

void
vm_move_commit(struct vm_map *map, uint64_t addr, uint64_t size, struct vm_copy *c)
{
	uint64_t start = addr & ~PAGE_MASK;
	uint64_t end = (addr + size + PAGE_MASK) & ~PAGE_MASK;
	struct vm_map_entry *e;
	uint64_t f;

	if (!c || !c->c_pending) {
		vm_deallocate(map, start, end - start);
		return;
	}
	c->c_pending = false;
	f = vm_map_lock(map);
	if ((e = movable_entry(map, start, end)) == NULL) {
		move_fallback(map, start, end, c);
	} else if (e->e_start == start && e->e_end == end && e->e_amap) {
		/* The whole amap moves; the entry leaves without its slots being cleared. */
		c->c_amap = e->e_amap;
		c->c_slot = e->e_slot;
		e->e_amap = NULL;
		vm_map_entry_remove(map, e);
		vm_map_unlock(map, f);
		return;
	} else if (!e->e_amap) {
		/* Never touched: zeros, an empty amap (or nothing, without memory). */
		if (!(c->c_amap = vm_amap_create(c->c_npages)))
			c->c_npages = c->c_size = c->c_offset = 0;
	} else {
		/* Part of an entry: its pages in the range move to an amap of their own. */
		struct vm_amap *am = e->e_amap;
		kern_return_t kr;
		vm_amap_lock(am);
		kr = vm_amap_take(am, e->e_slot + ((start - e->e_start) >> PAGE_SHIFT), c->c_npages,
		                  &c->c_amap);
		vm_amap_unlock(am);
		if (kr != KERN_SUCCESS)
			move_fallback(map, start, end, c);
	}
	vm_map_remove_locked(map, start, end);
	vm_map_unlock(map, f);
}

/* Writes the copy's page src (0: zeros) over the page at va of entry e. Map locked. */
static kern_return_t
write_page(struct vm_map *map, struct vm_map_entry *e, uint64_t va, uint64_t src)
{
	struct vm_amap *am = e->e_amap;
	uint64_t pa;
	kern_return_t kr;

	/*
	 * A private amap takes the copy's page itself (shared copy-on-write).
	 * A shared amap, a wired entry or an object is written in place:
	 * their pages must stay where others map them.
	 */
	if (!e->e_object && !e->e_wired && !(am && am->am_shared)) {
		if (e->e_needs_copy) {
			if ((kr = vm_map_entry_unshare(e)) != KERN_SUCCESS)
				return kr;
			am = e->e_amap;
		}
		if (!am) {
			if (!(am = e->e_amap = vm_amap_create(vm_entry_pages(e))))
				return KERN_RESOURCE_SHORTAGE;
			e->e_slot = 0;
		}
		vm_amap_lock(am);
		if (src)
			vm_page_ref(src);
		kr = vm_amap_set(am, e->e_slot + ((va - e->e_start) >> PAGE_SHIFT), src);
		if (kr != KERN_SUCCESS && src)
			vm_page_unref(src);
		vm_amap_unlock(am);
		pmap_remove(map->m_pmap, va, va + PAGE_SIZE);
		return kr;
	}
	if ((kr = vm_fault_entry(map, e, va, VM_PROT_WRITE, &pa)) != KERN_SUCCESS)
		return kr;
	if (src)
		memcpy(phys_to_virt(pa), phys_to_virt(src), PAGE_SIZE);
	else
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return KERN_SUCCESS;
}

kern_return_t
vm_write(struct vm_map *map, uint64_t addr, const struct vm_copy *c)
{
	struct vm_map_entry *e;
	uint64_t start, end, f;
	kern_return_t kr = KERN_SUCCESS;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if (!c)
		return KERN_SUCCESS;
	if ((addr | c->c_offset | c->c_size) & PAGE_MASK)
		return KERN_INVALID_ARGUMENT;
	if (!user_range(addr, c->c_size, &start, &end))
		return KERN_INVALID_ADDRESS;
	f = vm_map_lock(map);
	if (!vm_map_covered(map, start, end))
		kr = KERN_INVALID_ADDRESS;
	else if (!range_allows(map, start, end, VM_PROT_WRITE))
		kr = KERN_PROTECTION_FAILURE;
	for (uint64_t va = start; kr == KERN_SUCCESS && va < end; va += PAGE_SIZE) {
		vm_map_lookup(map, va, &e);
		kr = write_page(map, e, va, copy_page(c, (va - start) >> PAGE_SHIFT));
	}
	vm_map_unlock(map, f);
	return kr;
}

kern_return_t
vm_copy(struct vm_map *map, uint64_t src, uint64_t size, uint64_t dst)
{
	struct vm_copy *c;
	kern_return_t kr;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if ((src | dst | size) & PAGE_MASK)
		return KERN_INVALID_ARGUMENT;
	if ((kr = vm_read(map, src, size, &c)) != KERN_SUCCESS)
		return kr;
	kr = vm_write(map, dst, c);
	vm_copy_discard(c);
	return kr;
}

kern_return_t
vm_copy_from_kernel(const void *buf, uint64_t len, struct vm_copy **out)
{
	struct vm_copy *c;
	const uint8_t *p = buf;

	*out = NULL; /* the empty copy, as vm_read's of size 0 */
	if (len == 0)
		return KERN_SUCCESS;
	if (len > UINT64_MAX - PAGE_MASK || !(c = copy_new((len + PAGE_MASK) >> PAGE_SHIFT)))
		return KERN_RESOURCE_SHORTAGE;
	c->c_size = len;
	for (uint64_t i = 0; i < c->c_npages; i++) {
		uint64_t n = len - i * PAGE_SIZE < PAGE_SIZE ? len - i * PAGE_SIZE : PAGE_SIZE;
		if (!(c->c_pages[i] = vm_page_alloc(0))) {
			vm_copy_discard(c);
			return KERN_RESOURCE_SHORTAGE;
		}
		memcpy(phys_to_virt(c->c_pages[i]), p + i * PAGE_SIZE, n);
	}
	*out = c;
	return KERN_SUCCESS;
}

kern_return_t
vm_copy_alloc(uint64_t len, struct vm_copy **out)
{
	struct vm_copy *c;

	*out = NULL;
	if (len == 0 || len > UINT64_MAX - PAGE_MASK)
		return KERN_RESOURCE_SHORTAGE;
	uint64_t npages = (len + PAGE_MASK) >> PAGE_SHIFT;
	/* Not copy_new's kzalloc: every field is set here and every page slot below (a
	 * byte-wise clear of the header cost more than the rest of this function). */
	if (npages > (UINT64_MAX - sizeof(*c)) / sizeof(uint64_t) ||
	    !(c = kmalloc(sizeof(*c) + npages * sizeof(uint64_t))))
		return KERN_RESOURCE_SHORTAGE;
	c->c_offset = 0;
	c->c_size = len;
	c->c_npages = npages;
	c->c_amap = NULL;
	c->c_slot = 0;
	c->c_pending = false;
	for (uint64_t i = 0; i < npages; i++)
		c->c_pages[i] = 0;
	for (uint64_t i = 0; i < c->c_npages; i++) {
		if (!(c->c_pages[i] = vm_page_alloc_unzeroed())) {
			vm_copy_discard(c);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	if (len & PAGE_MASK) /* the tail the caller will not write */
		memset((uint8_t *)phys_to_virt(c->c_pages[c->c_npages - 1]) + (len & PAGE_MASK), 0,
		       PAGE_SIZE - (len & PAGE_MASK));
	*out = c;
	return KERN_SUCCESS;
}

uint64_t
vm_copy_page(const struct vm_copy *c, uint64_t i)
{
	return copy_page(c, i);
}

uint64_t
vm_copy_to_kernel(const struct vm_copy *c, void *buf, uint64_t len)
{
	return vm_copy_read(c, 0, buf, len);
}

uint64_t
vm_copy_read(const struct vm_copy *c, uint64_t from, void *buf, uint64_t len)
{
	uint8_t *p = buf;
	uint64_t done = 0;

	if (!c || from >= c->c_size)
		return 0;
	if (len > c->c_size - from)
		len = c->c_size - from;
	while (done < len) {
		uint64_t at = c->c_offset + from + done, page = at >> PAGE_SHIFT,
		         off = at & PAGE_MASK;
		uint64_t n = PAGE_SIZE - off < len - done ? PAGE_SIZE - off : len - done;
		uint64_t pa = copy_page(c, page);
		if (pa)
			memcpy(p + done, (uint8_t *)phys_to_virt(pa) + off, n);
		else
			memset(p + done, 0, n);
		done += n;
	}
	return done;
}

kern_return_t
vm_map_copyout(struct vm_map *map, struct vm_copy *c, uint64_t *addr)
{
	struct vm_map_entry *e;
	struct vm_amap *am;
	uint64_t start = 0, size, f;
	kern_return_t kr;

	if (!map)
		return KERN_INVALID_ARGUMENT;
	if (!c) {
		*addr = 0;
		return KERN_SUCCESS;
	}
	size = c->c_npages << PAGE_SHIFT;
	/* A moved amap is mapped as it is; pages get a new amap. */
	am = c->c_amap ? c->c_amap : vm_amap_from_pages(c->c_pages, c->c_npages);
	if (!am)
		return KERN_RESOURCE_SHORTAGE;
	f = vm_map_lock(map);
	kr = vm_map_find_space(map, &start, size, true);
	if (kr == KERN_SUCCESS)
		kr = vm_map_insert(map, start, start + size, am, c->c_amap ? c->c_slot : 0, NULL, 0,
		                   VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT, &e);
	vm_map_unlock(map, f);
	if (kr != KERN_SUCCESS) {
		if (c->c_amap)
			return kr; /* the reference stays the copy's */
		/* Give the pages' references back to the copy. */
		for (uint64_t i = 0; i < c->c_npages; i++)
			if (c->c_pages[i])
				vm_page_ref(c->c_pages[i]);
		vm_amap_unref(am);
		return kr;
	}
	*addr = start + c->c_offset;
	copy_free(c);
	return KERN_SUCCESS;
}

/* ---- The kernel's access to a map's memory ------------------------------- */

static kern_return_t
user_copy(struct vm_map *map, uint64_t uaddr, uint8_t *kbuf, uint64_t len, bool to_user)
{
	vm_prot_t access = to_user ? VM_PROT_WRITE : VM_PROT_READ;

	if (len == 0)
		return KERN_SUCCESS;
	if (uaddr + len < uaddr || uaddr + len > USER_SPACE_END)
		return KERN_INVALID_ADDRESS;
	while (len) {
		struct vm_map_entry *e;
		uint64_t off = uaddr & PAGE_MASK, n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		uint64_t pa, f = vm_map_lock(map);
		kern_return_t kr;

		if (!vm_map_lookup(map, uaddr, &e))
			kr = KERN_INVALID_ADDRESS;
		else if ((access & ~e->e_prot) ||
		         (e->e_object && e->e_object->ob_kind == VM_OBJECT_DEVICE))
			kr = KERN_PROTECTION_FAILURE;
		else
			kr = vm_fault_entry(map, e, uaddr, access, &pa);
		/* Copied under the map lock: the page cannot go away meanwhile. */
		if (kr == KERN_SUCCESS && to_user)
			memcpy((uint8_t *)phys_to_virt(pa) + off, kbuf, n);
		else if (kr == KERN_SUCCESS)
			memcpy(kbuf, (uint8_t *)phys_to_virt(pa) + off, n);
		vm_map_unlock(map, f);
		if (kr != KERN_SUCCESS)
			return kr;
		uaddr += n;
		kbuf += n;
		len -= n;
	}
	return KERN_SUCCESS;
}

kern_return_t
vm_map_copy_to_user(struct vm_map *map, uint64_t uaddr, const void *src, uint64_t len)
{
	return user_copy(map, uaddr, (uint8_t *)src, len, true);
}

kern_return_t
vm_map_copy_from_user(struct vm_map *map, void *dst, uint64_t uaddr, uint64_t len)
{
	return user_copy(map, uaddr, dst, len, false);
}
