// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel page tables (Intel SDM vol. 3, chapter 4.5, 4-level paging):
 * - the direct map: RAM and ACPI ranges at DIRECT_MAP_BASE, 2 MiB pages,
 *   read-write, never executable;
 * - the kernel image at KERNEL_BASE with 4 KiB pages: text read-only and
 *   executable, rodata read-only, data and bss writable, both no-execute;
 * - device registers in the MMIO window, uncached, allocated by mmio_map().
 * Nothing is mapped at low addresses, so a NULL dereference faults.
 */
#include "x86_64/machine.h"

#include "kern/boot_info.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/cpu.h"

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
#define LARGE_PAGE (2ULL << 20)

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

static uint64_t
table_alloc(void)
{
	uint64_t pa;

	assert_held(&paging_lock);
	if (early_closed) {
		pa = page_alloc(0, PAGE_ZERO);
		if (!pa)
			panic("paging: out of memory for page tables");
		return pa;
	}
	if (early_next + PAGE_SIZE > early_end)
		panic("paging: early table pool exhausted");
	pa = early_next;
	early_next += PAGE_SIZE;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
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
