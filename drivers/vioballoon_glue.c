// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/vioballoon_glue.c: kernel glue of virtio/vioballoon.c. Ballooned
 * pages are order-0 blocks from page_alloc(), kept in a stack linked
 * through their page_meta owner fields (pm_next, pm_tag), so the balloon
 * itself needs no memory and never writes to a page the host may have
 * dropped.
 *
 * Locking (docs/locking.md): the driver's entry points (its interrupts,
 * vioballoon_oom, the getters) run under the balloon device's lock
 * (drivers/virtio_platform.h). balloon_lock guards the attached balloon
 * and the page stack; it ranks below page_alloc and above the heap and
 * paging locks, because the allocator's out-of-memory hook may run with
 * those held. That hook only tries locks: it never waits for one.
 */
#include "drivers/vioballoon_glue.h"

#include "drivers/virtio_platform.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/spinlock.h"

#define BALLOON_TAG 0xba11

static struct spinlock balloon_lock = SPINLOCK_INIT("balloon", LOCK_RANK_BALLOON);
/* Under balloon_lock: */
static uint32_t balloon_head = PAGE_PFN_NONE; /* top of the stack */
static uint64_t balloon_count;
static struct vioballoon *balloon_dev;
static struct spinlock *balloon_dev_lock; /* balloon_dev's device lock */

/*
 * Pages for the balloon. balloon_lock stays held across page_alloc() so
 * that the out-of-memory hook, which tries it, cannot deflate the balloon
 * to feed its own inflation.
 */
static unsigned
balloon_take(void *arg, uint32_t *pfns, unsigned n)
{
	uint64_t f = spin_lock_irqsave(&balloon_lock);
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
	spin_unlock_irqrestore(&balloon_lock, f);
	return got;
}

static unsigned
balloon_pick(void *arg, uint32_t *pfns, unsigned n)
{
	uint64_t f = spin_lock_irqsave(&balloon_lock);
	unsigned got = 0;

	while (got < n && balloon_head != PAGE_PFN_NONE) {
		struct page_meta *pm = page_meta_pfn(balloon_head);

		pfns[got++] = balloon_head;
		balloon_head = pm->pm_next;
		pm->pm_next = PAGE_PFN_NONE;
		pm->pm_tag = 0;
	}
	balloon_count -= got;
	spin_unlock_irqrestore(&balloon_lock, f);
	return got;
}

/* Off the stack already (balloon_pick): the pages are the caller's to free. */
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
	uint64_t f = spin_lock_irqsave(&balloon_lock);

	balloon_dev_lock = virtio_device_lock(vioballoon_device(b));
	balloon_dev = b;
	spin_unlock_irqrestore(&balloon_lock, f);
	page_alloc_set_oom_hook(balloon_oom_release);
	log_info("%s: virtio balloon", vioballoon_device(b)->vd_name);
}

static void
balloon_detach(struct vioballoon *b, void *arg)
{
	uint64_t f = spin_lock_irqsave(&balloon_lock);
	bool ours = balloon_dev == b;

	if (ours)
		balloon_dev = NULL;
	spin_unlock_irqrestore(&balloon_lock, f);
	if (ours)
		page_alloc_set_oom_hook(NULL);
}

/* The attached balloon and its device lock; false when none. */
static bool
balloon_current(struct vioballoon **b, struct spinlock **lock)
{
	uint64_t f = spin_lock_irqsave(&balloon_lock);

	*b = balloon_dev;
	*lock = balloon_dev_lock;
	spin_unlock_irqrestore(&balloon_lock, f);
	return *b != NULL;
}

struct vioballoon *
balloon_glue_get(void)
{
	struct spinlock *lock;
	struct vioballoon *b;

	return balloon_current(&b, &lock) ? b : NULL;
}

bool
balloon_glue_info(struct vioballoon_info *info)
{
	struct spinlock *lock;
	struct vioballoon *b;
	uint64_t f;

	if (!balloon_current(&b, &lock))
		return false;
	f = spin_lock_irqsave(lock);
	vioballoon_info_get(b, info);
	spin_unlock_irqrestore(lock, f);
	return true;
}

unsigned
balloon_oom_release(unsigned npages)
{
	struct vioballoon *b;
	struct spinlock *lock;
	unsigned n = 0;
	uint64_t f;

	/* page_alloc()'s hook: any locks may be held, so only try ours. */
	if (!spin_trylock_irqsave(&balloon_lock, &f))
		return 0;
	b = balloon_dev;
	lock = balloon_dev_lock;
	spin_unlock_irqrestore(&balloon_lock, f);
	if (!b || !spin_trylock_irqsave(lock, &f))
		return 0;
	n = vioballoon_oom(b, npages);
	spin_unlock_irqrestore(lock, f);
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
