// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of copy-on-write (vm/vm_amap.c, vm/vm_map.c's fork,
 * vm/vm_copy.c) against the fake pmap: after a fork each map sees its own
 * writes (copy) or each other's (share), pages are copied only when
 * written, 1,000 generations of fork-and-exit keep memory bounded, and
 * vm_read/vm_write/vm_copy and copy objects behave as GNU Mach's, codes
 * included. Every test ends with every page back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/fake_pmap.h"
#include "host/host_panic.h"
#include "host/vm_host.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"
#include "vm/vm_user.h"

#define PG PAGE_SIZE
#define RW (VM_PROT_READ | VM_PROT_WRITE)
#define BASE 0x100000ULL

static uint64_t free0;

static int
setup(void **state)
{
	vm_host_start(VM_ARENA_SIZE);
	free0 = vm_host_free_pages();
	return 0;
}

static int
teardown(void **state)
{
	assert_int_equal(fake_pmap_live(), 0);
	assert_int_equal(vm_counters.vc_pages, 0);
	assert_int_equal(vm_host_free_pages(), free0);
	return 0;
}

static void
poke(struct vm_map *m, uint64_t addr, uint64_t v)
{
	assert_int_equal(vm_map_copy_to_user(m, addr, &v, sizeof(v)), KERN_SUCCESS);
}

static uint64_t
peek(struct vm_map *m, uint64_t addr)
{
	uint64_t v = ~0ULL;
	assert_int_equal(vm_map_copy_from_user(m, &v, addr, sizeof(v)), KERN_SUCCESS);
	return v;
}

static struct vm_map *
map_with(uint64_t addr, unsigned pages, vm_inherit_t inh)
{
	struct vm_map *m;

	assert_int_equal(vm_map_create(&m), KERN_SUCCESS);
	assert_int_equal(vm_allocate(m, &addr, pages * PG, false), KERN_SUCCESS);
	assert_int_equal(vm_inherit(m, addr, pages * PG, inh), KERN_SUCCESS);
	return m;
}

static void
test_fork_copy(void **state)
{
	struct vm_map *p = map_with(BASE, 4, VM_INHERIT_COPY), *c;
	uint64_t pa;
	unsigned prot, flags;

	poke(p, BASE, 1);
	poke(p, BASE + PG, 2);
	assert_int_equal(vm_map_fork(p, &c), KERN_SUCCESS);
	assert_true(vm_map_check(c));
	assert_int_equal(vm_counters.vc_pages, 2); /* nothing copied yet */
	/* The parent's mappings lost write access: its next write must fault. */
	assert_true(fake_pmap_lookup(p->m_pmap, BASE, &pa, &prot, &flags));
	assert_int_equal(prot, VM_PROT_READ);
	assert_int_equal(peek(c, BASE), 1);
	assert_int_equal(peek(c, BASE + PG), 2);
	/* A read maps the shared page read-only in the child. */
	assert_true(fake_pmap_lookup(c->m_pmap, BASE, &pa, &prot, &flags));
	assert_int_equal(prot, VM_PROT_READ);
	uint64_t cows = vm_counters.vc_cow_faults;
	poke(p, BASE, 10);
	poke(c, BASE + PG, 20);
	assert_int_equal(vm_counters.vc_cow_faults, cows + 2);
	assert_int_equal(vm_counters.vc_pages, 4);
	assert_int_equal(peek(p, BASE), 10);
	assert_int_equal(peek(c, BASE), 1);
	assert_int_equal(peek(p, BASE + PG), 2);
	assert_int_equal(peek(c, BASE + PG), 20);
	/* Untouched pages: zero in both, each its own. */
	poke(c, BASE + 3 * PG, 33);
	assert_int_equal(peek(p, BASE + 3 * PG), 0);
	/* With the child gone, the parent's pages are its alone: written in place. */
	vm_map_deallocate(c);
	assert_int_equal(vm_counters.vc_pages, 3);
	cows = vm_counters.vc_cow_faults;
	poke(p, BASE + PG, 3);
	assert_int_equal(vm_counters.vc_cow_faults, cows);
	vm_map_deallocate(p);
}

/*
 * Fork defers the copy (needs-copy, as vm_read does): the child's entry
 * uses the parent's amap, no slot or page is copied; the first writer
 * copies the slots, and once the other is gone, the survivor's needs-copy
 * mark just clears: no page is copied for it. A piece of a larger entry
 * takes its slots to an amap of its own first, so its pages go with it.
 */
static void
test_fork_deferred(void **state)
{
	struct vm_map *p = map_with(BASE, 8, VM_INHERIT_COPY), *c;
	uint64_t cows, pages;

	for (unsigned i = 0; i < 8; i++)
		poke(p, BASE + i * PG, 100 + i);
	assert_int_equal(vm_map_fork(p, &c), KERN_SUCCESS);
	assert_true(c->m_first->e_amap == p->m_first->e_amap);
	assert_true(c->m_first->e_needs_copy && p->m_first->e_needs_copy);
	assert_int_equal(vm_counters.vc_pages, 8);
	/* The parent writes: its slots are copied, one page copied on write. */
	cows = vm_counters.vc_cow_faults;
	poke(p, BASE + 2 * PG, 7);
	assert_int_equal(vm_counters.vc_cow_faults, cows + 1);
	assert_true(c->m_first->e_amap != p->m_first->e_amap);
	assert_int_equal(peek(c, BASE + 2 * PG), 102);
	/* The parent goes: the child's amap is its own, written in place. */
	vm_map_deallocate(p);
	pages = vm_counters.vc_pages;
	poke(c, BASE + 3 * PG, 9);
	assert_int_equal(vm_counters.vc_cow_faults, cows + 1);
	assert_int_equal(vm_counters.vc_pages, pages);
	assert_false(c->m_first->e_needs_copy);
	assert_int_equal(peek(c, BASE + 3 * PG), 9);
	assert_int_equal(peek(c, BASE + 2 * PG), 102);
	vm_map_deallocate(c);

	/* Half an entry inherited (the other half not): its pages go with the child. */
	p = map_with(BASE, 8, VM_INHERIT_COPY);
	for (unsigned i = 0; i < 8; i++)
		poke(p, BASE + i * PG, 200 + i);
	assert_int_equal(vm_inherit(p, BASE + 4 * PG, 4 * PG, VM_INHERIT_NONE), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(p, &c), KERN_SUCCESS);
	assert_int_equal(peek(c, BASE + PG), 201);
	assert_int_equal(vm_deallocate(p, BASE, 4 * PG), KERN_SUCCESS);
	pages = vm_counters.vc_pages;
	vm_map_deallocate(c);
	assert_int_equal(vm_counters.vc_pages, pages - 4);
	assert_int_equal(peek(p, BASE + 5 * PG), 205);
	vm_map_deallocate(p);
}

static void
test_fork_share_none(void **state)
{
	struct vm_map *p = map_with(BASE, 2, VM_INHERIT_SHARE), *c;
	uint64_t a = 4 * BASE, b = 8 * BASE;
	struct vm_map_entry *e;

	assert_int_equal(vm_allocate(p, &a, PG, false), KERN_SUCCESS);
	assert_int_equal(vm_inherit(p, a, PG, VM_INHERIT_NONE), KERN_SUCCESS);
	assert_int_equal(vm_allocate(p, &b, PG, false), KERN_SUCCESS); /* copy, untouched */
	poke(p, BASE, 5);
	assert_int_equal(vm_map_fork(p, &c), KERN_SUCCESS);
	assert_int_equal(c->m_nentries, 2);
	assert_false(vm_map_lookup(c, a, &e));
	assert_int_equal(vm_fault(c, a, VM_PROT_READ), KERN_INVALID_ADDRESS);
	/* Shared: every write seen by both, also of pages first touched after the fork. */
	poke(c, BASE, 6);
	assert_int_equal(peek(p, BASE), 6);
	poke(p, BASE + PG, 7);
	assert_int_equal(peek(c, BASE + PG), 7);
	bool shared;
	uint64_t addr = BASE, size, off;
	vm_prot_t pr, mx;
	vm_inherit_t in;
	assert_int_equal(vm_region(c, &addr, &size, &pr, &mx, &in, &shared, &off), KERN_SUCCESS);
	assert_true(shared);
	assert_int_equal(in, VM_INHERIT_SHARE);
	/* Deallocating a shared piece in one map leaves the other's. */
	assert_int_equal(vm_deallocate(p, BASE, 2 * PG), KERN_SUCCESS);
	assert_int_equal(peek(c, BASE + PG), 7);
	vm_map_deallocate(p);
	assert_int_equal(peek(c, BASE), 6);
	vm_map_deallocate(c);
}

/* A copy-on-write page later shared: the sharers must see each other, the copy not. */
static void
test_copy_then_share(void **state)
{
	struct vm_map *p = map_with(BASE, 1, VM_INHERIT_COPY), *a, *b;

	poke(p, BASE, 1);
	assert_int_equal(vm_map_fork(p, &a), KERN_SUCCESS); /* a: a COW copy */
	assert_int_equal(vm_inherit(p, BASE, PG, VM_INHERIT_SHARE), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(p, &b), KERN_SUCCESS); /* b: shares with p */
	poke(b, BASE, 2);
	assert_int_equal(peek(p, BASE), 2);
	poke(p, BASE, 3);
	assert_int_equal(peek(b, BASE), 3);
	assert_int_equal(peek(a, BASE), 1);
	/* A copy of a shared amap is eager: a later shared write does not leak into it. */
	struct vm_map *d;
	assert_int_equal(vm_inherit(b, BASE, PG, VM_INHERIT_COPY), KERN_SUCCESS);
	assert_int_equal(vm_map_fork(b, &d), KERN_SUCCESS);
	poke(p, BASE, 4);
	assert_int_equal(peek(b, BASE), 4);
	assert_int_equal(peek(d, BASE), 3);
	vm_map_deallocate(a);
	vm_map_deallocate(b);
	vm_map_deallocate(d);
	vm_map_deallocate(p);
}

/* 1,000 generations: each child copies its parent's map, writes, and the parent exits. */
static void
test_generations(void **state)
{
	struct vm_map *m = map_with(BASE, 8, VM_INHERIT_COPY);
	uint64_t most = 0;

	for (unsigned i = 0; i < 8; i++)
		poke(m, BASE + i * PG, i);
	for (unsigned gen = 1; gen <= 1000; gen++) {
		struct vm_map *child;
		assert_int_equal(vm_map_fork(m, &child), KERN_SUCCESS);
		poke(child, BASE + (gen % 8) * PG, gen);
		vm_map_deallocate(m);
		m = child;
		if (vm_counters.vc_pages > most)
			most = vm_counters.vc_pages;
	}
	assert_true(most <= 9); /* 8 pages, one more while a copy is made */
	assert_int_equal(vm_counters.vc_pages, 8);
	for (unsigned i = 0; i < 8; i++) {
		uint64_t want = 1000 - ((1000 - i) % 8);
		assert_int_equal(peek(m, BASE + i * PG), i == 0 ? 1000 : (want > 1000 ? i : want));
	}
	vm_map_deallocate(m);
}

static void
test_read_write_copy(void **state)
{
	struct vm_map *m = map_with(BASE, 8, VM_INHERIT_COPY);
	struct vm_copy *c;
	uint64_t out, cows;
	char buf[3 * PG];

	for (unsigned i = 0; i < 4; i++)
		poke(m, BASE + i * PG, 100 + i);
	/* vm_read shares the pages: no copy until someone writes. */
	assert_int_equal(vm_read(m, BASE + 8, 3 * PG, &c), KERN_SUCCESS);
	assert_int_equal(vm_counters.vc_pages, 4);
	assert_int_equal(c->c_offset, 8);
	assert_int_equal(c->c_npages, 4);
	cows = vm_counters.vc_cow_faults;
	poke(m, BASE + PG, 999);
	assert_int_equal(vm_counters.vc_cow_faults, cows + 1);
	assert_int_equal(vm_copy_to_kernel(c, buf, sizeof(buf)), 3 * PG);
	assert_int_equal(*(uint64_t *)(buf + PG - 8), 101); /* the snapshot */
	/* Mapped out into another map. */
	struct vm_map *other;
	assert_int_equal(vm_map_create(&other), KERN_SUCCESS);
	assert_int_equal(vm_map_copyout(other, c, &out), KERN_SUCCESS);
	assert_int_equal(out & (PG - 1), 8);
	assert_int_equal(peek(other, out + PG - 8), 101);
	assert_int_equal(peek(other, out + 2 * PG - 8), 102);
	vm_map_deallocate(other);
	/* vm_write: page-aligned only; the data lands, copy-on-write. */
	assert_int_equal(vm_read(m, BASE, 2 * PG, &c), KERN_SUCCESS);
	assert_int_equal(vm_write(m, BASE + 4 * PG, c), KERN_SUCCESS);
	assert_int_equal(peek(m, BASE + 4 * PG), 100);
	assert_int_equal(peek(m, BASE + 5 * PG), 999);
	poke(m, BASE + 4 * PG, 7);
	assert_int_equal(peek(m, BASE), 100);
	assert_int_equal(vm_write(m, BASE + 4 * PG + 8, c), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_write(m, BASE + 7 * PG, c), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_protect(m, BASE + 6 * PG, PG, false, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(vm_write(m, BASE + 5 * PG, c), KERN_PROTECTION_FAILURE);
	vm_copy_discard(c);
	assert_int_equal(vm_read(m, BASE + 8, 4, &c), KERN_SUCCESS);
	assert_int_equal(vm_write(m, BASE, c), KERN_INVALID_ARGUMENT);
	vm_copy_discard(c);
	/* vm_read's codes. */
	assert_int_equal(vm_read(m, BASE, 0, &c), KERN_SUCCESS);
	assert_null(c);
	assert_int_equal(vm_read(m, BASE - PG, 2 * PG, &c), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_read(m, BASE, 9 * PG, &c), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_read(m, UINT64_MAX - PG, 2 * PG, &c), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_protect(m, BASE + 7 * PG, PG, false, VM_PROT_NONE), KERN_SUCCESS);
	assert_int_equal(vm_read(m, BASE + 6 * PG, 2 * PG, &c), KERN_PROTECTION_FAILURE);
	/* vm_copy: overlapping ranges copy the snapshot. */
	assert_int_equal(vm_copy(m, BASE, 2 * PG, BASE + PG), KERN_SUCCESS);
	assert_int_equal(peek(m, BASE + PG), 100);
	assert_int_equal(peek(m, BASE + 2 * PG), 999);
	assert_int_equal(vm_copy(m, BASE + 1, PG, BASE + 3 * PG), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_copy(m, BASE, PG, BASE + 7 * PG), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_copy(m, BASE, PG, BASE + 9 * PG), KERN_INVALID_ADDRESS);
	/* A kernel buffer as a copy. */
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(vm_copy_from_kernel(buf, 2 * PG, &c), KERN_SUCCESS);
	assert_int_equal(vm_write(m, BASE + 4 * PG, c), KERN_SUCCESS);
	vm_copy_discard(c);
	assert_int_equal(peek(m, BASE + 5 * PG + 64), 0x5a5a5a5a5a5a5a5aULL);
	/* The empty copy: nothing to write, nothing mapped. */
	assert_int_equal(vm_copy_from_kernel(buf, 0, &c), KERN_SUCCESS);
	assert_null(c);
	assert_int_equal(vm_write(m, BASE, c), KERN_SUCCESS);
	assert_int_equal(vm_map_copyout(m, c, &out), KERN_SUCCESS);
	assert_int_equal(out, 0);
	vm_map_deallocate(m);
}

/*
 * Random forks, exits, writes, deallocations, allocations, inheritance
 * changes and vm_read/vm_write between up to six maps, against a model:
 * each mapped page of each map names a cell holding its value; pages
 * inherited with SHARE name the same cell, with COPY a new cell with the
 * same value. No map ever sees a write it should not, and every map sees
 * the writes it should.
 */
#define RWIN 64
#define RMAPS 6
#define NCELLS 400000
struct rmap {
	struct vm_map *map;
	bool mapped[RWIN];
	vm_inherit_t inherit[RWIN];
	unsigned cell[RWIN];
};
static uint64_t *cells;
static unsigned ncells;

static unsigned
new_cell(uint64_t v)
{
	assert_true(ncells < NCELLS);
	cells[ncells] = v;
	return ncells++;
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
check_rmap(struct rmap *r)
{
	for (unsigned i = 0; i < RWIN; i++) {
		uint64_t v;
		kern_return_t kr = vm_map_copy_from_user(r->map, &v, BASE + i * PG, 8);
		assert_int_equal(kr, r->mapped[i] ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
		if (r->mapped[i])
			assert_int_equal(v, cells[r->cell[i]]);
	}
	assert_true(vm_map_check(r->map));
	assert_true(vm_host_pmap_consistent(r->map, BASE, BASE + RWIN * PG));
}

static void
rmap_fork(struct rmap *parent, struct rmap *child)
{
	assert_int_equal(vm_map_fork(parent->map, &child->map), KERN_SUCCESS);
	for (unsigned i = 0; i < RWIN; i++) {
		child->inherit[i] = parent->inherit[i];
		child->mapped[i] = parent->mapped[i] && parent->inherit[i] != VM_INHERIT_NONE;
		if (!child->mapped[i])
			continue;
		child->cell[i] = parent->inherit[i] == VM_INHERIT_SHARE
		                     ? parent->cell[i]
		                     : new_cell(cells[parent->cell[i]]);
	}
}

static void
test_random_forks(void **state)
{
	static struct rmap maps[RMAPS];
	unsigned n = 1;
	uint64_t s = 0x1234567887654321ULL, a = BASE;

	/* VM_TEST_SEED=n runs another sequence (to search for failures). */
	if (getenv("VM_TEST_SEED"))
		s = strtoull(getenv("VM_TEST_SEED"), NULL, 0) * 0x9e3779b97f4a7c15ULL | 1;
	cells = calloc(NCELLS, sizeof(*cells));
	ncells = 0;
	memset(maps, 0, sizeof(maps));
	assert_int_equal(vm_map_create(&maps[0].map), KERN_SUCCESS);
	assert_int_equal(vm_allocate(maps[0].map, &a, RWIN * PG, false), KERN_SUCCESS);
	for (unsigned i = 0; i < RWIN; i++) {
		maps[0].mapped[i] = true;
		maps[0].inherit[i] = VM_INHERIT_COPY;
		maps[0].cell[i] = new_cell(0);
	}
	for (int step = 0; step < 4000; step++) {
		struct rmap *r = &maps[rnd(&s) % n];
		unsigned pg = rnd(&s) % RWIN, len = 1 + rnd(&s) % 8, op = rnd(&s) % 11;
		uint64_t va = BASE + pg * PG, v = rnd(&s);
		if (pg + len > RWIN)
			len = RWIN - pg;
		if (op < 4) { /* write */
			kern_return_t kr = vm_map_copy_to_user(r->map, va, &v, 8);
			assert_int_equal(kr, r->mapped[pg] ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
			if (kr == KERN_SUCCESS)
				cells[r->cell[pg]] = v;
		} else if (op == 4 && n < RMAPS) { /* fork */
			rmap_fork(r, &maps[n++]);
		} else if (op == 5 && n > 1) { /* exit */
			vm_map_deallocate(r->map);
			*r = maps[--n];
		} else if (op == 6) { /* deallocate a range */
			assert_int_equal(vm_deallocate(r->map, va, len * PG), KERN_SUCCESS);
			for (unsigned i = pg; i < pg + len; i++)
				r->mapped[i] = false;
		} else if (op == 7) { /* allocate a range, if free */
			bool free = true;
			for (unsigned i = pg; i < pg + len; i++)
				free &= !r->mapped[i];
			assert_int_equal(vm_allocate(r->map, &va, len * PG, false),
			                 free ? KERN_SUCCESS : KERN_NO_SPACE);
			for (unsigned i = pg; free && i < pg + len; i++) {
				r->mapped[i] = true;
				r->inherit[i] = VM_INHERIT_COPY;
				r->cell[i] = new_cell(0);
			}
		} else if (op == 8) { /* vm_read from one map, vm_write into another */
			struct rmap *d = &maps[rnd(&s) % n];
			unsigned dpg = rnd(&s) % (RWIN - len + 1);
			bool src_ok = true, dst_ok = true;
			uint64_t snap[8];
			struct vm_copy *c;
			for (unsigned i = 0; i < len; i++) {
				src_ok &= r->mapped[pg + i];
				dst_ok &= d->mapped[dpg + i];
				snap[i] = src_ok ? cells[r->cell[pg + i]] : 0;
			}
			assert_int_equal(vm_read(r->map, va, len * PG, &c),
			                 src_ok ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
			if (!src_ok)
				continue;
			assert_int_equal(vm_write(d->map, BASE + dpg * PG, c),
			                 dst_ok ? KERN_SUCCESS : KERN_INVALID_ADDRESS);
			vm_copy_discard(c);
			for (unsigned i = 0; dst_ok && i < len; i++)
				cells[d->cell[dpg + i]] = snap[i];
		} else if (op == 9) { /* inheritance */
			vm_inherit_t in = (vm_inherit_t)(rnd(&s) % 3);
			assert_int_equal(vm_inherit(r->map, va, len * PG, in), KERN_SUCCESS);
			for (unsigned i = pg; i < pg + len; i++)
				r->inherit[i] = in;
		} else if (op == 10) {
			check_rmap(r);
		}
		for (unsigned i = 0; i < n; i++)
			assert_true(vm_host_pmap_consistent(maps[i].map, BASE, BASE + RWIN * PG));
	}
	for (unsigned i = 0; i < n; i++) {
		check_rmap(&maps[i]);
		vm_map_deallocate(maps[i].map);
	}
	free(cells);
}

static void
test_fork_failure(void **state)
{
	struct vm_map *p = map_with(BASE, 2, VM_INHERIT_COPY), *c = NULL;

	poke(p, BASE, 1);
	fake_pmap_fail_create = 1;
	assert_int_equal(vm_map_fork(p, &c), KERN_RESOURCE_SHORTAGE);
	assert_null(c);
	assert_int_equal(fake_pmap_live(), 1);
	vm_map_deallocate(p);
}

/*
 * A copy of a large range in one entry takes the amap, not each page
 * (needs-copy): the copy keeps the data as it was against every later
 * change of the source (a write, a zero fill, a fork), the
 * receiver's writes stay its own, and once the receiver is gone, memory
 * allocated again over the source's range reads zeros, not the slots the
 * copy left in the old amap.
 */
static void
test_amap_copy(void **state)
{
	enum { N = 32 };
	struct vm_map *p = map_with(BASE, N + 8, VM_INHERIT_COPY), *r, *c;
	struct vm_copy *copy;
	uint64_t at, again = BASE, pages0, pa, first = 0;
	unsigned prot, flags;

	for (unsigned i = 0; i < N + 8; i += 2)
		poke(p, BASE + i * PG, 100 + i);
	pages0 = vm_counters.vc_pages;
	assert_int_equal(vm_read(p, BASE, N * PG, &copy), KERN_SUCCESS);
	assert_non_null(copy->c_amap);
	assert_int_equal(vm_counters.vc_pages, pages0); /* no page copied */
	assert_true(vm_map_check(p));
	assert_true(fake_pmap_lookup(p->m_pmap, BASE, &pa, &prot, &flags));
	assert_int_equal(prot, VM_PROT_READ);
	/* The source changes: a write, a zero fill, a fork whose child writes. */
	poke(p, BASE, 7);
	poke(p, BASE + PG, 8);
	assert_int_equal(vm_map_fork(p, &c), KERN_SUCCESS);
	poke(c, BASE + 2 * PG, 9);
	assert_int_equal(peek(p, BASE + 2 * PG), 102);
	assert_int_equal(peek(c, BASE), 7);
	/* The copy as it was. */
	assert_int_equal(vm_copy_to_kernel(copy, &first, sizeof(first)), sizeof(first));
	assert_int_equal(first, 100);
	/* Mapped in another map: the data as at the read, its writes its own. */
	assert_int_equal(vm_map_create(&r), KERN_SUCCESS);
	assert_int_equal(vm_map_copyout(r, copy, &at), KERN_SUCCESS);
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(peek(r, at + i * PG), i % 2 ? 0 : 100 + i);
	poke(r, at + 4 * PG, 44);
	poke(r, at + 5 * PG, 55);
	assert_int_equal(peek(r, at + 4 * PG), 44);
	assert_int_equal(peek(p, BASE + 4 * PG), 104);
	assert_int_equal(peek(p, BASE + 5 * PG), 0);
	assert_int_equal(peek(r, at + 6 * PG), 106);
	/* The receiver goes; the source's range goes and comes back: zeros. */
	vm_map_deallocate(c);
	vm_map_deallocate(r);
	assert_int_equal(vm_deallocate(p, BASE, N * PG), KERN_SUCCESS);
	assert_int_equal(vm_allocate(p, &again, N * PG, false), KERN_SUCCESS);
	assert_true(vm_map_check(p));
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(peek(p, BASE + i * PG), 0);
	assert_int_equal(peek(p, BASE + N * PG), 100 + N); /* the rest as it was */
	vm_map_deallocate(p);
}

/*
 * A copy of part of an entry (a region merged with its neighbour, here
 * one allocation) takes the range's slots to an amap of its own: once the
 * copy and the range are gone their pages are free, though the
 * neighbour, which used the same amap, lives on. A move of the middle of
 * an entry takes its pages the same way: the rest keeps its data.
 */
static void
test_copy_part_of_entry(void **state)
{
	enum { N = 24 };
	struct vm_map *p = map_with(BASE, N + 4, VM_INHERIT_COPY), *r;
	struct vm_copy *copy;
	uint64_t at, pages0;

	for (unsigned i = 0; i < N + 4; i++)
		poke(p, BASE + i * PG, 200 + i);
	pages0 = vm_counters.vc_pages;
	assert_int_equal(vm_read(p, BASE, N * PG, &copy), KERN_SUCCESS);
	assert_non_null(copy->c_amap);
	assert_int_equal(vm_map_create(&r), KERN_SUCCESS);
	assert_int_equal(vm_map_copyout(r, copy, &at), KERN_SUCCESS);
	poke(r, at + 3 * PG, 33);
	assert_int_equal(peek(p, BASE + 3 * PG), 203);
	assert_int_equal(peek(r, at + 4 * PG), 204);
	vm_map_deallocate(r);
	assert_int_equal(vm_deallocate(p, BASE, N * PG), KERN_SUCCESS);
	/* Only the neighbour's 4 pages are left. */
	assert_int_equal(vm_counters.vc_pages, pages0 - N);
	assert_int_equal(peek(p, BASE + N * PG), 200 + N);
	assert_true(vm_map_check(p));

	/* A move of pages [2, 4) of the 4 left: the others keep their data, 2 pages go. */
	uint64_t mid = BASE + (N + 1) * PG;
	assert_int_equal(vm_read_move(p, mid, 2 * PG, &copy), KERN_SUCCESS);
	vm_move_commit(p, mid, 2 * PG, copy);
	assert_non_null(copy->c_amap);
	assert_int_equal(vm_counters.vc_pages, pages0 - N);
	assert_int_equal(vm_map_create(&r), KERN_SUCCESS);
	assert_int_equal(vm_map_copyout(r, copy, &at), KERN_SUCCESS);
	assert_int_equal(peek(r, at), 200 + N + 1);
	assert_int_equal(peek(r, at + PG), 200 + N + 2);
	assert_int_equal(peek(p, BASE + N * PG), 200 + N);
	assert_int_equal(peek(p, BASE + (N + 3) * PG), 200 + N + 3);
	vm_map_deallocate(r);
	assert_int_equal(vm_counters.vc_pages, pages0 - N - 2);
	assert_true(vm_map_check(p));

	/* A move whose message fails before the commit: the copy goes, the memory stays. */
	uint64_t lone = BASE + 64 * PG;
	assert_int_equal(vm_allocate(p, &lone, 2 * PG, false), KERN_SUCCESS);
	poke(p, lone + PG, 77);
	assert_int_equal(vm_read_move(p, lone, 2 * PG, &copy), KERN_SUCCESS);
	assert_true(copy->c_pending);
	vm_copy_discard(copy);
	assert_int_equal(peek(p, lone + PG), 77);
	assert_int_equal(vm_counters.vc_pages, pages0 - N - 1);
	vm_map_deallocate(p);
}

/*
 * Copy headers come from a static pool of 32, then from the heap: 100
 * amap copies outstanding at once, discarded in another order, each with
 * its data, and nothing left (the heap's blocks are checked by teardown).
 */
static void
test_many_copies(void **state)
{
	enum { N = 16, COPIES = 100 };
	struct vm_map *p = map_with(BASE, N, VM_INHERIT_COPY);
	struct vm_copy *c[COPIES];
	uint64_t first;

	for (unsigned i = 0; i < COPIES; i++) {
		poke(p, BASE, i);
		assert_int_equal(vm_read(p, BASE, N * PG, &c[i]), KERN_SUCCESS);
		assert_non_null(c[i]->c_amap);
	}
	for (unsigned i = 0; i < COPIES; i++) {
		unsigned k = (i * 37) % COPIES;
		assert_int_equal(vm_copy_to_kernel(c[k], &first, sizeof(first)), sizeof(first));
		assert_int_equal(first, k);
		vm_copy_discard(c[k]);
	}
	vm_map_deallocate(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fork_copy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fork_deferred, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fork_share_none, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_copy_then_share, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_write_copy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_forks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fork_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_amap_copy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_copy_part_of_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_copies, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
