/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drivers/vioballoon_glue.h: the kernel side of virtio-balloon: pages lent to
 * virtio/vioballoon.c from the page allocator, and the hook that gives
 * them back when the allocator runs low.
 */
#ifndef DEVICE_BALLOON_GLUE_H
#define DEVICE_BALLOON_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/vioballoon.h"

/* The attached balloon, or NULL. */
struct vioballoon *balloon_glue_get(void);

/*
 * A snapshot of the attached balloon's state, taken under its device
 * lock; false when there is none. Any context but the balloon's own
 * interrupt.
 */
bool balloon_glue_info(struct vioballoon_info *info);

/*
 * Out-of-memory hook: give up to npages ballooned pages back to the page
 * allocator now (only if the device negotiated DEFLATE_ON_OOM). Any
 * context, with any lock ranked below page_alloc held: it only tries its
 * locks, and gives nothing back when one is taken (the balloon is busy,
 * or inflating: it does not feed itself). Never waits. Returns the pages
 * given back.
 */
unsigned balloon_oom_release(unsigned npages);

#endif
