// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/virtqueue.c: the ring-neutral half of the queue API
 * (virtio/virtqueue.h): creation against the transport (§2.6, §4.1.5.1.3),
 * argument checks, counters, interrupts, reclaiming buffers after a reset.
 * The ring formats live in vq_split.c (§2.7) and vq_packed.c (§2.8).
 */
#include "virtio/vq_impl.h"

void
vq_fault(struct vq *vq, const char *what, uint32_t a, uint32_t b)
{
	struct virtio_device *dev = vq->vq_dev;

	vq->vq_broken = true;
	if (dev->vd_broken)
		return;
	virtio_log(VIRTIO_LOG_ERR,
	           "%s: queue %u (%s): device broke the spec: "
	           "%s (%u, %u)",
	           dev->vd_name, vq->vq_idx, vq->vq_name ? vq->vq_name : "?", what, a, b);
	virtio_device_break(dev, NULL);
}

/* Size the device offers for idx, or 0 after breaking the device. */
static uint16_t
vq_create_size(struct virtio_device *dev, unsigned idx, uint16_t want, bool packed, bool legacy)
{
	uint16_t max = dev->vd_ops->vto_queue_max(dev, idx);
	uint16_t size;

	if (max == 0 || max > VQ_MAX_SIZE || (!packed && (max & (max - 1)) != 0)) {
		if (!dev->vd_broken)
			virtio_log(VIRTIO_LOG_ERR,
			           "%s: queue %u: device "
			           "offers bad size %u",
			           dev->vd_name, idx, max);
		virtio_device_break(dev, NULL);
		return 0;
	}
	size = (legacy || want == 0 || want > max) ? max : want;
	if (!packed)
		while (size & (size - 1))
			size &= size - 1; /* round down to a power of 2 */
	return size;
}

static void
vq_free_mem(struct vq *vq)
{
	if (vq->vq_ring.vd_cpu)
		virtio_dma_free(&vq->vq_ring);
	if (vq->vq_itab.vd_cpu)
		virtio_dma_free(&vq->vq_itab);
	if (vq->vq_next)
		virtio_mem_free(vq->vq_next, vq->vq_num * sizeof(uint16_t));
	if (vq->vq_slots)
		virtio_mem_free(vq->vq_slots, vq->vq_num * sizeof(struct vq_slot));
	virtio_mem_free(vq, sizeof(*vq));
}

/* Allocate the queue object, its private arrays and indirect tables. */
static int
vq_alloc(struct virtio_device *dev, unsigned idx, uint16_t size, const struct vq_params *p,
         struct vq **out)
{
	struct vq *vq = virtio_mem_alloc(sizeof(*vq));

	if (!vq)
		return VIRTIO_ENOMEM;
	vq->vq_dev = dev;
	vq->vq_idx = idx;
	vq->vq_num = size;
	vq->vq_packed = virtio_has_feature(dev, VIRTIO_F_RING_PACKED);
	vq->vq_event = virtio_has_feature(dev, VIRTIO_F_RING_EVENT_IDX);
	vq->vq_indirect =
	    virtio_has_feature(dev, VIRTIO_F_RING_INDIRECT_DESC) && p->vqp_indirect_max > 1;
	vq->vq_indirect_max = vq->vq_indirect ? p->vqp_indirect_max : 0;
	vq->vq_cb = p->vqp_callback;
	vq->vq_cb_arg = p->vqp_arg;
	vq->vq_name = p->vqp_name;
	vq->vq_next = virtio_mem_alloc(size * sizeof(uint16_t));
	vq->vq_slots = virtio_mem_alloc(size * sizeof(struct vq_slot));
	if (!vq->vq_next || !vq->vq_slots)
		goto fail;
	if (vq->vq_indirect &&
	    virtio_dma_alloc((size_t)size * vq->vq_indirect_max * sizeof(struct vq_desc), 16,
	                     &vq->vq_itab) != VIRTIO_OK)
		goto fail;
	*out = vq;
	return VIRTIO_OK;
fail:
	vq_free_mem(vq);
	return VIRTIO_ENOMEM;
}

/*
 * The ring-neutral end of a ring's set-up: every descriptor (split) or
 * buffer id (packed) on the free list, and the ring, as the init function
 * laid it out, handed to the device whole.
 */
static void
vq_ring_start(struct vq *vq, struct virtio_queue_info *qi)
{
	unsigned i;

	for (i = 0; i < vq->vq_num; i++)
		vq->vq_next[i] = (uint16_t)(i + 1);
	vq->vq_free_head = 0;
	vq->vq_num_free = vq->vq_num;
	qi->vqi_size = vq->vq_num;
	qi->vqi_desc = vq->vq_ring.vd_dev; /* both rings start with descriptors */
	virtio_dma_sync(&vq->vq_ring, 0, vq->vq_ring.vd_size, VIRTIO_DMA_TO_DEVICE);
}

int
vq_create(struct virtio_device *dev, unsigned idx, const struct vq_params *p, struct vq **out)
{
	bool legacy, packed;
	struct virtio_queue_info qi;
	struct vq *vq;
	uint16_t size;
	int err;

	if (!dev || !p || !out)
		return VIRTIO_EINVAL;
	if (dev->vd_broken)
		return VIRTIO_EBADDEV;
	if (idx >= dev->vd_nvqs)
		return VIRTIO_ENODEV;
	if (dev->vd_vqs[idx])
		return VIRTIO_EBUSY;
	legacy = (dev->vd_ops->vto_flags & VIRTIO_TRANSPORT_LEGACY) != 0;
	packed = virtio_has_feature(dev, VIRTIO_F_RING_PACKED);
	size = vq_create_size(dev, idx, p->vqp_size, packed, legacy);
	if (size == 0)
		return VIRTIO_EBADDEV;
	err = vq_alloc(dev, idx, size, p, &vq);
	if (err)
		return err;
	err = packed ? vq_packed_init(vq, &qi) : vq_split_init(vq, legacy, &qi);
	if (err)
		goto fail;
	vq_ring_start(vq, &qi);
	err = dev->vd_ops->vto_queue_enable(dev, idx, &qi);
	if (err)
		goto fail;
	dev->vd_vqs[idx] = vq;
	*out = vq;
	return VIRTIO_OK;
fail:
	vq_free_mem(vq);
	return err;
}

void
vq_destroy(struct vq *vq)
{
	struct virtio_device *dev;

	if (!vq)
		return;
	dev = vq->vq_dev;
	if (vq->vq_idx < dev->vd_nvqs && dev->vd_vqs[vq->vq_idx] == vq)
		dev->vd_vqs[vq->vq_idx] = NULL;
	if (dev->vd_ops->vto_queue_disable)
		dev->vd_ops->vto_queue_disable(dev, vq->vq_idx);
	vq_free_mem(vq);
}

/*
 * Caller's side of vq_add: everything checked before the ring is touched.
 * Also sums the device-writable bytes (the bound for the used length), so
 * the ring code does not walk the segments a second time.
 */
static int
vq_add_check(const struct vq *vq, const struct vq_seg *segs, unsigned n, const void *token,
             uint32_t *wlen)
{
	uint32_t w = 0;
	unsigned i;

	if (!segs || !token || n == 0 || n > vq->vq_num)
		return VIRTIO_EINVAL;
	for (i = 0; i < n; i++) {
		/* Zero length, or readable after writable (w already > 0). */
		if (segs[i].vs_len == 0 || (w && !segs[i].vs_write))
			return VIRTIO_EINVAL;
		if (segs[i].vs_write) {
			if (segs[i].vs_len > UINT32_MAX - w)
				return VIRTIO_EINVAL;
			w += segs[i].vs_len;
		}
	}
	if (vq->vq_num_free < (vq_use_indirect(vq, n) ? 1 : n))
		return VIRTIO_ENOSPC;
	*wlen = w;
	return VIRTIO_OK;
}

int
vq_add(struct vq *vq, const struct vq_seg *segs, unsigned nsegs, void *token)
{
	uint32_t wlen;
	int err;

	if (vq->vq_broken || vq->vq_dev->vd_broken)
		return VIRTIO_EBADDEV;
	err = vq_add_check(vq, segs, nsegs, token, &wlen);
	if (err)
		return err;
	/*
	 * Counted before the ring add publishes the buffer (it cannot fail
	 * now): a device that uses it at once, and an interrupt that collects
	 * it before we return, find the count that covers it.
	 */
	vq->vq_inflight++;
	vq->vq_st.vqs_added++;
	if (vq->vq_packed)
		return vq_packed_add(vq, segs, nsegs, token, wlen);
	return vq_split_add(vq, segs, nsegs, token, wlen);
}

bool
vq_kick_prepare(struct vq *vq)
{
	if (vq->vq_broken || vq->vq_dev->vd_broken)
		return false;
	if (vq->vq_num_added == 0)
		return false; /* nothing new for the device */
	if (vq->vq_packed)
		return vq_packed_kick_prepare(vq);
	return vq_split_kick_prepare(vq);
}

void
vq_notify(struct vq *vq)
{
	struct virtio_device *dev = vq->vq_dev;

	if (vq->vq_broken || dev->vd_broken)
		return;
	vq->vq_st.vqs_kicks++;
	dev->vd_ops->vto_notify(dev, vq->vq_idx);
}

bool
vq_kick(struct vq *vq)
{
	if (!vq_kick_prepare(vq))
		return false;
	vq_notify(vq);
	return true;
}

int
vq_get(struct vq *vq, void **token, uint32_t *len)
{
	int err;

	if (vq->vq_broken || vq->vq_dev->vd_broken)
		return VIRTIO_EBADDEV;
	if (vq->vq_packed)
		err = vq_packed_get(vq, token, len);
	else
		err = vq_split_get(vq, token, len);
	if (err == VIRTIO_OK) {
		vq->vq_inflight--;
		vq->vq_st.vqs_completions++;
		/* Callbacks on: the ring code re-armed past the event the
		 * device passed, so it may interrupt again. */
		if (!vq->vq_cb_off)
			vq->vq_event_triggered = false;
	}
	return err;
}

bool
vq_enable_cb(struct vq *vq)
{
	if (vq->vq_broken || vq->vq_dev->vd_broken)
		return true;
	vq->vq_cb_off = false;
	vq->vq_event_triggered = false;
	if (vq->vq_packed)
		return vq_packed_enable_cb(vq);
	return vq_split_enable_cb(vq);
}

bool
vq_enable_cb_delayed(struct vq *vq)
{
	if (vq->vq_broken || vq->vq_dev->vd_broken)
		return true;
	if (!vq->vq_event)
		return vq_enable_cb(vq);
	vq->vq_cb_off = false;
	vq->vq_event_triggered = false;
	if (vq->vq_packed)
		return vq_packed_enable_cb_delayed(vq);
	return vq_split_enable_cb_delayed(vq);
}

/*
 * After an interrupt with event index, the event the device just passed
 * already silences it until we move the event field again (§2.7.10,
 * §2.8.10), so only the shadow changes, as Linux does: no ring write per
 * interrupt. vq_get does not re-arm while the shadow says off (and clears
 * the mark when it re-arms with callbacks on); vq_enable_cb re-arms.
 */
void
vq_disable_cb(struct vq *vq)
{
	if (vq->vq_cb_off)
		return;
	vq->vq_cb_off = true;
	if (vq->vq_event && vq->vq_event_triggered)
		return;
	if (vq->vq_packed)
		vq_packed_disable_cb(vq);
	else
		vq_split_disable_cb(vq);
}

void
vq_intr(struct vq *vq)
{
	vq->vq_st.vqs_interrupts++;
	if (vq->vq_event)
		vq->vq_event_triggered = true;
	if (vq->vq_cb && !vq->vq_broken && !vq->vq_dev->vd_broken)
		vq->vq_cb(vq, vq->vq_cb_arg);
}

void *
vq_detach_unused(struct vq *vq)
{
	void *token;
	unsigned s;

	for (s = 0; s < vq->vq_num; s++) {
		token = vq->vq_slots[s].token;
		if (!token)
			continue;
		if (vq->vq_packed)
			vq_packed_free_slot(vq, s);
		else
			vq_split_free_slot(vq, s);
		vq->vq_inflight--;
		return token;
	}
	return NULL;
}

unsigned
vq_num_free(const struct vq *vq)
{
	return vq->vq_num_free;
}

bool
vq_is_broken(const struct vq *vq)
{
	return vq->vq_broken || vq->vq_dev->vd_broken;
}

void
vq_stats_get(const struct vq *vq, struct vq_stats *st)
{
	*st = vq->vq_st;
}

uint16_t
vq_size(const struct vq *vq)
{
	return vq->vq_num;
}

bool
vq_is_packed(const struct vq *vq)
{
	return vq->vq_packed;
}

bool
vq_has_indirect(const struct vq *vq)
{
	return vq->vq_indirect;
}

bool
vq_has_event_idx(const struct vq *vq)
{
	return vq->vq_event;
}

unsigned
vq_index(const struct vq *vq)
{
	return vq->vq_idx;
}

const char *
vq_name(const struct vq *vq)
{
	return vq->vq_name;
}

struct virtio_device *
vq_device(const struct vq *vq)
{
	return vq->vq_dev;
}

void
vq_ring_state_get(const struct vq *vq, struct vq_ring_state *rs)
{
	const struct vq_split *s = &vq->vq_s;
	const struct vq_packed *p = &vq->vq_p;

	*rs = (struct vq_ring_state){
	    .vrs_inflight = vq->vq_inflight,
	    .vrs_num_added = vq->vq_num_added,
	    .vrs_cb_off = vq->vq_cb_off,
	    .vrs_event_triggered = vq->vq_event_triggered,
	};
	if (vq->vq_packed) {
		rs->vrs_avail_idx = p->next_avail;
		rs->vrs_last_used = p->next_used;
		rs->vrs_used_event = vq_ld16(&p->drv->off_wrap);
		rs->vrs_avail_event = vq_ld16(&p->dev->off_wrap);
		rs->vrs_avail_flags = vq_ld16(&p->drv->flags);
		rs->vrs_used_flags = vq_ld16(&p->dev->flags);
		return;
	}
	rs->vrs_avail_idx = vq_ld16(&s->avail[1]);
	rs->vrs_used_idx = vq_ld16(s->used + 2);
	rs->vrs_last_used = s->last_used;
	rs->vrs_used_event = vq_ld16(&s->avail[2 + vq->vq_num]);
	rs->vrs_avail_event = vq_ld16(s->used + 4 + 8 * (size_t)vq->vq_num);
	rs->vrs_avail_flags = vq_ld16(&s->avail[0]);
	rs->vrs_used_flags = vq_ld16(s->used);
}
