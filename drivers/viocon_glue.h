/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drivers/viocon_glue.h: the kernel side of virtio-console: the console
 * device of each attached virtio console, for the `console` command.
 */
#ifndef DEVICE_VIOCON_GLUE_H
#define DEVICE_VIOCON_GLUE_H

#include "virtio/viocon.h"

/* The n-th attached virtio console (attach order), or NULL. */
struct viocon *viocon_glue_get(unsigned n);

#endif
