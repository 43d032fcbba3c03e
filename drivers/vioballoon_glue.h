/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drivers/vioballoon_glue.h: the kernel side of virtio-balloon: pages lent to
 * virtio/vioballoon.c from the page allocator, and the hook that gives
 * them back when the allocator runs low.
 */
#ifndef DEVICE_BALLOON_GLUE_H
#define DEVICE_BALLOON_GLUE_H

#include <stdint.h>

#include "virtio/vioballoon.h"

/* The attached balloon, or NULL. */
struct vioballoon *balloon_glue_get(void);

/*
 * Out-of-memory hook: give up to npages ballooned pages back to the page
 * allocator now (only if the device negotiated DEFLATE_ON_OOM). Any
 * context; must not be called with the page allocator's lock held.
 * Returns the pages given back.
 */
unsigned balloon_oom_release(unsigned npages);

#endif
