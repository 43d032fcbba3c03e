/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/sim/sim_net.h: a simulated virtio-net device (virtio 1.4 §5.1) on
 * top of tests/sim: configuration space (MAC, status, max pairs, MTU),
 * receive (frames written into the driver's buffers with a virtio_net_hdr,
 * spread over several buffers with MRG_RXBUF), transmit (frames collected
 * from the ring), and a control queue answered at notification time (RX
 * mode, MAC table, MQ pairs). Written from the spec, not from vionet.c.
 * Knobs make it lie: used lengths, num_buffers, header flags.
 */
#ifndef TESTS_SIM_SIM_NET_H
#define TESTS_SIM_SIM_NET_H

#include <stdint.h>
#include <stdbool.h>
#include "tests/sim/sim.h"

#define SN_MAC_MAX 16

struct sim_net {
	struct sim *sn_sim;
	struct virtio_transport_ops sn_ops; /* sim's, notify wrapped */
	const struct virtio_transport_ops *sn_orig;
	unsigned sn_rxq, sn_txq, sn_ctlq;
	/* control state the driver set */
	int sn_promisc, sn_allmulti; /* -1: never set */
	uint8_t sn_uc[SN_MAC_MAX][6];
	unsigned sn_nuc, sn_nmc;
	unsigned sn_pairs;
	unsigned sn_ctrl_cmds;
	uint8_t sn_ctrl_ack; /* what to answer (0 OK) */
	bool sn_ctrl_silent; /* never answer */
};

/* features offered; queue size; mtu and pairs go into config. */
struct sim_net *sim_net_create(uint64_t features, uint16_t qsize, uint16_t mtu, uint16_t pairs,
                               bool legacy);
void sim_net_destroy(struct sim_net *sn);
struct virtio_device *sim_net_vdev(struct sim_net *sn);

/* Bytes of virtio_net_hdr the negotiated features call for. */
unsigned sim_net_hdr_len(const struct sim_net *sn);

/*
 * Receive one frame: take as many buffers as needed (one without
 * MRG_RXBUF), write header + frame, use them, then (if irq) decide the
 * interrupt. hflags go into the header flags (with csum start/offset).
 * Returns the number of buffers used, 0 if none was available or the
 * frame does not fit, -1 on a malformed buffer.
 */
int sim_net_rx(struct sim_net *sn, const uint8_t *frame, uint32_t len, uint8_t hflags,
               uint16_t cstart, uint16_t coff, bool irq);

/* Raw: take one receive buffer, write bytes (header included) and use it
 * with used length ulen (lies allowed). Returns 1, or 0 if none. */
int sim_net_rx_raw(struct sim_net *sn, const uint8_t *bytes, uint32_t n, uint32_t ulen);

/* Receive buffers available (popped and given back untouched is not
 * possible: this counts by popping into the in-flight list). */
unsigned sim_net_rx_avail(struct sim_net *sn);

/*
 * Take one transmitted frame: header into hdr (sim_net_hdr_len bytes),
 * frame into out (up to max). Returns the frame length, -1 if none.
 */
int sim_net_tx(struct sim_net *sn, uint8_t *hdr, uint8_t *out, uint32_t max, bool complete);
/* Complete every transmit buffer taken but not completed; interrupt. */
void sim_net_tx_complete(struct sim_net *sn);

/* Link up or down: status field, config interrupt. */
void sim_net_link(struct sim_net *sn, bool up);

#endif /* TESTS_SIM_SIM_NET_H */
