// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vionet.c: the portable virtio-net driver (virtio 1.4 §5.1): feature
 * negotiation and configuration (§5.1.3-5.1.5), device initialisation and
 * receive buffers (§5.1.6.1, §5.1.9.3), transmit (§5.1.9.2), receive and
 * merged buffers (§5.1.9.4), link status (§5.1.4 status), the control queue
 * (§5.1.9.5: RX mode, MAC filter, MQ pairs). See vionet.h for the design.
 */
#include "virtio/platform.h"
#include "virtio/virtio.h"
#include "virtio/virtio_le.h"
#include "virtio/virtqueue.h"
#include "virtio/vionet.h"

#define VIONET_CHUNK 65536u                  /* bytes per DMA chunk of a pool */
#define VIONET_CTL_SIZE 512u                 /* control command area */
#define VIONET_CTL_ACK (VIONET_CTL_SIZE - 8) /* ack byte offset */
#define VIONET_REFILL_KICK 64                /* reposted buffers between kicks */
#define VIONET_POOL_END 0xffffu
#define VIONET_TX_BATCH 16 /* echoed frames between tx kicks */

static const struct vionet_hooks *vionet_hooks;
static struct vionet *vionet_list;

const struct virtio_feature_name vionet_feature_names[] = {
    {VIONET_F_CSUM, "CSUM"},
    {VIONET_F_GUEST_CSUM, "GUEST_CSUM"},
    {VIONET_F_CTRL_GUEST_OFFLOADS, "CTRL_GUEST_OFFLOADS"},
    {VIONET_F_MTU, "MTU"},
    {VIONET_F_MAC, "MAC"},
    {VIONET_F_MRG_RXBUF, "MRG_RXBUF"},
    {VIONET_F_STATUS, "STATUS"},
    {VIONET_F_CTRL_VQ, "CTRL_VQ"},
    {VIONET_F_CTRL_RX, "CTRL_RX"},
    {VIONET_F_CTRL_VLAN, "CTRL_VLAN"},
    {VIONET_F_GUEST_ANNOUNCE, "GUEST_ANNOUNCE"},
    {VIONET_F_MQ, "MQ"},
    {VIONET_F_CTRL_MAC_ADDR, "CTRL_MAC_ADDR"},
    {0, NULL},
};

static void
vionet_copy(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
}

static bool
vionet_has(const struct vionet *sc, unsigned bit)
{
	return virtio_has_feature(sc->sc_dev, bit);
}

/* Control features count only with the control queue (§5.1.3.1). */
static bool
vionet_has_ctrl(const struct vionet *sc, unsigned bit)
{
	return sc->sc_ctlq && vionet_has(sc, bit);
}

/* ---- buffer pools ------------------------------------------------------ */

static void
vionet_pool_free(struct vionet_pool *p)
{
	unsigned i;

	if (p->np_chunks) {
		for (i = 0; i < p->np_nchunks; i++)
			if (p->np_chunks[i].vd_cpu)
				virtio_dma_free(&p->np_chunks[i]);
		virtio_mem_free(p->np_chunks, p->np_nchunks * sizeof(struct virtio_dma));
	}
	if (p->np_bufs)
		virtio_mem_free(p->np_bufs, p->np_count * sizeof(struct vionet_buf));
	*p = (struct vionet_pool){0};
}

/* count buffers of size bytes, carved from chunks of up to 64 KiB. */
static int
vionet_pool_alloc(struct vionet_pool *p, unsigned count, uint32_t size)
{
	unsigned per, i, c;

	size = (size + 63u) & ~63u;
	per = size >= VIONET_CHUNK ? 1 : VIONET_CHUNK / size;
	p->np_count = count;
	p->np_size = size;
	p->np_nchunks = (count + per - 1) / per;
	p->np_bufs = virtio_mem_alloc(count * sizeof(struct vionet_buf));
	p->np_chunks = virtio_mem_alloc(p->np_nchunks * sizeof(struct virtio_dma));
	if (!p->np_bufs || !p->np_chunks)
		goto fail;
	for (c = 0; c < p->np_nchunks; c++)
		if (virtio_dma_alloc((size_t)size * per, 64, &p->np_chunks[c]))
			goto fail;
	for (i = 0; i < count; i++) {
		struct virtio_dma *d = &p->np_chunks[i / per];

		p->np_bufs[i].nb_cpu = (uint8_t *)d->vd_cpu + (size_t)(i % per) * size;
		p->np_bufs[i].nb_dev = d->vd_dev + (uint64_t)(i % per) * size;
		p->np_bufs[i].nb_chunk = (uint16_t)(i / per);
	}
	return VIRTIO_OK;
fail:
	vionet_pool_free(p);
	return VIRTIO_ENOMEM;
}

static void
vionet_buf_sync(const struct vionet_pool *p, const struct vionet_buf *b, enum virtio_dma_dir dir)
{
	const struct virtio_dma *d = &p->np_chunks[b->nb_chunk];

	virtio_dma_sync(d, (size_t)(b->nb_cpu - (uint8_t *)d->vd_cpu), p->np_size, dir);
}

/* ---- checksums ----------------------------------------------------------- */

uint16_t
vionet_csum_fold(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Complete a partial checksum (§5.1.6.2 point 1) over frame[start..len). */
static void
vionet_csum_finish(uint8_t *frame, size_t len, uint16_t start, uint16_t off)
{
	uint16_t sum = (uint16_t)~vionet_csum_fold(frame + start, len - start);

	frame[start + off] = (uint8_t)(sum >> 8);
	frame[start + off + 1] = (uint8_t)sum;
}

static bool
vionet_csum_fits(size_t len, uint32_t start, uint32_t off)
{
	return start < len && off + 2u <= len - start;
}

/* ---- receive ------------------------------------------------------------- */

int
vionet_rx_check(struct vionet *sc, uint8_t *buf, uint32_t len)
{
	uint8_t flags, gso;
	uint16_t start, off;
	uint32_t flen;

	if (len < sc->sc_hdr_len + VIONET_ETHER_MIN)
		return -1;
	flen = len - sc->sc_hdr_len;
	if (flen > sc->sc_frame_max + 4) /* + an 802.1Q tag */
		return -1;
	flags = buf[0];
	gso = buf[1];
	if (gso != VIONET_HDR_GSO_NONE)
		return -1; /* GUEST_TSO* never negotiated */
	if (flags && !vionet_has(sc, VIONET_F_GUEST_CSUM))
		return -1; /* §5.1.9.4.1: flags must be 0 */
	if (flags & VIONET_HDR_F_NEEDS_CSUM) {
		start = virtio_le16_load(buf + 6);
		off = virtio_le16_load(buf + 8);
		if (!vionet_csum_fits(flen, start, off))
			return -1;
		vionet_csum_finish(buf + sc->sc_hdr_len, flen, start, off);
		return VIONET_RX_CSUM_DONE;
	}
	return (flags & VIONET_HDR_F_DATA_VALID) ? VIONET_RX_CSUM_VALID : 0;
}

/* Give receive buffer b to the device. */
static void
vionet_rx_post(struct vionet *sc, struct vionet_buf *b)
{
	struct vq_seg segs[2];
	uint32_t size = sc->sc_rx.np_size;
	unsigned n = 1;
	int err;

	if (sc->sc_legacy) {
		/* Legacy without ANY_LAYOUT: the header has its own
		 * descriptor; the two are adjacent, so the bytes land as if
		 * in one buffer. */
		segs[0] = (struct vq_seg){b->nb_dev, sc->sc_hdr_len, true};
		segs[1] = (struct vq_seg){b->nb_dev + sc->sc_hdr_len, size - sc->sc_hdr_len, true};
		n = 2;
	} else {
		segs[0] = (struct vq_seg){b->nb_dev, size, true};
	}
	err = vq_add(sc->sc_rxq, segs, n, b);
	if (err == VIRTIO_OK) {
		b->nb_busy = true;
		sc->sc_rx_posted++;
	}
}

/* Fill the receive ring with every buffer not already posted. */
static void
vionet_rx_fill(struct vionet *sc)
{
	unsigned i;

	for (i = 0; i < sc->sc_rx.np_count; i++)
		if (!sc->sc_rx.np_bufs[i].nb_busy)
			vionet_rx_post(sc, &sc->sc_rx.np_bufs[i]);
}

static void
vionet_rx_deliver(struct vionet *sc, uint8_t *buf, uint32_t len)
{
	int flags = vionet_rx_check(sc, buf, len);

	if (flags < 0) {
		sc->sc_st.ns_rx_drops++;
		return;
	}
	sc->sc_st.ns_rx_frames++;
	sc->sc_st.ns_rx_bytes += len - sc->sc_hdr_len;
	if (sc->sc_hooks && sc->sc_hooks->vh_rx)
		sc->sc_hooks->vh_rx(sc, buf + sc->sc_hdr_len, len - sc->sc_hdr_len,
		                    (unsigned)flags);
}

/* Append one buffer of a merged frame to the reassembly area. */
static void
vionet_rx_append(struct vionet *sc, const uint8_t *p, uint32_t len)
{
	if (sc->sc_big_drop || len > sc->sc_big.vd_size - sc->sc_big_len) {
		sc->sc_big_drop = true;
		return;
	}
	vionet_copy((uint8_t *)sc->sc_big.vd_cpu + sc->sc_big_len, p, len);
	sc->sc_big_len += len;
}

/* First buffer of a frame with MRG_RXBUF. false: the device broke. */
static bool
vionet_rx_mrg_first(struct vionet *sc, struct vionet_buf *b, uint32_t len)
{
	uint16_t nbufs;

	if (len < sc->sc_hdr_len) {
		virtio_device_break(sc->sc_dev, "rx: used length shorter "
		                                "than the header");
		return false;
	}
	nbufs = virtio_le16_load(b->nb_cpu + 10);
	if (nbufs == 0 || nbufs - 1u > sc->sc_rx_posted) {
		virtio_log(VIRTIO_LOG_ERR, "%s: rx: num_buffers %u, %u posted", sc->sc_dev->vd_name,
		           nbufs, sc->sc_rx_posted + 1);
		virtio_device_break(sc->sc_dev, "rx: num_buffers larger "
		                                "than the buffers posted");
		return false;
	}
	if (nbufs == 1) {
		vionet_rx_deliver(sc, b->nb_cpu, len);
		return true;
	}
	sc->sc_st.ns_rx_merged++;
	sc->sc_big_len = 0;
	sc->sc_big_drop = false;
	sc->sc_big_left = (uint16_t)(nbufs - 1);
	if (len != sc->sc_rx.np_size) {
		virtio_device_break(sc->sc_dev, "rx: merged buffer not full");
		return false;
	}
	vionet_rx_append(sc, b->nb_cpu, len);
	return true;
}

/* A continuation buffer of a merged frame. false: the device broke. */
static bool
vionet_rx_mrg_next(struct vionet *sc, struct vionet_buf *b, uint32_t len)
{
	sc->sc_big_left--;
	if (sc->sc_big_left > 0 && len != sc->sc_rx.np_size) {
		virtio_device_break(sc->sc_dev, "rx: merged buffer not full");
		return false;
	}
	vionet_rx_append(sc, b->nb_cpu, len);
	if (sc->sc_big_left > 0)
		return true;
	if (sc->sc_big_drop)
		sc->sc_st.ns_rx_drops++;
	else
		vionet_rx_deliver(sc, sc->sc_big.vd_cpu, sc->sc_big_len);
	return true;
}

/* One used receive buffer: hand its frame up, give it back. */
static void
vionet_rx_one(struct vionet *sc, struct vionet_buf *b, uint32_t len)
{
	bool ok = true;

	b->nb_busy = false;
	sc->sc_rx_posted--;
	vionet_buf_sync(&sc->sc_rx, b, VIRTIO_DMA_FROM_DEVICE);
	if (!sc->sc_mrg)
		vionet_rx_deliver(sc, b->nb_cpu, len);
	else if (sc->sc_big_left == 0)
		ok = vionet_rx_mrg_first(sc, b, len);
	else
		ok = vionet_rx_mrg_next(sc, b, len);
	if (ok)
		vionet_rx_post(sc, b);
}

/* ---- transmit ------------------------------------------------------------ */

static void
vionet_tx_reclaim(struct vionet *sc)
{
	struct vionet_buf *b;
	void *tok;
	uint32_t len;

	while (vq_get(sc->sc_txq, &tok, &len) == VIRTIO_OK) {
		b = tok;
		b->nb_busy = false;
		b->nb_next = sc->sc_tx_free;
		sc->sc_tx_free = (uint16_t)(b - sc->sc_tx.np_bufs);
		sc->sc_tx_nfree++;
	}
}

static void
vionet_tx_kick(struct vionet *sc)
{
	if (sc->sc_tx_pending == 0)
		return;
	sc->sc_tx_pending = 0;
	vq_kick(sc->sc_txq);
}

/* Reserve a transmit buffer and ring room, reclaiming first if needed. */
static struct vionet_buf *
vionet_tx_get(struct vionet *sc)
{
	unsigned need = sc->sc_legacy && !vq_has_indirect(sc->sc_txq) ? 2 : 1;
	struct vionet_buf *b;

	if (sc->sc_tx_nfree == 0 || vq_num_free(sc->sc_txq) < need)
		vionet_tx_reclaim(sc);
	if (sc->sc_tx_nfree == 0 || vq_num_free(sc->sc_txq) < need) {
		sc->sc_st.ns_tx_full++;
		if (!sc->sc_tx_waiting) {
			sc->sc_tx_waiting = true;
			vionet_tx_kick(sc);
			if (!vq_enable_cb(sc->sc_txq))
				vionet_tx_reclaim(sc);
		}
		return NULL;
	}
	b = &sc->sc_tx.np_bufs[sc->sc_tx_free];
	sc->sc_tx_free = b->nb_next;
	sc->sc_tx_nfree--;
	return b;
}

static int
vionet_send_check(struct vionet *sc, size_t len, const struct vionet_csum *c)
{
	if (vq_is_broken(sc->sc_txq))
		return VIRTIO_EBADDEV;
	if (len < VIONET_ETHER_MIN || len > sc->sc_frame_max)
		return VIRTIO_EINVAL;
	if (c && !vionet_csum_fits(len, c->nc_start, c->nc_offset))
		return VIRTIO_EINVAL;
	return VIRTIO_OK;
}

/* Header (zeroed, or a checksum request) and frame into b. */
static void
vionet_tx_fill(struct vionet *sc, struct vionet_buf *b, const void *frame, size_t len,
               const struct vionet_csum *c)
{
	uint8_t *h = b->nb_cpu;
	unsigned i;

	for (i = 0; i < sc->sc_hdr_len; i++)
		h[i] = 0;
	vionet_copy(h + sc->sc_hdr_len, frame, len);
	if (!c)
		return;
	if (!vionet_has(sc, VIONET_F_CSUM)) {
		vionet_csum_finish(h + sc->sc_hdr_len, len, c->nc_start, c->nc_offset);
		return;
	}
	h[0] = VIONET_HDR_F_NEEDS_CSUM;
	h[6] = (uint8_t)c->nc_start;
	h[7] = (uint8_t)(c->nc_start >> 8);
	h[8] = (uint8_t)c->nc_offset;
	h[9] = (uint8_t)(c->nc_offset >> 8);
}

int
vionet_send(struct vionet *sc, const void *frame, size_t len, const struct vionet_csum *csum)
{
	struct vq_seg segs[2];
	struct vionet_buf *b;
	unsigned n = 1;
	int err = vionet_send_check(sc, len, csum);

	if (err) {
		sc->sc_st.ns_tx_errors++;
		return err;
	}
	b = vionet_tx_get(sc);
	if (!b)
		return VIRTIO_EAGAIN;
	vionet_tx_fill(sc, b, frame, len, csum);
	vionet_buf_sync(&sc->sc_tx, b, VIRTIO_DMA_TO_DEVICE);
	if (sc->sc_legacy) {
		segs[0] = (struct vq_seg){b->nb_dev, sc->sc_hdr_len, false};
		segs[1] = (struct vq_seg){b->nb_dev + sc->sc_hdr_len, (uint32_t)len, false};
		n = 2;
	} else {
		segs[0] = (struct vq_seg){b->nb_dev, (uint32_t)(sc->sc_hdr_len + len), false};
	}
	err = vq_add(sc->sc_txq, segs, n, b);
	if (err) {
		b->nb_next = sc->sc_tx_free;
		sc->sc_tx_free = (uint16_t)(b - sc->sc_tx.np_bufs);
		sc->sc_tx_nfree++;
		sc->sc_st.ns_tx_errors++;
		return err;
	}
	b->nb_busy = true;
	sc->sc_st.ns_tx_frames++;
	sc->sc_st.ns_tx_bytes += len;
	sc->sc_tx_pending++;
	if (!sc->sc_in_poll)
		vionet_tx_kick(sc);
	return VIRTIO_OK;
}

/* ---- poll and interrupts ------------------------------------------------- */

/* Transmit side of a poll: reclaim, and wake a waiting sender. */
static void
vionet_poll_tx(struct vionet *sc)
{
	vionet_tx_reclaim(sc);
	if (sc->sc_tx_waiting && sc->sc_tx_nfree > 0) {
		sc->sc_tx_waiting = false;
		vq_disable_cb(sc->sc_txq);
		if (sc->sc_hooks && sc->sc_hooks->vh_tx_ready)
			sc->sc_hooks->vh_tx_ready(sc);
	}
}

/* Next used receive buffer; at the end, re-enable callbacks with the
 * race re-check (§2.7.7, §5.1.9.4). */
static int
vionet_rx_next(struct vionet *sc, void **tok, uint32_t *len, bool *drained)
{
	int err;

	for (;;) {
		err = vq_get(sc->sc_rxq, tok, len);
		if (err != VIRTIO_EAGAIN)
			return err;
		if (vq_enable_cb(sc->sc_rxq)) {
			*drained = true;
			return VIRTIO_EAGAIN;
		}
		vq_disable_cb(sc->sc_rxq);
	}
}

bool
vionet_poll(struct vionet *sc, unsigned budget)
{
	bool drained = false;
	unsigned n = 0, since_kick = 0;
	uint32_t len;
	void *tok;

	sc->sc_st.ns_polls++;
	sc->sc_in_poll = true;
	while (budget == 0 || n < budget) {
		if (vionet_rx_next(sc, &tok, &len, &drained) != VIRTIO_OK)
			break;
		vionet_rx_one(sc, tok, len);
		n++;
		if (++since_kick == VIONET_REFILL_KICK) {
			since_kick = 0;
			vq_kick(sc->sc_rxq);
		}
		if (sc->sc_tx_pending >= VIONET_TX_BATCH)
			vionet_tx_kick(sc);
	}
	sc->sc_in_poll = false;
	vq_kick(sc->sc_rxq);
	vionet_poll_tx(sc);
	vionet_tx_kick(sc);
	if (vq_is_broken(sc->sc_rxq))
		return false;
	return !drained;
}

static void
vionet_schedule(struct vionet *sc)
{
	if (!sc->sc_running) {
		/* Shared INTx during the probe: not ours yet. The probe
		 * polls once it is done. */
		vq_enable_cb(sc->sc_rxq);
		return;
	}
	if (sc->sc_hooks && sc->sc_hooks->vh_schedule)
		sc->sc_hooks->vh_schedule(sc);
	else
		while (vionet_poll(sc, 0))
			;
}

/*
 * Queue interrupts: callbacks off, then the OS polls (NAPI). With
 * EVENT_IDX, vq_disable_cb after an interrupt only marks the queue off
 * (the core leaves the ring alone: the device stays quiet until
 * used_event moves, §2.7.10 / §2.8.10); the poll's vq_enable_cb re-arms
 * with the race re-check.
 */
static void
vionet_rx_cb(struct vq *vq, void *arg)
{
	vq_disable_cb(vq);
	vionet_schedule(arg);
}

static void
vionet_tx_cb(struct vq *vq, void *arg)
{
	vq_disable_cb(vq);
	vionet_schedule(arg);
}

static void
vionet_link_read(struct vionet *sc)
{
	uint16_t status;

	if (!vionet_has(sc, VIONET_F_STATUS)) {
		sc->sc_link_up = true;
		return;
	}
	if (virtio_config_read16(sc->sc_dev, VIONET_CFG_STATUS, &status))
		return;
	sc->sc_link_up = (status & VIONET_S_LINK_UP) != 0;
}

static void
vionet_config_changed(struct virtio_device *dev)
{
	struct vionet *sc = dev->vd_priv;
	bool was;

	if (!sc)
		return;
	sc->sc_st.ns_config_irqs++;
	was = sc->sc_link_up;
	vionet_link_read(sc);
	if (was != sc->sc_link_up && sc->sc_hooks && sc->sc_hooks->vh_link)
		sc->sc_hooks->vh_link(sc, sc->sc_link_up);
}

/* ---- control queue ------------------------------------------------------- */

/* The control queue's interrupt: the command was used, wake its waiter. */
static void
vionet_ctrl_intr(struct vq *vq, void *arg)
{
	virtio_wake(vq);
}

/* The command in flight, as the wait condition collects it. */
struct vionet_ctrl_wait {
	struct vionet *cw_sc;
	int cw_err;
	uint32_t cw_len;
};

static bool
vionet_ctrl_used(void *arg)
{
	struct vionet_ctrl_wait *w = arg;
	void *tok;

	w->cw_err = vq_get(w->cw_sc->sc_ctlq, &tok, &w->cw_len);
	return w->cw_err != VIRTIO_EAGAIN;
}

/* Wait (bounded) for the device to use the command buffer. */
static int
vionet_ctrl_wait(struct vionet *sc, uint32_t *len)
{
	struct vionet_ctrl_wait w = {sc, VIRTIO_EAGAIN, 0};

	if (virtio_wait(sc->sc_ctlq, vionet_ctrl_used, &w, VIONET_CTRL_TIMEOUT_US) == VIRTIO_OK) {
		*len = w.cw_len;
		return w.cw_err;
	}
	virtio_device_break(sc->sc_dev, "control command never answered");
	return VIRTIO_ETIMEDOUT;
}

static int
vionet_ctrl(struct vionet *sc, uint8_t cls, uint8_t cmd, const void *data, size_t len)
{
	uint8_t *p = sc->sc_ctl.vd_cpu;
	struct vq_seg segs[2];
	uint32_t used;
	int err;

	if (!sc->sc_ctlq)
		return VIRTIO_EUNSUPP;
	if (len + 2 > VIONET_CTL_ACK)
		return VIRTIO_EINVAL;
	/* One command at a time: the caller holds no lock while it waits. */
	if (__atomic_exchange_n(&sc->sc_ctl_busy, true, __ATOMIC_ACQUIRE))
		return VIRTIO_EBUSY;
	p[0] = cls;
	p[1] = cmd;
	if (len)
		vionet_copy(p + 2, data, len);
	p[VIONET_CTL_ACK] = 0xff;
	segs[0] = (struct vq_seg){sc->sc_ctl.vd_dev, (uint32_t)(2 + len), false};
	segs[1] = (struct vq_seg){sc->sc_ctl.vd_dev + VIONET_CTL_ACK, 1, true};
	sc->sc_st.ns_ctrl_cmds++;
	err = vq_add(sc->sc_ctlq, segs, 2, sc);
	if (err == VIRTIO_OK) {
		vq_kick(sc->sc_ctlq);
		err = vionet_ctrl_wait(sc, &used);
	}
	if (err == VIRTIO_OK && (used < 1 || p[VIONET_CTL_ACK] != VIONET_CTRL_OK))
		err = VIRTIO_EIO;
	if (err)
		sc->sc_st.ns_ctrl_errors++;
	__atomic_store_n(&sc->sc_ctl_busy, false, __ATOMIC_RELEASE);
	return err;
}

int
vionet_set_promisc(struct vionet *sc, bool on)
{
	uint8_t v = on;
	int err;

	if (!vionet_has_ctrl(sc, VIONET_F_CTRL_RX))
		return VIRTIO_EUNSUPP;
	err = vionet_ctrl(sc, VIONET_CTRL_RX, VIONET_CTRL_RX_PROMISC, &v, 1);
	if (err == VIRTIO_OK)
		sc->sc_promisc = on;
	return err;
}

int
vionet_set_allmulti(struct vionet *sc, bool on)
{
	uint8_t v = on;
	int err;

	if (!vionet_has_ctrl(sc, VIONET_F_CTRL_RX))
		return VIRTIO_EUNSUPP;
	err = vionet_ctrl(sc, VIONET_CTRL_RX, VIONET_CTRL_RX_ALLMULTI, &v, 1);
	if (err == VIRTIO_OK)
		sc->sc_allmulti = on;
	return err;
}

/* One table of the MAC_TABLE_SET command: le32 count, then addresses. */
static size_t
vionet_mac_table_put(uint8_t *p, const uint8_t (*t)[6], unsigned n)
{
	unsigned i;

	p[0] = (uint8_t)n;
	p[1] = p[2] = p[3] = 0;
	for (i = 0; i < n; i++)
		vionet_copy(p + 4 + 6 * i, t[i], 6);
	return 4 + 6 * (size_t)n;
}

int
vionet_set_mac_table(struct vionet *sc, const uint8_t (*uc)[6], unsigned nuc,
                     const uint8_t (*mc)[6], unsigned nmc)
{
	uint8_t data[8 + 6 * VIONET_MAC_TABLE_MAX];
	size_t len;

	if (!vionet_has_ctrl(sc, VIONET_F_CTRL_RX))
		return VIRTIO_EUNSUPP;
	if (nuc + nmc > VIONET_MAC_TABLE_MAX || (nuc && !uc) || (nmc && !mc))
		return VIRTIO_EINVAL;
	len = vionet_mac_table_put(data, uc, nuc);
	len += vionet_mac_table_put(data + len, mc, nmc);
	return vionet_ctrl(sc, VIONET_CTRL_MAC, VIONET_CTRL_MAC_TABLE_SET, data, len);
}

/* ---- probe and remove ---------------------------------------------------- */

/* MAC, MTU, queue pairs, link (§5.1.4, §5.1.4.2). */
static int
vionet_config_parse(struct vionet *sc)
{
	struct virtio_device *dev = sc->sc_dev;
	uint16_t mtu = VIONET_MTU_DEFAULT, pairs = 1;
	int err = VIRTIO_OK;

	if (vionet_has(sc, VIONET_F_MAC))
		err = virtio_config_read(dev, VIONET_CFG_MAC, sc->sc_mac, 6);
	else /* locally administered, from the unit number */
		sc->sc_mac[0] = 0x02, sc->sc_mac[5] = (uint8_t)dev->vd_unit;
	if (!err && vionet_has(sc, VIONET_F_MQ))
		err = virtio_config_read16(dev, VIONET_CFG_MAX_PAIRS, &pairs);
	if (!err && vionet_has(sc, VIONET_F_MTU))
		err = virtio_config_read16(dev, VIONET_CFG_MTU, &mtu);
	if (err)
		return err;
	if (mtu < 68 || mtu > VIONET_MTU_MAX || pairs < 1 || pairs > 0x8000) {
		virtio_log(VIRTIO_LOG_ERR, "%s: bad config: mtu %u, pairs %u", dev->vd_name, mtu,
		           pairs);
		virtio_device_break(dev, "net config out of range");
		return VIRTIO_EBADDEV;
	}
	sc->sc_mtu = mtu;
	sc->sc_max_pairs = vionet_has(sc, VIONET_F_MQ) ? pairs : 1;
	sc->sc_frame_max = VIONET_ETHER_HDR + mtu;
	vionet_link_read(sc);
	return VIRTIO_OK;
}

static int
vionet_queue(struct vionet *sc, unsigned idx, vq_callback_fn *cb, const char *name, struct vq **out)
{
	struct vq_params p = {
	    .vqp_size = 0,
	    .vqp_indirect_max = sc->sc_legacy ? 2 : 0,
	    .vqp_callback = cb,
	    .vqp_arg = sc,
	    .vqp_name = name,
	};

	return vq_create(sc->sc_dev, idx, &p, out);
}

/* receiveq1, transmitq1 and the control queue after the last pair. */
static int
vionet_queues_create(struct vionet *sc)
{
	unsigned ctl = 2u * sc->sc_max_pairs;
	int err;

	err = vionet_queue(sc, 0, vionet_rx_cb, "rx0", &sc->sc_rxq);
	if (!err)
		err = vionet_queue(sc, 1, vionet_tx_cb, "tx0", &sc->sc_txq);
	if (err || !vionet_has(sc, VIONET_F_CTRL_VQ))
		return err;
	if (ctl >= sc->sc_dev->vd_nvqs) {
		virtio_device_break(sc->sc_dev, "no control queue");
		return VIRTIO_EBADDEV;
	}
	return vionet_queue(sc, ctl, vionet_ctrl_intr, "ctrl", &sc->sc_ctlq);
}

/* Receive and transmit pools, the merge area, the control area. */
static int
vionet_pools_create(struct vionet *sc)
{
	uint32_t whole = sc->sc_hdr_len + sc->sc_frame_max + 4;
	unsigned ntx = vq_size(sc->sc_txq);
	int err;

	if (ntx > VIONET_TX_MAX)
		ntx = VIONET_TX_MAX;
	err =
	    vionet_pool_alloc(&sc->sc_rx, vq_size(sc->sc_rxq), sc->sc_mrg ? VIONET_MRG_BUF : whole);
	if (!err)
		err = vionet_pool_alloc(&sc->sc_tx, ntx, sc->sc_hdr_len + sc->sc_frame_max);
	if (!err && sc->sc_mrg)
		err = virtio_dma_alloc(whole, 64, &sc->sc_big);
	if (!err && sc->sc_ctlq)
		err = virtio_dma_alloc(VIONET_CTL_SIZE, 64, &sc->sc_ctl);
	return err;
}

static void
vionet_tx_init(struct vionet *sc)
{
	unsigned i;

	for (i = 0; i < sc->sc_tx.np_count; i++)
		sc->sc_tx.np_bufs[i].nb_next =
		    (uint16_t)(i + 1 < sc->sc_tx.np_count ? i + 1 : VIONET_POOL_END);
	sc->sc_tx_free = sc->sc_tx.np_count ? 0 : VIONET_POOL_END;
	sc->sc_tx_nfree = sc->sc_tx.np_count;
	vq_disable_cb(sc->sc_txq); /* reclaimed on send and poll */
}

static void
vionet_free(struct vionet *sc)
{
	vionet_pool_free(&sc->sc_rx);
	vionet_pool_free(&sc->sc_tx);
	if (sc->sc_big.vd_cpu)
		virtio_dma_free(&sc->sc_big);
	if (sc->sc_ctl.vd_cpu)
		virtio_dma_free(&sc->sc_ctl);
	virtio_mem_free(sc, sizeof(*sc));
}

/* After DRIVER_OK: one queue pair, a known receive filter. */
static void
vionet_start(struct vionet *sc)
{
	uint16_t one = 1;

	vq_kick(sc->sc_rxq);
	if (vionet_has_ctrl(sc, VIONET_F_MQ) &&
	    vionet_ctrl(sc, VIONET_CTRL_MQ, VIONET_CTRL_MQ_PAIRS_SET, &one, 2))
		virtio_log(VIRTIO_LOG_WARN, "%s: MQ pairs set failed", sc->sc_dev->vd_name);
	if (vionet_has_ctrl(sc, VIONET_F_CTRL_RX) &&
	    (vionet_set_promisc(sc, false) || vionet_set_allmulti(sc, false)))
		virtio_log(VIRTIO_LOG_WARN, "%s: rx mode set failed", sc->sc_dev->vd_name);
}

static int
vionet_probe(struct virtio_device *dev)
{
	struct vionet *sc = virtio_mem_alloc(sizeof(*sc));
	int err;

	if (!sc)
		return VIRTIO_ENOMEM;
	sc->sc_dev = dev;
	sc->sc_hooks = vionet_hooks;
	sc->sc_mrg = virtio_has_feature(dev, VIONET_F_MRG_RXBUF);
	sc->sc_legacy = !virtio_has_feature(dev, VIRTIO_F_VERSION_1);
	sc->sc_hdr_len =
	    (sc->sc_mrg || !sc->sc_legacy) ? sizeof(struct vionet_hdr) : VIONET_HDR_LEGACY_LEN;
	err = vionet_config_parse(sc);
	if (!err)
		err = vionet_queues_create(sc);
	if (!err)
		err = vionet_pools_create(sc);
	if (err) {
		vionet_free(sc); /* queues: destroyed by the core */
		return err;
	}
	dev->vd_priv = sc;
	vionet_tx_init(sc);
	vionet_rx_fill(sc);
	virtio_device_ready(dev);
	vionet_start(sc);
	sc->sc_next = vionet_list;
	vionet_list = sc;
	if (sc->sc_hooks && sc->sc_hooks->vh_attach)
		sc->sc_hooks->vh_attach(sc);
	sc->sc_running = true;
	vionet_schedule(sc); /* frames that came during the probe */
	return dev->vd_broken ? VIRTIO_EBADDEV : VIRTIO_OK;
}

static void
vionet_unlink(struct vionet *sc)
{
	struct vionet **pp;

	for (pp = &vionet_list; *pp; pp = &(*pp)->sc_next) {
		if (*pp == sc) {
			*pp = sc->sc_next;
			return;
		}
	}
}

static void
vionet_remove(struct virtio_device *dev)
{
	struct vionet *sc = dev->vd_priv;
	struct vq *qs[3];
	unsigned i;

	if (!sc)
		return;
	sc->sc_running = false;
	if (sc->sc_hooks && sc->sc_hooks->vh_detach)
		sc->sc_hooks->vh_detach(sc);
	vionet_unlink(sc);
	qs[0] = sc->sc_rxq, qs[1] = sc->sc_txq, qs[2] = sc->sc_ctlq;
	for (i = 0; i < 3; i++) {
		if (!qs[i])
			continue;
		while (vq_detach_unused(qs[i]))
			; /* pool buffers: freed with the pools */
		vq_destroy(qs[i]);
	}
	dev->vd_priv = NULL;
	vionet_free(sc);
}

#define VIONET_WANT                                                                                \
	(VIRTIO_F_CORE_DEFAULT | VIRTIO_BIT(VIONET_F_CSUM) | VIRTIO_BIT(VIONET_F_GUEST_CSUM) |     \
	 VIRTIO_BIT(VIONET_F_MTU) | VIRTIO_BIT(VIONET_F_MAC) | VIRTIO_BIT(VIONET_F_MRG_RXBUF) |    \
	 VIRTIO_BIT(VIONET_F_STATUS) | VIRTIO_BIT(VIONET_F_CTRL_VQ) |                              \
	 VIRTIO_BIT(VIONET_F_CTRL_RX) | VIRTIO_BIT(VIONET_F_MQ) |                                  \
	 VIRTIO_BIT(VIONET_F_CTRL_MAC_ADDR))

struct virtio_driver vionet_driver = {
    .vdrv_name = "vionet",
    .vdrv_device_id = VIRTIO_ID_NET,
    .vdrv_features = VIONET_WANT,
    .vdrv_feature_names = vionet_feature_names,
    .vdrv_probe = vionet_probe,
    .vdrv_remove = vionet_remove,
    .vdrv_config_changed = vionet_config_changed,
};

int
vionet_driver_register(const struct vionet_hooks *hooks)
{
	vionet_hooks = hooks;
	return virtio_driver_register(&vionet_driver);
}

struct vionet *
vionet_next(struct vionet *prev)
{
	return prev ? prev->sc_next : vionet_list;
}

bool
vionet_link_up(const struct vionet *sc)
{
	return sc->sc_link_up;
}

void
vionet_stats(const struct vionet *sc, struct vionet_stats *st)
{
	struct vq_stats rx, tx;

	*st = sc->sc_st;
	vq_stats_get(sc->sc_rxq, &rx);
	vq_stats_get(sc->sc_txq, &tx);
	st->ns_rx_irqs = rx.vqs_interrupts;
	st->ns_tx_irqs = tx.vqs_interrupts;
	st->ns_rx_kicks = rx.vqs_kicks;
	st->ns_tx_kicks = tx.vqs_kicks;
}
