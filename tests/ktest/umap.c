// SPDX-License-Identifier: GPL-2.0-or-later
/* TEST ONLY: see umap.h. Intel SDM vol. 3, 4.5 (4-level paging). */
#include "umap.h"

#include "kern/page_alloc.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

static uint64_t *
kernel_pml4(void)
{
	return phys_to_virt(read_cr(3) & PTE_ADDR);
}

static void
tlb_flush(void)
{
	write_cr3(read_cr(3));
}

bool
umap_create(struct umap *um)
{
	static const uint64_t leaf[4] = {PTE_P | PTE_U, PTE_P | PTE_U | PTE_W | PTE_NX, 0,
	                                 PTE_P | PTE_U | PTE_NX};
	uint64_t *pml4 = kernel_pml4(), *pdpt, *pd, *pt;

	*um = (struct umap){0};
	if (pml4[0])
		return false;
	for (int i = 0; i < 3; i++)
		if (!(um->um_tables[i] = page_alloc(0, PAGE_ZERO)))
			return false;
	for (int i = 0; i < 4; i++)
		if (leaf[i] && !(um->um_pages[i] = page_alloc(0, PAGE_ZERO)))
			return false;
	pdpt = phys_to_virt(um->um_tables[0]);
	pd = phys_to_virt(um->um_tables[1]);
	pt = phys_to_virt(um->um_tables[2]);
	pdpt[0] = um->um_tables[1] | PTE_P | PTE_W | PTE_U;
	pd[UMAP_CODE >> 21] = um->um_tables[2] | PTE_P | PTE_W | PTE_U;
	for (int i = 0; i < 4; i++)
		if (leaf[i])
			pt[((UMAP_CODE >> 12) & 511) + i] = um->um_pages[i] | leaf[i];
	pml4[0] = um->um_tables[0] | PTE_P | PTE_W | PTE_U;
	tlb_flush();
	return true;
}

bool
umap_map_top(struct umap *um)
{
	uint64_t *pml4 = kernel_pml4(), *t[3];

	if (pml4[255])
		return false;
	for (int i = 0; i < 4; i++)
		if (!(um->um_top[i] = page_alloc(0, PAGE_ZERO)))
			return false;
	for (int i = 0; i < 3; i++)
		t[i] = phys_to_virt(um->um_top[i]);
	t[0][511] = um->um_top[1] | PTE_P | PTE_W | PTE_U;
	t[1][511] = um->um_top[2] | PTE_P | PTE_W | PTE_U;
	t[2][511] = um->um_top[3] | PTE_P | PTE_U;
	pml4[255] = um->um_top[0] | PTE_P | PTE_W | PTE_U;
	tlb_flush();
	return true;
}

void *
umap_kva(const struct umap *um, uint64_t uva)
{
	if (uva == UMAP_TOP)
		return phys_to_virt(um->um_top[3]);
	return phys_to_virt(um->um_pages[(uva - UMAP_CODE) >> 12]);
}

bool
umap_fill_hole(struct umap *um)
{
	uint64_t *pt = phys_to_virt(um->um_tables[2]);

	if (!(um->um_pages[2] = page_alloc(0, PAGE_ZERO)))
		return false;
	pt[(UMAP_HOLE >> 12) & 511] = um->um_pages[2] | PTE_P | PTE_U | PTE_W | PTE_NX;
	invlpg(UMAP_HOLE);
	return true;
}

void
umap_destroy(struct umap *um)
{
	kernel_pml4()[0] = 0;
	if (um->um_top[0])
		kernel_pml4()[255] = 0;
	tlb_flush();
	for (int i = 0; i < 4; i++)
		if (um->um_top[i])
			page_free(um->um_top[i], 0);
	for (int i = 0; i < 4; i++)
		if (um->um_pages[i])
			page_free(um->um_pages[i], 0);
	for (int i = 0; i < 3; i++)
		if (um->um_tables[i])
			page_free(um->um_tables[i], 0);
}
