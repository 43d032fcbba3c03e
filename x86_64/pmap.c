// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pmap: each task's 4-level page tables (Intel SDM vol. 3, 4.5).
 *
 * A pmap's top-level table holds its own user half (slots 0..255) and a
 * copy of the kernel's slots 256..511, all allocated once for all before
 * the first pmap (paging_kernel_half_fill), so the kernel half never needs
 * updating here. Table pages of
 * the user half come from the page allocator and are freed only by
 * pmap_destroy: a table emptied by pmap_remove stays until then (a task
 * that unmaps usually maps again nearby).
 *
 * The pmap is only a cache of the VM's maps (vm/): the VM layer calls the
 * user-half operations with its own locks held; pmap_destroy is the only
 * call that frees tables. The lock (LOCK_RANK_PMAP) is held around table
 * changes; TLB flushes run after it is dropped (a future SMP shootdown
 * waits for other CPUs, and nothing waits under a spinlock), and before
 * the call returns, so the caller may free a page once pmap_remove or
 * pmap_protect has returned.
 */
#include "x86_64/machine.h"

#include <mach/vm_prot.h>

#include "kern/cpu.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/cpu.h"
#include "x86_64/pte.h"

/* A software bit of the PTE (bits 9-11 are ignored by the CPU): wired. */
#define PTE_SW_WIRED (1ULL << 9)
/* Past this many pages, one CR3 reload is cheaper than invlpg per page. */
#define FLUSH_PAGES_MAX 32

struct pmap {
	uint64_t *pm_pml4; /* top-level table (direct-map address) */
	uint64_t pm_pml4_pa;
	struct spinlock pm_lock; /* the user-half tables and the counters below */
	uint64_t pm_cpus;        /* CPUs on which it is active (atomic bit mask) */
	uint64_t pm_tables;      /* user-half table pages below the top level */
	uint64_t pm_resident;    /* mapped user pages */
	uint64_t pm_wired;       /* of those, entered with PMAP_WIRED */
};

static struct pmap kernel_pmap;
/* The pmap active on each CPU (NULL: the kernel's, as at boot). */
static struct pmap *cpu_pmap[MAX_CPUS];

struct pmap *
pmap_kernel(void)
{
	if (!kernel_pmap.pm_pml4) {
		kernel_pmap.pm_pml4 = paging_kernel_pml4();
		kernel_pmap.pm_pml4_pa = virt_to_phys(kernel_pmap.pm_pml4);
		spin_init(&kernel_pmap.pm_lock, "pmap", LOCK_RANK_PMAP);
	}
	return &kernel_pmap;
}

/*
 * The TLB-shootdown hook: every change that removes or lowers a mapping
 * ends here, with the range. Flushes this CPU if the pmap is active on it
 * (or it is the kernel's); other CPUs where it is active would be sent an
 * IPI and waited for: with one CPU running there are none yet.
 */
static void
pmap_tlb_shootdown(struct pmap *pmap, uint64_t start, uint64_t end)
{
	uint64_t self = 1ULL << cpu_self()->cpu_index;
	uint64_t cpus = __atomic_load_n(&pmap->pm_cpus, __ATOMIC_ACQUIRE);

	if (pmap == &kernel_pmap || (cpus & self)) {
		if ((end - start) / PAGE_SIZE > FLUSH_PAGES_MAX) {
			write_cr3(read_cr(3)); /* user pages are never global */
		} else {
			for (uint64_t va = start; va < end; va += PAGE_SIZE)
				invlpg(va);
		}
	}
	if (cpus & ~self)
		panic("pmap: shootdown on other CPUs (%#lx) is not written yet", cpus & ~self);
}

kern_return_t
pmap_create(struct pmap **out)
{
	struct pmap *pmap = kzalloc(sizeof(*pmap));
	uint64_t pa;

	if (!pmap)
		return KERN_RESOURCE_SHORTAGE;
	/* Before the first copy of the kernel half, all of it must exist. */
	if (paging_kernel_half_fill() != KERN_SUCCESS) {
		kfree(pmap);
		return KERN_RESOURCE_SHORTAGE;
	}
	pa = page_alloc(0, PAGE_ZERO);
	if (!pa) {
		kfree(pmap);
		return KERN_RESOURCE_SHORTAGE;
	}
	pmap->pm_pml4 = phys_to_virt(pa);
	pmap->pm_pml4_pa = pa;
	spin_init(&pmap->pm_lock, "pmap", LOCK_RANK_PMAP);
	/* The kernel half: the same tables as every other pmap. */
	memcpy(&pmap->pm_pml4[PML4_KERNEL_FIRST], &paging_kernel_pml4()[PML4_KERNEL_FIRST],
	       (512 - PML4_KERNEL_FIRST) * sizeof(uint64_t));
	*out = pmap;
	return KERN_SUCCESS;
}

/* Frees a user-half table of the given level (2 = PDPT, 1 = PD, 0 = PT) and those below it. */
static uint64_t
table_free(uint64_t pa, int level)
{
	uint64_t *t = phys_to_virt(pa), n = 1;

	if (level > 0)
		for (unsigned i = 0; i < 512; i++)
			if (t[i] & PTE_P)
				n += table_free(t[i] & PTE_ADDR, level - 1);
	page_free(pa, 0);
	return n;
}

void
pmap_destroy(struct pmap *pmap)
{
	uint64_t freed = 0;

	if (pmap == &kernel_pmap)
		panic("pmap_destroy: the kernel's pmap");
	if (__atomic_load_n(&pmap->pm_cpus, __ATOMIC_ACQUIRE))
		panic("pmap_destroy: pmap %p is active", pmap);
	for (unsigned i = 0; i < PML4_KERNEL_FIRST; i++)
		if (pmap->pm_pml4[i] & PTE_P)
			freed += table_free(pmap->pm_pml4[i] & PTE_ADDR, 2);
	if (freed != pmap->pm_tables)
		panic("pmap_destroy: freed %lu tables, counted %lu", freed, pmap->pm_tables);
	page_free(pmap->pm_pml4_pa, 0);
	kfree(pmap);
}

/*
 * Which PTEs of a page table may be present: one bit per group of 16 in
 * its page's page_meta owner word (32 groups of 512), set when a PTE of
 * the group is entered and cleared when a walk finds the group empty. A
 * range walk visits only the groups marked, so unmapping a region whose
 * pages were never mapped, or were unmapped already (a moved region's
 * second trip), costs a word per table instead of a read of each PTE.
 */
#define PT_GROUP_SHIFT 4
#define PT_GROUP_PTES (1u << PT_GROUP_SHIFT)

static uint32_t *
pt_groups(uint64_t table_pa)
{
	return &page_meta_pfn(table_pa >> PAGE_SHIFT)->pm_data;
}

static bool
pt_group_empty(const uint64_t *group)
{
	uint64_t any = 0;

	for (unsigned i = 0; i < PT_GROUP_PTES; i++)
		any |= group[i] & PTE_P;
	return !any;
}

/*
 * The PTE for user va, or NULL when a table on the way is missing; with
 * create, missing tables are allocated (NULL then means no memory).
 */
static uint64_t *
pte_find(struct pmap *pmap, uint64_t va, bool create, uint64_t *table_pa)
{
	uint64_t *table = pmap->pm_pml4;

	assert_held(&pmap->pm_lock);
	for (int l = 3; l > 0; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!create || !(pa = page_alloc(0, PAGE_ZERO)))
				return NULL;
			/* Upper levels allow everything: the leaf decides. */
			*e = pa | PTE_P | PTE_W | PTE_U;
			pmap->pm_tables++;
		}
		*table_pa = *e & PTE_ADDR;
		table = phys_to_virt(*table_pa);
	}
	return &table[(va >> 12) & 511];
}

static bool
user_page(uint64_t va)
{
	return va < USER_SPACE_END && !(va & (PAGE_SIZE - 1));
}

static uint64_t
pte_flags(unsigned prot, unsigned flags)
{
	uint64_t f = PTE_P | PTE_U;

	if (prot & VM_PROT_WRITE)
		f |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		f |= PTE_NX;
	if (flags & PMAP_CACHE_UC)
		f |= PTE_CACHE_UC;
	else if (flags & PMAP_CACHE_WC)
		f |= PTE_CACHE_WC;
	if (flags & PMAP_WIRED)
		f |= PTE_SW_WIRED;
	return f;
}

kern_return_t
pmap_enter(struct pmap *pmap, uint64_t va, uint64_t pa, unsigned prot, unsigned flags)
{
	uint64_t *pte, old = 0, table_pa;

	if (pmap == &kernel_pmap || !user_page(va) || (pa & ~PTE_ADDR))
		panic("pmap_enter: %#lx -> %#lx is not a user page mapping", va, pa);
	uint64_t f = spin_lock_irqsave(&pmap->pm_lock);
	pte = pte_find(pmap, va, true, &table_pa);
	if (pte) {
		*pt_groups(table_pa) |= 1u << (((va >> 12) & 511) >> PT_GROUP_SHIFT);
		old = *pte;
		*pte = pa | pte_flags(prot, flags);
		if (!(old & PTE_P))
			pmap->pm_resident++;
		pmap->pm_wired += !!(flags & PMAP_WIRED) - !!(old & PTE_SW_WIRED);
	}
	spin_unlock_irqrestore(&pmap->pm_lock, f);
	if (!pte)
		return KERN_RESOURCE_SHORTAGE;
	if (old & PTE_P)
		pmap_tlb_shootdown(pmap, va, va + PAGE_SIZE);
	return KERN_SUCCESS;
}

/*
 * Calls fn on every present PTE of the user range [start, end), skipping
 * whole tables that are absent and groups of PTEs that are unmarked;
 * returns how many it found (none: no TLB entry to flush). Under the pmap
 * lock.
 */
static uint64_t
pte_range(struct pmap *pmap, uint64_t start, uint64_t end,
          void (*fn)(struct pmap *, uint64_t *, uint64_t arg), uint64_t arg)
{
	uint64_t va = start, found = 0;

	assert_held(&pmap->pm_lock);
	while (va < end) {
		uint64_t *table = pmap->pm_pml4, table_pa = 0;
		int l;
		for (l = 3; l > 0; l--) {
			uint64_t e = table[(va >> (12 + 9 * l)) & 511];
			if (!(e & PTE_P))
				break;
			table_pa = e & PTE_ADDR;
			table = phys_to_virt(table_pa);
		}
		/* The part of [va, end) in the page table, or in the hole at level l. */
		uint64_t span = 1ULL << (12 + 9 * (l ? l : 1));
		uint64_t next = (va & ~(span - 1)) + span;
		if (next <= va || next > end)
			next = end;
		if (l == 0) {
			unsigned first = (va >> 12) & 511, last = first + ((next - va) >> 12);
			unsigned g0 = first >> PT_GROUP_SHIFT, g1 = (last - 1) >> PT_GROUP_SHIFT;
			uint32_t *groups = pt_groups(table_pa);
			uint32_t mask = (uint32_t)((2ULL << g1) - (1ULL << g0));
			uint32_t todo = *groups & mask;
			while (todo) {
				unsigned g = __builtin_ctz(todo), lo = g << PT_GROUP_SHIFT;
				unsigned hi = lo + PT_GROUP_PTES;
				todo &= todo - 1;
				for (unsigned i = lo < first ? first : lo; i < hi && i < last; i++)
					if (table[i] & PTE_P) {
						fn(pmap, &table[i], arg);
						found++;
					}
				if (pt_group_empty(&table[lo]))
					*groups &= ~(1u << g);
			}
		}
		va = next;
	}
	return found;
}

static bool
user_range(uint64_t start, uint64_t end)
{
	return start <= end && end <= USER_SPACE_END && !(start & (PAGE_SIZE - 1)) &&
	       !(end & (PAGE_SIZE - 1));
}

static void
pte_clear(struct pmap *pmap, uint64_t *pte, uint64_t arg)
{
	pmap->pm_resident--;
	if (*pte & PTE_SW_WIRED)
		pmap->pm_wired--;
	*pte = 0;
}

void
pmap_remove(struct pmap *pmap, uint64_t start, uint64_t end)
{
	if (pmap == &kernel_pmap || !user_range(start, end))
		panic("pmap_remove: [%#lx, %#lx) is not a user range", start, end);
	uint64_t f = spin_lock_irqsave(&pmap->pm_lock);
	uint64_t found = pte_range(pmap, start, end, pte_clear, 0);
	spin_unlock_irqrestore(&pmap->pm_lock, f);
	/* The TLB holds no translation of a PTE that was not present. */
	if (found)
		pmap_tlb_shootdown(pmap, start, end);
}

static void
pte_lower(struct pmap *pmap, uint64_t *pte, uint64_t prot)
{
	if (!(prot & VM_PROT_WRITE))
		*pte &= ~PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		*pte |= PTE_NX;
}

void
pmap_protect(struct pmap *pmap, uint64_t start, uint64_t end, unsigned prot)
{
	if (pmap == &kernel_pmap || !user_range(start, end))
		panic("pmap_protect: [%#lx, %#lx) is not a user range", start, end);
	/* x86 cannot map a page without read access: no access is no mapping. */
	if (!(prot & (VM_PROT_READ | VM_PROT_EXECUTE))) {
		pmap_remove(pmap, start, end);
		return;
	}
	uint64_t f = spin_lock_irqsave(&pmap->pm_lock);
	uint64_t found = pte_range(pmap, start, end, pte_lower, prot);
	spin_unlock_irqrestore(&pmap->pm_lock, f);
	if (found)
		pmap_tlb_shootdown(pmap, start, end);
}

bool
pmap_extract(struct pmap *pmap, uint64_t va, uint64_t *pa)
{
	uint64_t *table = pmap->pm_pml4, e = 0;
	bool found = false;

	if (va >= USER_SPACE_END && va < DIRECT_MAP_BASE)
		return false; /* not canonical */
	uint64_t f = spin_lock_irqsave(&pmap->pm_lock);
	for (int l = 3; l >= 0; l--) {
		e = table[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P))
			break;
		if (l == 0 || (l < 3 && (e & PTE_PS))) { /* a page, or a 2 MiB or 1 GiB one */
			uint64_t size = 1ULL << (12 + 9 * l);
			*pa = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
			found = true;
			break;
		}
		table = phys_to_virt(e & PTE_ADDR);
	}
	spin_unlock_irqrestore(&pmap->pm_lock, f);
	return found;
}

void
pmap_activate(struct pmap *pmap)
{
	unsigned cpu = cpu_self()->cpu_index;
	struct pmap *old = cpu_pmap[cpu] ? cpu_pmap[cpu] : pmap_kernel();
	uint64_t flags = irq_save();

	if (old != pmap) {
		if (old != &kernel_pmap)
			__atomic_and_fetch(&old->pm_cpus, ~(1ULL << cpu), __ATOMIC_RELEASE);
		if (pmap != &kernel_pmap)
			__atomic_or_fetch(&pmap->pm_cpus, 1ULL << cpu, __ATOMIC_ACQUIRE);
		cpu_pmap[cpu] = pmap;
		write_cr3(pmap->pm_pml4_pa);
	}
	irq_restore(flags);
}

kern_return_t
pmap_kenter(uint64_t va, uint64_t pa, unsigned prot)
{
	uint64_t flags = PTE_G;

	if (prot & VM_PROT_WRITE)
		flags |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		flags |= PTE_NX;
	return paging_kmap(va, pa, flags);
}

void
pmap_kremove(uint64_t va, size_t size)
{
	uint64_t end = va + ((size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1));

	for (uint64_t p = va; p < end; p += PAGE_SIZE)
		paging_kunmap(p);
	pmap_tlb_shootdown(pmap_kernel(), va, end);
}

/* Counters for tests and the monitor. */
void
pmap_counts(struct pmap *pmap, uint64_t *resident, uint64_t *wired, uint64_t *tables)
{
	uint64_t f = spin_lock_irqsave(&pmap->pm_lock);

	*resident = pmap->pm_resident;
	*wired = pmap->pm_wired;
	*tables = pmap->pm_tables;
	spin_unlock_irqrestore(&pmap->pm_lock, f);
}
