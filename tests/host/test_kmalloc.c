// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the kernel heap (kern/kmalloc.c) over the real page
 * allocator: every size class, alignment, no overlap (patterns written and
 * checked), reuse after kfree, page-granular allocations, exhaustion
 * returning NULL, statistics, and the panics on bad kfree() calls.
 *
 * "Physical memory" is an aligned arena: phys = ARENA_PHYS + offset.
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

#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "x86_64/machine.h"

#define KIB (UINT64_C(1) << 10)
#define MIB (UINT64_C(1) << 20)
#define BLOCK_MAX ((size_t)PAGE_SIZE << PAGE_MAX_ORDER)

/* Aligned to the largest block, so physical and virtual alignment agree. */
#define ARENA_PHYS (4 * MIB)
#define ARENA_SIZE (16 * MIB)
#define OUTSIDE_PHYS (UINT64_C(1) << 60)

static void *meta_buf;
static uint8_t *arena;

/* --- The kernel services the heap needs, as host stand-ins. --- */

void *
phys_to_virt(uint64_t phys)
{
	if (phys < ARENA_PHYS || phys >= ARENA_PHYS + ARENA_SIZE)
		fail_msg("phys_to_virt(%#llx) outside the arena", (unsigned long long)phys);
	return arena + (phys - ARENA_PHYS);
}

uint64_t
virt_to_phys(const void *va)
{
	const uint8_t *p = va;

	if (p < arena || p >= arena + ARENA_SIZE)
		return OUTSIDE_PHYS; /* not RAM the allocator knows */
	return ARENA_PHYS + (uint64_t)(p - arena);
}

/* --- Helpers. --- */

/* Page allocator over [ARENA_PHYS, ARENA_PHYS + bytes), and an empty heap. */
static void
heap_start(uint64_t bytes)
{
	uint64_t max = ARENA_PHYS + ARENA_SIZE;
	size_t size = page_alloc_meta_size(max);

	free(meta_buf);
	meta_buf = malloc(size);
	assert_non_null(meta_buf);
	page_alloc_init(meta_buf, size, max);
	page_alloc_add_free(ARENA_PHYS, ARENA_PHYS + bytes);
	kmalloc_init();
	memset(arena, 0x77, ARENA_SIZE); /* stale data, as real RAM has */
}

static uint64_t
free_pages(void)
{
	struct page_stats st;

	page_alloc_stats(&st);
	return st.free_pages;
}

static struct kmalloc_stats
kstats(void)
{
	struct kmalloc_stats st;

	kmalloc_stats(&st);
	return st;
}

/* All memory back: heap empty, every slab page returned. */
static void
assert_heap_empty(uint64_t pages)
{
	struct kmalloc_stats st;
	unsigned c;

	kmalloc_reclaim();
	st = kstats();
	for (c = 0; c < KMALLOC_NCLASSES; c++) {
		assert_int_equal(st.ks_class[c].kcs_in_use, 0);
		assert_int_equal(st.ks_class[c].kcs_pages, 0);
	}
	assert_int_equal(st.ks_large_allocs, 0);
	assert_int_equal(st.ks_large_bytes, 0);
	assert_int_equal(free_pages(), pages);
}

static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t
pow2_at_least(size_t n)
{
	size_t p = KMALLOC_MIN_SIZE;

	while (p < n)
		p <<= 1;
	return p;
}

/* --- Tests. --- */

static void
test_every_class(void **state)
{
	static const size_t sizes[] = {0,   1,    8,    15,   16,   17,   31,   32,  33,  63,
	                               64,  65,   100,  128,  129,  255,  256,  257, 511, 512,
	                               513, 1000, 1023, 1024, 1025, 2000, 2047, 2048};
	uint64_t pages = 64;
	size_t i;

	/* Runs first: with no memory yet, NULL rather than a crash. */
	assert_null(kmalloc(16));
	assert_null(kmalloc(3 * PAGE_SIZE));

	heap_start(pages * PAGE_SIZE);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t cls = pow2_at_least(sizes[i] ? sizes[i] : 1);
		unsigned c = __builtin_ctzl(cls) - 4;
		uint8_t *p = kmalloc(sizes[i]);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal((uintptr_t)p % cls, 0);
		assert_int_equal(kstats().ks_class[c].kcs_size, cls);
		assert_int_equal(kstats().ks_class[c].kcs_in_use, 1);
		memset(p, 0xc3, sizes[i]);
		kfree(p);
		assert_int_equal(kstats().ks_class[c].kcs_in_use, 0);
	}
	assert_heap_empty(pages);
}

struct obj {
	uint8_t *p;
	size_t size;
	uint8_t fill;
};

static void
obj_check(const struct obj *o)
{
	size_t i;

	for (i = 0; i < o->size; i++)
		if (o->p[i] != o->fill)
			fail_msg("object %p (%zu bytes) corrupted at %zu", (void *)o->p, o->size,
			         i);
}

static int
obj_cmp(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

static void
objs_check_disjoint(struct obj *objs, size_t n)
{
	size_t i;

	qsort(objs, n, sizeof(*objs), obj_cmp);
	for (i = 0; i + 1 < n; i++)
		assert_true(objs[i].p + objs[i].size <= objs[i + 1].p);
	for (i = 0; i < n; i++)
		obj_check(&objs[i]);
}

static void
test_no_overlap(void **state)
{
	size_t cap = 3000, n = 0, i;
	struct obj *objs = calloc(cap, sizeof(*objs));
	uint64_t seed = 99, pages = ARENA_SIZE / PAGE_SIZE;

	heap_start(ARENA_SIZE);
	for (i = 0; i < 20000; i++) {
		uint64_t x = rng_next(&seed);

		if (n > 0 && (n == cap || x % 100 < 40)) {
			size_t k = (x >> 8) % n;

			obj_check(&objs[k]);
			kfree(objs[k].p);
			objs[k] = objs[--n];
		} else {
			size_t size =
			    (x >> 8) % 64 == 0 ? 2049 + (x >> 16) % 30000 : 1 + (x >> 16) % 2048;

			objs[n].p = kmalloc(size);
			assert_non_null(objs[n].p);
			objs[n].size = size;
			objs[n].fill = (uint8_t)(x >> 40);
			memset(objs[n].p, objs[n].fill, size);
			n++;
		}
		if (i % 2000 == 0)
			objs_check_disjoint(objs, n);
	}
	objs_check_disjoint(objs, n);
	for (i = 0; i < n; i++)
		kfree(objs[i].p);
	assert_heap_empty(pages);
	free(objs);
}

static void
test_kfree_reuse(void **state)
{
	void *keep, *p, *q;

	heap_start(64 * PAGE_SIZE);
	keep = kmalloc(100);
	p = kmalloc(100);
	kfree(p);
	q = kmalloc(100);
	assert_ptr_equal(p, q);
	kfree(q);
	q = kmalloc(128); /* same class */
	assert_ptr_equal(p, q);
	kfree(q);

	p = kmalloc(3 * PAGE_SIZE);
	kfree(p);
	q = kmalloc(4 * PAGE_SIZE); /* same order */
	assert_ptr_equal(p, q);
	kfree(q);
	kfree(keep);
	assert_heap_empty(64);
}

static void
test_large(void **state)
{
	uint64_t pages = ARENA_SIZE / PAGE_SIZE;
	uint8_t *a, *b, *c;

	heap_start(ARENA_SIZE);
	a = kmalloc(KMALLOC_MAX_SMALL + 1);
	assert_non_null(a);
	assert_int_equal((uintptr_t)a % PAGE_SIZE, 0);
	assert_int_equal(kstats().ks_large_allocs, 1);
	assert_int_equal(kstats().ks_large_bytes, PAGE_SIZE);
	assert_int_equal(free_pages(), pages - 1);

	b = kmalloc(5000);
	assert_int_equal((uintptr_t)b % (2 * PAGE_SIZE), 0);
	assert_int_equal(kstats().ks_large_bytes, 3 * PAGE_SIZE);
	c = kmalloc(BLOCK_MAX);
	assert_non_null(c);
	assert_int_equal((uintptr_t)c % BLOCK_MAX, 0);
	memset(c, 0x11, BLOCK_MAX);
	memset(b, 0x22, 5000);
	memset(a, 0x33, KMALLOC_MAX_SMALL + 1);
	assert_int_equal(c[BLOCK_MAX - 1], 0x11);
	assert_int_equal(b[0], 0x22);
	assert_null(kmalloc(BLOCK_MAX + 1));
	assert_null(kmalloc(SIZE_MAX));

	assert_panics(kfree(b + 16), "not a kmalloc pointer");
	assert_panics(kfree(b + PAGE_SIZE), "not a kmalloc pointer");
	kfree(a);
	kfree(b);
	kfree(c);
	assert_panics(kfree(c), "not a kmalloc pointer");
	assert_heap_empty(pages);
}

static void
test_exhaustion_returns_null(void **state)
{
	uint64_t pages = 64, n = 0, cap = pages * (PAGE_SIZE / 64), i;
	void **ps = calloc(cap + 1, sizeof(*ps));
	void *p;

	heap_start(pages * PAGE_SIZE);
	while ((p = kmalloc(64)) != NULL) {
		assert_true(n < cap);
		ps[n++] = p;
	}
	assert_int_equal(n, cap);
	assert_int_equal(free_pages(), 0);
	assert_null(kmalloc(16));
	assert_null(kzalloc(100));
	assert_null(kmalloc(5000));
	assert_null(kmalloc_aligned(8, 4096));
	assert_true(kstats().ks_failures >= 4);

	/* Freed objects are found again. */
	kfree(ps[--n]);
	p = kmalloc(40);
	assert_non_null(p);
	ps[n++] = p;
	for (i = 0; i < n; i++)
		kfree(ps[i]);
	assert_heap_empty(pages);

	/* The same with page-granular allocations. */
	n = 0;
	while ((p = kmalloc(3 * PAGE_SIZE)) != NULL)
		ps[n++] = p;
	assert_int_equal(n, pages / 4);
	for (i = 0; i < n; i++)
		kfree(ps[i]);
	assert_heap_empty(pages);
	free(ps);
}

static void
test_kzalloc(void **state)
{
	uint8_t *p, *q;
	size_t i;

	heap_start(64 * PAGE_SIZE);
	p = kmalloc(200);
	memset(p, 0xff, 200);
	kfree(p);
	q = kzalloc(200);
	assert_ptr_equal(p, q);
	for (i = 0; i < 200; i++)
		assert_int_equal(q[i], 0);
	kfree(q);

	q = kzalloc(3 * PAGE_SIZE);
	for (i = 0; i < 3 * PAGE_SIZE; i++)
		assert_int_equal(q[i], 0);
	kfree(q);
	assert_heap_empty(64);
}

static void
test_aligned(void **state)
{
	static const size_t aligns[] = {16, 32, 64, 256, 1024, 2048, 4096, 16384, 65536};
	size_t i;

	heap_start(ARENA_SIZE);
	for (i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		uint8_t *a = kmalloc_aligned(10, aligns[i]);
		uint8_t *b = kmalloc_aligned(5000, aligns[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal((uintptr_t)a % aligns[i], 0);
		assert_int_equal((uintptr_t)b % aligns[i], 0);
		memset(a, 1, 10);
		memset(b, 2, 5000);
		kfree(a);
		kfree(b);
	}
	assert_null(kmalloc_aligned(10, 0));
	assert_null(kmalloc_aligned(10, 48));
	assert_null(kmalloc_aligned(10, 2 * BLOCK_MAX));
	assert_heap_empty(ARENA_SIZE / PAGE_SIZE);
}

static void
test_stats_and_empty_pages(void **state)
{
	size_t n = 300, per_page = PAGE_SIZE / 32, i;
	void **ps = calloc(n, sizeof(*ps));
	struct kmalloc_stats st;
	uint64_t pages = 256, held = (n + per_page - 1) / per_page;

	heap_start(pages * PAGE_SIZE);
	for (i = 0; i < n; i++)
		ps[i] = kmalloc(32);
	st = kstats();
	assert_int_equal(st.ks_class[1].kcs_in_use, n);
	assert_int_equal(st.ks_class[1].kcs_pages, held);
	assert_int_equal(st.ks_class[1].kcs_free, held * per_page - n);
	assert_int_equal(free_pages(), pages - held);

	for (i = 0; i < n; i++)
		kfree(ps[i]);
	/* One empty page stays with the class, the others go back. */
	st = kstats();
	assert_int_equal(st.ks_class[1].kcs_in_use, 0);
	assert_int_equal(st.ks_class[1].kcs_pages, 1);
	assert_int_equal(st.ks_class[1].kcs_free, per_page);
	assert_int_equal(free_pages(), pages - 1);
	assert_heap_empty(pages);
	free(ps);
}

static void
test_bad_kfree_panics(void **state)
{
	uint8_t *p, *q, magic[8];
	uint64_t raw;
	int local;

	heap_start(64 * PAGE_SIZE);
	p = kmalloc(32);
	q = kmalloc(32);
	kfree(p);
	assert_panics(kfree(p), "double free");
	assert_panics(kfree(q + 8), "not the start");
	assert_panics(kfree(&local), "not a kmalloc pointer");
	raw = page_alloc(0, 0);
	assert_panics(kfree(phys_to_virt(raw)), "not a kmalloc pointer");
	page_free(raw, 0);

	/* A live object holding the free marker is not mistaken for free. */
	memcpy(magic, p + 8, sizeof(magic));
	p = kmalloc(32);
	memcpy(p + 8, magic, sizeof(magic));
	kfree(p);
	kfree(q);
	assert_panics(kfree(q), "double free");
	kfree(NULL);
	assert_heap_empty(64);
}

static int
group_setup(void **state)
{
	arena = aligned_alloc(BLOCK_MAX, ARENA_SIZE);
	return arena == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	free(meta_buf);
	free(arena);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_class),
	    cmocka_unit_test(test_no_overlap),
	    cmocka_unit_test(test_kfree_reuse),
	    cmocka_unit_test(test_large),
	    cmocka_unit_test(test_exhaustion_returns_null),
	    cmocka_unit_test(test_kzalloc),
	    cmocka_unit_test(test_aligned),
	    cmocka_unit_test(test_stats_and_empty_pages),
	    cmocka_unit_test(test_bad_kfree_panics),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
