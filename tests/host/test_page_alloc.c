// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the physical page allocator (kern/page_alloc.c): bookkeeping
 * over made-up physical ranges (holes, memory above 4 GiB), buddy merging,
 * alignment, PAGE_BELOW_4G, PAGE_ZERO, the panics on bad frees, and a long
 * random sequence checked against a shadow model of every page.
 *
 * Physical memory is not backed except for a small arena (ARENA_PHYS), which
 * phys_to_virt() maps; any other address given to it fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/host_panic.h"

#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "x86_64/machine.h"

#define KIB (UINT64_C(1) << 10)
#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)
#define MAX_BLOCK_PAGES (UINT64_C(1) << PAGE_MAX_ORDER)

#define ARENA_PHYS (64 * MIB)
#define ARENA_SIZE (8 * MIB)

static void *meta_buf;
static uint8_t *arena;

/* --- The kernel services page_alloc.c needs, as host stand-ins. --- */

void *
phys_to_virt(uint64_t phys)
{
	if (phys < ARENA_PHYS || phys >= ARENA_PHYS + ARENA_SIZE)
		fail_msg("phys_to_virt(%#llx) outside the backed arena", (unsigned long long)phys);
	return arena + (phys - ARENA_PHYS);
}

uint64_t
virt_to_phys(const void *va)
{
	return ARENA_PHYS + (uint64_t)((const uint8_t *)va - arena);
}

/* --- Helpers. --- */

static void
mem_start(uint64_t max_phys)
{
	size_t size = page_alloc_meta_size(max_phys);

	free(meta_buf);
	/* Garbage in the metadata: init must not rely on zeroed memory. */
	meta_buf = malloc(size ? size : 1);
	assert_non_null(meta_buf);
	memset(meta_buf, 0x5a, size);
	page_alloc_init(meta_buf, size, max_phys);
}

static struct page_stats
stats(void)
{
	struct page_stats st;

	page_alloc_stats(&st);
	return st;
}

/* The free_blocks of st add up to free_pages, and the zones to the total. */
static void
check_stats_consistent(const struct page_stats *st)
{
	uint64_t sum = 0;
	unsigned o;

	for (o = 0; o < PAGE_NR_ORDERS; o++)
		sum += st->free_blocks[o] << o;
	assert_int_equal(sum, st->free_pages);
	assert_int_equal(st->zone_free[0] + st->zone_free[1], st->free_pages);
	assert_int_equal(st->zone_total[0] + st->zone_total[1], st->total_pages);
	assert_true(st->free_pages <= st->total_pages);
}

static uint64_t
rng_next(uint64_t *s)
{
	/* xorshift64: reproducible across hosts. */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
shuffle(uint64_t *a, size_t n, uint64_t seed)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = rng_next(&seed) % i;
		uint64_t t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Allocates order-0 pages until none is left; returns how many. */
static size_t
alloc_all_pages(uint64_t *out, size_t cap, unsigned flags)
{
	size_t n = 0;
	uint64_t p;

	while ((p = page_alloc(0, flags)) != 0) {
		assert_true(n < cap);
		out[n++] = p;
	}
	return n;
}

/* --- Tests. --- */

static void
test_meta_size(void **state)
{
	uint64_t pages_8g = 8 * GIB / PAGE_SIZE;

	/* Runs first: before any init there is no memory, and no crash. */
	assert_int_equal(page_alloc(0, 0), 0);
	assert_int_equal(page_alloc(0, PAGE_BELOW_4G), 0);

	assert_true(page_alloc_meta_size(8 * GIB) <= 16 * pages_8g);
	assert_true(page_alloc_meta_size(8 * GIB) >= pages_8g);
	assert_int_equal(page_alloc_meta_size(0), 0);
	assert_true(page_alloc_meta_size(32 * MIB) < page_alloc_meta_size(64 * MIB));

	meta_buf = realloc(meta_buf, 64);
	assert_panics(page_alloc_init(meta_buf, 64, 32 * MIB), "metadata");
}

static void
test_alloc_all_free_all(void **state)
{
	uint64_t total = (63 * MIB - 1 * MIB) / PAGE_SIZE, *pages;
	struct page_stats before, st;
	uint8_t *seen;
	size_t n, i;

	mem_start(64 * MIB);
	page_alloc_add_free(1 * MIB, 63 * MIB + 5);
	before = stats();
	check_stats_consistent(&before);
	assert_int_equal(before.total_pages, total);
	assert_int_equal(before.free_pages, total);

	pages = calloc(total + 1, sizeof(*pages));
	seen = calloc(64 * MIB / PAGE_SIZE, 1);
	n = alloc_all_pages(pages, total + 1, 0);
	assert_int_equal(n, total);
	for (i = 0; i < n; i++) {
		assert_true(pages[i] >= 1 * MIB && pages[i] < 63 * MIB);
		assert_int_equal(pages[i] % PAGE_SIZE, 0);
		assert_int_equal(seen[pages[i] / PAGE_SIZE], 0);
		seen[pages[i] / PAGE_SIZE] = 1;
	}
	st = stats();
	assert_int_equal(st.free_pages, 0);
	assert_int_equal(st.failures, 1);

	shuffle(pages, n, 42);
	for (i = 0; i < n; i++)
		page_free(pages[i], 0);
	st = stats();
	check_stats_consistent(&st);
	assert_int_equal(st.free_pages, total);
	assert_memory_equal(st.free_blocks, before.free_blocks, sizeof(st.free_blocks));
	free(pages);
	free(seen);
}

static void
test_coalesce_to_max_order(void **state)
{
	size_t nblocks = 4, npages = nblocks * MAX_BLOCK_PAGES, n, i;
	uint64_t base = 4 * MIB * 4, *pages = calloc(npages, sizeof(*pages));
	struct page_stats st;
	unsigned o;

	mem_start(base + npages * PAGE_SIZE);
	page_alloc_add_free(base, base + npages * PAGE_SIZE);
	st = stats();
	assert_int_equal(st.free_blocks[PAGE_MAX_ORDER], nblocks);
	for (o = 0; o < PAGE_MAX_ORDER; o++)
		assert_int_equal(st.free_blocks[o], 0);

	n = alloc_all_pages(pages, npages, 0);
	assert_int_equal(n, npages);
	shuffle(pages, n, 7);
	for (i = 0; i < n; i++)
		page_free(pages[i], 0);
	st = stats();
	assert_int_equal(st.free_blocks[PAGE_MAX_ORDER], nblocks);
	for (o = 0; o < PAGE_MAX_ORDER; o++)
		assert_int_equal(st.free_blocks[o], 0);

	/* Mixed orders: the two halves of a split block merge back. */
	for (o = 0; o < PAGE_MAX_ORDER; o++) {
		uint64_t a = page_alloc(o, 0), b = page_alloc(o, 0);

		assert_true(a != 0 && b != 0);
		assert_int_equal(a ^ b, (uint64_t)PAGE_SIZE << o);
		page_free(b, o);
		page_free(a, o);
		assert_int_equal(stats().free_blocks[PAGE_MAX_ORDER], nblocks);
	}
	free(pages);
}

static void
test_alignment_every_order(void **state)
{
	uint64_t lo = 0x3000, hi = 40 * MIB + 0x5000;
	uint64_t got[PAGE_NR_ORDERS][3];
	unsigned o, k;

	mem_start(64 * MIB);
	page_alloc_add_free(lo, hi);
	for (o = 0; o < PAGE_NR_ORDERS; o++) {
		for (k = 0; k < 3; k++) {
			uint64_t p = page_alloc(o, 0), size = (uint64_t)PAGE_SIZE << o;

			assert_true(p != 0);
			assert_int_equal(p % size, 0);
			assert_true(p >= lo && p + size <= hi);
			got[o][k] = p;
		}
	}
	for (o = 0; o < PAGE_NR_ORDERS; o++)
		for (k = 0; k < 3; k++)
			page_free(got[o][k], o);
	assert_int_equal(stats().free_pages, stats().total_pages);
	assert_int_equal(page_alloc(PAGE_MAX_ORDER + 1, 0), 0);
}

static void
test_below_4g(void **state)
{
	uint64_t low[16], p;
	unsigned i;

	mem_start(4 * GIB + 16 * MIB);
	page_alloc_add_free(4 * GIB - 64 * KIB, 4 * GIB);
	page_alloc_add_free(4 * GIB, 4 * GIB + 16 * MIB);
	assert_int_equal(stats().zone_total[PAGE_ZONE_LOW], 16);
	assert_int_equal(stats().zone_total[PAGE_ZONE_HIGH], 4096);

	/* Without the flag, high memory is used first. */
	p = page_alloc(0, 0);
	assert_true(p >= 4 * GIB);
	page_free(p, 0);

	assert_int_equal(page_alloc(5, PAGE_BELOW_4G), 0);
	p = page_alloc(4, PAGE_BELOW_4G);
	assert_int_equal(p, 4 * GIB - 64 * KIB);
	page_free(p, 4);

	for (i = 0; i < 16; i++) {
		low[i] = page_alloc(0, PAGE_BELOW_4G);
		assert_true(low[i] >= 4 * GIB - 64 * KIB && low[i] < 4 * GIB);
	}
	assert_int_equal(page_alloc(0, PAGE_BELOW_4G), 0);
	assert_true(stats().zone_free[PAGE_ZONE_HIGH] == 4096);
	for (i = 0; i < 16; i++)
		page_free(low[i], 0);

	/* With high memory gone, plain requests fall back to low memory. */
	p = page_alloc(PAGE_MAX_ORDER, 0);
	while (p != 0 && p >= 4 * GIB)
		p = page_alloc(PAGE_MAX_ORDER, 0);
	assert_int_equal(stats().zone_free[PAGE_ZONE_HIGH], 0);
	p = page_alloc(0, 0);
	assert_true(p != 0 && p < 4 * GIB);
}

static void
test_no_block_crosses_4g(void **state)
{
	uint64_t p;
	unsigned o;

	mem_start(4 * GIB + 8 * MIB);
	page_alloc_add_free(4 * GIB - 4 * MIB + 12 * KIB, 4 * GIB + 4 * MIB - 20 * KIB);
	assert_int_equal(stats().zone_total[PAGE_ZONE_LOW], 1021);
	assert_int_equal(stats().zone_total[PAGE_ZONE_HIGH], 1019);
	for (o = PAGE_MAX_ORDER + 1; o-- > 0;) {
		while ((p = page_alloc(o, 0)) != 0) {
			uint64_t end = p + ((uint64_t)PAGE_SIZE << o);

			assert_true(end <= 4 * GIB || p >= 4 * GIB);
		}
	}
	assert_int_equal(stats().free_pages, 0);
}

static void
test_holes_and_rounding(void **state)
{
	static const uint64_t expect[][2] = {
	    {0x1000, 0x9f000}, {0x101000, 0x7ff000}, {15 * MIB, 16 * MIB}};
	uint64_t *pages = calloc(4096, sizeof(*pages)), total = 0;
	size_t n, i, r;

	mem_start(16 * MIB);
	page_alloc_add_free(0, 0x9fc00);
	page_alloc_add_free(0x100001, 0x7fffff);
	page_alloc_add_free(0x900001, 0x901fff); /* less than a page inside */
	page_alloc_add_free(0xa00000, 0xa00000);
	page_alloc_add_free(0xb00000, 0xa00000);
	page_alloc_add_free(15 * MIB, 20 * MIB); /* clipped to max_phys */
	page_alloc_add_free(32 * MIB, 40 * MIB); /* entirely beyond it */
	for (r = 0; r < 3; r++)
		total += (expect[r][1] - expect[r][0]) / PAGE_SIZE;
	assert_int_equal(stats().total_pages, total);

	n = alloc_all_pages(pages, 4096, 0);
	assert_int_equal(n, total);
	for (i = 0; i < n; i++) {
		int inside = 0;

		for (r = 0; r < 3; r++)
			inside |= pages[i] >= expect[r][0] && pages[i] < expect[r][1];
		assert_true(inside);
	}
	free(pages);
}

static void
test_page0_never_returned(void **state)
{
	uint64_t pages[32];
	size_t n, i;

	mem_start(1 * MIB);
	page_alloc_add_free(0, 64 * KIB);
	assert_int_equal(stats().total_pages, 15);
	n = alloc_all_pages(pages, 32, PAGE_BELOW_4G);
	assert_int_equal(n, 15);
	for (i = 0; i < n; i++)
		assert_true(pages[i] >= PAGE_SIZE && pages[i] < 64 * KIB);
	for (i = 0; i < n; i++)
		page_free(pages[i], 0);
	/* Page 0 is not free, so pages 0-15 never merge into one block. */
	assert_int_equal(page_alloc(4, 0), 0);
	assert_panics(page_free(0, 0), "outside managed");
}

static void
test_bad_frees_panic(void **state)
{
	uint64_t a, b;

	mem_start(16 * MIB);
	page_alloc_add_free(1 * MIB, 8 * MIB);
	a = page_alloc(0, 0);
	page_free(a, 0);
	assert_panics(page_free(a, 0), "double free");

	b = page_alloc(2, 0);
	assert_panics(page_free(b + PAGE_SIZE, 0), "not the start");
	assert_panics(page_free(b, 1), "wrong order");
	assert_panics(page_free(b + 1, 2), "misaligned");
	assert_panics(page_free(b + 2 * PAGE_SIZE, 1), "not the start");
	assert_panics(page_free(12 * MIB, 0), "not the start");   /* not RAM */
	assert_panics(page_free(64 * MIB, 0), "outside managed"); /* > max */
	assert_panics(page_free(b, PAGE_MAX_ORDER + 1), "bad order");

	/* The allocator still works and its counts are intact. */
	page_free(b, 2);
	assert_int_equal(stats().free_pages, stats().total_pages);
	assert_panics(page_free(b, 2), "double free");
}

static void
test_overlapping_ranges(void **state)
{
	struct page_stats st;
	uint64_t p;

	mem_start(16 * MIB);
	page_alloc_add_free(1 * MIB, 8 * MIB);
	p = page_alloc(0, 0);
	/* Overlaps on both sides: only [8M, 9M) and [0.5M, 1M) are new. */
	page_alloc_add_free(2 * MIB, 9 * MIB);
	page_alloc_add_free(MIB / 2, 3 * MIB);
	page_alloc_add_free(1 * MIB, 9 * MIB);
	st = stats();
	check_stats_consistent(&st);
	assert_int_equal(st.total_pages, (9 * MIB - MIB / 2) / PAGE_SIZE);
	assert_int_equal(st.free_pages, st.total_pages - 1);
	/* The allocated page stayed allocated (not made free again). */
	page_free(p, 0);
	assert_int_equal(stats().free_pages, st.total_pages);
}

static void
test_page_zero(void **state)
{
	uint64_t p, size = (uint64_t)PAGE_SIZE << 3;
	uint8_t *v;
	uint64_t i;

	mem_start(ARENA_PHYS + ARENA_SIZE);
	page_alloc_add_free(ARENA_PHYS, ARENA_PHYS + ARENA_SIZE);
	memset(arena, 0xaa, ARENA_SIZE);
	p = page_alloc(3, PAGE_ZERO);
	assert_true(p != 0);
	v = phys_to_virt(p);
	for (i = 0; i < size; i++)
		assert_int_equal(v[i], 0);
	/* Only the block itself is written. */
	if (p > ARENA_PHYS)
		assert_int_equal(v[-1], 0xaa);
	if (p + size < ARENA_PHYS + ARENA_SIZE)
		assert_int_equal(v[size], 0xaa);
	page_free(p, 3);
}

static void
test_alloc_bytes(void **state)
{
	uint64_t p;

	assert_int_equal(page_order_for(0), 0);
	assert_int_equal(page_order_for(1), 0);
	assert_int_equal(page_order_for(4096), 0);
	assert_int_equal(page_order_for(4097), 1);
	assert_int_equal(page_order_for(40 * KIB), 4);
	assert_int_equal(page_order_for(4 * MIB), PAGE_MAX_ORDER);

	mem_start(32 * MIB);
	page_alloc_add_free(1 * MIB, 32 * MIB);
	p = page_alloc_bytes(40 * KIB, PAGE_BELOW_4G);
	assert_true(p != 0);
	assert_int_equal(p % (64 * KIB), 0);
	assert_int_equal(stats().free_pages, stats().total_pages - 16);
	page_free_bytes(p, 40 * KIB);
	assert_int_equal(stats().free_pages, stats().total_pages);
	assert_int_equal(page_alloc_bytes(4 * MIB + 1, 0), 0);
}

static void
test_meta_get(void **state)
{
	struct page_meta *m;
	uint64_t p;

	mem_start(16 * MIB);
	page_alloc_add_free(1 * MIB, 8 * MIB);
	p = page_alloc(2, 0);
	m = page_meta_get(p);
	assert_non_null(m);
	assert_int_equal(m->pm_order, 2);
	assert_int_equal(m->pm_tag, 0);
	m->pm_tag = 0x1234;
	m->pm_data = 0xdeadbeef;
	assert_ptr_equal(page_meta_pfn(p / PAGE_SIZE), m);
	assert_null(page_meta_get(p + PAGE_SIZE)); /* inside the block */
	assert_null(page_meta_get(p + 8));         /* not a page address */
	assert_null(page_meta_get(12 * MIB));      /* not RAM */
	assert_null(page_meta_get(64 * MIB));      /* beyond max_phys */
	page_free(p, 2);
	assert_null(page_meta_get(p)); /* free */
	/* The owner's fields do not survive into the next allocation. */
	p = page_alloc(2, 0);
	assert_int_equal(page_meta_get(p)->pm_tag, 0);
	assert_int_equal(page_meta_get(p)->pm_data, 0);
}

/* --- Random sequence against a shadow model. --- */

enum { SH_NONE, SH_FREE, SH_USED };

struct model {
	uint8_t *sh;           /* per pfn */
	uint64_t ranges[3][2]; /* managed pfns [first, end) */
	uint64_t nfree;
	uint64_t (*live)[2]; /* phys, order */
	size_t nlive;
};

/* Whether the shadow has a free aligned block of order in the allowed zone. */
static int
model_has_block(const struct model *m, unsigned order, unsigned flags)
{
	uint64_t step = UINT64_C(1) << order, pfn, i;
	unsigned r;

	for (r = 0; r < 3; r++) {
		for (pfn = (m->ranges[r][0] + step - 1) & ~(step - 1);
		     pfn + step <= m->ranges[r][1]; pfn += step) {
			if ((flags & PAGE_BELOW_4G) && pfn + step > 4 * GIB / PAGE_SIZE)
				continue;
			for (i = 0; i < step && m->sh[pfn + i] == SH_FREE; i++)
				;
			if (i == step)
				return 1;
		}
	}
	return 0;
}

static void
model_alloc(struct model *m, unsigned order, unsigned flags)
{
	uint64_t p = page_alloc(order, flags), n = UINT64_C(1) << order, i;

	if (p == 0) {
		assert_false(model_has_block(m, order, flags));
		return;
	}
	assert_int_equal(p % (PAGE_SIZE * n), 0);
	if (flags & PAGE_BELOW_4G)
		assert_true(p + PAGE_SIZE * n <= 4 * GIB);
	for (i = 0; i < n; i++) {
		assert_int_equal(m->sh[p / PAGE_SIZE + i], SH_FREE);
		m->sh[p / PAGE_SIZE + i] = SH_USED;
	}
	m->nfree -= n;
	m->live[m->nlive][0] = p;
	m->live[m->nlive][1] = order;
	m->nlive++;
}

static void
model_free(struct model *m, size_t k)
{
	uint64_t p = m->live[k][0], order = m->live[k][1], i;

	page_free(p, (unsigned)order);
	for (i = 0; i < (UINT64_C(1) << order); i++)
		m->sh[p / PAGE_SIZE + i] = SH_FREE;
	m->nfree += UINT64_C(1) << order;
	m->live[k][0] = m->live[m->nlive - 1][0];
	m->live[k][1] = m->live[m->nlive - 1][1];
	m->nlive--;
}

/* Gives the page-aligned ranges r to the allocator and to the model. */
static void
model_start(struct model *m, const uint64_t r[3][2], uint64_t max, size_t cap)
{
	uint64_t pfn;
	unsigned k;

	mem_start(max);
	m->sh = calloc(max / PAGE_SIZE, 1);
	m->live = calloc(cap, sizeof(*m->live));
	for (k = 0; k < 3; k++) {
		page_alloc_add_free(r[k][0], r[k][1]);
		m->ranges[k][0] = r[k][0] / PAGE_SIZE;
		m->ranges[k][1] = r[k][1] / PAGE_SIZE;
		for (pfn = m->ranges[k][0]; pfn < m->ranges[k][1]; pfn++)
			m->sh[pfn] = SH_FREE;
		m->nfree += m->ranges[k][1] - m->ranges[k][0];
	}
}

static void
test_random_vs_shadow(void **state)
{
	static const uint64_t r[3][2] = {
	    {0x1000, 0x9f000}, {1 * MIB, 12 * MIB}, {4 * GIB - 2 * MIB, 4 * GIB + 8 * MIB}};
	uint64_t seed = 0x1234567;
	struct model m = {0};
	struct page_stats before, st;
	size_t cap = 4096;
	unsigned i;

	model_start(&m, r, 4 * GIB + 8 * MIB, cap);
	before = stats();
	assert_int_equal(before.free_pages, m.nfree);

	for (i = 0; i < 30000; i++) {
		uint64_t x = rng_next(&seed);

		if (m.nlive > 0 && (m.nlive == cap || x % 100 < 45)) {
			model_free(&m, (x >> 8) % m.nlive);
		} else {
			unsigned order = (x >> 8) % 16;

			order = order < 8 ? 0 : order - 7; /* mostly small */
			model_alloc(&m, order, (x >> 16) % 4 == 0 ? PAGE_BELOW_4G : 0);
		}
		if (i % 500 == 0) {
			st = stats();
			check_stats_consistent(&st);
			assert_int_equal(st.free_pages, m.nfree);
		}
	}
	while (m.nlive > 0)
		model_free(&m, m.nlive - 1);
	st = stats();
	assert_int_equal(st.free_pages, st.total_pages);
	assert_memory_equal(st.free_blocks, before.free_blocks, sizeof(st.free_blocks));
	free(m.sh);
	free(m.live);
}

static int
group_setup(void **state)
{
	arena = aligned_alloc(PAGE_SIZE, ARENA_SIZE);
	return arena == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	free(meta_buf);
	free(arena);
	return 0;
}

/* The out-of-memory hook: called once when no block is left, the allocation retried. */
static uint64_t oom_held[4];
static unsigned oom_calls, oom_wanted;

static unsigned
oom_give_back(unsigned npages)
{
	oom_calls++;
	oom_wanted = npages;
	/* A re-entered allocation from the hook must not call the hook again. */
	assert_int_equal(page_alloc(0, 0), 0);
	page_free(oom_held[0], 0);
	return 1;
}

static unsigned
oom_give_nothing(unsigned npages)
{
	oom_calls++;
	return 0;
}

static void
test_oom_hook(void **state)
{
	mem_start(64 * MIB);
	page_alloc_add_free(1 * MIB, 1 * MIB + 4 * PAGE_SIZE);
	for (int i = 0; i < 4; i++)
		oom_held[i] = page_alloc(0, 0);
	assert_int_equal(page_alloc(0, 0), 0); /* no hook: plain failure */

	page_alloc_set_oom_hook(oom_give_nothing);
	oom_calls = 0;
	assert_int_equal(page_alloc(0, 0), 0);
	assert_int_equal(oom_calls, 1);

	page_alloc_set_oom_hook(oom_give_back);
	oom_calls = 0;
	uint64_t p = page_alloc(0, 0);
	assert_int_equal(p, oom_held[0]); /* the page the hook gave back */
	assert_int_equal(oom_calls, 1);
	assert_int_equal(oom_wanted, 1);
	page_alloc_set_oom_hook(NULL);
	page_free(p, 0);
	for (int i = 1; i < 4; i++)
		page_free(oom_held[i], 0);
	assert_int_equal(stats().free_pages, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_meta_size),
	    cmocka_unit_test(test_alloc_all_free_all),
	    cmocka_unit_test(test_oom_hook),
	    cmocka_unit_test(test_coalesce_to_max_order),
	    cmocka_unit_test(test_alignment_every_order),
	    cmocka_unit_test(test_below_4g),
	    cmocka_unit_test(test_no_block_crosses_4g),
	    cmocka_unit_test(test_holes_and_rounding),
	    cmocka_unit_test(test_page0_never_returned),
	    cmocka_unit_test(test_bad_frees_panic),
	    cmocka_unit_test(test_overlapping_ranges),
	    cmocka_unit_test(test_page_zero),
	    cmocka_unit_test(test_alloc_bytes),
	    cmocka_unit_test(test_meta_get),
	    cmocka_unit_test(test_random_vs_shadow),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
