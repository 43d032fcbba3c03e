// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vq_packed.c: packed virtqueues (virtio 1.4 §2.8): one descriptor
 * ring with driver and device wrap counters (§2.8.1), chains (§2.8.6),
 * indirect tables (§2.8.7), and the two event suppression areas (§2.8.10),
 * including descriptor (offset + wrap) events under VIRTIO_F_RING_EVENT_IDX.
 *
 * Buffer ids come from a private free list; the per-id state (token,
 * descriptor count, writable bytes) is private too, so the only device
 * data read back is the used descriptor's flags, id and len, all checked.
 */
#include "virtio/vq_impl.h"

int
vq_packed_init(struct vq *vq, struct virtio_queue_info *qi)
{
	struct vq_packed *p = &vq->vq_p;
	size_t ev_off = 16 * (size_t)vq->vq_num;
	int err;

	err = virtio_dma_alloc(ev_off + 2 * sizeof(struct vq_event), 16, &vq->vq_ring);
	if (err)
		return err;
	p->desc = vq->vq_ring.vd_cpu;
	p->drv = (struct vq_event *)((uint8_t *)vq->vq_ring.vd_cpu + ev_off);
	p->dev = p->drv + 1;
	p->avail_wrap = true; /* §2.8.1: both counters start at 1 */
	p->used_wrap = true;
	p->event_flags = VQ_EVENT_ENABLE;
	if (vq->vq_event) {
		/* Interrupt per used descriptor position, not per buffer. */
		p->event_flags = VQ_EVENT_DESC;
		p->drv->off_wrap = VQ_EVENT_WRAP;
		p->drv->flags = VQ_EVENT_DESC;
	}
	qi->vqi_packed = true;
	qi->vqi_driver = vq->vq_ring.vd_dev + ev_off;
	qi->vqi_device = qi->vqi_driver + sizeof(struct vq_event);
	return VIRTIO_OK;
}

/* AVAIL/USED bits that make a descriptor available in wrap w (§2.8.1). */
static uint16_t
vq_packed_avail_bits(bool w)
{
	return w ? VQ_PDESC_F_AVAIL : VQ_PDESC_F_USED;
}

/* Fill the indirect table of id; return its length in bytes. */
static uint32_t
vq_packed_fill_itab(struct vq *vq, uint16_t id, const struct vq_seg *segs, unsigned n)
{
	struct vq_pdesc *t = vq_itab_cpu(vq, id);
	unsigned i;

	for (i = 0; i < n; i++) {
		t[i].addr = segs[i].vs_addr;
		t[i].len = segs[i].vs_len;
		t[i].id = 0;
		t[i].flags = vq_seg_flags(&segs[i], false); /* tables do not chain */
	}
	return vq_itab_sync(vq, id, n);
}

/*
 * Write descriptor k of a buffer at the next ring position; the head's
 * flags are held back in *head_flags so the buffer appears at once.
 */
static void
vq_packed_put(struct vq *vq, uint64_t addr, uint32_t len, uint16_t id, uint16_t flags, bool first,
              uint16_t *head_flags)
{
	struct vq_packed *p = &vq->vq_p;
	struct vq_pdesc *d = &p->desc[p->next_avail];

	flags |= vq_packed_avail_bits(p->avail_wrap);
	d->addr = addr;
	d->len = len;
	d->id = id;
	if (first) {
		*head_flags = flags;
		/* Its flags are synced on their own once written. */
		vq_ring_sync(vq, d, offsetof(struct vq_pdesc, flags), VIRTIO_DMA_TO_DEVICE);
	} else {
		vq_st16(&d->flags, flags);
		vq_ring_sync(vq, d, sizeof(*d), VIRTIO_DMA_TO_DEVICE);
	}
	if (++p->next_avail == vq->vq_num) {
		p->next_avail = 0;
		p->avail_wrap = !p->avail_wrap;
	}
}

int
vq_packed_add(struct vq *vq, const struct vq_seg *segs, unsigned n, void *token, uint32_t wlen)
{
	struct vq_packed *p = &vq->vq_p;
	uint16_t id = vq->vq_free_head, head = p->next_avail, hflags = 0;
	uint16_t ndesc;
	unsigned k;

	if (vq_use_indirect(vq, n)) {
		vq_packed_put(vq, vq_itab_dev(vq, id), vq_packed_fill_itab(vq, id, segs, n), id,
		              VQ_DESC_F_INDIRECT, true, &hflags);
		ndesc = 1;
	} else {
		for (k = 0; k < n; k++)
			vq_packed_put(vq, segs[k].vs_addr, segs[k].vs_len, id,
			              vq_seg_flags(&segs[k], k + 1 < n), k == 0, &hflags);
		ndesc = (uint16_t)n;
	}
	vq->vq_free_head = vq->vq_next[id];
	vq->vq_num_free -= ndesc;
	vq->vq_slots[id].token = token;
	vq->vq_slots[id].wlen = wlen;
	vq->vq_slots[id].ndesc = ndesc;
	/* The rest of the buffer before the head flags that publish it. */
	virtio_wmb();
	vq_st16(&p->desc[head].flags, hflags);
	vq_ring_sync(vq, &p->desc[head].flags, sizeof(uint16_t), VIRTIO_DMA_TO_DEVICE);
	vq->vq_num_added += ndesc;
	return VIRTIO_OK;
}

bool
vq_packed_kick_prepare(struct vq *vq)
{
	struct vq_packed *p = &vq->vq_p;
	uint16_t new_pos = p->next_avail, added = vq->vq_num_added;
	uint16_t old_pos = (uint16_t)(new_pos - added);
	uint16_t off_wrap, flags, event;

	/* Our descriptor stores before the device's suppression loads. */
	virtio_mb();
	vq->vq_num_added = 0;
	vq_ring_sync(vq, p->dev, sizeof(*p->dev), VIRTIO_DMA_FROM_DEVICE);
	flags = vq_ld16(&p->dev->flags);
	off_wrap = vq_ld16(&p->dev->off_wrap);
	if (flags != VQ_EVENT_DESC || !vq->vq_event)
		return flags != VQ_EVENT_DISABLE;
	/*
	 * Positions as a 16-bit count: old_pos may sit before 0 (the batch
	 * wrapped), and an event in the other wrap is one ring earlier.
	 */
	event = off_wrap & (uint16_t)~VQ_EVENT_WRAP;
	if (!(off_wrap & VQ_EVENT_WRAP) != !p->avail_wrap)
		event = (uint16_t)(event - vq->vq_num);
	return vq_need_event(event, new_pos, old_pos);
}

void
vq_packed_free_slot(struct vq *vq, uint16_t id)
{
	struct vq_slot *sl = &vq->vq_slots[id];

	vq->vq_next[id] = vq->vq_free_head;
	vq->vq_free_head = id;
	vq->vq_num_free += sl->ndesc;
	sl->token = NULL;
	sl->ndesc = 0;
}

/* Whether the descriptor at next_used has been used in our used wrap. */
static bool
vq_packed_used_ready(const struct vq *vq, uint16_t flags)
{
	bool avail = (flags & VQ_PDESC_F_AVAIL) != 0;
	bool used = (flags & VQ_PDESC_F_USED) != 0;

	return avail == used && used == vq->vq_p.used_wrap;
}

/* Ask for a descriptor event at position pos of wrap w (§2.8.10). */
static void
vq_packed_set_event(struct vq *vq, uint16_t pos, bool w)
{
	struct vq_packed *p = &vq->vq_p;

	vq_st16(&p->drv->off_wrap, (uint16_t)(pos | (w ? VQ_EVENT_WRAP : 0)));
	vq_ring_sync(vq, &p->drv->off_wrap, sizeof(uint16_t), VIRTIO_DMA_TO_DEVICE);
}

/* Where next_used should point: re-arm a descriptor event there. */
static void
vq_packed_arm_event(struct vq *vq)
{
	vq_packed_set_event(vq, vq->vq_p.next_used, vq->vq_p.used_wrap);
}

static void
vq_packed_set_flags(struct vq *vq, uint16_t flags)
{
	struct vq_packed *p = &vq->vq_p;

	p->event_flags = flags;
	vq_st16(&p->drv->flags, flags);
	vq_ring_sync(vq, &p->drv->flags, sizeof(uint16_t), VIRTIO_DMA_TO_DEVICE);
}

/* The flags of the descriptor at next_used, as the device left them. */
static uint16_t
vq_packed_next_flags(const struct vq *vq)
{
	const uint16_t *f = &vq->vq_p.desc[vq->vq_p.next_used].flags;

	vq_ring_sync(vq, f, sizeof(*f), VIRTIO_DMA_FROM_DEVICE);
	return vq_ld16(f);
}

int
vq_packed_get(struct vq *vq, void **token, uint32_t *len)
{
	struct vq_packed *p = &vq->vq_p;
	struct vq_pdesc *d = &p->desc[p->next_used];
	uint16_t id, pos;
	uint32_t ulen;

	if (!vq_packed_used_ready(vq, vq_packed_next_flags(vq)))
		return VIRTIO_EAGAIN;
	/* The flags load before the id and len it covers. */
	virtio_rmb();
	vq_ring_sync(vq, d, offsetof(struct vq_pdesc, flags), VIRTIO_DMA_FROM_DEVICE);
	id = vq_ld16(&d->id);
	ulen = vq_ld32(&d->len);
	if (vq_check_used(vq, id, ulen))
		return VIRTIO_EBADDEV;
	*token = vq->vq_slots[id].token;
	*len = ulen;
	pos = (uint16_t)(p->next_used + vq->vq_slots[id].ndesc);
	if (pos >= vq->vq_num) {
		pos = (uint16_t)(pos - vq->vq_num);
		p->used_wrap = !p->used_wrap;
	}
	p->next_used = pos;
	vq_packed_free_slot(vq, id);
	if (p->event_flags == VQ_EVENT_DESC && !vq->vq_cb_off) {
		vq_packed_arm_event(vq);
		virtio_mb();
	}
	return VIRTIO_OK;
}

bool
vq_packed_enable_cb(struct vq *vq)
{
	if (vq->vq_event) {
		vq_packed_arm_event(vq);
		/* The event position before the flags that enable it. */
		virtio_wmb();
		vq_packed_set_flags(vq, VQ_EVENT_DESC);
	} else {
		vq_packed_set_flags(vq, VQ_EVENT_ENABLE);
	}
	/* Publish before re-reading the next used descriptor. */
	virtio_mb();
	return !vq_packed_used_ready(vq, vq_packed_next_flags(vq));
}

/*
 * Event index only (the caller checked). Positions from next_used to
 * next_avail hold the ring descriptors of the buffers in flight (num -
 * num_free of them); the device passes each as it uses them. The event
 * goes 3/4 of them ahead, at most all but one, so the device reaches it
 * at the latest with the last buffer in flight, in whatever order it uses
 * them. Like QEMU and Linux, a device that skips the position (inside a
 * used chain) still passes it.
 */
bool
vq_packed_enable_cb_delayed(struct vq *vq)
{
	struct vq_packed *p = &vq->vq_p;
	unsigned busy = (unsigned)(vq->vq_num - vq->vq_num_free);
	unsigned pos = p->next_used + (busy * 3u) / 4u;
	bool w = p->used_wrap;

	if (pos >= vq->vq_num) {
		pos -= vq->vq_num;
		w = !w;
	}
	vq_packed_set_event(vq, (uint16_t)pos, w);
	/* The event position before the flags that enable it. */
	virtio_wmb();
	vq_packed_set_flags(vq, VQ_EVENT_DESC);
	/* Publish before re-reading the next used descriptor. */
	virtio_mb();
	return !vq_packed_used_ready(vq, vq_packed_next_flags(vq));
}

void
vq_packed_disable_cb(struct vq *vq)
{
	vq_packed_set_flags(vq, VQ_EVENT_DISABLE);
}
