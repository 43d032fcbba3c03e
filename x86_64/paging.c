// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel page tables (Intel SDM vol. 3, chapter 4.5, 4-level paging):
 * - the direct map: RAM and ACPI ranges at DIRECT_MAP_BASE, 2 MiB pages,
 *   read-write, never executable;
 * - the kernel image at KERNEL_BASE with 4 KiB pages: text read-only and
 *   executable, rodata read-only, data and bss writable, both no-execute;
 * - device registers in the MMIO window, uncached, allocated by mmio_map().
 * Nothing is mapped at low addresses, so a NULL dereference faults.
 * Every top-level entry of the kernel half exists before the first pmap
 * (paging_kernel_half_fill), so a task's tables (x86_64/pmap.c) share the
 * kernel half by copying those 256 entries once, and a kernel mapping
 * made later is seen by all.
 */
#include "x86_64/machine.h"

#include "kern/boot_info.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/cpu.h"

#include "x86_64/pte.h"

#define MSR_PAT 0x277
/* PAT entries 0..7: WB, WC, UC-, UC, then the same again (see x86_64/pte.h). */
#define PAT_VALUE 0x0007040600070106ULL

extern char kernel_text_start[], kernel_text_end[], kernel_rodata_start[], kernel_rodata_end[],
    kernel_data_start[], kernel_data_end[];

static uint64_t *kernel_pml4;
static uint64_t early_next, early_end; /* bump allocator for tables before page_alloc */
static int early_closed;
static uint64_t mmio_next = MMIO_BASE;
/*
 * The tables, the early pool and the MMIO window. Ranked before
 * page_alloc: a walk takes new tables from the allocator under it.
 */
static struct spinlock paging_lock = SPINLOCK_INIT("paging", LOCK_RANK_PAGING);

void
paging_set_early_pool(uint64_t start, uint64_t end)
{
	uint64_t f = spin_lock_irqsave(&paging_lock);

	early_next = start;
	early_end = end;
	spin_unlock_irqrestore(&paging_lock, f);
}

uint64_t
paging_early_pool_close(uint64_t *end)
{
	uint64_t f = spin_lock_irqsave(&paging_lock), next;

	early_closed = 1;
	*end = early_end;
	next = early_next;
	spin_unlock_irqrestore(&paging_lock, f);
	return next;
}

/* A zeroed table page, or 0 after boot when memory is short. */
static uint64_t
table_try_alloc(void)
{
	uint64_t pa;

	assert_held(&paging_lock);
	if (early_closed)
		return page_alloc(0, PAGE_ZERO);
	if (early_next + PAGE_SIZE > early_end)
		panic("paging: early table pool exhausted");
	pa = early_next;
	early_next += PAGE_SIZE;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

static uint64_t
table_alloc(void)
{
	uint64_t pa = table_try_alloc();

	if (!pa)
		panic("paging: out of memory for page tables");
	return pa;
}

/* The entry for va at the given level (3 = PML4 ... 0 = PT), creating tables on the way. */
static uint64_t *
pte_walk(uint64_t va, int level)
{
	uint64_t *table = kernel_pml4;

	assert_held(&paging_lock);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P))
			*e = table_alloc() | PTE_P | PTE_W;
		if (*e & PTE_PS)
			panic("paging: %#lx is inside a large page", va);
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

uint64_t
virt_to_phys(const void *p)
{
	uint64_t va = (uint64_t)p;

	if (va >= KERNEL_BASE)
		return va - KERNEL_BASE;
	if (va >= DIRECT_MAP_BASE && va < MMIO_BASE)
		return va - DIRECT_MAP_BASE;
	panic("virt_to_phys: %#lx is neither direct-mapped nor in the kernel image", va);
}

uint64_t *
paging_kernel_pml4(void)
{
	return kernel_pml4;
}

/* The PTE for kernel va, creating tables on the way; NULL if a table cannot be had. */
static uint64_t *
kpte_try_walk(uint64_t va)
{
	uint64_t *table = kernel_pml4;

	assert_held(&paging_lock);
	for (int l = 3; l > 0; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			uint64_t pa = table_try_alloc();
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W;
		}
		if (*e & PTE_PS)
			panic("paging: %#lx is inside a large page", va);
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

static bool
kmap_allowed(uint64_t va)
{
	if (va < USER_SPACE_END || (va & (PAGE_SIZE - 1)))
		return false;
	if (va >= DIRECT_MAP_BASE && va < MMIO_BASE + MMIO_SIZE)
		return false; /* the direct map and the MMIO window */
	return va < KERNEL_BASE;
}

kern_return_t
paging_kmap(uint64_t va, uint64_t pa, uint64_t flags)
{
	if (!kmap_allowed(va))
		panic("paging_kmap: %#lx is not a kernel address it may map", va);
	uint64_t f = spin_lock_irqsave(&paging_lock);
	uint64_t *pte = kpte_try_walk(va);
	if (pte) {
		*pte = (pa & PTE_ADDR) | flags | PTE_P;
		invlpg(va);
	}
	spin_unlock_irqrestore(&paging_lock, f);
	return pte ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

void
paging_kunmap(uint64_t va)
{
	if (!kmap_allowed(va))
		panic("paging_kunmap: %#lx is not a kernel address it may map", va);
	uint64_t f = spin_lock_irqsave(&paging_lock);
	uint64_t *t = kernel_pml4;
	for (int l = 3; l > 0 && t; l--) {
		uint64_t e = t[(va >> (12 + 9 * l)) & 511];
		t = (e & PTE_P) ? phys_to_virt(e & PTE_ADDR) : NULL;
	}
	if (t) {
		t[(va >> 12) & 511] = 0;
		invlpg(va);
	}
	spin_unlock_irqrestore(&paging_lock, f);
}

kern_return_t
paging_kernel_half_fill(void)
{
	static bool filled;
	kern_return_t kr = KERN_SUCCESS;
	uint64_t f = spin_lock_irqsave(&paging_lock);

	for (unsigned i = PML4_KERNEL_FIRST; i < 512 && !filled; i++) {
		if (kernel_pml4[i] & PTE_P)
			continue;
		uint64_t pa = table_try_alloc();
		if (!pa) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		kernel_pml4[i] = pa | PTE_P | PTE_W;
	}
	if (kr == KERN_SUCCESS)
		filled = true;
	spin_unlock_irqrestore(&paging_lock, f);
	return kr;
}

/* Makes PAT index 1 write-combining, when the CPU has a PAT (CPUID.1:EDX.16). */
static void
pat_init(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 16))) {
		log_warn("paging: no PAT: write-combining mappings will be uncached");
		return;
	}
	/* No mapping uses PAT index 1 yet, so nothing cached needs flushing first. */
	wrmsr(MSR_PAT, PAT_VALUE);
}

static void
map_direct(uint64_t start, uint64_t end)
{
	start &= ~(LARGE_PAGE - 1);
	for (uint64_t pa = start; pa < end; pa += LARGE_PAGE)
		*pte_walk(DIRECT_MAP_BASE + pa, 1) = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
}

static void
map_image(char *start, char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
		*pte_walk(va, 0) = (va - KERNEL_BASE) | PTE_P | PTE_G | flags;
}

void
paging_init(uint64_t max_phys)
{
	uint64_t f = spin_lock_irqsave(&paging_lock);

	kernel_pml4 = phys_to_virt(table_alloc());
	/* The first 2 MiB hold the BIOS areas that ACPI's RSDP search reads. */
	map_direct(0, LARGE_PAGE);
	for (unsigned i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];
		if (r->type == BOOT_MEM_RAM || r->type == BOOT_MEM_ACPI || r->type == BOOT_MEM_NVS)
			map_direct(r->start, r->end);
	}
	map_image(kernel_text_start, kernel_text_end, 0);
	map_image(kernel_rodata_start, kernel_rodata_end, PTE_NX);
	map_image(kernel_data_start, kernel_data_end, PTE_W | PTE_NX);
	pat_init();
	write_cr3(virt_to_phys(kernel_pml4));
	spin_unlock_irqrestore(&paging_lock, f);
	log_info("paging: direct map of %lu MiB, kernel text %lu KiB (r-x), data %lu KiB (rw-)",
	         max_phys >> 20, (kernel_text_end - kernel_text_start) >> 10,
	         (kernel_data_end - kernel_data_start) >> 10);
}

kern_return_t
mmio_map(uint64_t phys, size_t size, void **va_out)
{
	uint64_t off = phys & (PAGE_SIZE - 1);
	uint64_t pages, f;

	if (size == 0 || phys + size < phys)
		return KERN_INVALID_ARGUMENT;
	if (size > MMIO_SIZE)
		return KERN_NO_SPACE; /* checked first: the page count below cannot overflow */
	pages = (off + size + PAGE_SIZE - 1) / PAGE_SIZE;
	f = spin_lock_irqsave(&paging_lock);
	if (mmio_next + pages * PAGE_SIZE > MMIO_BASE + MMIO_SIZE) {
		spin_unlock_irqrestore(&paging_lock, f);
		return KERN_NO_SPACE;
	}
	uint64_t va = mmio_next;
	mmio_next += (pages + 1) * PAGE_SIZE; /* one guard page between mappings */
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pa = (phys & ~(uint64_t)(PAGE_SIZE - 1)) + i * PAGE_SIZE;
		*pte_walk(va + i * PAGE_SIZE, 0) = pa | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_NX;
		invlpg(va + i * PAGE_SIZE);
	}
	spin_unlock_irqrestore(&paging_lock, f);
	*va_out = (void *)(va + off);
	return KERN_SUCCESS;
}
