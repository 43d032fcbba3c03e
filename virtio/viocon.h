/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/viocon.h: the portable virtio console driver (virtio 1.4 §5.3).
 *
 * Port 0 always exists and has a receiveq/transmitq pair (queues 0, 1).
 * With VIRTIO_CONSOLE_F_MULTIPORT the control queues (2, 3) carry the port
 * protocol of §5.3.6.2: the driver sends DEVICE_READY, the device
 * announces ports (DEVICE_ADD), the driver answers PORT_READY, opens the
 * ports the device names as consoles (CONSOLE_PORT -> PORT_OPEN 1), and
 * keeps each port's name, host-side open state and console size. Ports
 * 1..VIOCON_IO_PORTS-1 also get data queues (4, 5, ...), created at probe
 * as §3.1.1 wants; higher ports are listed only. With VIRTIO_CONSOLE_F_SIZE
 * the size of port 0 comes from config space (re-read on config change).
 *
 * The device is never trusted: control messages are checked (length, port
 * id against max_nr_ports and our table, duplicate adds, removals of
 * unknown ports, names cut to printable ASCII), and a transmitq the device
 * stops consuming costs nothing but the output that does not fit: writing
 * never waits. A writer with more to say asks viocon_tx_room() first and
 * keeps the rest; vch_tx_space tells it when to try again (transmit
 * buffers came back, or the port appeared).
 *
 * Conditions: every call and the interrupts of one device are serialised
 * by the caller (the kernel: under the device lock, drivers/virtio_platform.h).
 * No call waits. Received bytes are handed to the vch_rx hook and
 * vch_tx_space is called in interrupt context.
 */
#ifndef VIRTIO_VIOCON_H
#define VIRTIO_VIOCON_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/virtio.h"

/* Feature bits (§5.3.3). */
#define VIOCON_F_SIZE 0
#define VIOCON_F_MULTIPORT 1
#define VIOCON_F_EMERG_WRITE 2

/* Config layout (§5.3.4). */
#define VIOCON_CFG_COLS 0
#define VIOCON_CFG_ROWS 2
#define VIOCON_CFG_MAX_PORTS 4
#define VIOCON_CFG_EMERG_WR 8

/* Control events (§5.3.6.2). */
#define VIOCON_DEVICE_READY 0
#define VIOCON_DEVICE_ADD 1
#define VIOCON_DEVICE_REMOVE 2
#define VIOCON_PORT_READY 3
#define VIOCON_CONSOLE_PORT 4
#define VIOCON_RESIZE 5
#define VIOCON_PORT_OPEN 6
#define VIOCON_PORT_NAME 7
#define VIOCON_CTRL_LEN 8 /* le32 id, le16 event, le16 value */

#define VIOCON_MAX_PORTS 32 /* ports we track */
#define VIOCON_IO_PORTS 4   /* ports we create data queues for */
#define VIOCON_NAME_MAX 32  /* bytes kept of a port name, with NUL */
#define VIOCON_RXBUF 128    /* bytes per receive buffer */
#define VIOCON_NRX 8        /* receive buffers per port */
#define VIOCON_TXBUF 256    /* bytes per transmit buffer */
#define VIOCON_NTX 8        /* transmit buffers per port */

struct viocon;

struct viocon_hooks {
	/* After DRIVER_OK (port 0 is usable). */
	void (*vch_attach)(struct viocon *con, void *arg);
	/* Before the queues go away. */
	void (*vch_detach)(struct viocon *con, void *arg);
	/* Bytes received on port (interrupt context; buf valid during the call). */
	void (*vch_rx)(struct viocon *con, unsigned port, const uint8_t *buf, size_t len,
	               void *arg);
	void *vch_arg;
	/*
	 * Optional: port can take output again, after viocon_tx_room() said 0
	 * (its transmit buffers came back) or when the device adds it.
	 * Interrupt context; the hook may call viocon_write().
	 */
	void (*vch_tx_space)(struct viocon *con, unsigned port, void *arg);
};

int viocon_driver_register(const struct viocon_hooks *hooks);
void viocon_driver_unregister(void);

/*
 * Queue len bytes for port, in as many transmit buffers as are free (used
 * ones are taken back first); never waits. What does not fit is dropped
 * and counted (vpi_tx_dropped). Returns the bytes queued, or VIRTIO_ENODEV
 * (port without data queues, or not present), VIRTIO_EBADDEV (broken).
 */
long viocon_write(struct viocon *con, unsigned port, const void *buf, size_t len);

/*
 * Bytes viocon_write() would queue on port now, without dropping. When 0,
 * vch_tx_space is called once buffers come back. Returns the bytes, or
 * VIRTIO_ENODEV, VIRTIO_EBADDEV as viocon_write().
 */
long viocon_tx_room(struct viocon *con, unsigned port);

/* Counts n bytes a writer dropped before they reached port (vpi_tx_dropped). */
void viocon_tx_drop(struct viocon *con, unsigned port, uint64_t n);

struct viocon_port_info {
	uint32_t vpi_id;
	bool vpi_console;    /* named by CONSOLE_PORT (port 0 without MULTIPORT) */
	bool vpi_io;         /* has data queues here */
	bool vpi_host_open;  /* the device said PORT_OPEN 1 */
	bool vpi_guest_open; /* we sent PORT_OPEN 1 */
	bool vpi_has_size;
	uint16_t vpi_cols, vpi_rows;
	char vpi_name[VIOCON_NAME_MAX]; /* "" when none */
	uint64_t vpi_rx_bytes, vpi_tx_bytes, vpi_tx_dropped;
};

/*
 * Fill info for the n-th present port (in id order). Returns VIRTIO_OK,
 * or VIRTIO_ENODEV when there are fewer ports.
 */
int viocon_port_info(const struct viocon *con, unsigned n, struct viocon_port_info *info);

/* The device as a whole (each port: viocon_port_info). */
struct viocon_info {
	bool vci_multiport;     /* MULTIPORT negotiated */
	uint32_t vci_max_ports; /* max_nr_ports as the device gave it (1 without) */
	uint64_t vci_bad_ctrl;  /* control messages the device sent that we refused */
};
void viocon_info_get(const struct viocon *con, struct viocon_info *info);
struct virtio_device *viocon_device(const struct viocon *con);

#endif /* VIRTIO_VIOCON_H */
