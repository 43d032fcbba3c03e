/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/vtpci.h: the virtio-over-PCI transports (virtio 1.4 §4.1).
 * vtpci_modern.c drives the vendor capabilities (common, notify, ISR and
 * device configuration, §4.1.4); vtpci_legacy.c the I/O BAR 0 register
 * block of legacy and transitional devices (§4.1.4.10). Both fill a
 * struct virtio_transport_ops. vtpci.c holds what they share and uses
 * both: device identification, the choice between them (vtpci_attach),
 * the reset wait and config accesses by width, and interrupts: MSI-X with
 * one vector for configuration changes plus one per queue, or INTx with
 * an ISR read when MSI-X is absent or yields fewer than two vectors. The
 * two transports depend on vtpci.c only, never on each other.
 *
 * Only platform.h is used to reach the device: config space, BAR mapping
 * and interrupt routing all go through virtio_pci_*(), so the same code
 * runs in the kernel and against tests/sim/sim_pci.c on the host.
 */
#ifndef VIRTIO_VTPCI_H
#define VIRTIO_VTPCI_H

#include <stdint.h>
#include <stdbool.h>
#include "virtio/platform.h"
#include "virtio/virtio.h"

#define VTPCI_VENDOR 0x1af4
#define VTPCI_DEVICE_FIRST 0x1000 /* transitional: 0x1000-0x103f */
#define VTPCI_DEVICE_LEGACY_LAST 0x103f
#define VTPCI_DEVICE_MODERN 0x1040 /* 0x1040 + device id */
#define VTPCI_DEVICE_LAST 0x107f

/* PCI config header offsets the transports read. */
#define VTPCI_CFG_VENDOR 0x00
#define VTPCI_CFG_DEVICE 0x02
#define VTPCI_CFG_STATUS 0x06
#define VTPCI_CFG_REVISION 0x08
#define VTPCI_CFG_SUBSYS_ID 0x2e
#define VTPCI_CFG_CAP_PTR 0x34
#define VTPCI_CFG_BAR0 0x10

/* Virtio vendor capability (§4.1.4): cfg_type values and layout. */
#define VTPCI_CAP_COMMON 1
#define VTPCI_CAP_NOTIFY 2
#define VTPCI_CAP_ISR 3
#define VTPCI_CAP_DEVICE 4
#define VTPCI_CAP_PCI_CFG 5
#define VTPCI_CAP_OFF_TYPE 3
#define VTPCI_CAP_OFF_BAR 4
#define VTPCI_CAP_OFF_OFFSET 8
#define VTPCI_CAP_OFF_LENGTH 12
#define VTPCI_CAP_OFF_MULT 16 /* notify capability only */

/* Common configuration structure (§4.1.4.3). */
#define VTPCI_COMMON_DFSELECT 0
#define VTPCI_COMMON_DF 4
#define VTPCI_COMMON_GFSELECT 8
#define VTPCI_COMMON_GF 12
#define VTPCI_COMMON_MSIX 16
#define VTPCI_COMMON_NUMQ 18
#define VTPCI_COMMON_STATUS 20
#define VTPCI_COMMON_CFGGEN 21
#define VTPCI_COMMON_Q_SELECT 22
#define VTPCI_COMMON_Q_SIZE 24
#define VTPCI_COMMON_Q_MSIX 26
#define VTPCI_COMMON_Q_ENABLE 28
#define VTPCI_COMMON_Q_NOFF 30
#define VTPCI_COMMON_Q_DESCLO 32
#define VTPCI_COMMON_Q_AVAILLO 40
#define VTPCI_COMMON_Q_USEDLO 48
#define VTPCI_COMMON_LEN 56 /* the fields above */

/* Legacy register block in BAR 0 (§4.1.4.10). */
#define VTPCI_LEG_HOST_FEATURES 0
#define VTPCI_LEG_GUEST_FEATURES 4
#define VTPCI_LEG_QUEUE_PFN 8
#define VTPCI_LEG_QUEUE_NUM 12
#define VTPCI_LEG_QUEUE_SEL 14
#define VTPCI_LEG_QUEUE_NOTIFY 16
#define VTPCI_LEG_STATUS 18
#define VTPCI_LEG_ISR 19
#define VTPCI_LEG_MSIX_CONFIG 20 /* only while MSI-X is enabled */
#define VTPCI_LEG_MSIX_QUEUE 22
#define VTPCI_LEG_CONFIG 20      /* device config without MSI-X */
#define VTPCI_LEG_CONFIG_MSIX 24 /* device config with MSI-X */
#define VTPCI_LEG_PFN_SHIFT 12   /* queue address in 4096-byte units */

#define VTPCI_NO_VECTOR 0xffff
#define VTPCI_MAX_QUEUES 64 /* queues we set up interrupts for */

/* How to pick the transport of a device that offers both. */
enum vtpci_mode {
	VTPCI_MODE_AUTO = 0, /* modern if possible, else legacy */
	VTPCI_MODE_LEGACY,   /* legacy even if modern is offered */
	VTPCI_MODE_MODERN,   /* modern only */
};

struct vtpci;

/* Per-vector handler argument: the device and the queue (or config). */
struct vtpci_vec {
	struct vtpci *vv_tp;
	unsigned vv_vec;   /* MSI-X entry */
	unsigned vv_queue; /* queue index, VTPCI_NO_VECTOR: config */
};

/*
 * One virtio PCI function bound to a transport. vt_vdev is what the core
 * drives; vd_tp points back here. The fields after vt_vdev are the
 * transport's own.
 */
struct vtpci {
	struct virtio_device vt_vdev;
	struct virtio_pci_dev *vt_pdev;
	bool vt_legacy;
	uint16_t vt_pci_device; /* PCI device id */
	/* modern */
	struct virtio_io_region *vt_common;
	struct virtio_io_region *vt_notify;
	struct virtio_io_region *vt_isr;
	struct virtio_io_region *vt_device;
	uint32_t vt_notify_len;
	uint32_t vt_notify_mult;
	uint32_t vt_notify_off[VTPCI_MAX_QUEUES]; /* per queue, bytes */
	/* legacy */
	struct virtio_io_region *vt_io;
	uint32_t vt_io_len;
	uint32_t vt_cfg_base; /* 20 or 24 */
	/* interrupts */
	unsigned vt_nqueues; /* queues the device has */
	unsigned vt_nvec;    /* MSI-X entries, 0: INTx */
	bool vt_vec_shared;  /* one vector for all queues */
	struct vtpci_vec vt_vecs[VTPCI_MAX_QUEUES + 1];
	/* counters for the `virtio` monitor command */
	uint64_t vt_intx, vt_intx_spurious, vt_config_irqs;
};

/* Transitional PCI device ids (§4.1.2): those that may offer legacy. */
static inline bool
vtpci_is_transitional(uint16_t device)
{
	return device >= VTPCI_DEVICE_FIRST && device <= VTPCI_DEVICE_LEGACY_LAST;
}

/*
 * Identify the virtio device type of a PCI function from its ids (§4.1.2):
 * 0x1040 + id for modern, the subsystem id for transitional 0x1000-0x103f.
 * Returns 0 for a function that is not virtio (or id 0, reserved).
 */
uint32_t vtpci_device_id(struct virtio_pci_dev *pdev);

/*
 * Bind a transport to pdev: the modern one when its capabilities are
 * present and usable (unless mode says legacy), else the legacy one on a
 * transitional device. Maps the BARs, sets up interrupts and fills
 * tp->vt_vdev so the caller can pass it to virtio_device_add().
 * tp is caller memory (zeroed here). Returns VIRTIO_OK, VIRTIO_ENODEV
 * (not a virtio function or no usable transport), VIRTIO_EBADDEV
 * (capabilities that lie), VIRTIO_ENOMEM. May block.
 */
int vtpci_attach(struct virtio_pci_dev *pdev, enum vtpci_mode mode, struct vtpci *tp);

/* Undo vtpci_attach (after virtio_device_remove). May block. */
void vtpci_detach(struct vtpci *tp);

/* The two transports, used by vtpci_attach; VIRTIO_ENODEV when not offered. */
int vtpci_modern_attach(struct vtpci *tp);
void vtpci_modern_detach(struct vtpci *tp);
int vtpci_legacy_attach(struct vtpci *tp);
void vtpci_legacy_detach(struct vtpci *tp);

/*
 * Register helpers for both transports (vtpci.c). vtpci_reset_wait writes
 * 0 to the device status byte at status_off of r and waits (up to 100 ms)
 * for it to read back 0 (§4.1.4.3.2): VIRTIO_OK or VIRTIO_ETIMEDOUT.
 * vtpci_io_read/write access device config by width (1, 2, else 4).
 */
int vtpci_reset_wait(struct virtio_io_region *r, size_t status_off);
uint32_t vtpci_io_read(struct virtio_io_region *r, size_t off, unsigned width);
void vtpci_io_write(struct virtio_io_region *r, size_t off, unsigned width, uint32_t val);

/*
 * Interrupt setup for both transports (vtpci.c): allocate MSI-X vectors for
 * nqueues queues plus config and install handlers, or INTx. After it,
 * vtpci_queue_vector() gives the MSI-X entry of queue idx
 * (VTPCI_NO_VECTOR with INTx) and vtpci_config_vector() that of config.
 */
int vtpci_intr_setup(struct vtpci *tp, unsigned nqueues);
void vtpci_intr_teardown(struct vtpci *tp);
uint16_t vtpci_queue_vector(const struct vtpci *tp, unsigned idx);
uint16_t vtpci_config_vector(const struct vtpci *tp);

static inline struct vtpci *
vtpci_of(struct virtio_device *dev)
{
	return (struct vtpci *)dev->vd_tp;
}

#endif /* VIRTIO_VTPCI_H */
