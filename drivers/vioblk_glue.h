/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vioblk glue of the block layer (drivers/vioblk_glue.c): registers the
 * virtio-blk driver at boot and turns each attached disk into vdN.
 */
#ifndef DRIVERS_VIOBLK_GLUE_H
#define DRIVERS_VIOBLK_GLUE_H

#include "device/blk.h"
#include "virtio/vioblk.h"

/* The vioblk softc behind disk d, or NULL when d is not a virtio disk. */
struct vioblk *blk_virtio_softc(struct blk_disk *d);

#endif
