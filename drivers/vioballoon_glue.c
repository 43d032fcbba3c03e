// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/vioballoon_glue.c: kernel glue of virtio/vioballoon.c. Ballooned
 * pages are order-0 blocks from page_alloc(), kept in a stack linked
 * through their page_meta owner fields (pm_next, pm_tag), so the balloon
 * itself needs no memory and never writes to a page the host may have
 * dropped. The driver calls these ops with interrupts off.
 */
#include "drivers/vioballoon_glue.h"

#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "x86_64/machine.h"

#define BALLOON_TAG 0xba11

static uint32_t balloon_head = PAGE_PFN_NONE; /* top of the stack */
static uint64_t balloon_count;
static struct vioballoon *balloon_dev;

static unsigned
balloon_take(void *arg, uint32_t *pfns, unsigned n)
{
	unsigned got = 0;

	while (got < n) {
		uint64_t pa = page_alloc(0, 0);
		struct page_meta *pm;

		if (!pa)
			break;
		if ((pa >> 12) >= PAGE_PFN_NONE || !(pm = page_meta_get(pa))) {
			page_free(pa, 0);
			break;
		}
		pm->pm_tag = BALLOON_TAG;
		pm->pm_next = balloon_head;
		balloon_head = (uint32_t)(pa >> 12);
		pfns[got++] = balloon_head;
	}
	balloon_count += got;
	return got;
}

static unsigned
balloon_pick(void *arg, uint32_t *pfns, unsigned n)
{
	unsigned got = 0;

	while (got < n && balloon_head != PAGE_PFN_NONE) {
		struct page_meta *pm = page_meta_pfn(balloon_head);

		pfns[got++] = balloon_head;
		balloon_head = pm->pm_next;
		pm->pm_next = PAGE_PFN_NONE;
		pm->pm_tag = 0;
	}
	balloon_count -= got;
	return got;
}

static void
balloon_give(void *arg, const uint32_t *pfns, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		page_free((uint64_t)pfns[i] << 12, 0);
}

static void
balloon_mem(void *arg, uint64_t *free_bytes, uint64_t *total_bytes)
{
	struct page_stats st;

	page_alloc_stats(&st);
	*free_bytes = st.free_pages * PAGE_SIZE;
	*total_bytes = st.total_pages * PAGE_SIZE;
}

static void
balloon_attach(struct vioballoon *b, void *arg)
{
	balloon_dev = b;
	page_alloc_set_oom_hook(balloon_oom_release);
	log_info("%s: virtio balloon", vioballoon_device(b)->vd_name);
}

static void
balloon_detach(struct vioballoon *b, void *arg)
{
	if (balloon_dev == b) {
		page_alloc_set_oom_hook(NULL);
		balloon_dev = NULL;
	}
}

struct vioballoon *
balloon_glue_get(void)
{
	return balloon_dev;
}

unsigned
balloon_oom_release(unsigned npages)
{
	uint64_t f = irq_save();
	unsigned n = balloon_dev ? vioballoon_oom(balloon_dev, npages) : 0;

	irq_restore(f);
	return n;
}

static void
balloon_glue_init(void)
{
	static const struct vioballoon_pages_ops ops = {balloon_take, balloon_pick, balloon_give,
	                                                balloon_mem, NULL};
	static const struct vioballoon_hooks hooks = {balloon_attach, balloon_detach, NULL};
	int err = vioballoon_driver_register(&ops, &hooks);

	if (err)
		log_err("virtio-balloon: driver registration failed (%s)", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "virtio-balloon", balloon_glue_init);
