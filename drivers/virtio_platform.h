/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's side of virtio/platform.h: what a struct virtio_pci_dev is
 * in the kernel (a PCI function, its MSI-X handlers and the device lock).
 */
#ifndef DEVICE_VIRTIO_PLATFORM_H
#define DEVICE_VIRTIO_PLATFORM_H

#include "kern/spinlock.h"
#include "pci/pci.h"
#include "virtio/platform.h"
#include "virtio/virtio.h"

#define VIRTIO_PCI_MAX_VECTORS 16

struct virtio_pci_dev;

/* A handler slot: what one MSI-X entry (or INTx) calls. */
struct virtio_pci_vec {
	virtio_intr_fn *vv_fn; /* NULL until established */
	void *vv_arg;
	struct virtio_pci_dev *vv_dev; /* whose lock the handler runs under */
};

struct virtio_pci_dev {
	struct pci_dev *vp_pci;
	/*
	 * The device lock (LOCK_RANK_VIRTIO_DEV): every interrupt handler of
	 * the device runs under it, and the driver glue holds it around every
	 * call into the device's driver, so driver calls and interrupts are
	 * serialised as virtio/ asks of its caller. Probe and remove run
	 * without it (they allocate and may wait).
	 */
	struct spinlock vp_lock;
	unsigned vp_nvec;   /* MSI-X entries allocated, 0: INTx */
	int vp_intx_vector; /* CPU vector of the INTx route, -1 when none */
	struct virtio_pci_vec vp_vec[VIRTIO_PCI_MAX_VECTORS];
	struct virtio_pci_vec vp_intx;
};

/* Wraps a PCI function for the virtio transports. */
void virtio_pci_dev_init(struct virtio_pci_dev *vp, struct pci_dev *pd);

/*
 * The device lock of a virtio device the kernel attached (see vp_lock).
 * Taken with spin_lock_irqsave() outside interrupt handlers; never held
 * across a wait, so not around calls that may block (probe, a vionet
 * control command).
 */
struct spinlock *virtio_device_lock(struct virtio_device *vd);

#endif
