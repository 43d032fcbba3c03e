/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drivers/vionet_glue.h: the binding of the portable virtio-net driver
 * (virtio/vionet.c) to the network layer (device/net.h), see
 * drivers/vionet_glue.c. What the monitor needs to show virtio details.
 */
#ifndef DRIVERS_VIONET_GLUE_H
#define DRIVERS_VIONET_GLUE_H

#include "device/net.h"
#include "virtio/vionet.h"

/* The virtio driver behind an interface (for `net info`), or NULL when
 * another driver serves it. */
struct vionet *vionet_glue_softc(struct net_if *ifp);

#endif
