/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Anonymous pages: the physical pages of zero-fill and copy-on-write
 * memory. Each is one page from kern/page_alloc.c whose page_meta owner
 * fields hold its state: pm_tag VM_PAGE_TAG, pm_data its reference count
 * (how many amap slots and copy objects hold it). A page with more than
 * one reference is shared copy-on-write and is mapped read-only; the last
 * reference frees it. So an "anon" (UVM's word) is just a physical
 * address: no structure is allocated per page.
 *
 * Reference counts change atomically, so two amaps under two different
 * locks may share a page. Also here: the VM's statistics counters.
 */
#ifndef VM_VM_PAGE_H
#define VM_VM_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "x86_64/machine.h"

#define VM_PAGE_TAG 0x766d /* "vm" */

/*
 * A new anonymous page with one reference, zero-filled or a copy of the
 * page at src (when src is not 0). 0 when no page can be had, even after
 * page_alloc's out-of-memory hook (the balloon) has run.
 */
uint64_t vm_page_alloc(uint64_t src);
/*
 * The same, not zeroed: for a page whose every byte the caller writes
 * before it is mapped anywhere (a device's DMA, vm_copy_alloc()).
 */
uint64_t vm_page_alloc_unzeroed(void);
void vm_page_ref(uint64_t pa);
/* Drops a reference; the last one frees the page. */
void vm_page_unref(uint64_t pa);
uint32_t vm_page_refs(uint64_t pa);

/* Counters (atomic), read by vm_statistics(). */
struct vm_counters {
	uint64_t vc_pages;      /* anonymous pages allocated now */
	uint64_t vc_wired;      /* pages wired now (entered with PMAP_WIRED) */
	uint64_t vc_zero_fill;  /* zero-fill faults resolved */
	uint64_t vc_faults;     /* faults resolved or refused */
	uint64_t vc_cow_faults; /* copy-on-write copies made */
};
extern struct vm_counters vm_counters;

static inline void
vm_count(uint64_t *c, int64_t delta)
{
	__atomic_add_fetch(c, (uint64_t)delta, __ATOMIC_RELAXED);
}

#endif
