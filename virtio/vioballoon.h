/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/vioballoon.h: the portable virtio memory balloon driver (virtio
 * 1.4 §5.5): inflateq, deflateq and, with VIRTIO_BALLOON_F_STATS_VQ, the
 * statsq. The host sets num_pages in config space and raises the
 * config-change interrupt; the driver then takes pages from the system
 * and hands their page frame numbers (4 KiB units of device address) to
 * the inflateq, or asks the deflateq for pages back and returns them to
 * the system once the device has acknowledged (always, whether or not
 * MUST_TELL_HOST was negotiated), 256 pages per request, one request in
 * flight at a time, *actual* written after each.
 *
 * The driver never owns memory itself: the system lends and takes back
 * pages through struct vioballoon_pages_ops, filled by the OS glue (the
 * kernel: drivers/vioballoon_glue.c over the page allocator). The glue keeps
 * the set of ballooned pages; the driver only counts them.
 *
 * DEFLATE_ON_OOM: when negotiated, vioballoon_oom() gives pages back at
 * once (§5.5.6.1: allowed when MUST_TELL_HOST is not negotiated; the
 * deflateq is told right after) and the balloon does not grow again until
 * the host next changes num_pages.
 *
 * The device is not trusted: num_pages beyond what the system can give
 * just leaves the balloon as large as it could get (logged once), and a
 * broken device stops all balloon work.
 *
 * Conditions: every entry point (the interrupts, vioballoon_oom, the
 * getters) is serialised by the caller; the kernel runs them with
 * interrupts off on one CPU. The ops are called from interrupt context and
 * must not block.
 */
#ifndef VIRTIO_VIOBALLOON_H
#define VIRTIO_VIOBALLOON_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/virtio.h"

/* Feature bits (§5.5.3). */
#define VIOBALLOON_F_MUST_TELL_HOST 0
#define VIOBALLOON_F_STATS_VQ 1
#define VIOBALLOON_F_DEFLATE_ON_OOM 2
#define VIOBALLOON_F_FREE_PAGE_HINT 3
#define VIOBALLOON_F_PAGE_POISON 4
#define VIOBALLOON_F_PAGE_REPORTING 5

/* Config layout (§5.5.4). */
#define VIOBALLOON_CFG_NUM_PAGES 0
#define VIOBALLOON_CFG_ACTUAL 4

/* Statistics tags (§5.5.6.3). */
#define VIOBALLOON_S_SWAP_IN 0
#define VIOBALLOON_S_SWAP_OUT 1
#define VIOBALLOON_S_MAJFLT 2
#define VIOBALLOON_S_MINFLT 3
#define VIOBALLOON_S_MEMFREE 4
#define VIOBALLOON_S_MEMTOT 5
#define VIOBALLOON_S_AVAIL 6
#define VIOBALLOON_S_CACHES 7
#define VIOBALLOON_STAT_LEN 10 /* le16 tag, le64 value */
#define VIOBALLOON_NSTATS 3    /* MEMFREE, MEMTOT, AVAIL */

#define VIOBALLOON_PAGE_SIZE 4096 /* the PFN unit, whatever our page size */
#define VIOBALLOON_BATCH 256      /* PFNs per request */

/* What the system lends the balloon. All may run in interrupt context. */
struct vioballoon_pages_ops {
	/*
	 * Take up to n free pages of VIOBALLOON_PAGE_SIZE from the system
	 * into the balloon set; write their PFNs (device address / 4096).
	 * Returns how many (0: none free now).
	 */
	unsigned (*vbo_take)(void *arg, uint32_t *pfns, unsigned n);
	/* Remove up to n pages from the balloon set (not yet reusable). */
	unsigned (*vbo_pick)(void *arg, uint32_t *pfns, unsigned n);
	/* Pages from vbo_pick are the system's again. */
	void (*vbo_give)(void *arg, const uint32_t *pfns, unsigned n);
	/* Bytes free and bytes total, for the statsq. */
	void (*vbo_mem)(void *arg, uint64_t *free_bytes, uint64_t *total_bytes);
	void *vbo_arg;
};

struct vioballoon;

struct vioballoon_hooks {
	void (*vbh_attach)(struct vioballoon *b, void *arg);
	void (*vbh_detach)(struct vioballoon *b, void *arg);
	void *vbh_arg;
};

/* Register the driver; ops and hooks are copied. */
int vioballoon_driver_register(const struct vioballoon_pages_ops *ops,
                               const struct vioballoon_hooks *hooks);
void vioballoon_driver_unregister(void);

/*
 * The system is short of memory: give back up to n ballooned pages now.
 * Only with DEFLATE_ON_OOM negotiated, without MUST_TELL_HOST, and when no
 * request is in flight. Returns the pages given back (0 otherwise).
 */
unsigned vioballoon_oom(struct vioballoon *b, unsigned n);

struct vioballoon_info {
	uint32_t vbi_target;   /* num_pages the host asked for */
	uint32_t vbi_pages;    /* pages in the balloon now */
	bool vbi_busy;         /* a request is in flight */
	bool vbi_short;        /* the system could not give enough */
	bool vbi_oom_hold;     /* deflated for OOM; waits for the host */
	uint64_t vbi_inflated; /* pages ever inflated / deflated */
	uint64_t vbi_deflated;
	uint64_t vbi_oom_pages;     /* given back by vioballoon_oom */
	uint64_t vbi_stats_updates; /* statsq buffers handed over */
	uint64_t vbi_features;      /* negotiated */
};
void vioballoon_info_get(const struct vioballoon *b, struct vioballoon_info *info);
struct virtio_device *vioballoon_device(const struct vioballoon *b);

#endif /* VIRTIO_VIOBALLOON_H */
