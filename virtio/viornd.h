/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/viornd.h: the portable virtio entropy driver (virtio 1.4 §5.4).
 *
 * One requestq of device-writable buffers. A read is asynchronous:
 * viornd_read() posts one buffer of up to VIORND_CHUNK bytes and the
 * callback runs from the queue interrupt with the bytes the device wrote
 * (a device may write fewer than asked, and may take its time: a host that
 * rate-limits simply completes later, so a read waits rather than fails).
 *
 * Every chunk passes a health check before anyone sees it (§5.4 says
 * nothing about quality; this is ours): a chunk of all-equal bytes, a chunk
 * made of one short block repeated, or a chunk whose first 16 bytes repeat
 * the previous chunk's is refused. The source is then failed for good: the
 * bytes are dropped, the reason is logged once by device name and every
 * later read ends with VIRTIO_EIO (viornd_health() gives the reason).
 *
 * Conditions: viornd_read() and the queue interrupt are serialised by the
 * caller (the kernel calls viornd_read with interrupts off). At most one
 * read is in flight per device.
 */
#ifndef VIRTIO_VIORND_H
#define VIRTIO_VIORND_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/virtio.h"

#define VIORND_CHUNK 256 /* bytes per device request */

struct viornd;

/*
 * Completion of one read: err is VIRTIO_OK with len (1..asked) bytes at
 * buf (valid only during the call), or VIRTIO_EIO (health check failed
 * now or earlier), VIRTIO_EBADDEV (the device broke the spec or was
 * removed); then len is 0. Runs in interrupt context.
 */
typedef void viornd_done_fn(void *arg, const uint8_t *buf, size_t len, int err);

/* OS hooks: a device became usable (after DRIVER_OK) or is going away. */
struct viornd_hooks {
	void (*vrh_attach)(struct viornd *rnd, void *arg);
	void (*vrh_detach)(struct viornd *rnd, void *arg);
	void *vrh_arg;
};

/* Register the driver with the core (once). VIRTIO_OK or the core's code. */
int viornd_driver_register(const struct viornd_hooks *hooks);
void viornd_driver_unregister(void);

/*
 * Ask for up to len bytes (clamped to VIORND_CHUNK; len > 0). done runs
 * later, exactly once, unless this returns an error. Returns VIRTIO_OK,
 * VIRTIO_EINVAL (len 0, done NULL), VIRTIO_EBUSY (a read is in flight),
 * VIRTIO_EIO (health check failed before), VIRTIO_EBADDEV (broken).
 */
int viornd_read(struct viornd *rnd, size_t len, viornd_done_fn *done, void *arg);

/* Whether a read is in flight (for pollers). */
bool viornd_busy(const struct viornd *rnd);

/* NULL while healthy, else why the source was failed ("all bytes 0x00"). */
const char *viornd_health(const struct viornd *rnd);

/*
 * The health check itself, on one chunk (prev: the previous chunk's first
 * 16 bytes or NULL). NULL when the chunk is acceptable, else a reason
 * written into why (at least 64 bytes).
 */
const char *viornd_check(const uint8_t *buf, size_t len, const uint8_t *prev, char *why);

struct viornd_stats {
	uint64_t vrs_reads; /* chunks completed */
	uint64_t vrs_bytes; /* bytes delivered */
	uint64_t vrs_empty; /* completions with 0 bytes (re-posted) */
};
void viornd_stats_get(const struct viornd *rnd, struct viornd_stats *st);
struct virtio_device *viornd_device(const struct viornd *rnd);

#endif /* VIRTIO_VIORND_H */
