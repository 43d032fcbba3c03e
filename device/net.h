/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device/net.h: network interfaces (eth0, eth1, ...) and the kernel's
 * frame API, the layer the Mach device interface will sit on, whatever
 * driver serves each interface (it registers a struct net_driver_ops).
 * GNU Mach turns device_write on a network device into one transmitted
 * frame and delivers each received frame as a net_rcv_msg to the ports
 * whose packet filter (device_set_filter) accepts it. Here that maps to:
 *   - net_send(): one frame out, copied; D_WOULD_BLOCK when the ring is
 *     full (the Mach layer then answers D_WOULD_BLOCK or queues the
 *     request and retries from the tx-ready callback); never blocks;
 *   - one receive callback per interface, given (frame, len) in interrupt
 *     context: the filter dispatcher runs the filters and copies the frame
 *     into messages; the frame is valid only during the call;
 *   - link state, MAC, MTU and counters (device_get_status: NET_STATUS,
 *     NET_ADDRESS), receive filter modes (promiscuous, all-multicast, MAC
 *     table) for device_set_status.
 * Errors are GNU Mach's io_return_t codes (D_*).
 *
 * Locking: each interface has a spinlock taken with interrupts off around
 * every driver call (the driver ops below run with it held) but the
 * receive filter commands (promisc, allmulti, unicast), which wait for the
 * device and so run without it; the receive and tx-ready callbacks run
 * with it held, so they must not call back into this API (queue work
 * instead).
 */
#ifndef DEVICE_NET_H
#define DEVICE_NET_H

#include <device/device_types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_NAME_MAX 8
#define NET_ADDR_LEN 6
#define NET_HDR_LEN 14     /* Ethernet header: the shortest frame */
#define NET_UNICAST_MAX 16 /* net_set_unicast's table */

struct net_if;

/* A received frame, Ethernet header first. Interrupt context, if locked. */
typedef void net_rx_fn(struct net_if *ifp, const uint8_t *frame, size_t len, void *arg);
/* Room in the transmit ring again after a D_WOULD_BLOCK. */
typedef void net_tx_ready_fn(struct net_if *ifp, void *arg);

struct net_stats {
	uint64_t nst_rx_frames, nst_rx_bytes, nst_rx_drops, nst_rx_merged;
	uint64_t nst_tx_frames, nst_tx_bytes, nst_tx_full, nst_tx_errors;
	uint64_t nst_rx_irqs, nst_tx_irqs, nst_config_irqs;
	uint64_t nst_rx_kicks, nst_tx_kicks, nst_polls;
	uint64_t nst_echoed, nst_echo_drops;
	uint64_t nst_poll_ns; /* CPU time in the receive poll (with echo) */
};

/* Interfaces in name order: NULL gives the first. */
struct net_if *net_if_next(struct net_if *prev);
/* "eth0" -> the interface, or NULL. */
struct net_if *net_if_find(const char *name);

const char *net_if_name(const struct net_if *ifp);
void net_if_mac(const struct net_if *ifp, uint8_t mac[NET_ADDR_LEN]);
unsigned net_if_mtu(const struct net_if *ifp);
bool net_if_link_up(const struct net_if *ifp);
void net_if_stats(struct net_if *ifp, struct net_stats *st);

/*
 * Send one frame of NET_HDR_LEN..NET_HDR_LEN+MTU bytes: D_SUCCESS,
 * D_WOULD_BLOCK (ring full: the tx-ready callback comes), D_INVALID_SIZE
 * (length), D_DEVICE_DOWN or D_IO_ERROR.
 */
io_return_t net_send(struct net_if *ifp, const void *frame, size_t len);

/* The receive and tx-ready callbacks (NULL: none; frames then only counted). */
void net_set_rx(struct net_if *ifp, net_rx_fn *fn, void *arg);
void net_set_tx_ready(struct net_if *ifp, net_tx_ready_fn *fn, void *arg);

/* Echo mode (the monitor's `net echo`): every received frame goes back
 * with source and destination swapped. */
void net_set_echo(struct net_if *ifp, bool on);
bool net_echo(const struct net_if *ifp);

/*
 * Receive filter: D_SUCCESS, D_INVALID_OPERATION (the device cannot
 * filter, e.g. no control queue), D_IO_ERROR (it refused or did not
 * answer), D_DEVICE_DOWN.
 */
io_return_t net_set_promisc(struct net_if *ifp, bool on);
io_return_t net_set_allmulti(struct net_if *ifp, bool on);
/* Extra unicast addresses accepted besides the interface's own; more than
 * NET_UNICAST_MAX: D_INVALID_SIZE. */
io_return_t net_set_unicast(struct net_if *ifp, const uint8_t (*macs)[NET_ADDR_LEN], unsigned n);

/* Formats a MAC as 52:54:00:12:34:56 (buf of at least 18 bytes). */
void net_mac_format(const uint8_t mac[NET_ADDR_LEN], char *buf);
/* Parses that form: 0 or -1. */
int net_mac_parse(const char *s, uint8_t mac[NET_ADDR_LEN]);

/* Runs the receive poll now, as an interrupt would (also a debugging aid). */
void net_poll(struct net_if *ifp);

/* ---- for drivers ------------------------------------------------------------ */

/* What a network driver provides. Every op runs with the interface lock held. */
struct net_driver_ops {
	/* One frame, already checked against the MTU: D_SUCCESS, D_WOULD_BLOCK
	 * (call net_if_tx_ready once there is room), or an error. */
	io_return_t (*no_send)(struct net_if *ifp, const void *frame, size_t len);
	/* Hand every received frame to net_if_input until the ring is drained. */
	void (*no_poll)(struct net_if *ifp);
	bool (*no_link_up)(const struct net_if *ifp);
	/* The driver's counters (net_stats without the echo and poll fields). */
	void (*no_stats)(struct net_if *ifp, struct net_stats *st);
	io_return_t (*no_set_promisc)(struct net_if *ifp, bool on);
	io_return_t (*no_set_allmulti)(struct net_if *ifp, bool on);
	io_return_t (*no_set_unicast)(struct net_if *ifp, const uint8_t (*macs)[NET_ADDR_LEN],
	                              unsigned n);
};

/* A new interface, as its driver describes it. */
struct net_if_desc {
	const struct net_driver_ops *nd_ops;
	void *nd_priv;     /* the driver's: net_if_priv() */
	unsigned nd_order; /* interfaces are named eth0, eth1... in this order */
	uint8_t nd_mac[NET_ADDR_LEN];
	unsigned nd_mtu;
};

/* Create and name an interface (names may shift: eth0 stays the lowest
 * nd_order). NULL when out of memory. Thread context. */
struct net_if *net_if_attach(const struct net_if_desc *desc);
/* Unlink and free it; the driver makes no call on it afterwards. */
void net_if_detach(struct net_if *ifp);

void *net_if_priv(const struct net_if *ifp);
const struct net_driver_ops *net_if_ops(const struct net_if *ifp);

/*
 * From inside the driver's ops and poll (lock held): a received frame,
 * which the receive callback sees and echo mode may change in place and
 * send back; room again in the transmit ring.
 */
void net_if_input(struct net_if *ifp, uint8_t *frame, size_t len);
void net_if_tx_ready(struct net_if *ifp);

#endif
