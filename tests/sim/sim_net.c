// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/sim/sim_net.c: the simulated virtio-net device of sim_net.h,
 * written from virtio 1.4 §5.1.4 (config), §5.1.6 (virtio_net_hdr),
 * §5.1.9.4 (receive, num_buffers) and §5.1.9.5 (control queue).
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_net.h"

#define N_F_MRG (1ull << 15)
#define N_F_MQ (1ull << 22)
#define N_F_V1 (1ull << 32)

static struct sim_net *
sn_of(struct virtio_device *dev)
{
	return sim_of(dev)->s_arg;
}

/* Bytes of the buffer's segments, as one run (writable ones only). */
static uint32_t
sn_buf_write(struct sim_buf *b, const uint8_t *p, uint32_t n)
{
	uint32_t done = 0, k;
	unsigned i;

	for (i = 0; i < b->sb_nsegs && done < n; i++) {
		if (!b->sb_seg[i].ss_write)
			continue;
		k = b->sb_seg[i].ss_len;
		if (k > n - done)
			k = n - done;
		memcpy(b->sb_seg[i].ss_p, p + done, k);
		done += k;
	}
	return done;
}

static uint32_t
sn_buf_read(struct sim_buf *b, uint8_t *p, uint32_t max)
{
	uint32_t done = 0, k;
	unsigned i;

	for (i = 0; i < b->sb_nsegs && done < max; i++) {
		if (b->sb_seg[i].ss_write)
			continue;
		k = b->sb_seg[i].ss_len;
		if (k > max - done)
			k = max - done;
		memcpy(p + done, b->sb_seg[i].ss_p, k);
		done += k;
	}
	return done;
}

/* §5.1.9.5: one control command; returns the ack. */
static uint8_t
sn_ctrl_apply(struct sim_net *sn, const uint8_t *c, uint32_t n)
{
	uint32_t nuc, nmc;

	if (n < 2)
		return 1;
	if (c[0] == 0 && (c[1] == 0 || c[1] == 1) && n == 3) {
		if (c[1] == 0)
			sn->sn_promisc = c[2];
		else
			sn->sn_allmulti = c[2];
		return 0;
	}
	if (c[0] == 1 && c[1] == 0 && n >= 10) {
		nuc = (uint32_t)c[2] | (uint32_t)c[3] << 8 | (uint32_t)c[4] << 16;
		if (nuc > SN_MAC_MAX || n < 2 + 4 + 6 * nuc + 4)
			return 1;
		memcpy(sn->sn_uc, c + 6, 6 * nuc);
		nmc = c[6 + 6 * nuc];
		if (n != 2 + 4 + 6 * nuc + 4 + 6 * nmc)
			return 1;
		sn->sn_nuc = nuc;
		sn->sn_nmc = nmc;
		return 0;
	}
	if (c[0] == 4 && c[1] == 0 && n == 4) {
		sn->sn_pairs = (unsigned)(c[2] | c[3] << 8);
		return 0;
	}
	return 1;
}

static void
sn_ctrl_serve(struct sim_net *sn)
{
	struct sim *s = sn->sn_sim;
	uint8_t cmd[600], ack;
	struct sim_buf *b;
	uint32_t n;

	sim_pop_all(s, sn->sn_ctlq);
	while (sim_inflight(s, sn->sn_ctlq) > 0) {
		b = sim_buf(s, sn->sn_ctlq, 0);
		n = sn_buf_read(b, cmd, sizeof(cmd));
		ack = sn_ctrl_apply(sn, cmd, n);
		if (sn->sn_ctrl_ack)
			ack = sn->sn_ctrl_ack;
		sn->sn_ctrl_cmds++;
		sn_buf_write(b, &ack, 1);
		sim_use(s, sn->sn_ctlq, 0, 1);
	}
	/* As a device with EVENT_IDX does: notify me at the next one. */
	if (!s->s_q[sn->sn_ctlq].sq_packed)
		sim_set_avail_event(s, sn->sn_ctlq, s->s_q[sn->sn_ctlq].sq_last_avail);
}

static void
sn_notify(struct virtio_device *dev, unsigned idx)
{
	struct sim_net *sn = sn_of(dev);

	sn->sn_orig->vto_notify(dev, idx);
	if (idx == sn->sn_ctlq && !sn->sn_ctrl_silent)
		sn_ctrl_serve(sn);
}

static void
sn_irq(struct sim *s, int q)
{
	if (q < 0)
		virtio_device_config_intr(&s->s_vdev);
	else
		virtio_device_queue_intr(&s->s_vdev, (unsigned)q);
}

struct sim_net *
sim_net_create(uint64_t features, uint16_t qsize, uint16_t mtu, uint16_t pairs, bool legacy)
{
	static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	struct sim_net *sn = calloc(1, sizeof(*sn));
	struct sim_config c = {
	    .sc_device_id = VIRTIO_ID_NET,
	    .sc_features = features,
	    .sc_nqueues = (features & N_F_MQ) ? 2u * pairs + 1 : 3,
	    .sc_config_len = 12,
	    .sc_legacy = legacy,
	};
	unsigned i;

	for (i = 0; i < SIM_MAX_QUEUES; i++)
		c.sc_qmax[i] = qsize;
	sn->sn_sim = sim_create(&c);
	sn->sn_sim->s_arg = sn;
	sn->sn_sim->s_irq = sn_irq;
	sn->sn_orig = sn->sn_sim->s_vdev.vd_ops;
	sn->sn_ops = *sn->sn_orig;
	sn->sn_ops.vto_notify = sn_notify;
	sn->sn_sim->s_vdev.vd_ops = &sn->sn_ops;
	sn->sn_rxq = 0;
	sn->sn_txq = 1;
	sn->sn_ctlq = c.sc_nqueues - 1;
	sn->sn_promisc = sn->sn_allmulti = -1;
	memcpy(sn->sn_sim->s_config, mac, 6);
	sn->sn_sim->s_config[6] = 1; /* VIRTIO_NET_S_LINK_UP */
	sn->sn_sim->s_config[8] = (uint8_t)pairs;
	sn->sn_sim->s_config[10] = (uint8_t)mtu;
	sn->sn_sim->s_config[11] = (uint8_t)(mtu >> 8);
	return sn;
}

void
sim_net_destroy(struct sim_net *sn)
{
	sim_destroy(sn->sn_sim);
	free(sn);
}

struct virtio_device *
sim_net_vdev(struct sim_net *sn)
{
	return sim_vdev(sn->sn_sim);
}

unsigned
sim_net_hdr_len(const struct sim_net *sn)
{
	uint64_t f = sn->sn_sim->s_drv_features;

	return (f & (N_F_MRG | N_F_V1)) ? 12 : 10;
}

unsigned
sim_net_rx_avail(struct sim_net *sn)
{
	sim_pop_all(sn->sn_sim, sn->sn_rxq);
	return sim_inflight(sn->sn_sim, sn->sn_rxq);
}

/* Oldest receive buffer the device holds, popping one if needed. */
static struct sim_buf *
sn_rx_buf(struct sim_net *sn)
{
	struct sim *s = sn->sn_sim;

	if (sim_inflight(s, sn->sn_rxq) == 0 && sim_pop(s, sn->sn_rxq) != 1)
		return NULL;
	return sim_buf(s, sn->sn_rxq, 0);
}

int
sim_net_rx_raw(struct sim_net *sn, const uint8_t *bytes, uint32_t n, uint32_t ulen)
{
	struct sim_buf *b = sn_rx_buf(sn);

	if (!b)
		return 0;
	sn_buf_write(b, bytes, n);
	sim_use(sn->sn_sim, sn->sn_rxq, 0, ulen);
	return 1;
}

static void
sn_hdr(struct sim_net *sn, uint8_t *h, uint8_t flags, uint16_t cs, uint16_t co, uint16_t nbufs)
{
	memset(h, 0, 12);
	h[0] = flags;
	h[6] = (uint8_t)cs;
	h[7] = (uint8_t)(cs >> 8);
	h[8] = (uint8_t)co;
	h[9] = (uint8_t)(co >> 8);
	if (sim_net_hdr_len(sn) == 12) {
		h[10] = (uint8_t)nbufs;
		h[11] = (uint8_t)(nbufs >> 8);
	}
}

int
sim_net_rx(struct sim_net *sn, const uint8_t *frame, uint32_t len, uint8_t hflags, uint16_t cs,
           uint16_t co, bool irq)
{
	uint32_t hl = sim_net_hdr_len(sn), total = hl + len, off = 0, k;
	bool mrg = (sn->sn_sim->s_drv_features & N_F_MRG) != 0;
	uint8_t *all = malloc(total + 12);
	unsigned nb = 0, i, avail = sim_net_rx_avail(sn);
	struct sim_buf *b;

	/* How many buffers: each holds sb_wlen bytes. */
	for (i = 0; i < avail && off < total; i++, nb++)
		off += sim_buf(sn->sn_sim, sn->sn_rxq, i)->sb_wlen;
	if (off < total || (!mrg && nb > 1)) {
		free(all);
		return 0;
	}
	sn_hdr(sn, all, hflags, cs, co, (uint16_t)nb);
	memcpy(all + hl, frame, len);
	for (off = 0, i = 0; i < nb; i++) {
		b = sim_buf(sn->sn_sim, sn->sn_rxq, 0);
		k = sn_buf_write(b, all + off, total - off);
		off += k;
		sim_use(sn->sn_sim, sn->sn_rxq, 0, k);
	}
	free(all);
	if (irq)
		sim_interrupt(sn->sn_sim, sn->sn_rxq);
	return (int)nb;
}

int
sim_net_tx(struct sim_net *sn, uint8_t *hdr, uint8_t *out, uint32_t max, bool complete)
{
	struct sim *s = sn->sn_sim;
	uint8_t tmp[70000];
	unsigned hl = sim_net_hdr_len(sn);
	uint32_t n;
	struct sim_buf *b;

	if (sim_pop(s, sn->sn_txq) != 1)
		return -1;
	b = sim_buf(s, sn->sn_txq, sim_inflight(s, sn->sn_txq) - 1);
	n = sn_buf_read(b, tmp, sizeof(tmp));
	if (n < hl)
		return -1;
	if (hdr)
		memcpy(hdr, tmp, hl);
	if (n - hl > max)
		return -1;
	memcpy(out, tmp + hl, n - hl);
	if (complete)
		sim_use(s, sn->sn_txq, sim_inflight(s, sn->sn_txq) - 1, 0);
	return (int)(n - hl);
}

void
sim_net_tx_complete(struct sim_net *sn)
{
	while (sim_inflight(sn->sn_sim, sn->sn_txq) > 0)
		sim_use(sn->sn_sim, sn->sn_txq, 0, 0);
	sim_interrupt(sn->sn_sim, sn->sn_txq);
}

void
sim_net_link(struct sim_net *sn, bool up)
{
	uint8_t st[2] = {up ? 1 : 0, 0};

	sim_config_change(sn->sn_sim, 6, st, 2);
}
