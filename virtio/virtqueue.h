/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/virtqueue.h: one queue API over split (virtio 1.4 §2.7) and packed
 * (§2.8) rings. The ring kind follows the negotiated features
 * (VIRTIO_F_RING_PACKED); indirect descriptors (§2.7.5, §2.8.7) and event
 * suppression (§2.7.7-2.7.10, §2.8.10) are used when negotiated.
 *
 * Ring memory comes from virtio_dma_alloc(); the device only ever sees
 * device addresses. Every id, index and length the device writes is
 * checked; a device that lies breaks the whole device (virtio_device_break):
 * logged once, FAILED set, and every call below then fails with
 * VIRTIO_EBADDEV. Buffers still in flight are reclaimed with
 * vq_detach_unused() after virtio_device_reset().
 *
 * Conditions: a queue is not locked here. The driver serialises all calls
 * on one queue (its lock, or interrupts off); vq_stats and the getters may
 * race harmlessly. Nothing here blocks except vq_create/vq_destroy.
 */
#ifndef VIRTIO_VIRTQUEUE_H
#define VIRTIO_VIRTQUEUE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/virtio.h"

struct vq;

/* One element of a buffer: device address, length, direction. */
struct vq_seg {
	uint64_t vs_addr; /* device address (virtio_dma.vd_dev + off) */
	uint32_t vs_len;  /* bytes, > 0 */
	bool vs_write;    /* device-writable (else device-readable) */
};

typedef void vq_callback_fn(struct vq *vq, void *arg);

struct vq_params {
	uint16_t vqp_size;            /* wanted entries; 0: device max.
	                               * Split rounds down to a power of 2;
	                               * legacy always uses the device's. */
	uint16_t vqp_indirect_max;    /* segments per indirect table; 0 or
	                               * 1: no indirect descriptors */
	vq_callback_fn *vqp_callback; /* used buffers (interrupt context) */
	void *vqp_arg;
	const char *vqp_name; /* "req0": for logs */
};

struct vq_stats {
	uint64_t vqs_added;       /* buffers added */
	uint64_t vqs_kicks;       /* notifications sent to the device */
	uint64_t vqs_interrupts;  /* interrupts for this queue */
	uint64_t vqs_completions; /* used buffers collected */
};

/*
 * Create queue idx of dev, program it in the transport and enable it.
 * Call from the driver's probe (after FEATURES_OK, before DRIVER_OK).
 * Returns VIRTIO_OK, VIRTIO_ENODEV (idx beyond the device's queue count),
 * VIRTIO_EBADDEV (size 0, or not a power of 2 for a split ring: device
 * broken), VIRTIO_EINVAL, VIRTIO_EBUSY (already created), VIRTIO_ENOMEM.
 * May block.
 */
int vq_create(struct virtio_device *dev, unsigned idx, const struct vq_params *p, struct vq **out);

/* Free the queue. Only after the device is reset (or never enabled). */
void vq_destroy(struct vq *vq);

/*
 * Make one buffer of nsegs segments available, readable ones first then
 * writable ones (§2.7.4.2), with token (non-NULL, returned by vq_get).
 * Uses one indirect descriptor when negotiated and 1 < nsegs <=
 * vqp_indirect_max, else nsegs ring descriptors. Does not notify.
 * Returns VIRTIO_OK, VIRTIO_ENOSPC (not enough free descriptors),
 * VIRTIO_EINVAL (nsegs 0 or > size, zero length, writable before readable,
 * writable bytes over 4 GiB, NULL token), VIRTIO_EBADDEV (broken); the
 * ring is untouched unless it returns VIRTIO_OK.
 */
int vq_add(struct vq *vq, const struct vq_seg *segs, unsigned nsegs, void *token);

/*
 * After one or more vq_add: whether the device wants a notification now
 * (event index or flags from the device, §2.7.10 / §2.8.10). Resets the
 * batch. vq_notify sends it; vq_kick does both and returns whether it did.
 */
bool vq_kick_prepare(struct vq *vq);
void vq_notify(struct vq *vq);
bool vq_kick(struct vq *vq);

/*
 * Collect one used buffer: its token and the byte count the device wrote.
 * Returns VIRTIO_OK, VIRTIO_EAGAIN (none yet), VIRTIO_EBADDEV (broken now
 * or before: id out of range or not in flight, length beyond the
 * buffer's writable bytes, used index jumping by more than the size).
 */
int vq_get(struct vq *vq, void **token, uint32_t *len);

/*
 * Used-buffer interrupts on (vq_enable_cb) or off (vq_disable_cb): a hint
 * to the device. vq_enable_cb returns false if buffers were used meanwhile
 * (the race re-check): the caller collects them and may call it again.
 */
bool vq_enable_cb(struct vq *vq);
void vq_disable_cb(struct vq *vq);

/*
 * Like vq_enable_cb, but with event index (VIRTIO_F_RING_EVENT_IDX) the
 * interrupt is asked for only once about 3/4 of the buffers now in flight
 * have been used: split: used_event = last used index + in flight * 3/4
 * (§2.7.10); packed: a descriptor event (§2.8.10) 3/4 of the ring
 * descriptors in flight past the next used position, with its wrap
 * counter. The event always lies before the last buffer in flight, so the
 * interrupt comes at the latest when that one is used: use it only on a
 * queue whose buffers all complete without more driver action (requests,
 * transmit; not a receive queue the device fills when it likes). Without
 * event index it is vq_enable_cb. Returns false if buffers were used
 * meanwhile, exactly like vq_enable_cb: the caller collects them and calls
 * it (or vq_enable_cb) again.
 */
bool vq_enable_cb_delayed(struct vq *vq);

/* The queue's interrupt: counts it and calls the callback (if not broken). */
void vq_intr(struct vq *vq);

/* Free ring descriptors (an indirect buffer needs one, else nsegs). */
unsigned vq_num_free(const struct vq *vq);

/*
 * Take back one buffer still in flight (token, or NULL when none is left).
 * Only after virtio_device_reset(), so the device no longer touches it.
 */
void *vq_detach_unused(struct vq *vq);

bool vq_is_broken(const struct vq *vq);
void vq_stats_get(const struct vq *vq, struct vq_stats *st);

/*
 * A snapshot of the notification state, for the monitor when a queue
 * goes quiet: split ring indices and event fields (packed: next positions
 * and the event words), and the driver's shadows. Racy; debugging only.
 */
struct vq_ring_state {
	uint16_t vrs_avail_idx;   /* split: avail->idx; packed: next avail */
	uint16_t vrs_used_idx;    /* split: used->idx as read now; packed: 0 */
	uint16_t vrs_last_used;   /* next used entry we collect */
	uint16_t vrs_used_event;  /* split: used_event; packed: driver event */
	uint16_t vrs_avail_event; /* split: avail_event; packed: device event */
	uint16_t vrs_avail_flags; /* split: avail->flags; packed: driver flags */
	uint16_t vrs_used_flags;  /* split: used->flags; packed: device flags */
	uint16_t vrs_inflight;    /* buffers in flight */
	uint16_t vrs_num_added;   /* added since the last kick */
	bool vrs_cb_off;          /* callbacks off (shadow) */
	bool vrs_event_triggered; /* interrupt seen, no enable since */
};
void vq_ring_state_get(const struct vq *vq, struct vq_ring_state *rs);
uint16_t vq_size(const struct vq *vq);
bool vq_is_packed(const struct vq *vq);
bool vq_has_indirect(const struct vq *vq);
bool vq_has_event_idx(const struct vq *vq);
unsigned vq_index(const struct vq *vq);
const char *vq_name(const struct vq *vq);
struct virtio_device *vq_device(const struct vq *vq);

#endif /* VIRTIO_VIRTQUEUE_H */
