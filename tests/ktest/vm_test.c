// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VM (vm/) in the kernel, on the real pmap: 10,000 zero-fill faults
 * resolved by vm_fault on an active map and touched through their user
 * addresses; copy-on-write between a map and its fork; and the free-page
 * count back exactly after 100 maps are created, used and freed. With no
 * page-fault handler wired to the VM yet, each access is faulted in first
 * by calling vm_fault as the trap handler will.
 */
#include <mach/vm_prot.h>

#include "debug/ktest.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

#define PG PAGE_SIZE
#define BASE 0x10000000ULL

static uint64_t
free_pages(void)
{
	struct page_stats st;

	kmalloc_reclaim();
	page_alloc_stats(&st);
	return st.free_pages;
}

static volatile uint64_t *
at(uint64_t va)
{
	return (volatile uint64_t *)va;
}

/* The first map fills the kernel half's top level for good: not counted by the tests. */
static void
warm_up(void)
{
	struct vm_map *m;

	if (vm_map_create(&m) == KERN_SUCCESS)
		vm_map_deallocate(m);
}

KTEST(vm_faults, "10,000 zero-fill faults on an active map, touched through user addresses")
{
	const unsigned n = 10000;
	struct vm_map *m;
	uint64_t a = BASE, zf, before;
	unsigned bad_fault = 0, bad_zero = 0, bad_read = 0;

	ktap_plan(6);
	warm_up();
	before = free_pages();
	zf = vm_counters.vc_zero_fill;
	ktap_ok(vm_map_create(&m) == KERN_SUCCESS &&
	            vm_allocate(m, &a, (uint64_t)n * PG, false) == KERN_SUCCESS,
	        "a map with %u pages of zero-fill memory", n);
	pmap_activate(vm_map_pmap(m));
	for (unsigned i = 0; i < n; i++) {
		uint64_t va = a + (uint64_t)i * PG;
		if (vm_fault(m, va + 8 * (i % 512), VM_PROT_WRITE) != KERN_SUCCESS) {
			bad_fault++;
			continue;
		}
		bad_zero += at(va)[i % 512] != 0;
		at(va)[i % 512] = i ^ 0x5a5a;
	}
	ktap_ok(bad_fault == 0 && bad_zero == 0, "every fault resolved to a zeroed page (%u, %u)",
	        bad_fault, bad_zero);
	ktap_ok(vm_counters.vc_zero_fill - zf == n, "%lu zero-fill faults counted",
	        vm_counters.vc_zero_fill - zf);
	for (unsigned i = 0; i < n; i++)
		bad_read += at(a + (uint64_t)i * PG)[i % 512] != (i ^ 0x5a5a);
	uint64_t v = 0;
	ktap_ok(bad_read == 0 &&
	            vm_map_copy_from_user(m, &v, a + 4321ULL * PG + 8 * (4321 % 512), 8) ==
	                KERN_SUCCESS &&
	            v == (4321 ^ 0x5a5a),
	        "every page reads back its value, through the pmap and through the map");
	ktap_ok(vm_fault(m, a + (uint64_t)n * PG, VM_PROT_READ) == KERN_INVALID_ADDRESS &&
	            vm_fault(m, 0, VM_PROT_READ) == KERN_INVALID_ADDRESS,
	        "faults outside the region: KERN_INVALID_ADDRESS");
	pmap_activate(pmap_kernel());
	vm_map_deallocate(m);
	uint64_t after = free_pages();
	ktap_ok(after == before, "free pages back after the map is freed (%lu, %lu)", before,
	        after);
}

KTEST(vm_cow, "copy-on-write between a map and its fork, on the real pmap")
{
	struct vm_map *p, *c = NULL;
	uint64_t a = BASE, ppa = 0, cpa = 0, before;

	ktap_plan(8);
	warm_up();
	before = free_pages();
	ktap_ok(vm_map_create(&p) == KERN_SUCCESS &&
	            vm_allocate(p, &a, 4 * PG, false) == KERN_SUCCESS,
	        "a parent map with 4 pages");
	pmap_activate(vm_map_pmap(p));
	for (int i = 0; i < 4; i++) {
		vm_fault(p, a + i * PG, VM_PROT_WRITE);
		*at(a + i * PG) = 100 + i;
	}
	ktap_ok(vm_map_fork(p, &c) == KERN_SUCCESS, "forked (inheritance copy)");
	pmap_activate(vm_map_pmap(c));
	bool same = true;
	for (int i = 0; i < 4; i++)
		same &= vm_fault(c, a + i * PG, VM_PROT_READ) == KERN_SUCCESS &&
		        *at(a + i * PG) == (uint64_t)(100 + i);
	ktap_ok(same, "the child reads the parent's values");
	pmap_extract(vm_map_pmap(p), a, &ppa);
	pmap_extract(vm_map_pmap(c), a, &cpa);
	ktap_ok(ppa == cpa, "before any write both map the same page (%#lx)", ppa);
	uint64_t cows = vm_counters.vc_cow_faults;
	ktap_ok(vm_fault(c, a, VM_PROT_WRITE) == KERN_SUCCESS &&
	            pmap_extract(vm_map_pmap(c), a, &cpa) && cpa != ppa &&
	            vm_counters.vc_cow_faults == cows + 1,
	        "the child's write fault copies the page");
	*at(a) = 7;
	pmap_activate(vm_map_pmap(p));
	ktap_ok(*at(a) == 100, "the parent still reads its own value");
	vm_fault(p, a + PG, VM_PROT_WRITE);
	*at(a + PG) = 8;
	pmap_activate(vm_map_pmap(c));
	ktap_ok(*at(a) == 7 && *at(a + PG) == 101, "the child sees its write, not the parent's");
	pmap_activate(pmap_kernel());
	vm_map_deallocate(c);
	vm_map_deallocate(p);
	uint64_t after = free_pages();
	ktap_ok(after == before, "free pages back after both maps are freed (%lu, %lu)", before,
	        after);
}

KTEST(vm_maps, "100 maps created, used and freed: the free-page count returns exactly")
{
	uint64_t before, pages = vm_counters.vc_pages;
	bool ok = true;

	ktap_plan(3);
	warm_up();
	before = free_pages();
	for (int i = 0; i < 100 && ok; i++) {
		struct vm_map *m, *f = NULL;
		uint64_t a = 0, b = BASE + (uint64_t)i * PG, v = i;
		ok = vm_map_create(&m) == KERN_SUCCESS &&
		     vm_allocate(m, &a, 64 * PG, true) == KERN_SUCCESS &&
		     vm_allocate(m, &b, PG, false) == KERN_SUCCESS;
		for (int j = 0; ok && j < 64; j += 3)
			ok = vm_map_copy_to_user(m, a + j * PG, &v, 8) == KERN_SUCCESS;
		ok = ok && vm_protect(m, a, 8 * PG, false, VM_PROT_READ) == KERN_SUCCESS &&
		     vm_map_fork(m, &f) == KERN_SUCCESS &&
		     vm_map_copy_to_user(f, a + 9 * PG, &v, 8) == KERN_SUCCESS &&
		     vm_wire(m, a + 16 * PG, 4 * PG, VM_PROT_READ | VM_PROT_WRITE) == KERN_SUCCESS;
		pmap_activate(vm_map_pmap(m));
		ok = ok && *at(a + 9 * PG) == (uint64_t)i;
		pmap_activate(pmap_kernel());
		vm_map_deallocate(f);
		vm_map_deallocate(m);
	}
	ktap_ok(ok, "100 maps: allocate, touch, protect, fork, wire, free");
	ktap_ok(vm_counters.vc_pages == pages, "no anonymous page left (%lu)",
	        vm_counters.vc_pages);
	uint64_t after = free_pages();
	ktap_ok(after == before, "free pages back exactly (%lu, %lu)", before, after);
}

KTEST(vm_generations, "1,000 generations of fork-and-exit keep memory bounded")
{
	struct vm_map *m;
	uint64_t a = BASE, before, pages0, most = 0, v;
	bool ok;

	ktap_plan(3);
	warm_up();
	before = free_pages();
	pages0 = vm_counters.vc_pages;
	ok =
	    vm_map_create(&m) == KERN_SUCCESS && vm_allocate(m, &a, 16 * PG, false) == KERN_SUCCESS;
	for (uint64_t i = 0; ok && i < 16; i++)
		ok = vm_map_copy_to_user(m, a + i * PG, &i, 8) == KERN_SUCCESS;
	for (uint64_t gen = 1; ok && gen <= 1000; gen++) {
		struct vm_map *child;
		ok = vm_map_fork(m, &child) == KERN_SUCCESS &&
		     vm_map_copy_to_user(child, a + (gen % 16) * PG, &gen, 8) == KERN_SUCCESS;
		vm_map_deallocate(m);
		m = child;
		if (vm_counters.vc_pages - pages0 > most)
			most = vm_counters.vc_pages - pages0;
	}
	ok = ok && vm_map_copy_from_user(m, &v, a + 8 * PG, 8) == KERN_SUCCESS &&
	     v == 1000; /* 1000 % 16 == 8 */
	ktap_ok(ok, "1,000 generations, each writing a page its parent wrote");
	ktap_ok(most <= 17, "at most 17 anonymous pages at any time for 16 (%lu)", most);
	vm_map_deallocate(m);
	uint64_t after = free_pages();
	ktap_ok(after == before, "free pages back exactly (%lu, %lu)", before, after);
}
