/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's side of virtio/platform.h: what a struct virtio_pci_dev is
 * in the kernel (a PCI function plus its MSI-X handlers).
 */
#ifndef DEVICE_VIRTIO_PLATFORM_H
#define DEVICE_VIRTIO_PLATFORM_H

#include "pci/pci.h"
#include "virtio/platform.h"

#define VIRTIO_PCI_MAX_VECTORS 16

/* A handler slot: what one MSI-X entry (or INTx) calls. */
struct virtio_pci_vec {
	virtio_intr_fn *vv_fn; /* NULL until established */
	void *vv_arg;
};

struct virtio_pci_dev {
	struct pci_dev *vp_pci;
	unsigned vp_nvec;   /* MSI-X entries allocated, 0: INTx */
	int vp_intx_vector; /* CPU vector of the INTx route, -1 when none */
	struct virtio_pci_vec vp_vec[VIRTIO_PCI_MAX_VECTORS];
	struct virtio_pci_vec vp_intx;
};

/* Wraps a PCI function for the virtio transports. */
void virtio_pci_dev_init(struct virtio_pci_dev *vp, struct pci_dev *pd);

#endif
