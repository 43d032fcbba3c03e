/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/vionet.h: the portable virtio-net driver (virtio 1.4 §5.1).
 *
 * Features used when offered: MAC, STATUS (link state through the
 * configuration-change interrupt), MTU (frames up to the device's MTU),
 * CSUM and GUEST_CSUM, MRG_RXBUF (and working without it: then every
 * receive buffer holds a whole frame of the MTU), CTRL_VQ with CTRL_RX
 * (promiscuous, all-multicast, MAC table) and CTRL_MAC_ADDR, MQ (negotiated,
 * one queue pair used). No GSO.
 *
 * Data path, lean per frame: receive and transmit buffers come from DMA
 * pools allocated at probe; nothing is allocated per frame. The receive
 * ring is kept full (a buffer is given back as soon as its frame has been
 * handed up). Transmit copies the frame into a pool buffer and returns
 * VIRTIO_EAGAIN when the pool or the ring is full (it never blocks); used
 * transmit buffers are reclaimed on the next send and in the poll.
 *
 * NAPI style: the first receive interrupt disables receive callbacks and
 * calls the OS hook vh_schedule(); the OS then calls vionet_poll() until
 * it returns false (drained: callbacks re-enabled, with the race re-check).
 * Frames sent from inside vh_rx (echo) are batched: one notification at
 * the end of the poll, if the device wants one at all.
 *
 * The device is not trusted: a used length beyond the buffer (core check),
 * a num_buffers larger than the buffers posted, a merged frame whose
 * middle buffers are not full, a header or frame that does not fit, a
 * control ack that never comes: dropped and counted, or the device is
 * marked broken (virtio_device_break) where the spec is violated.
 *
 * Conditions: one softc is not locked here. The OS serialises every call
 * on one softc (vionet_send, vionet_poll, the interrupt entry); the hooks
 * run inside those calls and may call vionet_send and vionet_stats.
 * Control commands are the exception: they wait (virtio_wait, bounded) for
 * the device's ack, so the OS calls them without its lock; they touch only
 * the control queue, its buffer and counters, and one runs at a time
 * (another meanwhile gets VIRTIO_EBUSY).
 */
#ifndef VIRTIO_VIONET_H
#define VIRTIO_VIONET_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/platform.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

/* Feature bits (§5.1.3). */
#define VIONET_F_CSUM 0
#define VIONET_F_GUEST_CSUM 1
#define VIONET_F_CTRL_GUEST_OFFLOADS 2
#define VIONET_F_MTU 3
#define VIONET_F_MAC 5
#define VIONET_F_MRG_RXBUF 15
#define VIONET_F_STATUS 16
#define VIONET_F_CTRL_VQ 17
#define VIONET_F_CTRL_RX 18
#define VIONET_F_CTRL_VLAN 19
#define VIONET_F_GUEST_ANNOUNCE 21
#define VIONET_F_MQ 22
#define VIONET_F_CTRL_MAC_ADDR 23

/* Configuration layout (§5.1.4), byte offsets. */
#define VIONET_CFG_MAC 0
#define VIONET_CFG_STATUS 6
#define VIONET_CFG_MAX_PAIRS 8
#define VIONET_CFG_MTU 10
#define VIONET_S_LINK_UP 1
#define VIONET_S_ANNOUNCE 2

/* The header in front of every frame (§5.1.6). */
struct vionet_hdr {
	uint8_t vh_flags;
	uint8_t vh_gso_type;
	uint16_t vh_hdr_len;
	uint16_t vh_gso_size;
	uint16_t vh_csum_start;
	uint16_t vh_csum_offset;
	uint16_t vh_num_buffers; /* VERSION_1 or MRG_RXBUF only */
};
_Static_assert(sizeof(struct vionet_hdr) == 12, "virtio_net_hdr");
#define VIONET_HDR_LEGACY_LEN 10 /* legacy without MRG_RXBUF */
#define VIONET_HDR_F_NEEDS_CSUM 1
#define VIONET_HDR_F_DATA_VALID 2
#define VIONET_HDR_GSO_NONE 0

/* Control queue (§5.1.6.5). */
#define VIONET_CTRL_RX 0
#define VIONET_CTRL_RX_PROMISC 0
#define VIONET_CTRL_RX_ALLMULTI 1
#define VIONET_CTRL_MAC 1
#define VIONET_CTRL_MAC_TABLE_SET 0
#define VIONET_CTRL_MAC_ADDR_SET 1
#define VIONET_CTRL_MQ 4
#define VIONET_CTRL_MQ_PAIRS_SET 0
#define VIONET_CTRL_OK 0
#define VIONET_CTRL_ERR 1

#define VIONET_ETHER_ADDR 6
#define VIONET_ETHER_HDR 14
#define VIONET_ETHER_MIN 14 /* shorter frames are dropped */
#define VIONET_MTU_DEFAULT 1500
#define VIONET_MTU_MAX (65535 - VIONET_ETHER_HDR - 4 - 12)
#define VIONET_MRG_BUF 2048            /* receive buffer with MRG_RXBUF */
#define VIONET_TX_MAX 256              /* transmit buffers at most */
#define VIONET_MAC_TABLE_MAX 16        /* addresses per table we send */
#define VIONET_CTRL_TIMEOUT_US 1000000 /* wait for a control ack */

/* vionet_rx_fn flags */
#define VIONET_RX_CSUM_VALID 1 /* the device checked the checksum */
#define VIONET_RX_CSUM_DONE 2  /* NEEDS_CSUM: completed by us */

/* Counters (the monitor's `net stats`, Mach's device_get_status). */
struct vionet_stats {
	uint64_t ns_rx_frames, ns_rx_bytes;
	uint64_t ns_rx_drops;  /* short, too long, bad csum fields */
	uint64_t ns_rx_merged; /* frames that spanned > 1 buffer */
	uint64_t ns_tx_frames, ns_tx_bytes;
	uint64_t ns_tx_full;   /* sends refused: ring or pool full */
	uint64_t ns_tx_errors; /* sends refused: bad length, broken */
	uint64_t ns_rx_irqs, ns_tx_irqs, ns_config_irqs;
	uint64_t ns_rx_kicks, ns_tx_kicks;
	uint64_t ns_polls; /* vionet_poll calls */
	uint64_t ns_ctrl_cmds, ns_ctrl_errors;
};

struct vionet;

/*
 * OS hooks, all optional. They run inside the driver's calls (so under
 * the OS's serialisation); vh_rx's frame is valid only during the call.
 */
struct vionet_hooks {
	void (*vh_attach)(struct vionet *sc); /* DRIVER_OK set */
	void (*vh_detach)(struct vionet *sc); /* device reset, going away */
	/* Receive interrupt: call vionet_poll() until it returns false. */
	void (*vh_schedule)(struct vionet *sc);
	/* One received frame (Ethernet header first), no virtio header.
	 * The bytes are the driver's until the call returns: the hook may
	 * change them in place (echo swaps the addresses without a copy). */
	void (*vh_rx)(struct vionet *sc, uint8_t *frame, size_t len, unsigned flags);
	/* Link went up or down (configuration interrupt). */
	void (*vh_link)(struct vionet *sc, bool up);
	/* After a VIRTIO_EAGAIN from vionet_send: room again. */
	void (*vh_tx_ready)(struct vionet *sc);
};

/* One preallocated buffer (receive or transmit). */
struct vionet_buf {
	uint8_t *nb_cpu; /* virtio header, then the frame */
	uint64_t nb_dev;
	uint16_t nb_next;  /* transmit free list */
	uint16_t nb_chunk; /* np_chunks index, for syncs */
	bool nb_busy;      /* owned by the device */
};

/* A DMA pool of equal buffers, in chunks of contiguous memory. */
struct vionet_pool {
	struct vionet_buf *np_bufs;
	unsigned np_count;
	uint32_t np_size; /* bytes per buffer */
	struct virtio_dma *np_chunks;
	unsigned np_nchunks;
};

/* Checksum offload request for vionet_send (NULL: none). */
struct vionet_csum {
	uint16_t nc_start;  /* bytes from the frame start */
	uint16_t nc_offset; /* where the sum goes, from nc_start */
};

/* The softc of one interface. */
struct vionet {
	struct virtio_device *sc_dev;
	struct vq *sc_rxq, *sc_txq, *sc_ctlq;
	uint8_t sc_mac[VIONET_ETHER_ADDR];
	uint16_t sc_mtu;
	uint16_t sc_max_pairs;
	bool sc_link_up;
	bool sc_mrg;        /* MRG_RXBUF negotiated */
	bool sc_legacy;     /* header in its own descriptor */
	bool sc_in_poll;    /* batch tx notifications */
	bool sc_running;    /* probe done: interrupts are ours */
	bool sc_tx_waiting; /* a send got VIRTIO_EAGAIN */
	bool sc_promisc, sc_allmulti;
	bool sc_ctl_busy;      /* a control command is in flight */
	uint32_t sc_hdr_len;   /* 10 or 12 */
	uint32_t sc_frame_max; /* 14 + MTU */
	struct vionet_pool sc_rx, sc_tx;
	unsigned sc_rx_posted; /* receive buffers with the device */
	uint16_t sc_tx_free;   /* free list head */
	unsigned sc_tx_nfree;
	unsigned sc_tx_pending; /* added since the last kick */
	/* Merged receive in progress: frame reassembled here. */
	struct virtio_dma sc_big;
	uint32_t sc_big_len;      /* bytes (with header) so far */
	uint16_t sc_big_left;     /* buffers still to come */
	bool sc_big_drop;         /* too long: consume, then drop */
	struct virtio_dma sc_ctl; /* control command and ack */
	struct vionet_stats sc_st;
	const struct vionet_hooks *sc_hooks;
	void *sc_os; /* the OS glue's pointer */
	struct vionet *sc_next;
};

/* The driver, for virtio_driver_register (also done by the call below). */
extern struct virtio_driver vionet_driver;

/* Register the driver with the OS hooks (kept, may be NULL). */
int vionet_driver_register(const struct vionet_hooks *hooks);

/* Iterate over attached interfaces: NULL gives the first. */
struct vionet *vionet_next(struct vionet *prev);

/*
 * Send one frame (Ethernet header first, 14..14+MTU bytes), copied into a
 * transmit buffer. With csum, the device (CSUM negotiated) or this
 * function fills the checksum at nc_start + nc_offset (§5.1.6.2).
 * Returns VIRTIO_OK, VIRTIO_EAGAIN (ring or pool full now: vh_tx_ready
 * comes later), VIRTIO_EINVAL (length, csum fields), VIRTIO_EBADDEV.
 */
int vionet_send(struct vionet *sc, const void *frame, size_t len, const struct vionet_csum *csum);

/*
 * Collect used receive and transmit buffers: each frame goes to vh_rx,
 * its buffer back to the ring. At most budget frames (0: no limit).
 * Returns true if more work may remain (call again), false once drained
 * with receive callbacks re-enabled.
 */
bool vionet_poll(struct vionet *sc, unsigned budget);

/*
 * Control queue commands (CTRL_VQ + CTRL_RX; MAC_ADDR_SET needs
 * CTRL_MAC_ADDR). They wait for the ack (virtio_wait), at most
 * VIONET_CTRL_TIMEOUT_US, then break the device: they may block, so not
 * from interrupt context nor with a lock held. Returns VIRTIO_OK,
 * VIRTIO_EUNSUPP (not negotiated), VIRTIO_EIO (the device said ERR),
 * VIRTIO_EINVAL, VIRTIO_EBUSY (another command is in flight),
 * VIRTIO_ETIMEDOUT / VIRTIO_EBADDEV (device broken).
 */
int vionet_set_promisc(struct vionet *sc, bool on);
int vionet_set_allmulti(struct vionet *sc, bool on);
/* Unicast and multicast filter tables, nuc + nmc <= VIONET_MAC_TABLE_MAX. */
int vionet_set_mac_table(struct vionet *sc, const uint8_t (*uc)[6], unsigned nuc,
                         const uint8_t (*mc)[6], unsigned nmc);

bool vionet_link_up(const struct vionet *sc);
void vionet_stats(const struct vionet *sc, struct vionet_stats *st);

/* Feature names of §5.1.3 for virtio_features_format. */
extern const struct virtio_feature_name vionet_feature_names[];

/*
 * Receive-side parsing, exposed for the fuzz target: validate the header
 * of a received frame of len bytes (with header) and complete a partial
 * checksum in place. Returns the vh_rx flags, or -1 to drop it.
 */
int vionet_rx_check(struct vionet *sc, uint8_t *buf, uint32_t len);

/* The Internet checksum (RFC 1071) of p[0..len), folded, not inverted. */
uint16_t vionet_csum_fold(const uint8_t *p, size_t len);

#endif /* VIRTIO_VIONET_H */
