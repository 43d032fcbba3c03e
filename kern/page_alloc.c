// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The physical page allocator: a binary buddy allocator whose state lives
 * entirely in the page_meta array (see kern/page_alloc.h for the rules).
 *
 * Invariants, under page_lock:
 * - every managed page is either the first page of a block (FREE or ALLOC,
 *   with pm_order) or TAIL; unmanaged pages are NONE;
 * - a FREE block is on exactly one list, pa_free[zone][order];
 * - no two FREE buddies of the same order exist below PAGE_MAX_ORDER
 *   (frees merge eagerly), so any free, aligned run of 2^order pages lies
 *   inside one free block of that order or larger;
 * - no block crosses 4 GiB, since 4 GiB is aligned to the largest block.
 */
#include "kern/page_alloc.h"

#include "kern/log.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define PFN_4G (UINT64_C(1) << (32 - PAGE_SHIFT))
#define PFN_LIMIT ((uint64_t)PAGE_PFN_NONE) /* pfns are 32 bits, minus NONE */

_Static_assert(PFN_4G % (1u << PAGE_MAX_ORDER) == 0, "blocks must not cross 4 GiB");

struct page_zone {
	uint32_t pz_free[PAGE_NR_ORDERS];  /* list heads, PAGE_PFN_NONE */
	uint64_t pz_nfree[PAGE_NR_ORDERS]; /* blocks on each list */
	uint64_t pz_free_pages;
	uint64_t pz_total_pages;
};

static struct spinlock page_lock = SPINLOCK_INIT("page_alloc", LOCK_RANK_PAGE_ALLOC);
struct page_meta *page_meta_arr; /* page_alloc.h: page_meta_pfn reads it inline */
static uint64_t page_npages;
static uint64_t page_max_phys;
/* Empty lists from the start: page_alloc() before init returns 0. */
static struct page_zone page_zones[PAGE_NR_ZONES] = {
    [0 ... PAGE_NR_ZONES - 1] = {.pz_free = {[0 ... PAGE_MAX_ORDER] = PAGE_PFN_NONE}},
};
static uint64_t page_nallocs, page_nfrees, page_nfailures;

static uint64_t
page_npages_for(uint64_t max_phys)
{
	uint64_t n = max_phys >> PAGE_SHIFT;

	return n < PFN_LIMIT ? n : PFN_LIMIT;
}

size_t
page_alloc_meta_size(uint64_t max_phys)
{
	return (size_t)page_npages_for(max_phys) * sizeof(struct page_meta);
}

static struct page_zone *
page_zone_of(uint64_t pfn)
{
	return &page_zones[pfn < PFN_4G ? PAGE_ZONE_LOW : PAGE_ZONE_HIGH];
}

static void
page_list_push(uint64_t pfn, unsigned order)
{
	struct page_zone *z = page_zone_of(pfn);
	struct page_meta *m = &page_meta_arr[pfn];

	assert_held(&page_lock);
	m->pm_state = PAGE_STATE_FREE;
	m->pm_order = (uint8_t)order;
	m->pm_prev = PAGE_PFN_NONE;
	m->pm_next = z->pz_free[order];
	if (m->pm_next != PAGE_PFN_NONE)
		page_meta_arr[m->pm_next].pm_prev = (uint32_t)pfn;
	z->pz_free[order] = (uint32_t)pfn;
	z->pz_nfree[order]++;
	z->pz_free_pages += UINT64_C(1) << order;
}

static void
page_list_remove(uint64_t pfn)
{
	struct page_meta *m = &page_meta_arr[pfn];
	struct page_zone *z = page_zone_of(pfn);
	unsigned order = m->pm_order;

	assert_held(&page_lock);
	if (m->pm_prev != PAGE_PFN_NONE)
		page_meta_arr[m->pm_prev].pm_next = m->pm_next;
	else
		z->pz_free[order] = m->pm_next;
	if (m->pm_next != PAGE_PFN_NONE)
		page_meta_arr[m->pm_next].pm_prev = m->pm_prev;
	m->pm_next = m->pm_prev = PAGE_PFN_NONE;
	z->pz_nfree[order]--;
	z->pz_free_pages -= UINT64_C(1) << order;
}

/* Frees the block at pfn (its first page not on any list), merging buddies. */
static void
page_block_release(uint64_t pfn, unsigned order)
{
	assert_held(&page_lock);
	while (order < PAGE_MAX_ORDER) {
		uint64_t buddy = pfn ^ (UINT64_C(1) << order);
		struct page_meta *b;

		if (buddy >= page_npages)
			break;
		b = &page_meta_arr[buddy];
		if (b->pm_state != PAGE_STATE_FREE || b->pm_order != order)
			break;
		page_list_remove(buddy);
		/* The upper half's first page is now inside the merged block. */
		page_meta_arr[pfn > buddy ? pfn : buddy].pm_state = PAGE_STATE_TAIL;
		pfn = pfn < buddy ? pfn : buddy;
		order++;
	}
	page_list_push(pfn, order);
}

void
page_alloc_init(void *meta, size_t meta_size, uint64_t max_phys)
{
	uint64_t flags;
	unsigned z, o;

	if (meta == NULL || meta_size < page_alloc_meta_size(max_phys))
		panic("page_alloc_init: %zu bytes of metadata, %zu needed", meta_size,
		      page_alloc_meta_size(max_phys));
	flags = spin_lock_irqsave(&page_lock);
	page_meta_arr = meta;
	page_npages = page_npages_for(max_phys);
	page_max_phys = max_phys;
	memset(meta, 0, page_alloc_meta_size(max_phys));
	for (z = 0; z < PAGE_NR_ZONES; z++) {
		for (o = 0; o < PAGE_NR_ORDERS; o++) {
			page_zones[z].pz_free[o] = PAGE_PFN_NONE;
			page_zones[z].pz_nfree[o] = 0;
		}
		page_zones[z].pz_free_pages = 0;
		page_zones[z].pz_total_pages = 0;
	}
	page_nallocs = page_nfrees = page_nfailures = 0;
	spin_unlock_irqrestore(&page_lock, flags);
	if (max_phys >> PAGE_SHIFT > page_npages)
		log_warn("page_alloc: memory above %#llx not managed",
		         (unsigned long long)(page_npages << PAGE_SHIFT));
}

/* The largest order of an aligned block at pfn that ends by end. */
static unsigned
page_fit_order(uint64_t pfn, uint64_t end)
{
	unsigned order = 0;

	while (order < PAGE_MAX_ORDER && !(pfn & (UINT64_C(1) << order)) &&
	       pfn + (UINT64_C(2) << order) <= end)
		order++;
	return order;
}

/*
 * Gives the pages [first, end) to the allocator; their entries are already
 * marked PAGE_STATE_TAIL. Zone totals are counted per range, not per page.
 */
static void
page_range_add(uint64_t first, uint64_t end)
{
	uint64_t pfn, split = end < PFN_4G ? end : first > PFN_4G ? first : PFN_4G;
	unsigned order;

	assert_held(&page_lock);
	page_zones[PAGE_ZONE_LOW].pz_total_pages += split - first;
	page_zones[PAGE_ZONE_HIGH].pz_total_pages += end - split;
	for (pfn = first; pfn < end; pfn += UINT64_C(1) << order) {
		order = page_fit_order(pfn, end);
		page_block_release(pfn, order);
	}
}

void
page_alloc_add_free(uint64_t start, uint64_t end)
{
	uint64_t first, last, pfn, run, flags, skipped = 0;
	const struct page_meta tail = {
	    .pm_next = PAGE_PFN_NONE, .pm_prev = PAGE_PFN_NONE, .pm_state = PAGE_STATE_TAIL};

	/* Round inward; page 0 is never handed out (0 means "no page"). */
	first = start / PAGE_SIZE + (start % PAGE_SIZE != 0);
	last = end / PAGE_SIZE;
	if (first < 1)
		first = 1;
	if (last > page_npages)
		last = page_npages;
	flags = spin_lock_irqsave(&page_lock);
	/*
	 * Firmware memory maps may overlap: pages given twice are skipped.
	 * One pass checks and marks each page (one store of its entry): it
	 * runs for every page of RAM at boot (docs/bench.md, "Boot time").
	 */
	for (pfn = first; pfn < last; pfn = run) {
		for (run = pfn; run < last && page_meta_arr[run].pm_state == PAGE_STATE_NONE; run++)
			page_meta_arr[run] = tail;
		page_range_add(pfn, run);
		if (run < last && run == pfn) {
			skipped++;
			run++;
		}
	}
	spin_unlock_irqrestore(&page_lock, flags);
	if (skipped != 0)
		log_warn("page_alloc: [%#llx, %#llx) overlaps known RAM, %llu pages skipped",
		         (unsigned long long)start, (unsigned long long)end,
		         (unsigned long long)skipped);
}

/* Takes a free block of at least order from zone z, split down to order. */
static uint64_t
page_zone_take(struct page_zone *z, unsigned order)
{
	unsigned o = order;
	uint64_t pfn;
	struct page_meta *m;

	assert_held(&page_lock);
	while (o <= PAGE_MAX_ORDER && z->pz_free[o] == PAGE_PFN_NONE)
		o++;
	if (o > PAGE_MAX_ORDER)
		return 0;
	pfn = z->pz_free[o];
	page_list_remove(pfn);
	while (o > order) {
		o--;
		page_list_push(pfn + (UINT64_C(1) << o), o);
	}
	m = &page_meta_arr[pfn];
	m->pm_state = PAGE_STATE_ALLOC;
	m->pm_order = (uint8_t)order;
	m->pm_tag = 0;
	m->pm_data = 0;
	return pfn;
}

/* The out-of-memory hook, and whether it runs now (one giver at a time): under page_lock. */
static page_oom_fn *page_oom_hook;
static int page_oom_active;

void
page_alloc_set_oom_hook(page_oom_fn *fn)
{
	uint64_t irq = spin_lock_irqsave(&page_lock);

	page_oom_hook = fn;
	spin_unlock_irqrestore(&page_lock, irq);
}

/* The hook to call, marked running; NULL when none or already running. */
static page_oom_fn *
page_oom_enter(void)
{
	uint64_t irq = spin_lock_irqsave(&page_lock);
	page_oom_fn *fn = page_oom_active ? NULL : page_oom_hook;

	if (fn)
		page_oom_active = 1;
	spin_unlock_irqrestore(&page_lock, irq);
	return fn;
}

static void
page_oom_leave(void)
{
	uint64_t irq = spin_lock_irqsave(&page_lock);

	page_oom_active = 0;
	spin_unlock_irqrestore(&page_lock, irq);
}

/* One attempt at a block of 2^order pages; its page frame number, or 0. */
static uint64_t
page_alloc_try(unsigned order, unsigned flags)
{
	uint64_t pfn = 0, irq;

	irq = spin_lock_irqsave(&page_lock);
	if (order <= PAGE_MAX_ORDER && !(flags & PAGE_BELOW_4G))
		pfn = page_zone_take(&page_zones[PAGE_ZONE_HIGH], order);
	if (order <= PAGE_MAX_ORDER && pfn == 0)
		pfn = page_zone_take(&page_zones[PAGE_ZONE_LOW], order);
	spin_unlock_irqrestore(&page_lock, irq);
	return pfn;
}

uint64_t
page_alloc(unsigned order, unsigned flags)
{
	uint64_t pfn = page_alloc_try(order, flags);
	page_oom_fn *oom;

	/*
	 * Out of memory: a memory giver (the balloon's DEFLATE_ON_OOM) may have
	 * pages to return. Called without page_lock; not re-entered if the
	 * giver itself allocates.
	 */
	if (pfn == 0 && order <= PAGE_MAX_ORDER && (oom = page_oom_enter()) != NULL) {
		if (oom(1u << order) > 0)
			pfn = page_alloc_try(order, flags);
		page_oom_leave();
	}
	uint64_t irq = spin_lock_irqsave(&page_lock);
	if (pfn != 0)
		page_nallocs++;
	else
		page_nfailures++;
	spin_unlock_irqrestore(&page_lock, irq);
	if (pfn != 0 && (flags & PAGE_ZERO))
		memset(phys_to_virt(pfn << PAGE_SHIFT), 0, (size_t)PAGE_SIZE << order);
	return pfn << PAGE_SHIFT;
}

/* The state of the block that holds the TAIL page pfn (for diagnostics). */
static unsigned
page_tail_owner_state(uint64_t pfn)
{
	unsigned o;

	for (o = 1; o <= PAGE_MAX_ORDER; o++) {
		struct page_meta *h = &page_meta_arr[pfn & ~((UINT64_C(1) << o) - 1)];

		if (h->pm_state != PAGE_STATE_TAIL)
			return h->pm_order >= o ? h->pm_state : PAGE_STATE_NONE;
	}
	return PAGE_STATE_NONE;
}

/* Why phys/order cannot be freed, or NULL if they can. */
static const char *
page_free_check(uint64_t phys, unsigned order)
{
	uint64_t pfn = phys >> PAGE_SHIFT;
	struct page_meta *m;

	assert_held(&page_lock);
	if (order > PAGE_MAX_ORDER)
		return "bad order";
	if (phys & ((PAGE_SIZE << order) - 1))
		return "misaligned address";
	if (pfn == 0 || pfn >= page_npages)
		return "address outside managed memory";
	m = &page_meta_arr[pfn];
	if (m->pm_state == PAGE_STATE_FREE ||
	    (m->pm_state == PAGE_STATE_TAIL && page_tail_owner_state(pfn) == PAGE_STATE_FREE))
		return "double free";
	if (m->pm_state != PAGE_STATE_ALLOC)
		return "not the start of an allocated block";
	if (m->pm_order != order)
		return "wrong order";
	return NULL;
}

void
page_free(uint64_t phys, unsigned order)
{
	const char *why;
	uint64_t flags;

	flags = spin_lock_irqsave(&page_lock);
	why = page_free_check(phys, order);
	if (why != NULL) {
		/* Unlock first: host tests survive panic() with longjmp. */
		spin_unlock_irqrestore(&page_lock, flags);
		panic("page_free(%#llx, %u): %s", (unsigned long long)phys, order, why);
	}
	page_nfrees++;
	page_block_release(phys >> PAGE_SHIFT, order);
	spin_unlock_irqrestore(&page_lock, flags);
}

unsigned
page_order_for(size_t bytes)
{
	unsigned order = 0;

	while (order < 63 - PAGE_SHIFT && ((uint64_t)PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

uint64_t
page_alloc_bytes(size_t bytes, unsigned flags)
{
	return page_alloc(page_order_for(bytes), flags);
}

void
page_free_bytes(uint64_t phys, size_t bytes)
{
	page_free(phys, page_order_for(bytes));
}

void
page_alloc_stats(struct page_stats *st)
{
	uint64_t flags;
	unsigned z, o;

	memset(st, 0, sizeof(*st));
	flags = spin_lock_irqsave(&page_lock);
	st->max_phys = page_max_phys;
	for (z = 0; z < PAGE_NR_ZONES; z++) {
		st->zone_total[z] = page_zones[z].pz_total_pages;
		st->zone_free[z] = page_zones[z].pz_free_pages;
		st->total_pages += st->zone_total[z];
		st->free_pages += st->zone_free[z];
		for (o = 0; o < PAGE_NR_ORDERS; o++)
			st->free_blocks[o] += page_zones[z].pz_nfree[o];
	}
	st->allocs = page_nallocs;
	st->frees = page_nfrees;
	st->failures = page_nfailures;
	spin_unlock_irqrestore(&page_lock, flags);
}

struct page_meta *
page_meta_get(uint64_t phys)
{
	uint64_t pfn = phys >> PAGE_SHIFT, flags;
	struct page_meta *m = NULL;

	if (phys % PAGE_SIZE != 0)
		return NULL;
	flags = spin_lock_irqsave(&page_lock);
	if (pfn < page_npages && page_meta_arr[pfn].pm_state == PAGE_STATE_ALLOC)
		m = &page_meta_arr[pfn];
	spin_unlock_irqrestore(&page_lock, flags);
	return m;
}
