// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/fuzz/fuzz_vionet_rx.c: libFuzzer target for the virtio-net receive
 * path (virtio/vionet.c) against a lying simulated device
 * (tests/sim/sim_net.c). The first bytes pick the features (merged buffers,
 * guest checksum, legacy, packed ring, MTU); the rest is a script of device
 * actions: raw receive buffers with any header and any used length
 * (beyond the buffer, shorter than the header), well-formed frames of any
 * size, bogus num_buffers, checksum fields, interrupts, transmit
 * completions, sends from the driver, link changes. The driver must never
 * touch memory it does not own (ASan), never hand up a frame longer than
 * the MTU allows, and keep its counters consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_net.h"
#include "virtio/vionet.h"

static size_t fz_max_frame;
static unsigned fz_bad;

static void
fz_rx(struct vionet *sc, uint8_t *f, size_t len, unsigned flags)
{
	volatile uint8_t sink = 0;

	if (len < VIONET_ETHER_MIN || len > fz_max_frame)
		fz_bad++;
	for (size_t i = 0; i < len; i++)
		sink ^= f[i]; /* every byte must be readable */
	f[0] ^= sink;         /* and writable, as the hook's contract says */
	(void)flags;
}

static void
fz_sched(struct vionet *sc)
{
	unsigned n = 0;

	while (vionet_poll(sc, 16) && n++ < 1000)
		;
}

static const struct vionet_hooks fz_hooks = {
    .vh_rx = fz_rx,
    .vh_schedule = fz_sched,
};

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static unsigned
fz_byte(struct fz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static unsigned
fz_u16(struct fz_in *in)
{
	return fz_byte(in) | fz_byte(in) << 8;
}

static uint64_t
fz_features(unsigned sel)
{
	uint64_t f = VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) |
	             VIRTIO_BIT(VIONET_F_MAC) | VIRTIO_BIT(VIONET_F_STATUS) |
	             VIRTIO_BIT(VIONET_F_MTU) | VIRTIO_BIT(VIONET_F_CTRL_VQ) |
	             VIRTIO_BIT(VIONET_F_CTRL_RX);

	if (sel & 1)
		f |= VIRTIO_BIT(VIONET_F_MRG_RXBUF);
	if (sel & 2)
		f |= VIRTIO_BIT(VIONET_F_GUEST_CSUM) | VIRTIO_BIT(VIONET_F_CSUM);
	if (!(sel & 4))
		f |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
	else
		f &= ~VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX);
	if ((sel & 8) && !(sel & 4))
		f |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	return f;
}

/* One device action from the script. */
static void
fz_step(struct sim_net *sn, struct vionet *sc, struct fz_in *in)
{
	static uint8_t buf[20000];
	unsigned op = fz_byte(in), len, ulen, k;

	switch (op % 8) {
	case 0:
	case 1: /* raw buffer: bytes, used length (may lie) */
		len = fz_u16(in) % sizeof(buf);
		ulen = (op & 0x80) ? fz_u16(in) : len;
		for (k = 0; k < len && k < 64; k++)
			buf[k] = (uint8_t)fz_byte(in);
		sim_net_rx_raw(sn, buf, len, ulen);
		break;
	case 2:
	case 3: /* a well-formed frame, maybe with csum fields */
		len = fz_u16(in) % 10000;
		for (k = 0; k < len; k++)
			buf[k] = (uint8_t)(k * 13);
		sim_net_rx(sn, buf, len, (uint8_t)(fz_byte(in) & 3), (uint16_t)fz_u16(in),
		           (uint16_t)fz_u16(in), op & 0x10);
		break;
	case 4:
		sim_interrupt(sn->sn_sim, 0);
		break;
	case 5:
		len = 14 + fz_u16(in) % 9100;
		memset(buf, 0x5a, len);
		vionet_send(sc, buf, len, NULL);
		break;
	case 6:
		while (sim_net_tx(sn, NULL, buf, sizeof(buf), true) >= 0)
			;
		sim_interrupt(sn->sn_sim, 1);
		break;
	default:
		sim_net_link(sn, op & 0x40);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = {data, size};
	unsigned sel = fz_byte(&in), steps = 0;
	uint16_t mtu = (uint16_t)(68 + fz_u16(&in) % 9000);
	struct sim_net *sn;
	struct vionet *sc;

	fz_max_frame = 14u + mtu + 4;
	fz_bad = 0;
	sn = sim_net_create(fz_features(sel), (uint16_t)(8u << (sel >> 4 & 3)), mtu, 1,
	                    (sel & 4) != 0);
	vionet_driver_register(&fz_hooks);
	if (virtio_device_add(sim_net_vdev(sn)) == VIRTIO_OK && (sc = vionet_next(NULL)) != NULL) {
		while (in.n > 0 && steps++ < 256 && !sc->sc_dev->vd_broken)
			fz_step(sn, sc, &in);
		if (sc->sc_rx_posted > vq_size(sc->sc_rxq) || fz_bad)
			abort();
	}
	virtio_device_remove(sim_net_vdev(sn));
	virtio_driver_unregister(&vionet_driver);
	sim_net_destroy(sn);
	if (host_dma_live() || host_mem_live())
		abort(); /* a leak */
	return 0;
}
