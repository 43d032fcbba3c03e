// SPDX-License-Identifier: GPL-2.0-or-later
/* Anonymous pages: page_alloc pages with a reference count in their page_meta. */
#include "vm/vm_page.h"

#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/string.h"

struct vm_counters vm_counters;

static struct page_meta *
anon_meta(uint64_t pa)
{
	struct page_meta *m = page_meta_pfn(pa >> PAGE_SHIFT);

	if (m->pm_tag != VM_PAGE_TAG || m->pm_data == 0)
		panic("vm_page: %#lx is not a live anonymous page", pa);
	return m;
}

static uint64_t anon_init(uint64_t pa);

uint64_t
vm_page_alloc(uint64_t src)
{
	uint64_t pa = page_alloc(0, src ? 0 : PAGE_ZERO);

	if (!pa)
		return 0;
	if (src)
		memcpy(phys_to_virt(pa), phys_to_virt(src), PAGE_SIZE);
	return anon_init(pa);
}

uint64_t
vm_page_alloc_unzeroed(void)
{
	uint64_t pa = page_alloc(0, 0);

	return pa ? anon_init(pa) : 0;
}

static uint64_t
anon_init(uint64_t pa)
{
	struct page_meta *m;

	m = page_meta_pfn(pa >> PAGE_SHIFT);
	m->pm_tag = VM_PAGE_TAG;
	__atomic_store_n(&m->pm_data, 1, __ATOMIC_RELEASE);
	vm_count(&vm_counters.vc_pages, 1);
	return pa;
}

void
vm_page_ref(uint64_t pa)
{
	__atomic_add_fetch(&anon_meta(pa)->pm_data, 1, __ATOMIC_RELAXED);
}

void
vm_page_unref(uint64_t pa)
{
	struct page_meta *m = anon_meta(pa);

	if (__atomic_sub_fetch(&m->pm_data, 1, __ATOMIC_ACQ_REL) == 0) {
		m->pm_tag = 0;
		page_free(pa, 0);
		vm_count(&vm_counters.vc_pages, -1);
	}
}

uint32_t
vm_page_refs(uint64_t pa)
{
	return __atomic_load_n(&anon_meta(pa)->pm_data, __ATOMIC_ACQUIRE);
}
