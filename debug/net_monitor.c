// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * debug/net_monitor.c: the monitor's `net` command (issue 4, item 2):
 *   net                                    list the interfaces
 *   net info ethN                          MAC, MTU, link, features, queues
 *   net echo ethN on|off                   send every received frame back
 *   net send ethN DSTMAC ETHERTYPE LENGTH  one frame, counter pattern
 *   net stats ethN                         frames, bytes, drops, irqs, kicks
 * and the receive filter (control queue):
 *   net promisc ethN on|off, net allmulti ethN on|off,
 *   net unicast ethN [MAC...]              extra unicast addresses
 *   net poll ethN                          poll once (debugging), then stats
 */
#include "device/net.h"
#include "drivers/vionet_glue.h"

#include "debug/monitor.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "virtio/virtqueue.h"

#define NET_MON_FEAT_BUF 512

static kern_return_t
net_mon_if(const char *name, struct net_if **ifp)
{
	*ifp = net_if_find(name);
	if (!*ifp)
		return monitor_error(D_NO_SUCH_DEVICE, "no interface '%s'", name);
	return KERN_SUCCESS;
}

static kern_return_t
net_mon_onoff(const char *s, bool *on)
{
	if (!strcmp(s, "on"))
		*on = true;
	else if (!strcmp(s, "off"))
		*on = false;
	else
		return monitor_error(KERN_INVALID_ARGUMENT, "expected on or off, got '%s'", s);
	return KERN_SUCCESS;
}

static void
net_mon_queue(const char *what, struct vq *vq)
{
	if (vq)
		kprintf(" %s %u", what, vq_size(vq));
}

/* What only the virtio driver knows: device, features, queues, buffers. */
static void
net_mon_info_virtio(struct net_if *ifp, struct vionet *sc)
{
	static char feat[NET_MON_FEAT_BUF];
	struct virtio_device *dev = sc->sc_dev;

	virtio_features_format(dev, dev->vd_features, feat, sizeof(feat));
	kprintf("%s: device %s (%s), features %s\n", net_if_name(ifp), dev->vd_name,
	        dev->vd_ops->vto_name, feat);
	kprintf("%s: queues", net_if_name(ifp));
	net_mon_queue("rx", sc->sc_rxq);
	net_mon_queue("tx", sc->sc_txq);
	net_mon_queue("ctrl", sc->sc_ctlq);
	kprintf(", %s ring%s, pairs 1 of %u\n", vq_is_packed(sc->sc_rxq) ? "packed" : "split",
	        vq_has_event_idx(sc->sc_rxq) ? ", event index" : "", sc->sc_max_pairs);
	kprintf("%s: rx buffers %u x %u bytes%s, tx buffers %u, header %u bytes, "
	        "promisc %s allmulti %s, echo %s%s\n",
	        net_if_name(ifp), sc->sc_rx.np_count, sc->sc_rx.np_size,
	        sc->sc_mrg ? " (merged)" : "", sc->sc_tx.np_count, sc->sc_hdr_len,
	        sc->sc_promisc ? "on" : "off", sc->sc_allmulti ? "on" : "off",
	        net_echo(ifp) ? "on" : "off", dev->vd_broken ? ", DEVICE BROKEN" : "");
}

static kern_return_t
net_mon_info(struct net_if *ifp)
{
	struct vionet *sc = vionet_glue_softc(ifp);
	uint8_t mac[NET_ADDR_LEN];
	char ms[18];

	net_if_mac(ifp, mac);
	net_mac_format(mac, ms);
	kprintf("%s: mac %s mtu %u link %s\n", net_if_name(ifp), ms, net_if_mtu(ifp),
	        net_if_link_up(ifp) ? "up" : "down");
	if (sc)
		net_mon_info_virtio(ifp, sc);
	else
		kprintf("%s: echo %s\n", net_if_name(ifp), net_echo(ifp) ? "on" : "off");
	return KERN_SUCCESS;
}

static kern_return_t
net_mon_stats(struct net_if *ifp)
{
	struct net_stats st;
	const char *n = net_if_name(ifp);

	net_if_stats(ifp, &st);
	kprintf("%s: rx frames %lu bytes %lu drops %lu merged %lu\n", n, st.nst_rx_frames,
	        st.nst_rx_bytes, st.nst_rx_drops, st.nst_rx_merged);
	kprintf("%s: tx frames %lu bytes %lu full %lu errors %lu\n", n, st.nst_tx_frames,
	        st.nst_tx_bytes, st.nst_tx_full, st.nst_tx_errors);
	kprintf("%s: interrupts %lu (rx %lu tx %lu config %lu) notifications %lu (rx %lu "
	        "tx %lu) polls %lu\n",
	        n, st.nst_rx_irqs + st.nst_tx_irqs + st.nst_config_irqs, st.nst_rx_irqs,
	        st.nst_tx_irqs, st.nst_config_irqs, st.nst_rx_kicks + st.nst_tx_kicks,
	        st.nst_rx_kicks, st.nst_tx_kicks, st.nst_polls);
	kprintf("%s: echoed %lu echo drops %lu, poll time %lu us\n", n, st.nst_echoed,
	        st.nst_echo_drops, st.nst_poll_ns / 1000);
	return KERN_SUCCESS;
}

/* Why a send failed, in a few words. */
static const char *
net_mon_send_error(io_return_t err)
{
	switch (err) {
	case D_WOULD_BLOCK:
		return "ring full";
	case D_INVALID_SIZE:
		return "bad length";
	case D_DEVICE_DOWN:
		return "device down";
	default:
		return "device error";
	}
}

/* Why a filter change failed, in a few words. */
static const char *
net_mon_filter_error(io_return_t err)
{
	switch (err) {
	case D_INVALID_OPERATION:
		return "not supported by the device (no control queue)";
	case D_INVALID_SIZE:
		return "too many addresses";
	case D_DEVICE_DOWN:
		return "device down";
	default:
		return "device refused";
	}
}

/* net send ethN DSTMAC ETHERTYPE LENGTH: payload byte i is (i - 14) & 0xff. */
static kern_return_t
net_mon_send(struct net_if *ifp, char **argv)
{
	static uint8_t frame[65536];
	unsigned long type, len;
	io_return_t err;

	if (net_mac_parse(argv[0], frame))
		return monitor_error(KERN_INVALID_ARGUMENT, "bad MAC '%s' (form 52:54:00:12:34:56)",
		                     argv[0]);
	if (parse_u64(argv[1], &type) != KERN_SUCCESS || type > 0xffff)
		return monitor_error(KERN_INVALID_ARGUMENT, "bad ETHERTYPE '%s'", argv[1]);
	if (parse_u64(argv[2], &len) != KERN_SUCCESS || len < 14 || len > 14 + net_if_mtu(ifp))
		return monitor_error(KERN_INVALID_ARGUMENT, "LENGTH must be 14..%u",
		                     14 + net_if_mtu(ifp));
	net_if_mac(ifp, frame + NET_ADDR_LEN);
	frame[12] = (uint8_t)(type >> 8);
	frame[13] = (uint8_t)type;
	for (unsigned long i = 14; i < len; i++)
		frame[i] = (uint8_t)(i - 14);
	err = net_send(ifp, frame, len);
	if (err)
		return monitor_error(err, "send failed (%s)", net_mon_send_error(err));
	kprintf("%s: sent %lu bytes to %s type 0x%04lx\n", net_if_name(ifp), len, argv[0], type);
	return KERN_SUCCESS;
}

static kern_return_t
net_mon_filter(struct net_if *ifp, const char *what, int argc, char **argv)
{
	uint8_t macs[NET_UNICAST_MAX][NET_ADDR_LEN];
	bool on = false;
	io_return_t err;
	kern_return_t kr;
	int n;

	if (!strcmp(what, "unicast")) {
		if (argc > NET_UNICAST_MAX)
			return monitor_error(KERN_INVALID_ARGUMENT, "at most %u addresses",
			                     NET_UNICAST_MAX);
		for (n = 0; n < argc; n++)
			if (net_mac_parse(argv[n], macs[n]))
				return monitor_error(KERN_INVALID_ARGUMENT, "bad MAC '%s'",
				                     argv[n]);
		err = net_set_unicast(ifp, macs, (unsigned)argc);
	} else {
		if (argc != 1)
			return monitor_error(KERN_INVALID_ARGUMENT, "usage: net %s ethN on|off",
			                     what);
		kr = net_mon_onoff(argv[0], &on);
		if (kr != KERN_SUCCESS)
			return kr;
		err =
		    !strcmp(what, "promisc") ? net_set_promisc(ifp, on) : net_set_allmulti(ifp, on);
	}
	if (err)
		return monitor_error(err, "%s: %s", what, net_mon_filter_error(err));
	kprintf("%s: %s set\n", net_if_name(ifp), what);
	return KERN_SUCCESS;
}

static kern_return_t
net_mon_list(void)
{
	char ms[18];
	uint8_t mac[NET_ADDR_LEN];

	for (struct net_if *ifp = net_if_next(NULL); ifp; ifp = net_if_next(ifp)) {
		net_if_mac(ifp, mac);
		net_mac_format(mac, ms);
		kprintf("%s: mac %s mtu %u link %s\n", net_if_name(ifp), ms, net_if_mtu(ifp),
		        net_if_link_up(ifp) ? "up" : "down");
	}
	if (!net_if_next(NULL))
		kprintf("no network interfaces\n");
	return KERN_SUCCESS;
}

static kern_return_t
net_cmd(int argc, char **argv)
{
	struct net_if *ifp;
	bool on = false;
	kern_return_t kr;

	if (argc == 1)
		return net_mon_list();
	if (argc < 3)
		return monitor_error(
		    KERN_INVALID_ARGUMENT,
		    "usage: net info|echo|send|stats|promisc|allmulti|unicast ethN ...");
	kr = net_mon_if(argv[2], &ifp);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!strcmp(argv[1], "info") && argc == 3)
		return net_mon_info(ifp);
	if (!strcmp(argv[1], "stats") && argc == 3)
		return net_mon_stats(ifp);
	if (!strcmp(argv[1], "echo") && argc == 4) {
		kr = net_mon_onoff(argv[3], &on);
		if (kr != KERN_SUCCESS)
			return kr;
		net_set_echo(ifp, on);
		kprintf("%s: echo %s\n", net_if_name(ifp), on ? "on" : "off");
		return KERN_SUCCESS;
	}
	if (!strcmp(argv[1], "poll") && argc == 3) {
		net_poll(ifp);
		return net_mon_stats(ifp);
	}
	if (!strcmp(argv[1], "send") && argc == 6)
		return net_mon_send(ifp, argv + 3);
	if (!strcmp(argv[1], "promisc") || !strcmp(argv[1], "allmulti") ||
	    !strcmp(argv[1], "unicast"))
		return net_mon_filter(ifp, argv[1], argc - 3, argv + 3);
	return monitor_error(KERN_INVALID_ARGUMENT,
	                     "usage: net info ethN | echo ethN on|off | send ethN DSTMAC "
	                     "ETHERTYPE LENGTH | stats ethN");
}
MONITOR_COMMAND("net", "[info|echo|send|stats|promisc|allmulti|unicast ethN ...]",
                "network interfaces: info, echo, send a frame, counters, rx filter", net_cmd);
