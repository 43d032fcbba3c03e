/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vioblk glue of the block layer (device/blk_virtio.c): registers the
 * virtio-blk driver at boot and turns each attached disk into vdN.
 */
#ifndef DEVICE_BLK_VIRTIO_H
#define DEVICE_BLK_VIRTIO_H

#include "device/blk.h"
#include "virtio/vioblk.h"

/* The vioblk softc behind disk d, or NULL when d is not a virtio disk. */
struct vioblk *blk_virtio_softc(struct blk_disk *d);

/*
 * Register the virtio-blk driver (once). Called by the virtio PCI attach
 * before it adds devices, so disks are named in PCI order.
 */
void blk_virtio_init(void);

#endif
