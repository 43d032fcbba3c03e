// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of address maps and the vm_* operations (vm/) against the
 * fake pmap: entries inserted, split, merged and looked up (checked
 * against a model under random operations), protections over ranges,
 * faults and their codes, wiring, contiguous and device memory, the edge
 * cases of GNU Mach's calls, and every page back after deallocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mach/vm_wire.h>

#include "host/fake_pmap.h"
#include "host/host_panic.h"
#include "host/vm_host.h"
#include "kern/page_alloc.h"
#include "vm/vm_amap.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_user.h"

#define PG PAGE_SIZE
#define RW (VM_PROT_READ | VM_PROT_WRITE)
#define BASE 0x100000ULL

static struct vm_map *map;
static uint64_t free0;

static int
setup(void **state)
{
	vm_host_start(VM_ARENA_SIZE);
	free0 = vm_host_free_pages();
	assert_int_equal(vm_map_create(&map), KERN_SUCCESS);
	return 0;
}

/* Every test ends with the map freed and every page and pmap back. */
static int
teardown(void **state)
{
	assert_true(vm_map_check(map));
	vm_map_deallocate(map);
	assert_int_equal(fake_pmap_live(), 0);
	assert_int_equal(vm_host_free_pages(), free0);
	assert_int_equal(vm_counters.vc_pages, 0);
	return 0;
}

static unsigned
entries(void)
{
	return map->m_nentries;
}

struct region {
	uint64_t addr, size, offset;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;
};

static kern_return_t
region(uint64_t addr, struct region *r)
{
	r->addr = addr;
	return vm_region(map, &r->addr, &r->size, &r->prot, &r->max, &r->inh, &r->shared,
	                 &r->offset);
}

static void
poke(uint64_t addr, uint64_t v)
{
	assert_int_equal(vm_map_copy_to_user(map, addr, &v, sizeof(v)), KERN_SUCCESS);
}

static uint64_t
peek(uint64_t addr)
{
	uint64_t v = ~0ULL;
	assert_int_equal(vm_map_copy_from_user(map, &v, addr, sizeof(v)), KERN_SUCCESS);
	return v;
}

static void
test_allocate(void **state)
{
	uint64_t a = 0, b = 0, c;
	struct region r;

	assert_int_equal(vm_allocate(map, &a, 3 * PG, true), KERN_SUCCESS);
	assert_int_equal(a, VM_MAP_ANYWHERE_MIN);
	assert_int_equal(vm_allocate(map, &b, 1, true), KERN_SUCCESS);
	assert_int_equal(b, a + 3 * PG); /* first fit, size rounded up to a page */
	/* Alike and adjacent: one entry. */
	assert_int_equal(entries(), 1);
	assert_int_equal(region(0, &r), KERN_SUCCESS);
	assert_int_equal(r.addr, a);
	assert_int_equal(r.size, 4 * PG);
	assert_int_equal(r.prot, VM_PROT_DEFAULT);
	assert_int_equal(r.max, VM_PROT_ALL);
	assert_int_equal(r.inh, VM_INHERIT_DEFAULT);
	/* Fixed: an unaligned address is truncated. */
	c = BASE + 123;
	assert_int_equal(vm_allocate(map, &c, PG + 1, false), KERN_SUCCESS);
	assert_int_equal(c, BASE);
	assert_int_equal(region(BASE, &r), KERN_SUCCESS);
	assert_int_equal(r.size, 2 * PG);
	/* Overlap, outside the user half, wrapping. */
	c = BASE + PG;
	assert_int_equal(vm_allocate(map, &c, PG, false), KERN_NO_SPACE);
	c = BASE - PG;
	assert_int_equal(vm_allocate(map, &c, 2 * PG, false), KERN_NO_SPACE);
	c = USER_SPACE_END - PG;
	assert_int_equal(vm_allocate(map, &c, 2 * PG, false), KERN_INVALID_ADDRESS);
	c = USER_SPACE_END;
	assert_int_equal(vm_allocate(map, &c, PG, false), KERN_INVALID_ADDRESS);
	c = BASE * 2;
	assert_int_equal(vm_allocate(map, &c, UINT64_MAX - 10, false), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_allocate(map, &c, UINT64_MAX - 10, true), KERN_NO_SPACE);
	assert_int_equal(vm_allocate(map, &c, USER_SPACE_END, true), KERN_NO_SPACE);
	/* Size 0: address 0, nothing made. */
	c = 77;
	assert_int_equal(vm_allocate(map, &c, 0, true), KERN_SUCCESS);
	assert_int_equal(c, 0);
	assert_int_equal(entries(), 2);
	/* The last page of the user half can be had. */
	c = USER_SPACE_END - PG;
	assert_int_equal(vm_allocate(map, &c, PG, false), KERN_SUCCESS);
	assert_int_equal(vm_allocate(NULL, &c, PG, true), KERN_INVALID_ARGUMENT);
	assert_true(vm_map_check(map));
}

/* First fit from the free hint: holes are found again once freed, small ones skipped. */
static void
test_anywhere(void **state)
{
	uint64_t a, first = 0, spacer;

	for (unsigned i = 0; i < 2000; i++) {
		a = 0;
		assert_int_equal(vm_allocate(map, &a, 2 * PG, true), KERN_SUCCESS);
		if (i == 0)
			first = a;
		assert_int_equal(a, first + i * 4 * PG);
		/* A page after a one-page hole: the hole is too small for the next. */
		spacer = a + 3 * PG;
		assert_int_equal(vm_allocate(map, &spacer, PG, false), KERN_SUCCESS);
	}
	/* One page fits the first hole, then the next. */
	assert_int_equal(vm_allocate(map, &a, PG, true), KERN_SUCCESS);
	assert_int_equal(a, first + 2 * PG);
	assert_int_equal(vm_allocate(map, &a, PG, true), KERN_SUCCESS);
	assert_int_equal(a, first + 6 * PG);
	/* A freed range lower down is found again; then the end. */
	assert_int_equal(vm_deallocate(map, first, 2 * PG), KERN_SUCCESS);
	assert_int_equal(vm_allocate(map, &a, 2 * PG, true), KERN_SUCCESS);
	assert_int_equal(a, first);
	assert_int_equal(vm_allocate(map, &a, 2 * PG, true), KERN_SUCCESS);
	assert_int_equal(a, first + 8000 * PG);
	assert_true(vm_map_check(map));
}

static void
test_deallocate(void **state)
{
	uint64_t a = BASE;
	struct region r;

	assert_int_equal(vm_allocate(map, &a, 8 * PG, false), KERN_SUCCESS);
	for (int i = 0; i < 8; i++)
		poke(a + i * PG, i);
	assert_int_equal(vm_counters.vc_pages, 8);
	/* The middle: two entries, two pages freed, both unmapped. */
	assert_int_equal(vm_deallocate(map, a + 3 * PG + 5, PG), KERN_SUCCESS);
	assert_int_equal(entries(), 2);
	assert_int_equal(vm_counters.vc_pages, 6);
	assert_int_equal(fake_pmap_count(map->m_pmap), 6);
	assert_int_equal(vm_fault(map, a + 3 * PG, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_fault(map, a + 4 * PG, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(peek(a + 5 * PG), 5);
	assert_int_equal(peek(a + 2 * PG), 2);
	/* Holes, size 0, past the user half, wrapping: fine, as on GNU Mach. */
	assert_int_equal(vm_deallocate(map, 0, BASE), KERN_SUCCESS);
	assert_int_equal(vm_deallocate(map, a, 0), KERN_SUCCESS);
	assert_int_equal(vm_deallocate(map, USER_SPACE_END, PG), KERN_SUCCESS);
	assert_int_equal(vm_deallocate(map, a + 7 * PG, UINT64_MAX - a), KERN_SUCCESS);
	assert_int_equal(region(a + 7 * PG, &r), KERN_SUCCESS); /* the wrap removed nothing */
	assert_int_equal(r.addr, a + 5 * PG);
	assert_int_equal(vm_deallocate(map, 0, USER_SPACE_END), KERN_SUCCESS);
	assert_int_equal(entries(), 0);
	assert_int_equal(vm_counters.vc_pages, 0);
	assert_int_equal(fake_pmap_count(map->m_pmap), 0);
}

static void
test_protect_split_merge(void **state)
{
	uint64_t a = BASE, pa;
	unsigned prot, flags;
	struct region r;

	assert_int_equal(vm_allocate(map, &a, 10 * PG, false), KERN_SUCCESS);
	poke(a + 4 * PG, 44); /* an amap now: pieces share it */
	assert_int_equal(vm_protect(map, a + 3 * PG, 2 * PG, false, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(entries(), 3);
	assert_int_equal(region(a + 3 * PG, &r), KERN_SUCCESS);
	assert_int_equal(r.addr, a + 3 * PG);
	assert_int_equal(r.size, 2 * PG);
	assert_int_equal(r.prot, VM_PROT_READ);
	/* The mapped page lost its write access at once. */
	assert_true(fake_pmap_lookup(map->m_pmap, a + 4 * PG, &pa, &prot, &flags));
	assert_int_equal(prot, VM_PROT_READ);
	assert_int_equal(vm_fault(map, a + 4 * PG, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_map_copy_to_user(map, a + 4 * PG, &a, 8), KERN_PROTECTION_FAILURE);
	assert_int_equal(peek(a + 4 * PG), 44);
	/* Back to read-write: the three pieces of one amap merge again. */
	assert_int_equal(vm_protect(map, a, 10 * PG, false, RW), KERN_SUCCESS);
	assert_int_equal(entries(), 1);
	poke(a + 4 * PG, 45);
	assert_int_equal(peek(a + 4 * PG), 45);
	/* Maximum: lowered, the current follows; raising past it fails and changes nothing. */
	assert_int_equal(vm_protect(map, a + 8 * PG, PG, true, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(entries(), 3);
	assert_int_equal(region(a + 8 * PG, &r), KERN_SUCCESS);
	assert_int_equal(r.max, VM_PROT_READ);
	assert_int_equal(r.prot, VM_PROT_READ);
	assert_int_equal(vm_protect(map, a, 10 * PG, false, VM_PROT_ALL), KERN_PROTECTION_FAILURE);
	assert_int_equal(region(a, &r), KERN_SUCCESS);
	assert_int_equal(r.prot, RW);
	assert_int_equal(r.size, 8 * PG);
	/* Bad bits. */
	assert_int_equal(vm_protect(map, a, PG, false, 0x40), KERN_INVALID_ARGUMENT);
	/* A range with holes: the entries in it change, the holes are skipped. */
	assert_int_equal(vm_protect(map, 0, BASE * 4, false, VM_PROT_NONE), KERN_SUCCESS);
	assert_int_equal(region(0, &r), KERN_SUCCESS);
	assert_int_equal(r.prot, VM_PROT_NONE);
	assert_int_equal(r.size, 8 * PG); /* the last two pages differ in their maximum */
	assert_int_equal(fake_pmap_count(map->m_pmap), 0);
	assert_int_equal(vm_fault(map, a, VM_PROT_READ), KERN_PROTECTION_FAILURE);
	/* Inheritance: split, set, merged back, bad value refused. */
	assert_int_equal(vm_inherit(map, a + PG, PG, VM_INHERIT_SHARE), KERN_SUCCESS);
	assert_int_equal(region(a + PG, &r), KERN_SUCCESS);
	assert_int_equal(r.inh, VM_INHERIT_SHARE);
	assert_int_equal(r.size, PG);
	assert_int_equal(vm_inherit(map, a, 10 * PG, VM_INHERIT_COPY), KERN_SUCCESS);
	assert_int_equal(vm_inherit(map, a, PG, 7), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_protect(map, a, 10 * PG, true, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(entries(), 1);
}

/* A touched entry and untouched memory next to it merge, by growing or sharing its amap. */
static void
test_merge_amaps(void **state)
{
	uint64_t a = BASE, b = BASE + 4 * PG, c = BASE - 2 * PG;

	assert_int_equal(vm_allocate(map, &a, 4 * PG, false), KERN_SUCCESS);
	poke(a + 3 * PG, 3);
	assert_int_equal(vm_allocate(map, &b, 600 * PG, false), KERN_SUCCESS); /* after: grows */
	assert_int_equal(entries(), 1);
	assert_int_equal(map->m_first->e_amap->am_nslots, 604);
	poke(b + 599 * PG, 599);
	assert_int_equal(peek(a + 3 * PG), 3);
	/* Before it: only with room in the amap below its first slot. */
	assert_int_equal(vm_allocate(map, &c, 2 * PG, false), KERN_SUCCESS);
	assert_int_equal(entries(), 2);
	assert_int_equal(vm_deallocate(map, c, 4 * PG), KERN_SUCCESS); /* a's first two pages too */
	assert_int_equal(entries(), 1);
	assert_int_equal(map->m_first->e_slot, 2);
	c = BASE;
	assert_int_equal(vm_allocate(map, &c, 2 * PG, false), KERN_SUCCESS);
	assert_int_equal(entries(), 1);
	assert_int_equal(map->m_first->e_slot, 0);
	assert_int_equal(peek(a), 0);
	assert_int_equal(peek(a + 3 * PG), 3);
	assert_int_equal(peek(b + 599 * PG), 599);
	assert_int_equal(vm_counters.vc_pages, 3);
	assert_true(vm_map_check(map));
}

static void
test_region(void **state)
{
	uint64_t a = BASE, b = 4 * BASE;
	struct region r;

	assert_int_equal(region(0, &r), KERN_NO_SPACE);
	assert_int_equal(vm_allocate(map, &a, PG, false), KERN_SUCCESS);
	assert_int_equal(vm_allocate(map, &b, 2 * PG, false), KERN_SUCCESS);
	assert_int_equal(region(a + PG, &r), KERN_SUCCESS); /* in the gap: the next one */
	assert_int_equal(r.addr, b);
	assert_int_equal(r.size, 2 * PG);
	assert_false(r.shared);
	assert_int_equal(region(b + 2 * PG, &r), KERN_NO_SPACE);
}

/* Random operations on a window of pages, against a model of each page. */
#define WIN 256
struct model_page {
	bool mapped;
	vm_prot_t prot;
};

/* The random tests' seed: VM_TEST_SEED=n runs another sequence. */
static uint64_t
seed(uint64_t fixed)
{
	const char *e = getenv("VM_TEST_SEED");
	return e ? strtoull(e, NULL, 0) * 0x9e3779b97f4a7c15ULL | 1 : fixed;
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
check_model(const struct model_page *m)
{
	struct vm_map_entry *e = map->m_first;

	assert_true(vm_map_check(map));
	for (unsigned i = 0; i < WIN; i++) {
		struct vm_map_entry *l;
		bool in = vm_map_lookup(map, BASE + i * PG, &l);
		assert_int_equal(in, m[i].mapped);
		if (in)
			assert_int_equal(l->e_prot, m[i].prot);
	}
	/* Fully merged: no two adjacent entries alike. */
	for (; e && e->e_next; e = e->e_next)
		assert_false(e->e_end == e->e_next->e_start && e->e_prot == e->e_next->e_prot);
}

static void
test_random_ops(void **state)
{
	struct model_page m[WIN] = {0};
	uint64_t s = seed(0x9e3779b97f4a7c15ULL);

	for (int step = 0; step < 4000; step++) {
		unsigned first = rnd(&s) % WIN, n = 1 + rnd(&s) % 16, op = rnd(&s) % 3;
		uint64_t addr = BASE + (uint64_t)first * PG;
		if (first + n > WIN)
			n = WIN - first;
		if (op == 0) {
			bool free = true;
			for (unsigned i = first; i < first + n; i++)
				free &= !m[i].mapped;
			kern_return_t kr = vm_allocate(map, &addr, n * PG, false);
			assert_int_equal(kr, free ? KERN_SUCCESS : KERN_NO_SPACE);
			for (unsigned i = first; free && i < first + n; i++)
				m[i] = (struct model_page){true, VM_PROT_DEFAULT};
		} else if (op == 1) {
			assert_int_equal(vm_deallocate(map, addr, n * PG), KERN_SUCCESS);
			for (unsigned i = first; i < first + n; i++)
				m[i].mapped = false;
		} else {
			vm_prot_t p = rnd(&s) % 2 ? VM_PROT_READ : RW;
			assert_int_equal(vm_protect(map, addr, n * PG, false, p), KERN_SUCCESS);
			for (unsigned i = first; i < first + n; i++)
				m[i].prot = p;
		}
		check_model(m);
	}
	/* Lookups among many entries: the tree stays balanced. */
	assert_true(map->m_root == NULL || map->m_root->e_height <= 12);
}

/*
 * Random operations with data: allocate, deallocate, protect, write and
 * read, against a model of every page's value. Splits, joins and amap
 * growth must keep each page's data, and exactly the pages touched and
 * still mapped stay allocated.
 */
struct data_page {
	bool mapped, resident;
	vm_prot_t prot;
	uint64_t value;
};

static void
test_random_data(void **state)
{
	static struct data_page m[WIN];
	uint64_t s = seed(0x243f6a8885a308d3ULL);

	memset(m, 0, sizeof(m));
	for (int step = 0; step < 3000; step++) {
		unsigned first = rnd(&s) % WIN, n = 1 + rnd(&s) % 24, op = rnd(&s) % 5;
		uint64_t addr = BASE + (uint64_t)first * PG;
		if (first + n > WIN)
			n = WIN - first;
		if (op == 0) {
			bool free = true;
			for (unsigned i = first; i < first + n; i++)
				free &= !m[i].mapped;
			assert_int_equal(vm_allocate(map, &addr, n * PG, false),
			                 free ? KERN_SUCCESS : KERN_NO_SPACE);
			for (unsigned i = first; free && i < first + n; i++)
				m[i] = (struct data_page){true, false, RW, 0};
		} else if (op == 1) {
			assert_int_equal(vm_deallocate(map, addr, n * PG), KERN_SUCCESS);
			for (unsigned i = first; i < first + n; i++)
				m[i].mapped = m[i].resident = false;
		} else if (op == 2) {
			vm_prot_t p = rnd(&s) % 3 ? RW : VM_PROT_READ;
			assert_int_equal(vm_protect(map, addr, n * PG, false, p), KERN_SUCCESS);
			for (unsigned i = first; i < first + n; i++)
				m[i].prot = p;
		} else {
			uint64_t v = rnd(&s), got;
			bool w = op == 3;
			kern_return_t want = !m[first].mapped ? KERN_INVALID_ADDRESS
			                     : w && !(m[first].prot & VM_PROT_WRITE)
			                         ? KERN_PROTECTION_FAILURE
			                         : KERN_SUCCESS;
			kern_return_t kr = w ? vm_map_copy_to_user(map, addr + 8, &v, 8)
			                     : vm_map_copy_from_user(map, &got, addr + 8, 8);
			assert_int_equal(kr, want);
			if (kr == KERN_SUCCESS) {
				m[first].resident = true;
				if (w)
					m[first].value = v;
				else
					assert_int_equal(got, m[first].value);
			}
		}
		uint64_t resident = 0;
		for (unsigned i = 0; i < WIN; i++)
			resident += m[i].resident;
		assert_int_equal(vm_counters.vc_pages, resident);
		assert_true(vm_map_check(map));
		assert_true(vm_host_pmap_consistent(map, BASE, BASE + WIN * PG));
	}
	for (unsigned i = 0; i < WIN; i++) {
		uint64_t got;
		if (m[i].mapped) {
			assert_int_equal(vm_map_copy_from_user(map, &got, BASE + i * PG + 8, 8),
			                 KERN_SUCCESS);
			assert_int_equal(got, m[i].value);
		}
	}
}

/*
 * vm_allocate(anywhere) against a brute-force first fit: random fixed and
 * anywhere allocations, deallocations of parts of entries and protections
 * (splits, merges) over a window from address 0, with holes below 64 KiB
 * and everywhere. vm_map_check verifies the tree's largest holes after
 * each step.
 */
#define FWIN 2048
#define ANY_MIN_PAGE (VM_MAP_ANYWHERE_MIN / PG)

/* The lowest page from 64 KiB on that starts n free pages of m, or FWIN. */
static unsigned
model_first_fit(const bool *m, unsigned n)
{
	for (unsigned p = ANY_MIN_PAGE, run = 0; p < FWIN; p++) {
		run = m[p] ? 0 : run + 1;
		if (run == n)
			return p + 1 - n;
	}
	return FWIN;
}

static void
test_find_space(void **state)
{
	static bool m[FWIN];
	uint64_t s = seed(0x6a09e667f3bcc909ULL);
	unsigned anywhere = 0;

	memset(m, 0, sizeof(m));
	for (int step = 0; step < 20000; step++) {
		unsigned op = rnd(&s) % 8, n = 1 + rnd(&s) % (rnd(&s) % 4 ? 8 : 64);
		unsigned first = rnd(&s) % FWIN;
		uint64_t addr = (uint64_t)first * PG;
		if (first + n > FWIN)
			n = FWIN - first;
		if (op < 3) {
			unsigned want = model_first_fit(m, n);
			if (want + n > FWIN - 64)
				continue; /* would leave the window: the model knows only it */
			addr = 0;
			assert_int_equal(vm_allocate(map, &addr, n * PG, true), KERN_SUCCESS);
			assert_int_equal(addr, (uint64_t)want * PG);
			for (unsigned i = want; i < want + n; i++)
				m[i] = true;
			anywhere++;
		} else if (op < 5) {
			bool free = true;
			for (unsigned i = first; i < first + n; i++)
				free &= !m[i];
			assert_int_equal(vm_allocate(map, &addr, n * PG, false),
			                 free ? KERN_SUCCESS : KERN_NO_SPACE);
			for (unsigned i = first; free && i < first + n; i++)
				m[i] = true;
		} else if (op < 7) {
			assert_int_equal(vm_deallocate(map, addr, n * PG), KERN_SUCCESS);
			for (unsigned i = first; i < first + n; i++)
				m[i] = false;
		} else {
			/* Splits and merges that change no hole. */
			vm_prot_t p = rnd(&s) % 2 ? VM_PROT_READ : RW;
			assert_int_equal(vm_protect(map, addr, n * PG, false, p), KERN_SUCCESS);
		}
		assert_true(vm_map_check(map));
	}
	assert_true(anywhere > 4000);
	/* Past the last entry, and no room at all. */
	uint64_t a = 0, last = map->m_last->e_end;
	assert_int_equal(vm_allocate(map, &a, USER_SPACE_END, true), KERN_NO_SPACE);
	assert_int_equal(vm_allocate(map, &a, 1ULL << 40, true), KERN_SUCCESS);
	assert_int_equal(a, last);
	assert_int_equal(vm_allocate(map, &a, USER_SPACE_END - (last + (1ULL << 40)) + PG, true),
	                 KERN_NO_SPACE);
	assert_true(vm_map_check(map));
}

static void
test_faults(void **state)
{
	uint64_t a = BASE, pa, pa2;
	unsigned prot, flags;

	assert_int_equal(vm_fault(map, a, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_fault(map, USER_SPACE_END, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_allocate(map, &a, 4 * PG, false), KERN_SUCCESS);
	/* Zero fill: a zeroed page, mapped with the entry's protection. */
	assert_int_equal(vm_fault(map, a + PG + 17, VM_PROT_READ), KERN_SUCCESS);
	assert_true(fake_pmap_lookup(map->m_pmap, a + PG, &pa, &prot, &flags));
	assert_int_equal(prot, RW);
	assert_int_equal(flags, 0);
	for (int i = 0; i < PG; i++)
		assert_int_equal(vm_host_phys(pa)[i], 0);
	assert_int_equal(vm_counters.vc_pages, 1);
	/* An existing page is mapped again, not replaced. */
	pmap_remove(map->m_pmap, a + PG, a + 2 * PG);
	assert_int_equal(vm_fault(map, a + PG, VM_PROT_WRITE), KERN_SUCCESS);
	assert_true(fake_pmap_lookup(map->m_pmap, a + PG, &pa2, &prot, &flags));
	assert_int_equal(pa2, pa);
	assert_int_equal(vm_counters.vc_pages, 1);
	assert_int_equal(vm_fault(map, a + 4 * PG, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_protect(map, a, PG, false, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(vm_fault(map, a, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_fault(map, a, VM_PROT_EXECUTE), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_fault(map, a, VM_PROT_READ), KERN_SUCCESS);
	/* The kernel's copies: across a page boundary, and their errors. */
	char buf[100], back[100];
	for (int i = 0; i < 100; i++)
		buf[i] = (char)i;
	assert_int_equal(vm_map_copy_to_user(map, a + 2 * PG - 50, buf, 100), KERN_SUCCESS);
	assert_int_equal(vm_map_copy_from_user(map, back, a + 2 * PG - 50, 100), KERN_SUCCESS);
	assert_memory_equal(buf, back, 100);
	assert_int_equal(vm_map_copy_to_user(map, a + 4 * PG - 50, buf, 100), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_copy_from_user(map, back, 0, 8), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_copy_from_user(map, back, USER_SPACE_END - 8, 16),
	                 KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_copy_from_user(map, back, UINT64_MAX - 8, 16),
	                 KERN_INVALID_ADDRESS);
}

/* A stand-in for the balloon: pages held back, given when the allocator runs dry. */
static uint64_t stash[16];
static unsigned stashed, oom_calls;

static unsigned
give_stash(unsigned npages)
{
	unsigned n = stashed;

	oom_calls++;
	while (stashed)
		page_free(stash[--stashed], 0);
	return n;
}

static void
test_out_of_memory(void **state)
{
	uint64_t a = 0, before;
	kern_return_t kr = KERN_SUCCESS;
	unsigned n = 0;

	/* A small machine: 256 pages in all. */
	vm_map_deallocate(map);
	vm_host_start(256 * PG);
	free0 = vm_host_free_pages();
	assert_int_equal(vm_map_create(&map), KERN_SUCCESS);
	before = vm_host_free_pages();
	assert_int_equal(vm_allocate(map, &a, 1024 * PG, true), KERN_SUCCESS); /* lazy: free */
	assert_int_equal(vm_host_free_pages(), before);
	while (n < 1024 && (kr = vm_fault(map, a + n * PG, VM_PROT_WRITE)) == KERN_SUCCESS)
		n++;
	assert_int_equal(kr, KERN_RESOURCE_SHORTAGE);
	assert_in_range(n, 200, 255);
	assert_int_equal(vm_deallocate(map, a, 1024 * PG), KERN_SUCCESS);
	assert_int_equal(vm_host_free_pages(), before);

	/* With a hook (the balloon's), a fault that finds no page gets the hook's. */
	for (stashed = 0; stashed < 16; stashed++)
		assert_true((stash[stashed] = page_alloc(0, 0)) != 0);
	page_alloc_set_oom_hook(give_stash);
	assert_int_equal(vm_allocate(map, &a, 1024 * PG, true), KERN_SUCCESS);
	unsigned m = 0;
	while (m < 1024 && (kr = vm_fault(map, a + m * PG, VM_PROT_WRITE)) == KERN_SUCCESS)
		m++;
	page_alloc_set_oom_hook(NULL);
	assert_int_equal(kr, KERN_RESOURCE_SHORTAGE);
	/* The stash came out of the same memory: without the hook, 16 fewer. */
	assert_int_equal(m, n);
	assert_true(oom_calls >= 2); /* once giving, once empty-handed */
	assert_int_equal(vm_deallocate(map, a, 1024 * PG), KERN_SUCCESS);
	assert_int_equal(vm_host_free_pages(), before);
}

static void
test_wire(void **state)
{
	uint64_t a = BASE, b = 0, pa;
	unsigned prot, flags;
	struct vm_statistics st;

	assert_int_equal(vm_allocate(map, &a, 4 * PG, false), KERN_SUCCESS);
	assert_int_equal(vm_wire(map, a + PG, 2 * PG, RW), KERN_SUCCESS);
	assert_int_equal(entries(), 3);
	assert_int_equal(fake_pmap_count(map->m_pmap), 2);
	assert_true(fake_pmap_lookup(map->m_pmap, a + 2 * PG, &pa, &prot, &flags));
	assert_int_equal(flags, PMAP_WIRED);
	assert_int_equal(vm_statistics(map, &st), KERN_SUCCESS);
	assert_int_equal(st.wire_count, 2);
	assert_int_equal(st.pagesize, PG);
	/* Errors: bad bits, unmapped start, a hole, more than allowed, not wired. */
	assert_int_equal(vm_wire(map, a, PG, 0x40), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_wire(map, a - PG, 2 * PG, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_wire(map, a, 5 * PG, VM_PROT_READ), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_wire(map, a, PG, VM_PROT_EXECUTE), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_wire(map, a, PG, VM_PROT_NONE), KERN_INVALID_ARGUMENT);
	/*
	 * Unwired: the wired mappings go, the pages stay. The middle piece's
	 * amap grows over the untouched piece after it; the one before stays
	 * apart (no free slot below the amap's first).
	 */
	assert_int_equal(vm_wire(map, a + PG, 2 * PG, VM_PROT_NONE), KERN_SUCCESS);
	assert_int_equal(entries(), 2);
	assert_int_equal(fake_pmap_count(map->m_pmap), 0);
	assert_int_equal(vm_counters.vc_pages, 2);
	assert_int_equal(vm_counters.vc_wired, 0);
	/* Future wiring: new memory is resident at once; NONE ends it. */
	assert_int_equal(vm_wire_all(map, VM_WIRE_FUTURE), KERN_SUCCESS);
	assert_int_equal(vm_allocate(map, &b, 3 * PG, true), KERN_SUCCESS);
	assert_int_equal(fake_pmap_count(map->m_pmap), 3);
	assert_int_equal(vm_wire_all(map, VM_WIRE_CURRENT), KERN_SUCCESS);
	assert_int_equal(fake_pmap_count(map->m_pmap), 7);
	assert_int_equal(vm_counters.vc_wired, 7);
	assert_int_equal(vm_wire_all(map, 8), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_wire_all(map, VM_WIRE_NONE), KERN_SUCCESS);
	assert_int_equal(vm_counters.vc_wired, 0);
	assert_int_equal(vm_allocate(map, &b, PG, true), KERN_SUCCESS);
	assert_int_equal(fake_pmap_count(map->m_pmap), 0);
}

static void
test_contiguous(void **state)
{
	uint64_t va, pa, mpa, before = vm_host_free_pages();
	unsigned prot, flags;

	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, 5 * PG, 0, 0, 0), KERN_SUCCESS);
	/* A buddy block of 8, and a heap page or two for the entry and object. */
	assert_in_range(before - vm_host_free_pages(), 8, 10);
	for (int i = 0; i < 5; i++) {
		assert_true(fake_pmap_lookup(map->m_pmap, va + i * PG, &mpa, &prot, &flags));
		assert_int_equal(mpa, pa + i * PG); /* contiguous, wired, resident */
		assert_int_equal(flags, PMAP_WIRED);
	}
	poke(va + 4 * PG, 0x1234);
	assert_int_equal(*(uint64_t *)vm_host_phys(pa + 4 * PG), 0x1234);
	/* Alignment and bounds. */
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, PG, 0, 0, 64 * PG), KERN_SUCCESS);
	assert_int_equal(pa % (64 * PG), 0);
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, PG, 0, 1ULL << 32, 0), KERN_SUCCESS);
	assert_true(pa + PG <= 1ULL << 32);
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, 0, 0, 0, 0), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, PG, 0, 0, 3 * PG),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, 4 * PG, 8 * PG, 10 * PG, 0),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, PG, 1ULL << 40, 0, 0),
	                 KERN_RESOURCE_SHORTAGE);
	assert_int_equal(vm_allocate_contiguous(map, &va, &pa, 64ULL << 20, 0, 0, 0),
	                 KERN_INVALID_ARGUMENT); /* beyond the largest block */
	assert_int_equal(vm_deallocate(map, 0, USER_SPACE_END), KERN_SUCCESS);
	assert_int_equal(vm_host_free_pages(), before);
}

static void
test_device(void **state)
{
	struct vm_object *ob;
	uint64_t a = 0, pa;
	unsigned prot, flags;
	const uint64_t dev = 0xfe000000ULL; /* not RAM: freeing it would panic */

	assert_int_equal(vm_object_device(dev, 4 * PG, PMAP_CACHE_WC, &ob), KERN_SUCCESS);
	assert_int_equal(vm_object_device(dev, 0, PMAP_CACHE_UC, &ob), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_object_device(dev + 1, PG, PMAP_CACHE_UC, &ob), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_object_device(dev, PG, 0, &ob), KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_map_object(map, &a, 2 * PG, true, ob, 2 * PG, RW, RW, VM_INHERIT_SHARE),
	                 KERN_SUCCESS);
	assert_int_equal(vm_map_object(map, &a, 2 * PG, true, ob, 3 * PG, RW, RW, VM_INHERIT_SHARE),
	                 KERN_INVALID_ARGUMENT);
	assert_int_equal(vm_fault(map, a + PG, VM_PROT_WRITE), KERN_SUCCESS);
	assert_true(fake_pmap_lookup(map->m_pmap, a + PG, &pa, &prot, &flags));
	assert_int_equal(pa, dev + 3 * PG);
	assert_int_equal(flags, PMAP_CACHE_WC);
	assert_int_equal(ob->ob_ref, 2);
	/* Not readable by copy: device registers are not RAM. */
	struct vm_copy *c;
	assert_int_equal(vm_read(map, a, PG, &c), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_deallocate(map, a, 2 * PG), KERN_SUCCESS);
	assert_int_equal(ob->ob_ref, 1);
	vm_object_unref(ob);
}

static void
test_statistics(void **state)
{
	struct vm_statistics st;
	uint64_t a = 0;
	uint64_t zf = vm_counters.vc_zero_fill;

	assert_int_equal(vm_allocate(map, &a, 3 * PG, true), KERN_SUCCESS);
	poke(a, 1);
	poke(a + 2 * PG, 1);
	assert_int_equal(vm_statistics(map, &st), KERN_SUCCESS);
	assert_int_equal(st.zero_fill_count, zf + 2);
	assert_int_equal(st.active_count, 2);
	assert_int_equal(st.free_count, vm_host_free_pages());
	assert_int_equal(vm_statistics(NULL, &st), KERN_INVALID_ARGUMENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_allocate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_anywhere, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deallocate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_protect_split_merge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merge_amaps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_ops, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_data, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_find_space, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wire, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_contiguous, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_device, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statistics, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
