/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device/net.h: network interfaces (eth0, eth1, ...) and the kernel's
 * frame API, the layer the Mach device interface will sit on: GNU Mach
 * turns device_write on a network device into one transmitted frame and
 * delivers each received frame as a net_rcv_msg to the ports whose packet
 * filter (device_set_filter) accepts it. Here that maps to:
 *   - net_send(): one frame out, copied; NET_EAGAIN when the ring is full
 *     (the Mach layer then answers D_WOULD_BLOCK or queues the request and
 *     retries from the tx-ready callback); never blocks;
 *   - one receive callback per interface, given (frame, len) in interrupt
 *     context: the filter dispatcher runs the filters and copies the frame
 *     into messages; the frame is valid only during the call;
 *   - link state, MAC, MTU and counters (device_get_status: NET_STATUS,
 *     NET_ADDRESS), receive filter modes (promiscuous, all-multicast, MAC
 *     table) for device_set_status.
 * Errors are the NET_E* codes below (mapped to D_* at the Mach boundary).
 *
 * Locking: each interface has a spinlock taken with interrupts off around
 * every driver call but the control commands (promisc, allmulti, unicast),
 * which wait for the device and so run without it; the receive and tx-ready
 * callbacks run with it held, so they must not call back into this API
 * (queue work instead).
 */
#ifndef DEVICE_NET_H
#define DEVICE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_NAME_MAX 8
#define NET_ADDR_LEN 6

enum net_err {
	NET_OK = 0,
	NET_EAGAIN = -1,  /* transmit ring full: retry after tx-ready */
	NET_EINVAL = -2,  /* bad length or argument */
	NET_EIO = -3,     /* the device failed or refused */
	NET_EUNSUPP = -4, /* the device cannot do it */
};

struct net_if;

/* A received frame, Ethernet header first. Interrupt context, if locked. */
typedef void net_rx_fn(struct net_if *ifp, const uint8_t *frame, size_t len, void *arg);
/* Room in the transmit ring again after a NET_EAGAIN. */
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

/* Send one frame of 14..14+MTU bytes: NET_OK, NET_EAGAIN, NET_EINVAL, NET_EIO. */
int net_send(struct net_if *ifp, const void *frame, size_t len);

/* The receive and tx-ready callbacks (NULL: none; frames then only counted). */
void net_set_rx(struct net_if *ifp, net_rx_fn *fn, void *arg);
void net_set_tx_ready(struct net_if *ifp, net_tx_ready_fn *fn, void *arg);

/* Echo mode (the monitor's `net echo`): every received frame goes back
 * with source and destination swapped. */
void net_set_echo(struct net_if *ifp, bool on);
bool net_echo(const struct net_if *ifp);

/* Receive filter: NET_OK, NET_EUNSUPP (no control queue), NET_EIO. */
int net_set_promisc(struct net_if *ifp, bool on);
int net_set_allmulti(struct net_if *ifp, bool on);
/* Extra unicast addresses accepted besides the interface's own (n <= 16). */
int net_set_unicast(struct net_if *ifp, const uint8_t (*macs)[NET_ADDR_LEN], unsigned n);

/* Formats a MAC as 52:54:00:12:34:56 (buf of at least 18 bytes). */
void net_mac_format(const uint8_t mac[NET_ADDR_LEN], char *buf);
/* Parses that form: 0 or -1. */
int net_mac_parse(const char *s, uint8_t mac[NET_ADDR_LEN]);

/* Runs the receive poll now, as an interrupt would (debugging aid). */
void net_poll(struct net_if *ifp);

/* The virtio driver behind an interface (for `net info`), or NULL. */
struct vionet *net_if_vionet(struct net_if *ifp);

#endif
