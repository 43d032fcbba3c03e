/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot-time attach of virtio PCI functions (drivers/virtio_pci_attach.c):
 * what each attached function keeps.
 */
#ifndef DEVICE_VIRTIO_PCI_ATTACH_H
#define DEVICE_VIRTIO_PCI_ATTACH_H

#include "drivers/virtio_platform.h"
#include "virtio/vtpci.h"

struct virtio_pci_attached {
	struct virtio_pci_dev va_pdev;
	struct vtpci va_tp;
};

#endif
