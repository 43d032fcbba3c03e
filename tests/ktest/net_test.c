// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-kernel virtio-net tests, run by tests/qemu/net-ctrl.t:
 *   net_filter: the control queue's receive filter against a real peer
 *     (build/net-peer respond): promiscuous off drops frames for other
 *     MACs, the MAC table accepts a second unicast address, promiscuous on
 *     takes everything, all-multicast lets multicast in.
 *   net_link: the link state follows QMP set_link (down, then up), seen
 *     by the driver and in `net info`.
 */
#include "device/net.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "debug/ktest.h"
#include "debug/monitor.h"
#include "kern/string.h"

#define NT_TYPE_DATA 0x88b5
#define NT_TYPE_REQ 0x88b6
#define NT_COUNT 10

static volatile unsigned nt_counts[256];

static void
nt_rx(struct net_if *ifp, const uint8_t *f, size_t len, void *arg)
{
	if (len > 14 && f[12] == (NT_TYPE_DATA >> 8) && f[13] == (NT_TYPE_DATA & 0xff))
		nt_counts[f[14]]++;
}

/* Ask the peer for count frames to dst, tagged tag. */
static bool
nt_request(struct net_if *ifp, const uint8_t *dst, unsigned count, uint8_t tag)
{
	static const uint8_t peer[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01};
	uint8_t f[60] = {0};

	memcpy(f, peer, 6);
	net_if_mac(ifp, f + 6);
	f[12] = NT_TYPE_REQ >> 8;
	f[13] = NT_TYPE_REQ & 0xff;
	memcpy(f + 14, dst, 6);
	f[20] = (uint8_t)(count >> 8);
	f[21] = (uint8_t)count;
	f[22] = tag;
	f[23] = 0;
	f[24] = 100;
	return net_send(ifp, f, sizeof(f)) == D_SUCCESS;
}

/* Wait until tag has want frames or ms pass; returns the count. */
static unsigned
nt_wait(uint8_t tag, unsigned want, unsigned ms)
{
	uint64_t end = clock_monotonic_ns() + (uint64_t)ms * 1000000;

	while (nt_counts[tag] < want && clock_monotonic_ns() < end)
		cpu_idle_wait();
	return nt_counts[tag];
}

/* Refused by the layer before the driver sees them: D_INVALID_SIZE. */
static bool
nt_sizes_refused(struct net_if *ifp)
{
	static uint8_t big[NET_HDR_LEN + 65536];
	static const uint8_t macs[NET_UNICAST_MAX + 1][NET_ADDR_LEN];
	struct net_stats a, b;
	bool ok;

	net_if_stats(ifp, &a);
	ok = net_send(ifp, big, NET_HDR_LEN - 1) == D_INVALID_SIZE &&
	     net_send(ifp, big, NET_HDR_LEN + net_if_mtu(ifp) + 1) == D_INVALID_SIZE &&
	     net_set_unicast(ifp, macs, NET_UNICAST_MAX + 1) == D_INVALID_SIZE;
	net_if_stats(ifp, &b);
	return ok && b.nst_tx_frames == a.nst_tx_frames && b.nst_tx_errors == a.nst_tx_errors;
}

/* Frames for dst with tag: how many arrive (waits the full time when
 * none should, so a late frame is seen). */
static unsigned
nt_probe(struct net_if *ifp, const uint8_t *dst, uint8_t tag, bool expect)
{
	nt_request(ifp, dst, NT_COUNT, tag);
	return nt_wait(tag, expect ? NT_COUNT : NT_COUNT + 1, expect ? 5000 : 1000);
}

KTEST(net_filter, "virtio-net control queue: promiscuous mode and the MAC table")
{
	static const uint8_t other[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x99};
	static const uint8_t third[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x77};
	static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	struct net_if *ifp = net_if_find("eth0");
	uint8_t own[6];
	unsigned n;

	ktap_plan(10);
	if (!ktap_ok(ifp != NULL, "eth0 exists"))
		return;
	ktap_ok(nt_sizes_refused(ifp),
	        "D_INVALID_SIZE, nothing sent: frames of %u and %u bytes, %u unicast addresses",
	        NET_HDR_LEN - 1, NET_HDR_LEN + net_if_mtu(ifp) + 1, NET_UNICAST_MAX + 1);
	net_if_mac(ifp, own);
	net_set_rx(ifp, nt_rx, NULL);
	ktap_ok(net_set_promisc(ifp, false) == D_SUCCESS &&
	            net_set_allmulti(ifp, false) == D_SUCCESS,
	        "promiscuous and all-multicast off");
	n = nt_probe(ifp, own, 1, true);
	ktap_ok(n == NT_COUNT, "frames for our own MAC arrive (%u of %u)", n, NT_COUNT);
	n = nt_probe(ifp, other, 2, false);
	ktap_ok(n == 0, "promiscuous off: frames for another MAC are filtered (%u arrived)", n);
	ktap_ok(net_set_unicast(ifp, &other, 1) == D_SUCCESS, "MAC table set to a second address");
	n = nt_probe(ifp, other, 3, true);
	ktap_ok(n == NT_COUNT, "the MAC table accepts the second unicast address (%u of %u)", n,
	        NT_COUNT);
	n = nt_probe(ifp, third, 4, false);
	ktap_ok(n == 0, "an address in no table is still filtered (%u arrived)", n);
	net_set_promisc(ifp, true);
	n = nt_probe(ifp, third, 5, true);
	ktap_ok(n == NT_COUNT, "promiscuous on: every frame arrives (%u of %u)", n, NT_COUNT);
	net_set_promisc(ifp, false);
	n = nt_probe(ifp, mcast, 6, false);
	net_set_allmulti(ifp, true);
	unsigned m = nt_probe(ifp, mcast, 7, true);
	ktap_ok(n == 0 && m == NT_COUNT,
	        "multicast: filtered (%u) until all-multicast on (%u of %u)", n, m, NT_COUNT);
	nt_request(ifp, own, 0, 0); /* the peer may go */
	net_set_rx(ifp, NULL, NULL);
}

static bool
nt_link_wait(struct net_if *ifp, bool up, unsigned ms)
{
	uint64_t end = clock_monotonic_ns() + (uint64_t)ms * 1000000;

	while (net_if_link_up(ifp) != up && clock_monotonic_ns() < end)
		cpu_idle_wait();
	return net_if_link_up(ifp) == up;
}

KTEST(net_link, "virtio-net link state follows QMP set_link")
{
	struct net_if *ifp = net_if_find("eth0");
	char cmd[32];

	ktap_plan(3);
	if (!ktap_ok(ifp && net_if_link_up(ifp), "eth0 starts with the link up"))
		return;
	ktap_diag("net_link: waiting for link down");
	ktap_ok(nt_link_wait(ifp, false, 30000), "set_link down seen by the driver");
	strlcpy(cmd, "net info eth0", sizeof(cmd));
	monitor_execute(cmd);
	ktap_diag("net_link: waiting for link up");
	ktap_ok(nt_link_wait(ifp, true, 30000), "set_link up seen by the driver");
	strlcpy(cmd, "net info eth0", sizeof(cmd));
	monitor_execute(cmd);
}

/*
 * net_bench: echo on eth0 while the peer streams frames; after a warm-up
 * of bench_warm frames, measure bench_frames echoed frames: guest CPU time
 * in the receive poll (instructions under -icount shift=0; the poll runs
 * in the interrupt, inside the idle loop's halt, so elapsed minus idle
 * would miss it), interrupts and notifications. Prints one
 * "# net_bench ..." line for bench/net.
 */
static unsigned long
nt_option(const char *key, unsigned long def)
{
	const char *s = kernel_option(key);
	unsigned long v;

	return s && parse_u64(s, &v) == KERN_SUCCESS ? v : def;
}

/* No timeout of our own: under -icount sleep=off an idle guest's clock
 * leaps ahead, so the host script's wall-clock timeout bounds the wait. */
static bool
nt_wait_frames(struct net_if *ifp, uint64_t n, struct net_stats *st)
{
	for (;;) {
		net_if_stats(ifp, st);
		if (st->nst_echoed >= n)
			return true;
		cpu_idle_wait();
	}
}

KTEST(net_bench, "virtio-net echo cost: CPU time, interrupts, notifications per frame")
{
	struct net_if *ifp = net_if_find("eth0");
	unsigned long warm = nt_option("bench_warm", 2000), n = nt_option("bench_frames", 20000);
	struct net_stats a, b;
	uint64_t t0, i0, t1, i1;

	ktap_plan(2);
	if (!ktap_ok(ifp != NULL, "eth0 exists"))
		return;
	net_set_echo(ifp, true);
	if (!ktap_ok(nt_wait_frames(ifp, warm, &a), "warm-up: %lu frames echoed", warm))
		return;
	t0 = clock_monotonic_ns();
	i0 = cpu_idle_ns(cpu_self());
	nt_wait_frames(ifp, a.nst_echoed + n, &b);
	t1 = clock_monotonic_ns();
	i1 = cpu_idle_ns(cpu_self());
	n = b.nst_echoed - a.nst_echoed;
	ktap_diag("net_bench frames=%lu poll_ns=%lu busy_ns=%lu elapsed_ns=%lu rx_irqs=%lu "
	          "tx_irqs=%lu rx_kicks=%lu tx_kicks=%lu polls=%lu echo_drops=%lu",
	          n, b.nst_poll_ns - a.nst_poll_ns, (t1 - t0) - (i1 - i0), t1 - t0,
	          b.nst_rx_irqs - a.nst_rx_irqs, b.nst_tx_irqs - a.nst_tx_irqs,
	          b.nst_rx_kicks - a.nst_rx_kicks, b.nst_tx_kicks - a.nst_tx_kicks,
	          b.nst_polls - a.nst_polls, b.nst_echo_drops - a.nst_echo_drops);
}
