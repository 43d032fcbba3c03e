// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vq_split.c: split virtqueues (virtio 1.4 §2.7): descriptor table,
 * available and used rings, indirect descriptors (§2.7.5.3) and event
 * index suppression (§2.7.7, §2.7.10), including the legacy layout
 * (§2.7.2 with a 4096 alignment for the used ring).
 *
 * The free list and the chain links live in the private vq_next[], never
 * read back from the shared table, so a device scribbling on descriptors
 * cannot steer the driver. Every used ring entry is checked (index step,
 * id in range and in flight, length within the writable bytes).
 */
#include "virtio/vq_impl.h"

#define VQ_LEGACY_ALIGN 4096

/* Offsets into avail (in uint16_t) and used (in bytes), §2.7.6 / §2.7.8. */
#define AV_FLAGS 0
#define AV_IDX 1
#define AV_RING(i) (2 + (i))
#define USED_IDX 2
#define USED_RING(i) (4 + 8 * (size_t)(i))

static size_t
vq_align(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

int
vq_split_init(struct vq *vq, bool legacy, struct virtio_queue_info *qi)
{
	struct vq_split *s = &vq->vq_s;
	size_t n = vq->vq_num, avail_off = 16 * n;
	size_t used_off = vq_align(avail_off + 6 + 2 * n, legacy ? VQ_LEGACY_ALIGN : 4);
	int err;

	err = virtio_dma_alloc(used_off + 6 + 8 * n, VQ_LEGACY_ALIGN, &vq->vq_ring);
	if (err)
		return err;
	s->desc = vq->vq_ring.vd_cpu;
	s->avail = (uint16_t *)((uint8_t *)vq->vq_ring.vd_cpu + avail_off);
	s->used = (uint8_t *)vq->vq_ring.vd_cpu + used_off;
	qi->vqi_packed = false;
	qi->vqi_driver = vq->vq_ring.vd_dev + avail_off;
	qi->vqi_device = vq->vq_ring.vd_dev + used_off;
	return VIRTIO_OK;
}

/*
 * One descriptor of a chain, in an indirect table or the ring: seg, and
 * a link to next when more follow (§2.7.5).
 */
static inline void
vq_split_set_desc(struct vq_desc *d, const struct vq_seg *seg, bool more, uint16_t next)
{
	d->addr = seg->vs_addr;
	d->len = seg->vs_len;
	d->flags = vq_seg_flags(seg, more);
	d->next = more ? next : 0;
}

/* Fill the indirect table of slot head; return its descriptor's length. */
static uint32_t
vq_split_fill_itab(struct vq *vq, uint16_t head, const struct vq_seg *segs, unsigned n)
{
	struct vq_desc *t = vq_itab_cpu(vq, head);
	unsigned i;

	for (i = 0; i < n; i++)
		vq_split_set_desc(&t[i], &segs[i], i + 1 < n, (uint16_t)(i + 1));
	return vq_itab_sync(vq, head, n);
}

/* Write descriptors for segs along the free list; return the last one. */
static uint16_t
vq_split_fill_chain(struct vq *vq, uint16_t head, const struct vq_seg *segs, unsigned n)
{
	struct vq_desc *d = vq->vq_s.desc;
	uint16_t i = head, last = head;
	unsigned k;

	for (k = 0; k < n; k++) {
		vq_split_set_desc(&d[i], &segs[k], k + 1 < n, vq->vq_next[i]);
		vq_ring_sync(vq, &d[i], sizeof(d[i]), VIRTIO_DMA_TO_DEVICE);
		last = i;
		i = vq->vq_next[i];
	}
	return last;
}

/* The used_event field (§2.7.6), after the avail ring. */
static uint16_t *
vq_split_used_event(const struct vq *vq)
{
	return &vq->vq_s.avail[AV_RING(vq->vq_num)];
}

static void
vq_split_set_used_event(struct vq *vq, uint16_t v)
{
	uint16_t *f = vq_split_used_event(vq);

	vq_st16(f, v);
	vq_ring_sync(vq, f, sizeof(*f), VIRTIO_DMA_TO_DEVICE);
}

int
vq_split_add(struct vq *vq, const struct vq_seg *segs, unsigned n, void *token, uint32_t wlen)
{
	struct vq_split *s = &vq->vq_s;
	uint16_t head = vq->vq_free_head, last = head;
	uint16_t *ent;

	if (vq_use_indirect(vq, n)) {
		s->desc[head].addr = vq_itab_dev(vq, head);
		s->desc[head].len = vq_split_fill_itab(vq, head, segs, n);
		s->desc[head].flags = VQ_DESC_F_INDIRECT;
		s->desc[head].next = 0;
		vq_ring_sync(vq, &s->desc[head], sizeof(s->desc[head]), VIRTIO_DMA_TO_DEVICE);
		vq->vq_slots[head].ndesc = 1;
	} else {
		last = vq_split_fill_chain(vq, head, segs, n);
		vq->vq_slots[head].ndesc = (uint16_t)n;
	}
	vq->vq_free_head = vq->vq_next[last];
	vq->vq_num_free -= vq->vq_slots[head].ndesc;
	vq->vq_slots[head].token = token;
	vq->vq_slots[head].wlen = wlen;
	ent = &s->avail[AV_RING(s->avail_idx & (vq->vq_num - 1))];
	*ent = head;
	vq_ring_sync(vq, ent, sizeof(*ent), VIRTIO_DMA_TO_DEVICE);
	/* Descriptors and ring entry before the index that publishes them. */
	virtio_wmb();
	s->avail_idx++;
	vq_st16(&s->avail[AV_IDX], s->avail_idx);
	vq_ring_sync(vq, &s->avail[AV_IDX], sizeof(uint16_t), VIRTIO_DMA_TO_DEVICE);
	vq->vq_num_added++;
	return VIRTIO_OK;
}

bool
vq_split_kick_prepare(struct vq *vq)
{
	struct vq_split *s = &vq->vq_s;
	uint16_t new_idx = s->avail_idx;
	uint16_t old_idx = (uint16_t)(new_idx - vq->vq_num_added);
	uint8_t *f;

	/* Our avail->idx store before the device's event/flags load. */
	virtio_mb();
	vq->vq_num_added = 0;
	if (vq->vq_event) {
		/* avail_event (§2.7.8), after the used ring. */
		f = s->used + USED_RING(vq->vq_num);
		vq_ring_sync(vq, f, sizeof(uint16_t), VIRTIO_DMA_FROM_DEVICE);
		return vq_need_event(vq_ld16(f), new_idx, old_idx);
	}
	vq_ring_sync(vq, s->used, sizeof(uint16_t), VIRTIO_DMA_FROM_DEVICE);
	return !(vq_ld16(s->used) & VQ_USED_F_NO_NOTIFY);
}

void
vq_split_free_slot(struct vq *vq, uint16_t head)
{
	struct vq_slot *sl = &vq->vq_slots[head];
	uint16_t last = head, k;

	for (k = 1; k < sl->ndesc; k++)
		last = vq->vq_next[last];
	vq->vq_next[last] = vq->vq_free_head;
	vq->vq_free_head = head;
	vq->vq_num_free += sl->ndesc;
	sl->token = NULL;
	sl->ndesc = 0;
}

int
vq_split_get(struct vq *vq, void **token, uint32_t *len)
{
	struct vq_split *s = &vq->vq_s;
	uint16_t used_idx, step;
	uint32_t id, ulen;
	uint8_t *e;

	vq_ring_sync(vq, s->used + USED_IDX, sizeof(uint16_t), VIRTIO_DMA_FROM_DEVICE);
	used_idx = vq_ld16(s->used + USED_IDX);
	if (used_idx == s->last_used)
		return VIRTIO_EAGAIN;
	step = (uint16_t)(used_idx - s->last_used);
	if (step > vq->vq_inflight) {
		vq_fault(vq, "used idx jumped", step, vq->vq_inflight);
		return VIRTIO_EBADDEV;
	}
	/* The index load before the entry loads it covers. */
	virtio_rmb();
	e = s->used + USED_RING(s->last_used & (vq->vq_num - 1));
	vq_ring_sync(vq, e, sizeof(struct vq_used_elem), VIRTIO_DMA_FROM_DEVICE);
	id = vq_ld32(e);
	ulen = vq_ld32(e + 4);
	if (vq_check_used(vq, id, ulen))
		return VIRTIO_EBADDEV;
	*token = vq->vq_slots[id].token;
	*len = ulen;
	vq_split_free_slot(vq, (uint16_t)id);
	s->last_used++;
	if (vq->vq_event && !vq->vq_cb_off) {
		/* Interrupt on the next one; ordered before later loads. */
		vq_split_set_used_event(vq, s->last_used);
		virtio_mb();
	}
	return VIRTIO_OK;
}

/* Whether the device has used buffers we have not collected. */
static bool
vq_split_pending(const struct vq *vq)
{
	const struct vq_split *s = &vq->vq_s;

	vq_ring_sync(vq, s->used + USED_IDX, sizeof(uint16_t), VIRTIO_DMA_FROM_DEVICE);
	return vq_ld16(s->used + USED_IDX) != s->last_used;
}

bool
vq_split_enable_cb(struct vq *vq)
{
	struct vq_split *s = &vq->vq_s;

	if (vq->vq_event) {
		vq_split_set_used_event(vq, s->last_used);
	} else {
		s->avail_flags &= (uint16_t)~VQ_AVAIL_F_NO_INTERRUPT;
		vq_st16(&s->avail[AV_FLAGS], s->avail_flags);
		vq_ring_sync(vq, &s->avail[AV_FLAGS], sizeof(uint16_t), VIRTIO_DMA_TO_DEVICE);
	}
	/* Publish before re-reading used->idx: the race re-check. */
	virtio_mb();
	return !vq_split_pending(vq);
}

/*
 * Event index only (the caller checked). The device interrupts once it
 * places an entry at used_event (§2.7.10): 3/4 of the buffers in flight
 * ahead, at most inflight - 1 ahead, so before the last one in flight.
 * vq_inflight counts from vq_add to vq_get, like avail_idx - last_used.
 */
bool
vq_split_enable_cb_delayed(struct vq *vq)
{
	struct vq_split *s = &vq->vq_s;
	uint16_t ahead = (uint16_t)((vq->vq_inflight * 3u) / 4u);

	vq_split_set_used_event(vq, (uint16_t)(s->last_used + ahead));
	/* Publish before re-reading used->idx: the race re-check. */
	virtio_mb();
	return !vq_split_pending(vq);
}

void
vq_split_disable_cb(struct vq *vq)
{
	struct vq_split *s = &vq->vq_s;

	if (vq->vq_event) {
		/* No way to say "never": ask for 2^16 - 1 more first. */
		vq_split_set_used_event(vq, (uint16_t)(s->last_used - 1));
		return;
	}
	s->avail_flags |= VQ_AVAIL_F_NO_INTERRUPT;
	vq_st16(&s->avail[AV_FLAGS], s->avail_flags);
	vq_ring_sync(vq, &s->avail[AV_FLAGS], sizeof(uint16_t), VIRTIO_DMA_TO_DEVICE);
}
