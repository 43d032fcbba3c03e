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
	size_t n = vq->vq_num, ev_off = 16 * n;
	unsigned i;
	int err;

	err = virtio_dma_alloc(ev_off + 2 * sizeof(struct vq_event), 16,
	    &vq->vq_ring);
	if (err)
		return err;
	p->desc = vq->vq_ring.vd_cpu;
	p->drv = (struct vq_event *)((uint8_t *)vq->vq_ring.vd_cpu + ev_off);
	p->dev = p->drv + 1;
	p->avail_wrap = true;	/* §2.8.1: both counters start at 1 */
	p->used_wrap = true;
	p->event_flags = VQ_EVENT_ENABLE;
	if (vq->vq_event) {
		/* Interrupt per used descriptor position, not per buffer. */
		p->event_flags = VQ_EVENT_DESC;
		p->drv->off_wrap = VQ_EVENT_WRAP;
		p->drv->flags = VQ_EVENT_DESC;
	}
	for (i = 0; i < n; i++)
		vq->vq_next[i] = (uint16_t)(i + 1);
	vq->vq_free_head = 0;
	vq->vq_num_free = vq->vq_num;
	qi->vqi_size = vq->vq_num;
	qi->vqi_packed = true;
	qi->vqi_desc = vq->vq_ring.vd_dev;
	qi->vqi_driver = vq->vq_ring.vd_dev + ev_off;
	qi->vqi_device = qi->vqi_driver + sizeof(struct vq_event);
	virtio_dma_sync(&vq->vq_ring, 0, vq->vq_ring.vd_size,
	    VIRTIO_DMA_TO_DEVICE);
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
vq_packed_fill_itab(struct vq *vq, uint16_t id, const struct vq_seg *segs,
    unsigned n)
{
	struct vq_pdesc *t = vq_itab_cpu(vq, id);
	unsigned i;

	for (i = 0; i < n; i++) {
		t[i].addr = segs[i].vs_addr;
		t[i].len = segs[i].vs_len;
		t[i].id = 0;
		t[i].flags = segs[i].vs_write ? VQ_DESC_F_WRITE : 0;
	}
	virtio_dma_sync(&vq->vq_itab, (size_t)id * vq->vq_indirect_max *
	    sizeof(*t), n * sizeof(*t), VIRTIO_DMA_TO_DEVICE);
	return (uint32_t)(n * sizeof(*t));
}

/*
 * Write descriptor k of a buffer at the next ring position; the head's
 * flags are held back in *head_flags so the buffer appears at once.
 */
static void
vq_packed_put(struct vq *vq, uint64_t addr, uint32_t len, uint16_t id,
    uint16_t flags, bool first, uint16_t *head_flags)
{
	struct vq_packed *p = &vq->vq_p;
	struct vq_pdesc *d = &p->desc[p->next_avail];

	flags |= vq_packed_avail_bits(p->avail_wrap);
	d->addr = addr;
	d->len = len;
	d->id = id;
	if (first)
		*head_flags = flags;
	else
		vq_st16(&d->flags, flags);
	if (++p->next_avail == vq->vq_num) {
		p->next_avail = 0;
		p->avail_wrap = !p->avail_wrap;
	}
}

int
vq_packed_add(struct vq *vq, const struct vq_seg *segs, unsigned n,
    void *token)
{
	struct vq_packed *p = &vq->vq_p;
	uint16_t id = vq->vq_free_head, head = p->next_avail, hflags = 0;
	uint16_t ndesc;
	uint32_t wlen = 0;
	unsigned k;

	for (k = 0; k < n; k++)
		if (segs[k].vs_write)
			wlen += segs[k].vs_len;
	if (vq_use_indirect(vq, n)) {
		vq_packed_put(vq, vq_itab_dev(vq, id),
		    vq_packed_fill_itab(vq, id, segs, n), id,
		    VQ_DESC_F_INDIRECT, true, &hflags);
		ndesc = 1;
	} else {
		for (k = 0; k < n; k++)
			vq_packed_put(vq, segs[k].vs_addr, segs[k].vs_len, id,
			    (uint16_t)((segs[k].vs_write ? VQ_DESC_F_WRITE : 0) |
			    (k + 1 < n ? VQ_DESC_F_NEXT : 0)), k == 0, &hflags);
		ndesc = (uint16_t)n;
	}
	vq->vq_free_head = vq->vq_next[id];
	vq->vq_num_free -= ndesc;
	vq->vq_slots[id].token = token;
	vq->vq_slots[id].wlen = wlen;
	vq->vq_slots[id].ndesc = ndesc;
	/* The rest of the buffer before the head flags that publish it. */
	virtio_dma_sync(&vq->vq_ring, 0, vq->vq_ring.vd_size,
	    VIRTIO_DMA_TO_DEVICE);
	virtio_wmb();
	vq_st16(&p->desc[head].flags, hflags);
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
	virtio_dma_sync(&vq->vq_ring, 0, vq->vq_ring.vd_size,
	    VIRTIO_DMA_FROM_DEVICE);
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

/* Where next_used should point: re-arm a descriptor event there. */
static void
vq_packed_arm_event(struct vq *vq)
{
	struct vq_packed *p = &vq->vq_p;

	vq_st16(&p->drv->off_wrap, (uint16_t)(p->next_used |
	    (p->used_wrap ? VQ_EVENT_WRAP : 0)));
}

static int
vq_packed_check_used(struct vq *vq, uint16_t id, uint32_t len)
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
		vq_fault(vq, "used len beyond the buffer", len,
		    vq->vq_slots[id].wlen);
		return VIRTIO_EBADDEV;
	}
	return VIRTIO_OK;
}

int
vq_packed_get(struct vq *vq, void **token, uint32_t *len)
{
	struct vq_packed *p = &vq->vq_p;
	struct vq_pdesc *d = &p->desc[p->next_used];
	uint16_t id, pos;
	uint32_t ulen;

	virtio_dma_sync(&vq->vq_ring, 0, vq->vq_ring.vd_size,
	    VIRTIO_DMA_FROM_DEVICE);
	if (!vq_packed_used_ready(vq, vq_ld16(&d->flags)))
		return VIRTIO_EAGAIN;
	/* The flags load before the id and len it covers. */
	virtio_rmb();
	id = vq_ld16(&d->id);
	ulen = vq_ld32(&d->len);
	if (vq_packed_check_used(vq, id, ulen))
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
	if (p->event_flags == VQ_EVENT_DESC) {
		vq_packed_arm_event(vq);
		virtio_mb();
	}
	return VIRTIO_OK;
}

bool
vq_packed_enable_cb(struct vq *vq)
{
	struct vq_packed *p = &vq->vq_p;

	if (vq->vq_event) {
		vq_packed_arm_event(vq);
		/* The event position before the flags that enable it. */
		virtio_wmb();
		p->event_flags = VQ_EVENT_DESC;
	} else {
		p->event_flags = VQ_EVENT_ENABLE;
	}
	vq_st16(&p->drv->flags, p->event_flags);
	/* Publish before re-reading the next used descriptor. */
	virtio_mb();
	return !vq_packed_used_ready(vq, vq_ld16(&p->desc[p->next_used].flags));
}

void
vq_packed_disable_cb(struct vq *vq)
{
	struct vq_packed *p = &vq->vq_p;

	p->event_flags = VQ_EVENT_DISABLE;
	vq_st16(&p->drv->flags, p->event_flags);
}
