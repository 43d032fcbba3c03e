// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device/net.c: the network interfaces of device/net.h over whatever
 * drivers register them: naming (eth0, eth1... in the drivers' order),
 * the per-interface lock around every driver call, the receive and
 * tx-ready callbacks, echo mode and the kernel option net_echo=ethN|all
 * that turns it on at boot, counters, and MAC text.
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

struct net_if {
	char ni_name[NET_NAME_MAX];
	const struct net_driver_ops *ni_ops;
	void *ni_priv;
	unsigned ni_order;
	uint8_t ni_mac[NET_ADDR_LEN];
	unsigned ni_mtu;
	struct spinlock ni_lock; /* around every ni_ops call */
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

/* Echo: swap the addresses in place and send the frame back (lock held). */
static void
net_echo_frame(struct net_if *ifp, uint8_t *f, size_t len)
{
	uint8_t tmp[NET_ADDR_LEN];

	memcpy(tmp, f, NET_ADDR_LEN);
	memcpy(f, f + NET_ADDR_LEN, NET_ADDR_LEN);
	memcpy(f + NET_ADDR_LEN, tmp, NET_ADDR_LEN);
	if (ifp->ni_ops->no_send(ifp, f, len) == D_SUCCESS)
		ifp->ni_echoed++;
	else
		ifp->ni_echo_drops++;
}

void
net_if_input(struct net_if *ifp, uint8_t *frame, size_t len)
{
	if (ifp->ni_rx)
		ifp->ni_rx(ifp, frame, len, ifp->ni_rx_arg);
	if (ifp->ni_echo)
		net_echo_frame(ifp, frame, len);
}

void
net_if_tx_ready(struct net_if *ifp)
{
	if (ifp->ni_tx_ready)
		ifp->ni_tx_ready(ifp, ifp->ni_tx_arg);
}

/* Until the kernel has threads this runs right in the receive interrupt. */
void
net_poll(struct net_if *ifp)
{
	uint64_t fl = spin_lock_irqsave(&ifp->ni_lock);
	uint64_t t0 = clock_monotonic_ns();

	ifp->ni_ops->no_poll(ifp);
	ifp->ni_poll_ns += clock_monotonic_ns() - t0;
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
}

/* Kept in nd_order, so eth0 is the first the driver counts. */
static void
net_if_insert(struct net_if *ifp)
{
	struct net_if **pp = &net_ifs;

	while (*pp && (*pp)->ni_order < ifp->ni_order)
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

struct net_if *
net_if_attach(const struct net_if_desc *desc)
{
	struct net_if *ifp = kzalloc(sizeof(*ifp));

	if (!ifp)
		return NULL;
	ifp->ni_ops = desc->nd_ops;
	ifp->ni_priv = desc->nd_priv;
	ifp->ni_order = desc->nd_order;
	memcpy(ifp->ni_mac, desc->nd_mac, NET_ADDR_LEN);
	ifp->ni_mtu = desc->nd_mtu;
	ifp->ni_lock = (struct spinlock)SPINLOCK_INIT("net_if", LOCK_RANK_NET_IF);
	net_if_insert(ifp);
	net_names_assign();
	return ifp;
}

void
net_if_detach(struct net_if *ifp)
{
	for (struct net_if **pp = &net_ifs; *pp; pp = &(*pp)->ni_next)
		if (*pp == ifp) {
			*pp = ifp->ni_next;
			break;
		}
	kfree(ifp);
}

void *
net_if_priv(const struct net_if *ifp)
{
	return ifp->ni_priv;
}

const struct net_driver_ops *
net_if_ops(const struct net_if *ifp)
{
	return ifp->ni_ops;
}

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
	memcpy(mac, ifp->ni_mac, NET_ADDR_LEN);
}

unsigned
net_if_mtu(const struct net_if *ifp)
{
	return ifp->ni_mtu;
}

bool
net_if_link_up(const struct net_if *ifp)
{
	return ifp->ni_ops->no_link_up(ifp);
}

void
net_if_stats(struct net_if *ifp, struct net_stats *st)
{
	uint64_t fl = spin_lock_irqsave(&ifp->ni_lock);

	*st = (struct net_stats){0};
	ifp->ni_ops->no_stats(ifp, st);
	st->nst_echoed = ifp->ni_echoed;
	st->nst_echo_drops = ifp->ni_echo_drops;
	st->nst_poll_ns = ifp->ni_poll_ns;
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
}

io_return_t
net_send(struct net_if *ifp, const void *frame, size_t len)
{
	uint64_t fl;
	io_return_t err;

	if (!frame || len < NET_HDR_LEN || len > NET_HDR_LEN + (size_t)ifp->ni_mtu)
		return D_INVALID_SIZE;
	fl = spin_lock_irqsave(&ifp->ni_lock);
	err = ifp->ni_ops->no_send(ifp, frame, len);
	spin_unlock_irqrestore(&ifp->ni_lock, fl);
	return err;
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

io_return_t
net_set_promisc(struct net_if *ifp, bool on)
{
	/* Not under ni_lock: a control command waits for the device. */
	return ifp->ni_ops->no_set_promisc(ifp, on);
}

io_return_t
net_set_allmulti(struct net_if *ifp, bool on)
{
	/* Not under ni_lock: a control command waits for the device. */
	return ifp->ni_ops->no_set_allmulti(ifp, on);
}

io_return_t
net_set_unicast(struct net_if *ifp, const uint8_t (*macs)[NET_ADDR_LEN], unsigned n)
{
	if (n > NET_UNICAST_MAX || (n && !macs))
		return D_INVALID_SIZE;
	/* Not under ni_lock: a control command waits for the device. */
	return ifp->ni_ops->no_set_unicast(ifp, macs, n);
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
INITCALL(INIT_LATE, "net-echo", net_echo_init);
