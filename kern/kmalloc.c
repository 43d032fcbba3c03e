// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel heap: size-class slabs of one page each, and page-granular
 * blocks for larger requests (see kern/kmalloc.h).
 *
 * A slab page is tagged in its page_meta: pm_tag = KMALLOC_TAG_SLAB + class,
 * pm_data = (objects in use << 16) | offset of the first free object
 * (KMALLOC_OFF_NONE when full), pm_next/pm_prev link the class's list of
 * pages that have a free object. A free object holds the offset of the next
 * free object of its page and a magic word, so a double kfree() is caught.
 * A large block is tagged KMALLOC_TAG_LARGE; its size is its pm_order.
 *
 * Each class keeps at most one empty slab page, so an alloc/free pair at
 * the boundary does not go to the page allocator every time.
 */
#include "kern/kmalloc.h"

#include <mach/kern_return.h>

#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define KMALLOC_TAG_SLAB 0x6b00 /* + class index */
#define KMALLOC_TAG_LARGE 0x6bff
#define KMALLOC_OFF_NONE 0xffffu
#define KMALLOC_FREE_MAGIC UINT64_C(0x6b667265656f626a)

_Static_assert((KMALLOC_MIN_SIZE << (KMALLOC_NCLASSES - 1)) == KMALLOC_MAX_SMALL,
               "classes must end at KMALLOC_MAX_SMALL");
_Static_assert(PAGE_SIZE / KMALLOC_MIN_SIZE < 0x10000, "in-use count is 16 bits");

/* The start of a free object (objects are at least 16 bytes). */
struct kmalloc_free {
	uint16_t kf_next; /* offset in the page, or KMALLOC_OFF_NONE */
	uint16_t kf_pad[3];
	uint64_t kf_magic;
};

struct kmalloc_class {
	uint32_t kc_partial; /* pfn of the first page with a free object */
	uint64_t kc_pages;
	uint64_t kc_in_use;
	uint64_t kc_free;
	uint64_t kc_empty; /* pages with no object in use (at most 1 kept) */
};

static struct spinlock kmalloc_lock = SPINLOCK_INIT("kmalloc", LOCK_RANK_KMALLOC);
static struct kmalloc_class kmalloc_classes[KMALLOC_NCLASSES] = {
    [0 ... KMALLOC_NCLASSES - 1] = {.kc_partial = PAGE_PFN_NONE},
};
static uint64_t kmalloc_large_allocs, kmalloc_large_bytes, kmalloc_failures;

static size_t
kmalloc_class_size(unsigned c)
{
	return (size_t)KMALLOC_MIN_SIZE << c;
}

static unsigned
kmalloc_class_of(size_t size)
{
	unsigned c = 0;

	while (kmalloc_class_size(c) < size)
		c++;
	return c;
}

void
kmalloc_init(void)
{
	uint64_t flags = spin_lock_irqsave(&kmalloc_lock);
	unsigned c;

	for (c = 0; c < KMALLOC_NCLASSES; c++) {
		memset(&kmalloc_classes[c], 0, sizeof(kmalloc_classes[c]));
		kmalloc_classes[c].kc_partial = PAGE_PFN_NONE;
	}
	kmalloc_large_allocs = kmalloc_large_bytes = kmalloc_failures = 0;
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}

static struct kmalloc_free *
kmalloc_obj(uint64_t pfn, unsigned off)
{
	return (struct kmalloc_free *)((char *)phys_to_virt(pfn << PAGE_SHIFT) + off);
}

static unsigned
slab_in_use(const struct page_meta *m)
{
	return m->pm_data >> 16;
}

static unsigned
slab_first_free(const struct page_meta *m)
{
	return m->pm_data & 0xffff;
}

static void
slab_set(struct page_meta *m, unsigned in_use, unsigned first_free)
{
	m->pm_data = (uint32_t)in_use << 16 | first_free;
}

static void
slab_list_push(struct kmalloc_class *kc, uint64_t pfn, struct page_meta *m)
{
	assert_held(&kmalloc_lock);
	m->pm_prev = PAGE_PFN_NONE;
	m->pm_next = kc->kc_partial;
	if (m->pm_next != PAGE_PFN_NONE)
		page_meta_pfn(m->pm_next)->pm_prev = (uint32_t)pfn;
	kc->kc_partial = (uint32_t)pfn;
}

static void
slab_list_remove(struct kmalloc_class *kc, struct page_meta *m)
{
	assert_held(&kmalloc_lock);
	if (m->pm_prev != PAGE_PFN_NONE)
		page_meta_pfn(m->pm_prev)->pm_next = m->pm_next;
	else
		kc->kc_partial = m->pm_next;
	if (m->pm_next != PAGE_PFN_NONE)
		page_meta_pfn(m->pm_next)->pm_prev = m->pm_prev;
	m->pm_next = m->pm_prev = PAGE_PFN_NONE;
}

/*
 * Gets a fresh page for class c and threads its objects.
 * Returns KERN_SUCCESS, or KERN_RESOURCE_SHORTAGE when no page is free.
 */
static kern_return_t
slab_grow(unsigned c)
{
	struct kmalloc_class *kc = &kmalloc_classes[c];
	unsigned size = kmalloc_class_size(c), n = PAGE_SIZE / size, i;
	uint64_t phys = page_alloc(0, 0), pfn = phys >> PAGE_SHIFT;
	struct page_meta *m;

	assert_held(&kmalloc_lock);
	if (phys == 0)
		return KERN_RESOURCE_SHORTAGE;
	m = page_meta_get(phys);
	m->pm_tag = (uint16_t)(KMALLOC_TAG_SLAB + c);
	for (i = 0; i < n; i++) {
		struct kmalloc_free *f = kmalloc_obj(pfn, i * size);

		f->kf_next = (uint16_t)(i + 1 < n ? (i + 1) * size : KMALLOC_OFF_NONE);
		f->kf_magic = KMALLOC_FREE_MAGIC;
	}
	slab_set(m, 0, 0);
	slab_list_push(kc, pfn, m);
	kc->kc_pages++;
	kc->kc_free += n;
	kc->kc_empty++;
	return KERN_SUCCESS;
}

static void *
kmalloc_small(unsigned c)
{
	struct kmalloc_class *kc = &kmalloc_classes[c];
	uint64_t flags = spin_lock_irqsave(&kmalloc_lock), pfn;
	struct kmalloc_free *f;
	struct page_meta *m;
	unsigned off, used;

	if (kc->kc_partial == PAGE_PFN_NONE && slab_grow(c) != KERN_SUCCESS) {
		kmalloc_failures++;
		spin_unlock_irqrestore(&kmalloc_lock, flags);
		return NULL;
	}
	pfn = kc->kc_partial;
	m = page_meta_pfn(pfn);
	off = slab_first_free(m);
	used = slab_in_use(m);
	f = kmalloc_obj(pfn, off);
	if (used == 0)
		kc->kc_empty--;
	slab_set(m, used + 1, f->kf_next);
	if (f->kf_next == KMALLOC_OFF_NONE)
		slab_list_remove(kc, m);
	f->kf_magic = 0;
	kc->kc_in_use++;
	kc->kc_free--;
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	return f;
}

static void *
kmalloc_large(unsigned order)
{
	uint64_t phys = page_alloc(order, 0), flags;
	struct page_meta *m;

	flags = spin_lock_irqsave(&kmalloc_lock);
	if (phys == 0) {
		kmalloc_failures++;
		spin_unlock_irqrestore(&kmalloc_lock, flags);
		return NULL;
	}
	m = page_meta_get(phys);
	m->pm_tag = KMALLOC_TAG_LARGE;
	kmalloc_large_allocs++;
	kmalloc_large_bytes += (uint64_t)PAGE_SIZE << order;
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	return phys_to_virt(phys);
}

void *
kmalloc(size_t size)
{
	return kmalloc_aligned(size, KMALLOC_MIN_SIZE);
}

void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void *
kmalloc_aligned(size_t size, size_t align)
{
	size_t need = size > align ? size : align;

	if (align == 0 || (align & (align - 1)) != 0 ||
	    need > ((size_t)PAGE_SIZE << PAGE_MAX_ORDER)) {
		uint64_t flags = spin_lock_irqsave(&kmalloc_lock);

		kmalloc_failures++;
		spin_unlock_irqrestore(&kmalloc_lock, flags);
		return NULL;
	}
	/* Classes are powers of two in page-aligned slabs, blocks are
	 * naturally aligned: the size rounded up to align is aligned. */
	if (need <= KMALLOC_MAX_SMALL)
		return kmalloc_small(kmalloc_class_of(need));
	return kmalloc_large(page_order_for(need));
}

/* Whether off is on its page's free chain (the magic may be user data). */
static int
slab_is_free(uint64_t pfn, const struct page_meta *m, unsigned off)
{
	unsigned cur = slab_first_free(m), steps = 0;

	while (cur != KMALLOC_OFF_NONE && steps++ < PAGE_SIZE / KMALLOC_MIN_SIZE) {
		if (cur == off)
			return 1;
		cur = kmalloc_obj(pfn, cur)->kf_next;
	}
	return 0;
}

/* Gives an empty slab page back to the page allocator. */
static void
slab_release(struct kmalloc_class *kc, uint64_t pfn, struct page_meta *m, unsigned n)
{
	assert_held(&kmalloc_lock);
	slab_list_remove(kc, m);
	m->pm_tag = 0;
	m->pm_data = 0;
	kc->kc_pages--;
	kc->kc_free -= n;
	kc->kc_empty--;
	page_free(pfn << PAGE_SHIFT, 0);
}

/* Frees the object at off of slab page pfn; returns an error or NULL. */
static const char *
slab_free(unsigned c, uint64_t pfn, struct page_meta *m, unsigned off)
{
	struct kmalloc_class *kc = &kmalloc_classes[c];
	unsigned size = kmalloc_class_size(c), n = PAGE_SIZE / size;
	unsigned used = slab_in_use(m), first = slab_first_free(m);
	struct kmalloc_free *f = kmalloc_obj(pfn, off);

	assert_held(&kmalloc_lock);
	if (off % size != 0)
		return "not the start of an object";
	if (used == 0 || (f->kf_magic == KMALLOC_FREE_MAGIC && slab_is_free(pfn, m, off)))
		return "double free";
	f->kf_next = (uint16_t)first;
	f->kf_magic = KMALLOC_FREE_MAGIC;
	slab_set(m, used - 1, off);
	if (first == KMALLOC_OFF_NONE)
		slab_list_push(kc, pfn, m);
	kc->kc_in_use--;
	kc->kc_free++;
	if (used - 1 == 0 && ++kc->kc_empty > 1)
		slab_release(kc, pfn, m, n);
	return NULL;
}

static void
kmalloc_large_free(uint64_t phys, struct page_meta *m)
{
	unsigned order = m->pm_order;

	assert_held(&kmalloc_lock);
	m->pm_tag = 0;
	kmalloc_large_allocs--;
	kmalloc_large_bytes -= (uint64_t)PAGE_SIZE << order;
	page_free(phys, order);
}

void
kfree(void *p)
{
	uint64_t phys, page, flags;
	struct page_meta *m;
	const char *why = NULL;

	if (p == NULL)
		return;
	phys = virt_to_phys(p);
	page = phys & ~(uint64_t)(PAGE_SIZE - 1);
	flags = spin_lock_irqsave(&kmalloc_lock);
	m = page_meta_get(page);
	if (m == NULL)
		why = "not a kmalloc pointer";
	else if (m->pm_tag >= KMALLOC_TAG_SLAB && m->pm_tag < KMALLOC_TAG_SLAB + KMALLOC_NCLASSES)
		why = slab_free(m->pm_tag - KMALLOC_TAG_SLAB, page >> PAGE_SHIFT, m,
		                (unsigned)(phys - page));
	else if (m->pm_tag == KMALLOC_TAG_LARGE && phys == page)
		kmalloc_large_free(phys, m);
	else
		why = "not a kmalloc pointer";
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	if (why != NULL)
		panic("kfree(%p): %s", p, why);
}

void
kmalloc_reclaim(void)
{
	uint64_t flags = spin_lock_irqsave(&kmalloc_lock);
	unsigned c;

	for (c = 0; c < KMALLOC_NCLASSES; c++) {
		struct kmalloc_class *kc = &kmalloc_classes[c];
		uint32_t pfn = kc->kc_partial;

		while (pfn != PAGE_PFN_NONE) {
			struct page_meta *m = page_meta_pfn(pfn);
			uint32_t next = m->pm_next;

			if (slab_in_use(m) == 0)
				slab_release(kc, pfn, m, PAGE_SIZE / kmalloc_class_size(c));
			pfn = next;
		}
	}
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}

void
kmalloc_stats(struct kmalloc_stats *st)
{
	uint64_t flags = spin_lock_irqsave(&kmalloc_lock);
	unsigned c;

	memset(st, 0, sizeof(*st));
	for (c = 0; c < KMALLOC_NCLASSES; c++) {
		st->ks_class[c].kcs_size = kmalloc_class_size(c);
		st->ks_class[c].kcs_pages = kmalloc_classes[c].kc_pages;
		st->ks_class[c].kcs_in_use = kmalloc_classes[c].kc_in_use;
		st->ks_class[c].kcs_free = kmalloc_classes[c].kc_free;
	}
	st->ks_large_allocs = kmalloc_large_allocs;
	st->ks_large_bytes = kmalloc_large_bytes;
	st->ks_failures = kmalloc_failures;
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}
