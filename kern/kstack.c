// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel stacks in their own area of the kernel half. The area is cut into
 * slots of twice KSTACK_SIZE: the lower half of a slot stays unmapped (the
 * guard), the upper half is the stack. Freed slots are reused last-freed
 * first, so the area stays small.
 */
#include "kern/kstack.h"

#include <mach/vm_prot.h>

#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define KSTACK_SLOT (2 * KSTACK_SIZE)
#define KSTACK_PAGES (KSTACK_SIZE / PAGE_SIZE)

static struct spinlock kstack_lock = SPINLOCK_INIT("kstack", LOCK_RANK_KSTACK);
static uint64_t kstack_next = KSTACK_AREA_BASE; /* the first never-used slot */
static uint64_t *kstack_free_slots;             /* stack of freed slots */
static unsigned kstack_nfree, kstack_cap;

static kern_return_t
slot_get(uint64_t *slot)
{
	uint64_t f = spin_lock_irqsave(&kstack_lock);
	kern_return_t kr = KERN_SUCCESS;

	if (kstack_nfree)
		*slot = kstack_free_slots[--kstack_nfree];
	else if (kstack_next + KSTACK_SLOT <= KSTACK_AREA_BASE + KSTACK_AREA_SIZE) {
		*slot = kstack_next;
		kstack_next += KSTACK_SLOT;
	} else
		kr = KERN_NO_SPACE;
	spin_unlock_irqrestore(&kstack_lock, f);
	return kr;
}

/* Returns a slot; the free stack grows outside the lock (the heap ranks below it). */
static void
slot_put(uint64_t slot)
{
	for (;;) {
		uint64_t f = spin_lock_irqsave(&kstack_lock);
		if (kstack_nfree < kstack_cap) {
			kstack_free_slots[kstack_nfree++] = slot;
			spin_unlock_irqrestore(&kstack_lock, f);
			return;
		}
		unsigned cap = kstack_cap ? 2 * kstack_cap : 64;
		spin_unlock_irqrestore(&kstack_lock, f);

		uint64_t *grown = kmalloc(cap * sizeof(*grown));
		if (!grown)
			return; /* the slot's address space is lost, never its memory */
		f = spin_lock_irqsave(&kstack_lock);
		if (cap > kstack_cap) {
			memcpy(grown, kstack_free_slots, kstack_nfree * sizeof(*grown));
			uint64_t *old = kstack_free_slots;
			kstack_free_slots = grown;
			kstack_cap = cap;
			grown = old;
		}
		spin_unlock_irqrestore(&kstack_lock, f);
		kfree(grown);
	}
}

kern_return_t
kstack_alloc(uint64_t *base)
{
	uint64_t slot, phys, top;
	kern_return_t kr = slot_get(&slot);

	if (kr != KERN_SUCCESS)
		return kr;
	phys = page_alloc(page_order_for(KSTACK_SIZE), 0);
	if (!phys) {
		slot_put(slot);
		return KERN_RESOURCE_SHORTAGE;
	}
	top = slot + KSTACK_SLOT;
	for (unsigned i = 0; i < KSTACK_PAGES; i++) {
		kr = pmap_kenter(top - KSTACK_SIZE + i * PAGE_SIZE, phys + i * PAGE_SIZE,
		                 VM_PROT_READ | VM_PROT_WRITE);
		if (kr != KERN_SUCCESS) {
			pmap_kremove(top - KSTACK_SIZE, KSTACK_SIZE);
			page_free(phys, page_order_for(KSTACK_SIZE));
			slot_put(slot);
			return kr;
		}
	}
	*base = top - KSTACK_SIZE;
	return KERN_SUCCESS;
}

void
kstack_free(uint64_t base)
{
	uint64_t phys;

	if (!pmap_extract(pmap_kernel(), base, &phys))
		return;
	pmap_kremove(base, KSTACK_SIZE);
	page_free(phys, page_order_for(KSTACK_SIZE));
	slot_put(base + KSTACK_SIZE - KSTACK_SLOT);
}

int
kstack_is_guard(uint64_t addr)
{
	if (addr < KSTACK_AREA_BASE || addr >= kstack_next)
		return 0;
	return (addr - KSTACK_AREA_BASE) % KSTACK_SLOT < KSTACK_SLOT - KSTACK_SIZE;
}
