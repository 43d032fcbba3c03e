// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device/net.c: the network interfaces of device/net.h over the portable
 * virtio-net driver (virtio/vionet.c): naming (eth0, eth1... in virtio unit
 * order), locking, the NAPI poll run from the receive interrupt, echo mode
 * and the kernel option net_echo=ethN|all that turns it on at boot.
 */
#include "device/net.h"

#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "virtio/vionet.h"
#include "virtio/virtqueue.h"

#define NET_POLL_BUDGET 64 /* frames per poll round */

struct net_if {
	char ni_name[NET_NAME_MAX];
	struct vionet *ni_sc;
	struct spinlock ni_lock;
	bool ni_echo;
	net_rx_fn *ni_rx;
	void *ni_rx_arg;
	net_tx_ready_fn *ni_tx_ready;
	void *ni_tx_arg;
	uint64_t ni_echoed, ni_echo_drops;
	uint64_t ni_poll_ns; /* CPU time spent polling (receive + echo) */
	struct net_if *ni_next;
};

static struct net_if *net_ifs;
static unsigned net_count;

static int
net_err(int verr)
{
	switch (verr) {
	case VIRTIO_OK:
		return NET_OK;
	case VIRTIO_EAGAIN:
		return NET_EAGAIN;
	case VIRTIO_EINVAL:
		return NET_EINVAL;
	case VIRTIO_EUNSUPP:
		return NET_EUNSUPP;
	default:
		return NET_EIO;
	}
}

/* Echo: swap the addresses in place and send the frame back. */
static void
net_echo_frame(struct net_if *ifp, uint8_t *f, size_t len)
{
	uint8_t tmp[NET_ADDR_LEN];

	memcpy(tmp, f, NET_ADDR_LEN);
	memcpy(f, f + NET_ADDR_LEN, NET_ADDR_LEN);
	memcpy(f + NET_ADDR_LEN, tmp, NET_ADDR_LEN);
	if (vionet_send(ifp->ni_sc, f, len, NULL) == VIRTIO_OK)
		ifp->ni_echoed++;
	else
		ifp->ni_echo_drops++;
}

/* Driver hooks: they run under ni_lock (inside vionet_poll or a call). */
static void
net_hook_rx(struct vionet *sc, uint8_t *frame, size_t len, unsigned flags)
{
	struct net_if *ifp = sc->sc_os;

	if (!ifp)
		return;
	if (ifp->ni_rx)
		ifp->ni_rx(ifp, frame, len, ifp->ni_rx_arg);
	if (ifp->ni_echo)
		net_echo_frame(ifp, frame, len);
}

static void
net_hook_tx_ready(struct vionet *sc)
{
	struct net_if *ifp = sc->sc_os;

	if (ifp && ifp->ni_tx_ready)
		ifp->ni_tx_ready(ifp, ifp->ni_tx_arg);
}

/* Queue interrupt (callbacks now off): poll until drained. Until the
 * kernel has threads this runs right here, in the interrupt. */
static void
net_hook_schedule(struct vionet *sc)
{
	struct net_if *ifp = sc->sc_os;
	uint64_t fl;

	if (!ifp) { /* no interface (out of memory): drain anyway */
		while (vionet_poll(sc, NET_POLL_BUDGET))
			;
		return;
	}
	fl = spin_lock_irqsave(&ifp->ni_lock);
	uint64_t t0 = clock_monotonic_ns();
	while (vionet_poll(sc, NET_POLL_BUDGET))
		;
	ifp->ni_poll_ns += clock_monotonic_ns() - t0;
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
}

void
net_poll(struct net_if *ifp)
{
	net_hook_schedule(ifp->ni_sc);
}

static void
net_hook_link(struct vionet *sc, bool up)
{
	struct net_if *ifp = sc->sc_os;

	log_info("%s: link %s", ifp ? ifp->ni_name : sc->sc_dev->vd_name, up ? "up" : "down");
}

/* Names in order of the virtio unit number, so eth0 is the first NIC. */
static void
net_if_insert(struct net_if *ifp)
{
	struct net_if **pp = &net_ifs;

	while (*pp && (*pp)->ni_sc->sc_dev->vd_unit < ifp->ni_sc->sc_dev->vd_unit)
		pp = &(*pp)->ni_next;
	ifp->ni_next = *pp;
	*pp = ifp;
}

static void
net_names_assign(void)
{
	unsigned n = 0;

	for (struct net_if *ifp = net_ifs; ifp; ifp = ifp->ni_next)
		ksnprintf(ifp->ni_name, sizeof(ifp->ni_name), "eth%u", n++);
}

static void
net_hook_attach(struct vionet *sc)
{
	struct net_if *ifp = kzalloc(sizeof(*ifp));
	char mac[18];

	if (!ifp) {
		log_err("%s: no memory for the interface", sc->sc_dev->vd_name);
		return;
	}
	ifp->ni_sc = sc;
	ifp->ni_lock = (struct spinlock)SPINLOCK_INIT("net_if", LOCK_RANK_NET_IF);
	sc->sc_os = ifp;
	net_if_insert(ifp);
	net_count++;
	net_names_assign();
	net_mac_format(sc->sc_mac, mac);
	log_info("%s: %s (%s) mac %s mtu %u link %s, %s ring%s, rx buffers %u x %u%s%s",
	         ifp->ni_name, sc->sc_dev->vd_name, sc->sc_dev->vd_ops->vto_name, mac, sc->sc_mtu,
	         sc->sc_link_up ? "up" : "down", vq_is_packed(sc->sc_rxq) ? "packed" : "split",
	         vq_has_event_idx(sc->sc_rxq) ? ", event index" : "", sc->sc_rx.np_count,
	         sc->sc_rx.np_size, sc->sc_mrg ? " merged" : "", sc->sc_ctlq ? ", ctrl queue" : "");
}

static void
net_hook_detach(struct vionet *sc)
{
	struct net_if *ifp = sc->sc_os, **pp;

	if (!ifp)
		return;
	for (pp = &net_ifs; *pp; pp = &(*pp)->ni_next)
		if (*pp == ifp) {
			*pp = ifp->ni_next;
			break;
		}
	sc->sc_os = NULL;
	net_count--;
	kfree(ifp);
}

static const struct vionet_hooks net_hooks = {
    .vh_attach = net_hook_attach,
    .vh_detach = net_hook_detach,
    .vh_schedule = net_hook_schedule,
    .vh_rx = net_hook_rx,
    .vh_link = net_hook_link,
    .vh_tx_ready = net_hook_tx_ready,
};

struct net_if *
net_if_next(struct net_if *prev)
{
	return prev ? prev->ni_next : net_ifs;
}

struct net_if *
net_if_find(const char *name)
{
	for (struct net_if *ifp = net_ifs; ifp; ifp = ifp->ni_next)
		if (!strcmp(ifp->ni_name, name))
			return ifp;
	return NULL;
}

const char *
net_if_name(const struct net_if *ifp)
{
	return ifp->ni_name;
}

void
net_if_mac(const struct net_if *ifp, uint8_t mac[NET_ADDR_LEN])
{
	memcpy(mac, ifp->ni_sc->sc_mac, NET_ADDR_LEN);
}

unsigned
net_if_mtu(const struct net_if *ifp)
{
	return ifp->ni_sc->sc_mtu;
}

bool
net_if_link_up(const struct net_if *ifp)
{
	return vionet_link_up(ifp->ni_sc);
}

struct vionet *
net_if_vionet(struct net_if *ifp)
{
	return ifp->ni_sc;
}

void
net_if_stats(struct net_if *ifp, struct net_stats *st)
{
	struct vionet_stats vs;
	uint64_t fl = spin_lock_irqsave(&ifp->ni_lock);

	vionet_stats(ifp->ni_sc, &vs);
	*st = (struct net_stats){
	    .nst_rx_frames = vs.ns_rx_frames,
	    .nst_rx_bytes = vs.ns_rx_bytes,
	    .nst_rx_drops = vs.ns_rx_drops,
	    .nst_rx_merged = vs.ns_rx_merged,
	    .nst_tx_frames = vs.ns_tx_frames,
	    .nst_tx_bytes = vs.ns_tx_bytes,
	    .nst_tx_full = vs.ns_tx_full,
	    .nst_tx_errors = vs.ns_tx_errors,
	    .nst_rx_irqs = vs.ns_rx_irqs,
	    .nst_tx_irqs = vs.ns_tx_irqs,
	    .nst_config_irqs = vs.ns_config_irqs,
	    .nst_rx_kicks = vs.ns_rx_kicks,
	    .nst_tx_kicks = vs.ns_tx_kicks,
	    .nst_polls = vs.ns_polls,
	    .nst_echoed = ifp->ni_echoed,
	    .nst_echo_drops = ifp->ni_echo_drops,
	    .nst_poll_ns = ifp->ni_poll_ns,
	};
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
}

int
net_send(struct net_if *ifp, const void *frame, size_t len)
{
	uint64_t fl = spin_lock_irqsave(&ifp->ni_lock);
	int err = vionet_send(ifp->ni_sc, frame, len, NULL);

	spin_unlock_irqrestore(&ifp->ni_lock, fl);
	return net_err(err);
}

void
net_set_rx(struct net_if *ifp, net_rx_fn *fn, void *arg)
{
	uint64_t fl = spin_lock_irqsave(&ifp->ni_lock);

	ifp->ni_rx = fn;
	ifp->ni_rx_arg = arg;
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
}

void
net_set_tx_ready(struct net_if *ifp, net_tx_ready_fn *fn, void *arg)
{
	uint64_t fl = spin_lock_irqsave(&ifp->ni_lock);

	ifp->ni_tx_ready = fn;
	ifp->ni_tx_arg = arg;
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
}

void
net_set_echo(struct net_if *ifp, bool on)
{
	ifp->ni_echo = on;
}

bool
net_echo(const struct net_if *ifp)
{
	return ifp->ni_echo;
}

int
net_set_promisc(struct net_if *ifp, bool on)
{
	/* Not under ni_lock: a control command waits for the device. */
	int err = vionet_set_promisc(ifp->ni_sc, on);

	return net_err(err);
}

int
net_set_allmulti(struct net_if *ifp, bool on)
{
	/* Not under ni_lock: a control command waits for the device. */
	int err = vionet_set_allmulti(ifp->ni_sc, on);

	return net_err(err);
}

int
net_set_unicast(struct net_if *ifp, const uint8_t (*macs)[NET_ADDR_LEN], unsigned n)
{
	/* Not under ni_lock: a control command waits for the device. */
	int err = vionet_set_mac_table(ifp->ni_sc, macs, n, NULL, 0);

	return net_err(err);
}

void
net_mac_format(const uint8_t mac[NET_ADDR_LEN], char *buf)
{
	ksnprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
	          mac[5]);
}

int
net_mac_parse(const char *s, uint8_t mac[NET_ADDR_LEN])
{
	for (int i = 0; i < NET_ADDR_LEN; i++) {
		int hi = hex_digit_value(s[0]), lo = hi < 0 ? -1 : hex_digit_value(s[1]);

		if (lo < 0 || s[2] != (i == NET_ADDR_LEN - 1 ? '\0' : ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 3;
	}
	return 0;
}

/* net_echo=eth0 (or all): echo from boot, for the frame tests. */
static void
net_echo_init(void)
{
	const char *opt = kernel_option("net_echo");

	if (!opt)
		return;
	for (struct net_if *ifp = net_ifs; ifp; ifp = ifp->ni_next)
		if (!strcmp(opt, "all") || !strcmp(opt, ifp->ni_name)) {
			ifp->ni_echo = true;
			log_info("%s: echo on", ifp->ni_name);
		}
}

static void
net_init(void)
{
	int err = vionet_driver_register(&net_hooks);

	if (err)
		log_err("vionet: register: %s", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "net", net_init);
INITCALL(INIT_LATE, "net-echo", net_echo_init);
