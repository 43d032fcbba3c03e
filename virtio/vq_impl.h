/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/vq_impl.h: private to virtqueue.c, vq_split.c and vq_packed.c.
 * The queue object, the wire layouts of split (§2.7) and packed (§2.8)
 * rings, and the accessors for shared memory (each read and write of a
 * field the device can see happens exactly once: volatile).
 */
#ifndef VIRTIO_VQ_IMPL_H
#define VIRTIO_VQ_IMPL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/platform.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

/* virtio 1.x rings are little-endian; so is every host we build for. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "virtio/: big-endian hosts need le16/le32 conversions here"
#endif

#define VQ_MAX_SIZE 32768 /* §2.7 and the 15-bit packed offsets */

/* Split ring, §2.7.5 - §2.7.8. */
#define VQ_DESC_F_NEXT 1
#define VQ_DESC_F_WRITE 2
#define VQ_DESC_F_INDIRECT 4
#define VQ_AVAIL_F_NO_INTERRUPT 1
#define VQ_USED_F_NO_NOTIFY 1

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct vq_desc) == 16, "virtq_desc is 16 bytes");

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};
_Static_assert(sizeof(struct vq_used_elem) == 8, "virtq_used_elem");

/* Packed ring, §2.8.13 and §2.8.10. */
#define VQ_PDESC_F_AVAIL (1u << 7)
#define VQ_PDESC_F_USED (1u << 15)
#define VQ_EVENT_ENABLE 0
#define VQ_EVENT_DISABLE 1
#define VQ_EVENT_DESC 2
#define VQ_EVENT_WRAP (1u << 15)

struct vq_pdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};
_Static_assert(sizeof(struct vq_pdesc) == 16, "pvirtq_desc is 16 bytes");

struct vq_event {
	uint16_t off_wrap;
	uint16_t flags;
};
_Static_assert(sizeof(struct vq_event) == 4, "pvirtq_event_suppress");

/* Driver-private state of one buffer in flight (split: by head). */
struct vq_slot {
	void *token;    /* NULL when free */
	uint32_t wlen;  /* device-writable bytes: bound for used len */
	uint16_t ndesc; /* ring descriptors it holds */
};

struct vq_split {
	struct vq_desc *desc;
	uint16_t *avail;      /* flags, idx, ring[num], used_event */
	uint8_t *used;        /* flags, idx, ring[num], avail_event */
	uint16_t avail_idx;   /* our copy of avail->idx */
	uint16_t last_used;   /* next used->ring entry to read */
	uint16_t avail_flags; /* our copy of avail->flags */
};

struct vq_packed {
	struct vq_pdesc *desc;
	struct vq_event *drv; /* driver event suppression (we write) */
	struct vq_event *dev; /* device event suppression (we read) */
	uint16_t next_avail;  /* next descriptor we write */
	uint16_t next_used;   /* next descriptor the device marks used */
	bool avail_wrap;      /* Driver Ring Wrap Counter */
	bool used_wrap;       /* wrap counter of next_used */
	uint16_t event_flags; /* our copy of drv->flags */
};

/*
 * Invariants: vq_num_free + descriptors of all slots in flight == vq_num;
 * vq_inflight == number of slots with a token; vq_next[] holds the free
 * list (split: descriptor indices, also the chain links of buffers in
 * flight; packed: buffer ids). Nothing the device can write is ever read
 * back except the used ring fields, which are checked.
 */
struct vq {
	struct virtio_device *vq_dev;
	unsigned vq_idx;
	uint16_t vq_num; /* ring entries */
	bool vq_packed;
	bool vq_indirect;        /* negotiated and vq_indirect_max > 1 */
	bool vq_event;           /* VIRTIO_F_RING_EVENT_IDX */
	bool vq_broken;          /* dead: broken device or reset */
	bool vq_cb_off;          /* callbacks disabled (our shadow) */
	bool vq_event_triggered; /* event index: an interrupt came and
	                          * no enable since: the device stays
	                          * quiet until the event field moves */
	uint16_t vq_indirect_max;
	uint16_t vq_num_free; /* free ring descriptors */
	uint16_t vq_inflight; /* buffers in flight */
	uint16_t vq_free_head;
	uint16_t vq_num_added; /* descriptors / buffers since kick */
	uint16_t *vq_next;
	struct vq_slot *vq_slots;
	struct virtio_dma vq_ring;
	struct virtio_dma vq_itab; /* indirect tables, one per slot */
	vq_callback_fn *vq_cb;
	void *vq_cb_arg;
	const char *vq_name;
	struct vq_stats vq_st;
	union {
		struct vq_split vq_s;
		struct vq_packed vq_p;
	};
};

static inline uint16_t
vq_ld16(const void *p)
{
	return *(const volatile uint16_t *)p;
}

static inline uint32_t
vq_ld32(const void *p)
{
	return *(const volatile uint32_t *)p;
}

static inline void
vq_st16(void *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

/*
 * §2.7.10: notify/interrupt when the index moved from old to new passed
 * event, all modulo 2^16.
 */
static inline bool
vq_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

/* WRITE and NEXT for a descriptor of seg, NEXT when more follow it. */
static inline uint16_t
vq_seg_flags(const struct vq_seg *seg, bool more)
{
	return (uint16_t)((seg->vs_write ? VQ_DESC_F_WRITE : 0) | (more ? VQ_DESC_F_NEXT : 0));
}

/* Device address of indirect table for slot s. */
static inline uint64_t
vq_itab_dev(const struct vq *vq, unsigned s)
{
	return vq->vq_itab.vd_dev + (uint64_t)s * vq->vq_indirect_max * sizeof(struct vq_desc);
}

static inline void *
vq_itab_cpu(const struct vq *vq, unsigned s)
{
	return (uint8_t *)vq->vq_itab.vd_cpu +
	       (size_t)s * vq->vq_indirect_max * sizeof(struct vq_desc);
}

/* Whether buffer of nsegs goes in one indirect descriptor. */
static inline bool
vq_use_indirect(const struct vq *vq, unsigned nsegs)
{
	return vq->vq_indirect && nsegs > 1 && nsegs <= vq->vq_indirect_max;
}

/*
 * Hand [p, p+len) of the ring memory over in direction dir: only the
 * fields touched, so that on a bounce-buffer or non-coherent platform a
 * sync towards the device never covers what the device writes (and back).
 */
static inline void
vq_ring_sync(const struct vq *vq, const void *p, size_t len, enum virtio_dma_dir dir)
{
	virtio_dma_sync(&vq->vq_ring,
	                (size_t)((const uint8_t *)p - (const uint8_t *)vq->vq_ring.vd_cpu), len,
	                dir);
}

/*
 * Hand the first n entries of slot s's indirect table to the device.
 * Returns the table's length in bytes, for the descriptor that points at
 * it. Split and packed descriptors are both 16 bytes, so one layout of
 * the tables serves both rings.
 */
static inline uint32_t
vq_itab_sync(const struct vq *vq, unsigned s, unsigned n)
{
	size_t len = n * sizeof(struct vq_desc);

	virtio_dma_sync(&vq->vq_itab, (size_t)s * vq->vq_indirect_max * sizeof(struct vq_desc), len,
	                VIRTIO_DMA_TO_DEVICE);
	return (uint32_t)len;
}

/* Break the queue's device, logging why (once per device). */
void vq_fault(struct vq *vq, const char *what, uint32_t a, uint32_t b);

/*
 * Check the id and length of one used buffer as the device wrote them
 * (split: the chain's head, packed: the buffer id; both index vq_slots).
 * Returns VIRTIO_OK, or VIRTIO_EBADDEV after breaking the device. Inline:
 * it runs for every completion.
 */
static inline int
vq_check_used(struct vq *vq, uint32_t id, uint32_t len)
{
	if (id >= vq->vq_num) {
		vq_fault(vq, "used id out of range", id, vq->vq_num);
		return VIRTIO_EBADDEV;
	}
	if (!vq->vq_slots[id].token) {
		vq_fault(vq, "used id not in flight", id, 0);
		return VIRTIO_EBADDEV;
	}
	if (len > vq->vq_slots[id].wlen) {
		vq_fault(vq, "used len beyond the buffer", len, vq->vq_slots[id].wlen);
		return VIRTIO_EBADDEV;
	}
	return VIRTIO_OK;
}

/*
 * Ring-specific parts, behind the vq_* dispatch in virtqueue.c. The init
 * functions allocate and lay out the ring and fill the ring-specific
 * fields of qi; vq_create does the rest (free list, size, hand-over).
 */
int vq_split_init(struct vq *vq, bool legacy, struct virtio_queue_info *qi);
int vq_split_add(struct vq *vq, const struct vq_seg *segs, unsigned n, void *token, uint32_t wlen);
bool vq_split_kick_prepare(struct vq *vq);
int vq_split_get(struct vq *vq, void **token, uint32_t *len);
bool vq_split_enable_cb(struct vq *vq);
bool vq_split_enable_cb_delayed(struct vq *vq);
void vq_split_disable_cb(struct vq *vq);
void vq_split_free_slot(struct vq *vq, uint16_t head);

int vq_packed_init(struct vq *vq, struct virtio_queue_info *qi);
int vq_packed_add(struct vq *vq, const struct vq_seg *segs, unsigned n, void *token, uint32_t wlen);
bool vq_packed_kick_prepare(struct vq *vq);
int vq_packed_get(struct vq *vq, void **token, uint32_t *len);
bool vq_packed_enable_cb(struct vq *vq);
bool vq_packed_enable_cb_delayed(struct vq *vq);
void vq_packed_disable_cb(struct vq *vq);
void vq_packed_free_slot(struct vq *vq, uint16_t id);

#endif /* VIRTIO_VQ_IMPL_H */
