// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/vionet_glue.c: binds the portable virtio-net driver
 * (virtio/vionet.c) to the network layer (device/net.c). Every vionet
 * device that attaches becomes an interface, ordered by virtio unit (so
 * eth0 is the first NIC); the driver's hooks feed frames and tx-ready
 * events to the layer; the receive interrupt's NAPI poll runs through
 * net_poll, under the interface lock. Results become D_* codes
 * (drivers/virtio_errno.h).
 */
#include "drivers/vionet_glue.h"
#include "drivers/virtio_errno.h"

#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/string.h"
#include "virtio/virtio_err.h"
#include "virtio/virtqueue.h"

#define VIONET_GLUE_BUDGET 64 /* frames per poll round */

static struct vionet *
vionet_glue_sc(const struct net_if *ifp)
{
	return net_if_priv(ifp);
}

/* Success, the common answer, without a call into the table. */
static io_return_t
vionet_glue_result(int err)
{
	return err == VIRTIO_OK ? D_SUCCESS : virtio_to_io_return(err);
}

/* ---- the layer's calls (interface lock held) -------------------------------- */

static io_return_t
vionet_glue_send(struct net_if *ifp, const void *frame, size_t len)
{
	return vionet_glue_result(vionet_send(vionet_glue_sc(ifp), frame, len, NULL));
}

static void
vionet_glue_poll(struct net_if *ifp)
{
	while (vionet_poll(vionet_glue_sc(ifp), VIONET_GLUE_BUDGET))
		;
}

static bool
vionet_glue_link_up(const struct net_if *ifp)
{
	return vionet_link_up(vionet_glue_sc(ifp));
}

static void
vionet_glue_stats(struct net_if *ifp, struct net_stats *st)
{
	struct vionet_stats vs;

	vionet_stats(vionet_glue_sc(ifp), &vs);
	st->nst_rx_frames = vs.ns_rx_frames;
	st->nst_rx_bytes = vs.ns_rx_bytes;
	st->nst_rx_drops = vs.ns_rx_drops;
	st->nst_rx_merged = vs.ns_rx_merged;
	st->nst_tx_frames = vs.ns_tx_frames;
	st->nst_tx_bytes = vs.ns_tx_bytes;
	st->nst_tx_full = vs.ns_tx_full;
	st->nst_tx_errors = vs.ns_tx_errors;
	st->nst_rx_irqs = vs.ns_rx_irqs;
	st->nst_tx_irqs = vs.ns_tx_irqs;
	st->nst_config_irqs = vs.ns_config_irqs;
	st->nst_rx_kicks = vs.ns_rx_kicks;
	st->nst_tx_kicks = vs.ns_tx_kicks;
	st->nst_polls = vs.ns_polls;
}

static io_return_t
vionet_glue_set_promisc(struct net_if *ifp, bool on)
{
	return vionet_glue_result(vionet_set_promisc(vionet_glue_sc(ifp), on));
}

static io_return_t
vionet_glue_set_allmulti(struct net_if *ifp, bool on)
{
	return vionet_glue_result(vionet_set_allmulti(vionet_glue_sc(ifp), on));
}

static io_return_t
vionet_glue_set_unicast(struct net_if *ifp, const uint8_t (*macs)[NET_ADDR_LEN], unsigned n)
{
	return vionet_glue_result(vionet_set_mac_table(vionet_glue_sc(ifp), macs, n, NULL, 0));
}

static const struct net_driver_ops vionet_glue_ops = {
    .no_send = vionet_glue_send,
    .no_poll = vionet_glue_poll,
    .no_link_up = vionet_glue_link_up,
    .no_stats = vionet_glue_stats,
    .no_set_promisc = vionet_glue_set_promisc,
    .no_set_allmulti = vionet_glue_set_allmulti,
    .no_set_unicast = vionet_glue_set_unicast,
};

/* ---- the driver's hooks ------------------------------------------------------ */

/* Inside vionet_poll or a call the layer made: the interface lock is held. */
static void
vionet_glue_rx(struct vionet *sc, uint8_t *frame, size_t len, unsigned flags)
{
	if (sc->sc_os)
		net_if_input(sc->sc_os, frame, len);
}

static void
vionet_glue_tx_ready(struct vionet *sc)
{
	if (sc->sc_os)
		net_if_tx_ready(sc->sc_os);
}

/* Queue interrupt (callbacks now off): poll until drained. */
static void
vionet_glue_schedule(struct vionet *sc)
{
	if (sc->sc_os) {
		net_poll(sc->sc_os);
		return;
	}
	/* No interface (out of memory): drain anyway. */
	while (vionet_poll(sc, VIONET_GLUE_BUDGET))
		;
}

static void
vionet_glue_link(struct vionet *sc, bool up)
{
	struct net_if *ifp = sc->sc_os;

	log_info("%s: link %s", ifp ? net_if_name(ifp) : sc->sc_dev->vd_name, up ? "up" : "down");
}

static void
vionet_glue_attach(struct vionet *sc)
{
	struct net_if_desc desc = {
	    .nd_ops = &vionet_glue_ops,
	    .nd_priv = sc,
	    .nd_order = sc->sc_dev->vd_unit,
	    .nd_mtu = sc->sc_mtu,
	};
	struct net_if *ifp;
	char mac[18];

	memcpy(desc.nd_mac, sc->sc_mac, NET_ADDR_LEN);
	ifp = net_if_attach(&desc);
	if (!ifp) {
		log_err("%s: no memory for the interface", sc->sc_dev->vd_name);
		return;
	}
	sc->sc_os = ifp;
	net_mac_format(sc->sc_mac, mac);
	log_info("%s: %s (%s) mac %s mtu %u link %s, %s ring%s, rx buffers %u x %u%s%s",
	         net_if_name(ifp), sc->sc_dev->vd_name, sc->sc_dev->vd_ops->vto_name, mac,
	         sc->sc_mtu, sc->sc_link_up ? "up" : "down",
	         vq_is_packed(sc->sc_rxq) ? "packed" : "split",
	         vq_has_event_idx(sc->sc_rxq) ? ", event index" : "", sc->sc_rx.np_count,
	         sc->sc_rx.np_size, sc->sc_mrg ? " merged" : "", sc->sc_ctlq ? ", ctrl queue" : "");
}

static void
vionet_glue_detach(struct vionet *sc)
{
	struct net_if *ifp = sc->sc_os;

	if (!ifp)
		return;
	sc->sc_os = NULL;
	net_if_detach(ifp);
}

static const struct vionet_hooks vionet_glue_hooks = {
    .vh_attach = vionet_glue_attach,
    .vh_detach = vionet_glue_detach,
    .vh_schedule = vionet_glue_schedule,
    .vh_rx = vionet_glue_rx,
    .vh_link = vionet_glue_link,
    .vh_tx_ready = vionet_glue_tx_ready,
};

struct vionet *
vionet_glue_softc(struct net_if *ifp)
{
	return ifp && net_if_ops(ifp) == &vionet_glue_ops ? net_if_priv(ifp) : NULL;
}

static void
vionet_glue_init(void)
{
	int err = vionet_driver_register(&vionet_glue_hooks);

	if (err)
		log_err("vionet: register: %s", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "virtio-net", vionet_glue_init);
