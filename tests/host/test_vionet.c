// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vionet.c: the virtio-net driver (virtio/vionet.c, §5.1)
 * against tests/sim/sim_net.c: probe and config, the receive ring kept
 * full, frames in and out byte for byte (split, packed, legacy, with and
 * without MRG_RXBUF, jumbo), one interrupt per burst (NAPI), transmit ring
 * full and reclaim, link changes, the control queue (waits through the
 * platform's virtio_wait, never a busy loop), and a device that
 * lies (used lengths, num_buffers, header fields, short frames).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_net.h"
#include "virtio/vionet.h"

#define B(n) VIRTIO_BIT(n)
#define F_BASE                                                                                     \
	(B(VIRTIO_F_VERSION_1) | B(VIRTIO_F_RING_EVENT_IDX) | B(VIRTIO_F_RING_INDIRECT_DESC) |     \
	 B(VIONET_F_MAC) | B(VIONET_F_STATUS) | B(VIONET_F_MTU) | B(VIONET_F_CTRL_VQ) |            \
	 B(VIONET_F_CTRL_RX) | B(VIONET_F_CSUM) | B(VIONET_F_GUEST_CSUM))
#define F_MRG (F_BASE | B(VIONET_F_MRG_RXBUF))
#define QSIZE 64
#define MAXF 70000

/* What the hooks saw. */
static struct {
	unsigned rx, links, tx_ready, attach, detach, schedules;
	bool link;
	uint8_t last[MAXF];
	size_t last_len;
	unsigned last_flags;
	bool echo;
	uint64_t sum; /* byte sum of all frames received */
} seen;

static void
h_rx(struct vionet *sc, uint8_t *f, size_t len, unsigned flags)
{
	size_t i;

	seen.rx++;
	memcpy(seen.last, f, len);
	seen.last_len = len;
	seen.last_flags = flags;
	for (i = 0; i < len; i++)
		seen.sum += f[i];
	if (seen.echo)
		assert_int_equal(vionet_send(sc, f, len, NULL), VIRTIO_OK);
}

static void
h_link(struct vionet *sc, bool up)
{
	seen.links++;
	seen.link = up;
}
static void
h_ready(struct vionet *sc)
{
	seen.tx_ready++;
}
static void
h_attach(struct vionet *sc)
{
	seen.attach++;
}
static void
h_detach(struct vionet *sc)
{
	seen.detach++;
}
static void
h_sched(struct vionet *sc)
{
	seen.schedules++;
	while (vionet_poll(sc, 0))
		;
}

static const struct vionet_hooks hooks = {
    .vh_attach = h_attach,
    .vh_detach = h_detach,
    .vh_schedule = h_sched,
    .vh_rx = h_rx,
    .vh_link = h_link,
    .vh_tx_ready = h_ready,
};

struct fx {
	struct sim_net *sn;
	struct vionet *sc;
	int add_err;
};

static void
fx_start(struct fx *f, uint64_t feat, uint16_t mtu, uint16_t pairs, bool legacy)
{
	memset(&seen, 0, sizeof(seen));
	host_log_reset();
	f->sn = sim_net_create(feat, QSIZE, mtu, pairs, legacy);
	virtio_driver_unregister(&vionet_driver);
	assert_int_equal(vionet_driver_register(&hooks), VIRTIO_OK);
	f->add_err = virtio_device_add(sim_net_vdev(f->sn));
	f->sc = vionet_next(NULL);
}

static void
fx_stop(struct fx *f)
{
	virtio_device_remove(sim_net_vdev(f->sn));
	virtio_driver_unregister(&vionet_driver);
	assert_null(vionet_next(NULL));
	sim_net_destroy(f->sn);
	assert_int_equal(host_dma_live(), 0);
	assert_int_equal(host_mem_live(), 0);
}

/* A frame of len bytes to dst: header then pattern from seed. */
static void
mkframe(uint8_t *p, uint32_t len, uint8_t seed)
{
	static const uint8_t dst[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	uint32_t i;

	memcpy(p, dst, 6);
	memset(p + 6, 0xaa, 6);
	p[12] = 0x88;
	p[13] = 0xb5;
	for (i = 14; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void
test_probe(void **state)
{
	struct fx f;
	uint8_t st[8];

	fx_start(&f, F_MRG, 1500, 1, false);
	assert_int_equal(f.add_err, VIRTIO_OK);
	assert_non_null(f.sc);
	assert_int_equal(seen.attach, 1);
	assert_memory_equal(f.sc->sc_mac, "\x52\x54\x00\x12\x34\x56", 6);
	assert_int_equal(f.sc->sc_mtu, 1500);
	assert_true(vionet_link_up(f.sc));
	assert_int_equal(f.sc->sc_hdr_len, 12);
	/* §5.1.9.3: the whole receive ring is posted. */
	assert_int_equal(sim_net_rx_avail(f.sn), QSIZE);
	/* A known receive filter: promiscuous and all-multicast off. */
	assert_int_equal(f.sn->sn_promisc, 0);
	assert_int_equal(f.sn->sn_allmulti, 0);
	assert_int_equal(sim_status_writes(f.sn->sn_sim, st, 8), 5);
	assert_int_equal(st[4] & VIRTIO_STATUS_DRIVER_OK, VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(sim_errors(f.sn->sn_sim), 0);
	fx_stop(&f);
	assert_int_equal(seen.detach, 1);
}

/* Frames of every size in, byte for byte; the ring stays full. */
static void
rx_sizes(uint64_t feat, uint16_t mtu, bool legacy, uint32_t step)
{
	static uint8_t fr[MAXF];
	struct vionet_stats st;
	struct fx f;
	uint32_t len;
	unsigned n = 0;

	fx_start(&f, feat, mtu, 1, legacy);
	assert_int_equal(f.add_err, VIRTIO_OK);
	for (len = 60; len <= 14u + mtu; len += step, n++) {
		mkframe(fr, len, (uint8_t)len);
		assert_true(sim_net_rx(f.sn, fr, len, 0, 0, 0, true) > 0);
		assert_int_equal(seen.rx, n + 1);
		assert_int_equal(seen.last_len, len);
		assert_memory_equal(seen.last, fr, len);
	}
	mkframe(fr, 14u + mtu, 3);
	assert_true(sim_net_rx(f.sn, fr, 14u + mtu, 0, 0, 0, true) > 0);
	assert_memory_equal(seen.last, fr, 14u + mtu);
	assert_int_equal(sim_net_rx_avail(f.sn), QSIZE);
	vionet_stats(f.sc, &st);
	assert_int_equal(st.ns_rx_frames, n + 1);
	assert_int_equal(st.ns_rx_drops, 0);
	assert_int_equal(sim_errors(f.sn->sn_sim), 0);
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 0);
	fx_stop(&f);
}

static void
test_rx_mrg(void **s)
{
	rx_sizes(F_MRG, 1500, false, 37);
}
static void
test_rx_nomrg(void **s)
{
	rx_sizes(F_BASE, 1500, false, 37);
}
static void
test_rx_jumbo_mrg(void **s)
{
	rx_sizes(F_MRG, 9000, false, 401);
}
static void
test_rx_jumbo_nomrg(void **s)
{
	rx_sizes(F_BASE, 9000, false, 401);
}
static void
test_rx_packed(void **s)
{
	rx_sizes(F_MRG | B(VIRTIO_F_RING_PACKED), 9000, false, 331);
}
static void
test_rx_legacy(void **s)
{
	rx_sizes(F_BASE & ~B(VIRTIO_F_VERSION_1), 1500, true, 53);
}
static void
test_rx_legacy_mrg(void **s)
{
	rx_sizes(F_MRG & ~B(VIRTIO_F_VERSION_1), 1500, true, 53);
}

/* A jumbo frame over MRG_RXBUF spans several 2 KiB buffers. */
static void
test_rx_merged_count(void **state)
{
	static uint8_t fr[9014];
	struct vionet_stats st;
	struct fx f;

	fx_start(&f, F_MRG, 9000, 1, false);
	mkframe(fr, sizeof(fr), 9);
	assert_int_equal(sim_net_rx(f.sn, fr, sizeof(fr), 0, 0, 0, true), 5);
	assert_memory_equal(seen.last, fr, sizeof(fr));
	vionet_stats(f.sc, &st);
	assert_int_equal(st.ns_rx_merged, 1);
	fx_stop(&f);
}

/* NAPI: a burst costs one interrupt; callbacks come back on. */
static void
test_napi_burst(void **state)
{
	uint8_t fr[100];
	struct vionet_stats st;
	struct fx f;
	unsigned i;

	unsigned s0;

	fx_start(&f, F_MRG, 1500, 1, false);
	s0 = seen.schedules; /* the probe's own poll */
	for (i = 0; i < 40; i++) {
		mkframe(fr, sizeof(fr), (uint8_t)i);
		assert_int_equal(sim_net_rx(f.sn, fr, sizeof(fr), 0, 0, 0, false), 1);
	}
	assert_true(sim_interrupt(f.sn->sn_sim, 0));
	assert_int_equal(seen.rx, 40);
	assert_int_equal(seen.schedules, s0 + 1);
	/* Drained and re-armed: the next frame interrupts again. */
	assert_int_equal(sim_net_rx(f.sn, fr, sizeof(fr), 0, 0, 0, true), 1);
	assert_int_equal(seen.rx, 41);
	vionet_stats(f.sc, &st);
	assert_int_equal(st.ns_rx_irqs, 2);
	fx_stop(&f);
}

/* Echo from the receive hook: one kick for the burst, frames exact. */
static void
test_echo_batch(void **state)
{
	uint8_t fr[300], out[300], hdr[12];
	struct vionet_stats st;
	struct fx f;
	unsigned i;

	fx_start(&f, F_MRG, 1500, 1, false);
	seen.echo = true;
	for (i = 0; i < 32; i++) {
		mkframe(fr, 60 + i, (uint8_t)i);
		sim_net_rx(f.sn, fr, 60 + i, 0, 0, 0, false);
	}
	sim_interrupt(f.sn->sn_sim, 0);
	for (i = 0; i < 32; i++) {
		mkframe(fr, 60 + i, (uint8_t)i);
		assert_int_equal(sim_net_tx(f.sn, hdr, out, sizeof(out), true), 60 + i);
		assert_memory_equal(out, fr, 60 + i);
		assert_int_equal(hdr[0], 0);
	}
	vionet_stats(f.sc, &st);
	assert_int_equal(st.ns_tx_frames, 32);
	assert_true(st.ns_tx_kicks <= 3);
	assert_int_equal(sim_errors(f.sn->sn_sim), 0);
	fx_stop(&f);
}

/* Transmit: a full ring refuses with EAGAIN; completion makes room and
 * calls vh_tx_ready. */
static void
tx_full(uint64_t feat, bool legacy)
{
	uint8_t fr[1514], out[1514];
	struct fx f;
	unsigned n = 0;
	int err;

	fx_start(&f, feat, 1500, 1, legacy);
	mkframe(fr, sizeof(fr), 1);
	while ((err = vionet_send(f.sc, fr, sizeof(fr), NULL)) == VIRTIO_OK)
		n++;
	assert_int_equal(err, VIRTIO_EAGAIN);
	assert_true(n >= QSIZE / 2);
	while (sim_net_tx(f.sn, NULL, out, sizeof(out), false) >= 0)
		assert_memory_equal(out, fr, sizeof(fr));
	sim_net_tx_complete(f.sn);
	assert_int_equal(seen.tx_ready, 1);
	assert_int_equal(vionet_send(f.sc, fr, sizeof(fr), NULL), VIRTIO_OK);
	assert_int_equal(vionet_send(f.sc, fr, 13, NULL), VIRTIO_EINVAL);
	assert_int_equal(vionet_send(f.sc, fr, 1515, NULL), VIRTIO_EINVAL);
	assert_int_equal(sim_errors(f.sn->sn_sim), 0);
	fx_stop(&f);
}

static void
test_tx_full(void **s)
{
	tx_full(F_MRG, false);
}
static void
test_tx_full_packed(void **s)
{
	tx_full(F_MRG | B(VIRTIO_F_RING_PACKED), false);
}
static void
test_tx_full_legacy(void **s)
{
	tx_full(F_BASE & ~B(VIRTIO_F_VERSION_1), true);
}

/* A UDP-ish frame with a checksum field to fill at start + offset. */
static uint32_t
csum_frame(uint8_t *fr)
{
	mkframe(fr, 100, 5);
	fr[40] = fr[41] = 0;
	return 100;
}

/* Checksum offload: with CSUM the header asks; without, we compute. */
static void
test_tx_csum(void **state)
{
	uint8_t fr[100], out[100], hdr[12];
	struct vionet_csum c = {34, 6};
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	csum_frame(fr);
	assert_int_equal(vionet_send(f.sc, fr, 100, &c), VIRTIO_OK);
	assert_int_equal(sim_net_tx(f.sn, hdr, out, 100, true), 100);
	assert_int_equal(hdr[0], VIONET_HDR_F_NEEDS_CSUM);
	assert_int_equal(hdr[6] | hdr[7] << 8, 34);
	assert_int_equal(hdr[8] | hdr[9] << 8, 6);
	c.nc_offset = 65;
	assert_int_equal(vionet_send(f.sc, fr, 100, &c), VIRTIO_EINVAL);
	fx_stop(&f);

	fx_start(&f, F_MRG & ~B(VIONET_F_CSUM), 1500, 1, false);
	c.nc_offset = 6;
	assert_int_equal(vionet_send(f.sc, fr, 100, &c), VIRTIO_OK);
	assert_int_equal(sim_net_tx(f.sn, hdr, out, 100, true), 100);
	assert_int_equal(hdr[0], 0);
	/* A correct sum makes the whole range fold to 0xffff. */
	assert_int_equal(vionet_csum_fold(out + 34, 66), 0xffff);
	fx_stop(&f);
}

/* GUEST_CSUM: NEEDS_CSUM frames are completed; DATA_VALID reported. */
static void
test_rx_csum(void **state)
{
	uint8_t fr[100];
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	csum_frame(fr);
	sim_net_rx(f.sn, fr, 100, VIONET_HDR_F_NEEDS_CSUM, 34, 6, true);
	assert_int_equal(seen.rx, 1);
	assert_int_equal(seen.last_flags, VIONET_RX_CSUM_DONE);
	assert_int_equal(vionet_csum_fold(seen.last + 34, 66), 0xffff);
	sim_net_rx(f.sn, fr, 100, VIONET_HDR_F_DATA_VALID, 0, 0, true);
	assert_int_equal(seen.last_flags, VIONET_RX_CSUM_VALID);
	/* Fields beyond the frame: dropped, counted, device not broken. */
	sim_net_rx(f.sn, fr, 100, VIONET_HDR_F_NEEDS_CSUM, 99, 0, true);
	sim_net_rx(f.sn, fr, 100, VIONET_HDR_F_NEEDS_CSUM, 90, 9, true);
	assert_int_equal(seen.rx, 2);
	assert_int_equal(f.sc->sc_st.ns_rx_drops, 2);
	assert_false(f.sc->sc_dev->vd_broken);
	fx_stop(&f);

	/* Without GUEST_CSUM the device must send flags 0 (§5.1.9.4.1). */
	fx_start(&f, F_MRG & ~B(VIONET_F_GUEST_CSUM), 1500, 1, false);
	sim_net_rx(f.sn, fr, 100, VIONET_HDR_F_NEEDS_CSUM, 34, 6, true);
	assert_int_equal(seen.rx, 0);
	assert_int_equal(f.sc->sc_st.ns_rx_drops, 1);
	fx_stop(&f);
}

static void
test_link(void **state)
{
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	sim_net_link(f.sn, false);
	assert_int_equal(seen.links, 1);
	assert_false(seen.link);
	assert_false(vionet_link_up(f.sc));
	sim_net_link(f.sn, true);
	assert_int_equal(seen.links, 2);
	assert_true(vionet_link_up(f.sc));
	fx_stop(&f);

	/* Without STATUS the link is up for good. */
	fx_start(&f, F_MRG & ~B(VIONET_F_STATUS), 1500, 1, false);
	f.sn->sn_sim->s_config[6] = 0;
	assert_true(vionet_link_up(f.sc));
	fx_stop(&f);
}

static void
test_ctrl(void **state)
{
	static const uint8_t uc[2][6] = {
	    {0x52, 0x54, 0x00, 0x12, 0x34, 0x57},
	    {0x52, 0x54, 0x00, 0x12, 0x34, 0x58},
	};
	struct host_wait_counts w0, w1;
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	assert_int_equal(vionet_set_promisc(f.sc, true), VIRTIO_OK);
	assert_int_equal(f.sn->sn_promisc, 1);
	assert_int_equal(vionet_set_allmulti(f.sc, true), VIRTIO_OK);
	assert_int_equal(f.sn->sn_allmulti, 1);
	assert_int_equal(vionet_set_mac_table(f.sc, uc, 2, uc, 1), VIRTIO_OK);
	assert_int_equal(f.sn->sn_nuc, 2);
	assert_int_equal(f.sn->sn_nmc, 1);
	assert_memory_equal(f.sn->sn_uc[1], uc[1], 6);
	assert_int_equal(vionet_set_mac_table(f.sc, uc, 17, NULL, 0), VIRTIO_EINVAL);
	/* The device says ERR. */
	f.sn->sn_ctrl_ack = 1;
	assert_int_equal(vionet_set_promisc(f.sc, false), VIRTIO_EIO);
	assert_true(f.sc->sc_promisc);
	f.sn->sn_ctrl_ack = 0;
	/* The device never answers: one bounded wait (not a busy loop), then broken. */
	host_wait_counts(&w0);
	f.sn->sn_ctrl_silent = true;
	assert_int_equal(vionet_set_promisc(f.sc, false), VIRTIO_ETIMEDOUT);
	host_wait_counts(&w1);
	assert_int_equal(w1.hw_waits, w0.hw_waits + 1);
	assert_int_equal(w1.hw_timeouts, w0.hw_timeouts + 1);
	assert_int_equal(w1.hw_last_us, VIONET_CTRL_TIMEOUT_US);
	assert_int_equal(w1.hw_delays, w0.hw_delays);
	assert_true(f.sc->sc_dev->vd_broken);
	assert_int_equal(vionet_set_promisc(f.sc, false), VIRTIO_EBADDEV);
	fx_stop(&f);

	/* No control queue: EUNSUPP. */
	fx_start(&f, F_MRG & ~B(VIONET_F_CTRL_VQ) & ~B(VIONET_F_CTRL_RX), 1500, 1, false);
	assert_int_equal(vionet_set_promisc(f.sc, true), VIRTIO_EUNSUPP);
	fx_stop(&f);
}

/*
 * The device answers late: played by the wait hook, the way an interrupt
 * comes while the driver waits. Its first call finds the device still
 * silent and tries a second command meanwhile (refused: one at a time);
 * the second lets the device answer and raises the queue's interrupt.
 */
static unsigned late_calls;

static bool
ctrl_late_hook(const void *event, void *arg)
{
	struct fx *f = arg;
	struct sim *s = f->sn->sn_sim;

	if (++late_calls == 1) {
		assert_int_equal(vionet_set_allmulti(f->sc, true), VIRTIO_EBUSY);
		return true;
	}
	f->sn->sn_ctrl_silent = false;
	s->s_vdev.vd_ops->vto_notify(&s->s_vdev, f->sn->sn_ctlq);
	assert_true(sim_interrupt(s, f->sn->sn_ctlq));
	return true;
}

static void
test_ctrl_late(void **state)
{
	struct host_wait_counts w0, w1;
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	host_wait_counts(&w0);
	late_calls = 0;
	host_wait_hook = ctrl_late_hook;
	host_wait_hook_arg = &f;
	f.sn->sn_ctrl_silent = true;
	assert_int_equal(vionet_set_promisc(f.sc, true), VIRTIO_OK);
	host_wait_hook = NULL;
	host_wait_counts(&w1);
	assert_int_equal(late_calls, 2);
	assert_int_equal(f.sn->sn_promisc, 1);
	assert_int_equal(f.sn->sn_allmulti, 0); /* the refused command never went out */
	assert_int_equal(w1.hw_waits, w0.hw_waits + 1);
	assert_int_equal(w1.hw_timeouts, w0.hw_timeouts);
	assert_true(w1.hw_wakes > w0.hw_wakes); /* the control queue's interrupt woke it */
	assert_false(f.sc->sc_dev->vd_broken);
	/* Free again for the next command. */
	assert_int_equal(vionet_set_allmulti(f.sc, true), VIRTIO_OK);
	fx_stop(&f);
}

/* MQ: negotiated, the control queue after max pairs, one pair used. */
static void
test_mq(void **state)
{
	struct fx f;

	fx_start(&f, F_MRG | B(VIONET_F_MQ), 1500, 3, false);
	assert_int_equal(f.add_err, VIRTIO_OK);
	assert_true(virtio_has_feature(f.sc->sc_dev, VIONET_F_MQ));
	assert_int_equal(vq_index(f.sc->sc_ctlq), 6);
	assert_int_equal(f.sn->sn_pairs, 1);
	assert_int_equal(sim_errors(f.sn->sn_sim), 0);
	fx_stop(&f);
}

/* ---- a device that lies ---- */

static void
test_bad_config(void **state)
{
	struct fx f;

	fx_start(&f, F_MRG, 20, 1, false); /* MTU below 68 */
	assert_int_equal(f.add_err, VIRTIO_EBADDEV);
	assert_null(f.sc);
	fx_stop(&f);
}

/* Short, long, garbage header: dropped and counted, device fine. */
static void
test_rx_short(void **state)
{
	uint8_t raw[2048] = {0};
	struct fx f;

	fx_start(&f, F_BASE, 1500, 1, false);
	raw[10] = 1; /* num_buffers */
	assert_int_equal(sim_net_rx_raw(f.sn, raw, 20, 20), 1);
	assert_int_equal(sim_net_rx_raw(f.sn, raw, 5, 5), 1);
	assert_int_equal(sim_net_rx_raw(f.sn, raw, 0, 0), 1);
	raw[1] = 1; /* GSO never negotiated */
	assert_int_equal(sim_net_rx_raw(f.sn, raw, 80, 80), 1);
	raw[1] = 0;
	/* Longer than MTU + header + VLAN tag, within the buffer. */
	assert_int_equal(sim_net_rx_raw(f.sn, raw, 12 + 1519, 12 + 1519), 1);
	sim_interrupt(f.sn->sn_sim, 0);
	assert_int_equal(seen.rx, 0);
	assert_int_equal(f.sc->sc_st.ns_rx_drops, 5);
	assert_false(f.sc->sc_dev->vd_broken);
	assert_int_equal(sim_net_rx_avail(f.sn), QSIZE);
	fx_stop(&f);
}

/* Used length beyond the buffer: the device is broken (core check). */
static void
test_rx_used_len(void **state)
{
	uint8_t fr[100];
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	mkframe(fr, 100, 1);
	f.sn->sn_sim->s_faults.sf_used_len = true;
	sim_net_rx(f.sn, fr, 100, 0, 0, 0, true);
	assert_int_equal(seen.rx, 0);
	assert_true(f.sc->sc_dev->vd_broken);
	assert_int_equal(vionet_send(f.sc, fr, 100, NULL), VIRTIO_EBADDEV);
	fx_stop(&f);
}

/* num_buffers larger than what was posted, or 0: broken. */
static void
mrg_count(uint16_t nbufs)
{
	uint8_t raw[200] = {0};
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	raw[10] = (uint8_t)nbufs;
	raw[11] = (uint8_t)(nbufs >> 8);
	assert_int_equal(sim_net_rx_raw(f.sn, raw, 100, 100), 1);
	sim_interrupt(f.sn->sn_sim, 0);
	assert_int_equal(seen.rx, 0);
	assert_true(f.sc->sc_dev->vd_broken);
	assert_true(host_log_count(VIRTIO_LOG_ERR) >= 1);
	fx_stop(&f);
}

static void
test_rx_mrg_too_many(void **s)
{
	mrg_count(QSIZE + 1);
}
static void
test_rx_mrg_huge(void **s)
{
	mrg_count(0xffff);
}
static void
test_rx_mrg_zero(void **s)
{
	mrg_count(0);
}

/* A merged frame whose first buffer is not full: broken. */
static void
test_rx_mrg_not_full(void **state)
{
	uint8_t raw[200] = {0};
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	raw[10] = 2;
	sim_net_rx_raw(f.sn, raw, 100, 100);
	sim_net_rx_raw(f.sn, raw, 100, 100);
	sim_interrupt(f.sn->sn_sim, 0);
	assert_int_equal(seen.rx, 0);
	assert_true(f.sc->sc_dev->vd_broken);
	fx_stop(&f);
}

/* Merged frame longer than MTU: consumed, dropped, device fine. */
static void
test_rx_mrg_too_long(void **state)
{
	static uint8_t fr[4000];
	struct fx f;

	fx_start(&f, F_MRG, 1500, 1, false);
	mkframe(fr, sizeof(fr), 1);
	assert_int_equal(sim_net_rx(f.sn, fr, sizeof(fr), 0, 0, 0, true), 2);
	assert_int_equal(seen.rx, 0);
	assert_int_equal(f.sc->sc_st.ns_rx_drops, 1);
	assert_false(f.sc->sc_dev->vd_broken);
	mkframe(fr, 1514, 2);
	assert_int_equal(sim_net_rx(f.sn, fr, 1514, 0, 0, 0, true), 1);
	assert_int_equal(seen.rx, 1);
	fx_stop(&f);
}

/* Out of memory at every step of the probe: clean failure, no leak. */
static void
test_probe_nomem(void **state)
{
	struct fx f;
	int n;

	for (n = 0; n < 12; n++) {
		host_dma_fail_after(n);
		fx_start(&f, F_MRG, 1500, 1, false);
		host_dma_fail_after(-1);
		if (f.add_err == VIRTIO_OK)
			assert_non_null(f.sc);
		else
			assert_null(f.sc);
		fx_stop(&f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_probe),
	    cmocka_unit_test(test_rx_mrg),
	    cmocka_unit_test(test_rx_nomrg),
	    cmocka_unit_test(test_rx_jumbo_mrg),
	    cmocka_unit_test(test_rx_jumbo_nomrg),
	    cmocka_unit_test(test_rx_packed),
	    cmocka_unit_test(test_rx_legacy),
	    cmocka_unit_test(test_rx_legacy_mrg),
	    cmocka_unit_test(test_rx_merged_count),
	    cmocka_unit_test(test_napi_burst),
	    cmocka_unit_test(test_echo_batch),
	    cmocka_unit_test(test_tx_full),
	    cmocka_unit_test(test_tx_full_packed),
	    cmocka_unit_test(test_tx_full_legacy),
	    cmocka_unit_test(test_tx_csum),
	    cmocka_unit_test(test_rx_csum),
	    cmocka_unit_test(test_link),
	    cmocka_unit_test(test_ctrl),
	    cmocka_unit_test(test_ctrl_late),
	    cmocka_unit_test(test_mq),
	    cmocka_unit_test(test_bad_config),
	    cmocka_unit_test(test_rx_short),
	    cmocka_unit_test(test_rx_used_len),
	    cmocka_unit_test(test_rx_mrg_too_many),
	    cmocka_unit_test(test_rx_mrg_huge),
	    cmocka_unit_test(test_rx_mrg_zero),
	    cmocka_unit_test(test_rx_mrg_not_full),
	    cmocka_unit_test(test_rx_mrg_too_long),
	    cmocka_unit_test(test_probe_nomem),
	};

	return cmocka_run_group_tests_name("vionet", tests, NULL, NULL);
}
