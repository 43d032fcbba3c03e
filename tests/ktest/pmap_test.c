// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pmap (x86_64/pmap.c) against the real MMU: pmaps are created,
 * mapped, protected, extracted, removed and activated; pages are read and
 * written through user addresses from the kernel (SMAP is off); the PTE
 * bits are read back by walking CR3's tables; and every page taken for
 * tables comes back at pmap_destroy.
 */
#include <mach/vm_prot.h>

#include "debug/ktest.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"
#include "x86_64/pte.h"

#define VA_LOW 0x400000ULL
#define VA_HIGH (USER_SPACE_END - PAGE_SIZE) /* the last user page: other tables */
#define VA_ZERO 0ULL
#define RW (VM_PROT_READ | VM_PROT_WRITE)

/* The leaf PTE of va in the active tables, or 0. */
static uint64_t
active_pte(uint64_t va)
{
	uint64_t *t = phys_to_virt(read_cr(3) & PTE_ADDR);

	for (int l = 3; l > 0; l--) {
		uint64_t e = t[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P))
			return 0;
		t = phys_to_virt(e & PTE_ADDR);
	}
	return t[(va >> 12) & 511];
}

static uint64_t
free_pages(void)
{
	struct page_stats st;

	kmalloc_reclaim();
	page_alloc_stats(&st);
	return st.free_pages;
}

static uint64_t
page_with(uint64_t word)
{
	uint64_t pa = page_alloc(0, PAGE_ZERO);
	if (pa)
		*(uint64_t *)phys_to_virt(pa) = word;
	return pa;
}

static volatile uint64_t *
user_word(uint64_t va)
{
	return (volatile uint64_t *)va;
}

KTEST(pmap, "pmaps: enter, extract, protect, remove, activate, destroy")
{
	struct pmap *a, *b;
	uint64_t pa, res, wired, tables;

	ktap_plan(29);
	ktap_ok((rdmsr(0x277) >> 8 & 7) == 1, "PAT index 1 is write-combining");

	/*
	 * The first pmap fills the kernel's top level; a kernel mapping made
	 * after it (new PD and PT in the stack area) is seen through it.
	 */
	struct pmap *w;
	uint64_t kva = KSTACK_AREA_BASE + 64 * PAGE_SIZE, kpa = page_with(0x5eed);
	uint64_t *kpml4 = paging_kernel_pml4(), *wpml4;
	bool all = true;
	ktap_ok(pmap_create(&w) == KERN_SUCCESS, "a first pmap");
	for (unsigned i = PML4_KERNEL_FIRST; i < 512; i++)
		all &= (kpml4[i] & PTE_P) != 0;
	ktap_ok(all, "every kernel-half top-level entry exists once a pmap does");
	ktap_ok(pmap_kenter(kva, kpa, RW) == KERN_SUCCESS, "pmap_kenter in the stack area");
	pmap_activate(w);
	wpml4 = phys_to_virt(read_cr(3) & PTE_ADDR);
	ktap_ok(*(volatile uint64_t *)kva == 0x5eed && wpml4 != kpml4,
	        "a kernel page entered after the pmap was created is seen through it");
	pmap_activate(pmap_kernel());
	pmap_destroy(w);

	uint64_t before = free_pages();
	uint64_t p1 = page_with(0x1111), p2 = page_with(0x2222), p3 = page_with(0x3333);
	ktap_ok(pmap_create(&a) == KERN_SUCCESS && pmap_create(&b) == KERN_SUCCESS,
	        "two pmaps created");
	ktap_ok(!pmap_extract(a, VA_LOW, &pa), "nothing mapped in a new pmap");
	ktap_ok(pmap_enter(a, VA_LOW, p1, RW, 0) == KERN_SUCCESS &&
	            pmap_enter(a, VA_HIGH, p2, VM_PROT_READ | VM_PROT_EXECUTE, PMAP_WIRED) ==
	                KERN_SUCCESS &&
	            pmap_enter(a, VA_ZERO, p3, VM_PROT_READ, PMAP_CACHE_UC) == KERN_SUCCESS,
	        "three pages entered in a");
	ktap_ok(pmap_extract(a, VA_LOW + 0x123, &pa) && pa == p1 + 0x123,
	        "extract gives the page and the offset");
	ktap_ok(pmap_extract(a, VA_HIGH, &pa) && pa == p2, "extract of the last user page");
	pmap_counts(a, &res, &wired, &tables);
	ktap_ok(res == 3 && wired == 1 && tables == 7,
	        "a: 3 resident, 1 wired, 7 tables (got %lu %lu %lu)", res, wired, tables);
	ktap_ok(pmap_enter(b, VA_LOW, p2, VM_PROT_READ, 0) == KERN_SUCCESS, "a page entered in b");

	pmap_activate(a);
	ktap_ok(*user_word(VA_LOW) == 0x1111 && *user_word(VA_HIGH) == 0x2222,
	        "a active: its pages read through user addresses");
	*user_word(VA_LOW) = 0xabcd;
	ktap_ok(*(uint64_t *)phys_to_virt(p1) == 0xabcd, "a write through the user address lands");
	uint64_t e_low = active_pte(VA_LOW), e_high = active_pte(VA_HIGH), e_zero = active_pte(0);
	ktap_ok((e_low & (PTE_U | PTE_W | PTE_NX)) == (PTE_U | PTE_W | PTE_NX),
	        "read-write page: user, writable, no-execute (%#lx)", e_low);
	ktap_ok((e_high & (PTE_U | PTE_W | PTE_NX)) == PTE_U,
	        "read-execute page: user, read-only, executable (%#lx)", e_high);
	ktap_ok((e_zero & (PTE_PCD | PTE_PWT | PTE_W)) == (PTE_PCD | PTE_PWT),
	        "uncached page: PCD|PWT");

	/* Replacing a live mapping must flush the old translation. */
	ktap_ok(pmap_enter(a, VA_LOW, p3, RW, PMAP_CACHE_WC) == KERN_SUCCESS &&
	            *user_word(VA_LOW) == 0x3333,
	        "re-entering a live page: the new page is seen at once");
	ktap_ok((active_pte(VA_LOW) & (PTE_PCD | PTE_PWT)) == PTE_PWT, "write-combining page: PWT");
	pmap_protect(a, VA_LOW, VA_LOW + PAGE_SIZE, VM_PROT_READ);
	ktap_ok(!(active_pte(VA_LOW) & PTE_W) && *user_word(VA_LOW) == 0x3333,
	        "protect to read-only clears W, the page still reads");

	pmap_activate(b);
	ktap_ok(*user_word(VA_LOW) == 0x2222, "b active: the same address reads b's page");
	pmap_remove(b, VA_LOW, VA_LOW + PAGE_SIZE);
	ktap_ok(active_pte(VA_LOW) == 0 && !pmap_extract(b, VA_LOW, &pa),
	        "pmap_remove unmaps the page in b");
	ktap_ok(pmap_enter(b, VA_LOW, p1, RW, 0) == KERN_SUCCESS && *user_word(VA_LOW) == 0xabcd,
	        "remapped after a remove: the new page reads, no stale TLB entry");

	pmap_activate(pmap_kernel());
	ktap_ok(pmap_extract(pmap_kernel(), kva, &pa) && pa == kpa &&
	            pmap_extract(pmap_kernel(), (uint64_t)phys_to_virt(p1), &pa) && pa == p1,
	        "extract in the kernel pmap: a kenter page and a direct-map large page");
	pmap_protect(a, 0, USER_SPACE_END, VM_PROT_NONE);
	pmap_counts(a, &res, &wired, &tables);
	ktap_ok(res == 0 && wired == 0 && !pmap_extract(a, VA_HIGH, &pa),
	        "protect to none over the user half removes every page");
	ktap_ok(pmap_enter(a, VA_HIGH, p2, VM_PROT_READ, 0) == KERN_SUCCESS,
	        "a page entered again");
	pmap_remove(a, 0, USER_SPACE_END);
	pmap_counts(a, &res, &wired, &tables);
	ktap_ok(res == 0 && tables == 7,
	        "remove of the whole user half: nothing mapped, tables kept");

	pmap_destroy(a);
	pmap_destroy(b);
	page_free(p1, 0);
	page_free(p2, 0);
	page_free(p3, 0);
	uint64_t after = free_pages();
	ktap_ok(after == before, "free pages back exactly after destroy (%lu, %lu)", before, after);

	pmap_kremove(kva, PAGE_SIZE);
	ktap_ok(!pmap_extract(pmap_kernel(), kva, &pa), "pmap_kremove unmaps the kernel page");
	page_free(kpa, 0);
}

KTEST(pmap_many, "1,000 pmaps with scattered pages give every table page back")
{
	struct pmap *w;
	bool ok = pmap_create(&w) == KERN_SUCCESS;

	ktap_plan(2);
	/* The first pmap fills the kernel half's top level for good: not counted. */
	if (ok)
		pmap_destroy(w);
	uint64_t before = free_pages(), pa = page_with(0x77);
	for (int i = 0; i < 1000 && ok; i++) {
		struct pmap *p;
		if (pmap_create(&p) != KERN_SUCCESS) {
			ok = false;
			break;
		}
		/* Pages in different PML4, PDPT and PD slots: many tables. */
		for (uint64_t j = 0; j < 8 && ok; j++) {
			uint64_t va =
			    (j << 39) | (j << 30) | (j << 21) | ((uint64_t)i << 12 & 0x1ff000);
			ok = pmap_enter(p, va, pa, RW, 0) == KERN_SUCCESS;
		}
		pmap_activate(p);
		ok = ok && *user_word((3ULL << 39) | (3ULL << 30) | (3ULL << 21) |
		                      ((uint64_t)i << 12 & 0x1ff000)) == 0x77;
		pmap_activate(pmap_kernel());
		pmap_destroy(p);
	}
	ktap_ok(ok, "1,000 pmaps created, mapped, activated, read and destroyed");
	page_free(pa, 0);
	uint64_t after = free_pages();
	ktap_ok(after == before, "free pages back exactly (%lu, %lu)", before, after);
}

/*
 * Range walks visit only the groups of 16 PTEs marked as maybe present
 * (pmap.c): random enters, removes and protects over two page tables,
 * checked page by page against a model, so a group left unmarked with a
 * page in it (a mapping pmap_remove would miss) fails.
 */
#define GROUPS_VA 0x40000000ULL
#define GROUPS_PAGES 1024

KTEST(pmap_groups, "range walks skip only empty groups of PTEs")
{
	static unsigned char model[GROUPS_PAGES]; /* 0 absent, 1 read-only, 2 writable */
	struct pmap *p;
	uint64_t s = 0x9e3779b97f4a7c15ULL, pa = page_with(0x55), resident, wired, tables;
	bool ok = pmap_create(&p) == KERN_SUCCESS;

	ktap_plan(2);
	memset(model, 0, sizeof(model));
	for (int step = 0; step < 3000 && ok; step++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		unsigned first = s % GROUPS_PAGES, n = 1 + (s >> 20) % 40, op = (s >> 40) % 4;
		if (first + n > GROUPS_PAGES)
			n = GROUPS_PAGES - first;
		uint64_t va = GROUPS_VA + (uint64_t)first * PAGE_SIZE, end = va + n * PAGE_SIZE;
		if (op == 0) {
			ok = pmap_enter(p, va, pa, RW, 0) == KERN_SUCCESS;
			model[first] = 2;
		} else if (op == 1) {
			pmap_remove(p, va, end);
			memset(&model[first], 0, n);
		} else if (op == 2) {
			pmap_protect(p, va, end, VM_PROT_READ);
			for (unsigned i = first; i < first + n; i++)
				model[i] = model[i] ? 1 : 0;
		} else {
			/* A whole group's worth at once, aligned or not. */
			for (unsigned i = first; i < first + n && ok; i++) {
				ok = pmap_enter(p, GROUPS_VA + (uint64_t)i * PAGE_SIZE, pa, RW,
				                0) == KERN_SUCCESS;
				model[i] = 2;
			}
		}
		if (step % 100)
			continue;
		/* Every page as the model says, through a full walk of the tables. */
		pmap_activate(p);
		uint64_t count = 0;
		for (unsigned i = 0; i < GROUPS_PAGES && ok; i++) {
			uint64_t pte = active_pte(GROUPS_VA + (uint64_t)i * PAGE_SIZE);
			ok = !!(pte & PTE_P) == !!model[i] &&
			     (!model[i] || !!(pte & PTE_W) == (model[i] == 2));
			count += !!model[i];
		}
		pmap_activate(pmap_kernel());
		pmap_counts(p, &resident, &wired, &tables);
		ok = ok && resident == count;
	}
	ktap_ok(ok, "3,000 random enters, removes and protects: every PTE as the model says");
	/* All gone: a remove of the whole range leaves nothing present. */
	pmap_remove(p, GROUPS_VA, GROUPS_VA + GROUPS_PAGES * PAGE_SIZE);
	pmap_counts(p, &resident, &wired, &tables);
	ktap_ok(resident == 0, "the whole range removed: no page resident (%lu)", resident);
	pmap_destroy(p);
	page_free(pa, 0);
}
