/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device names (docs/devices.md): what device_open's name stands for. Each
 * kind registers a lookup that recognises its own names (the block layer:
 * every disk by its bd_name, "vd0", "vd0s1", "rd0"...); the registry asks
 * each in turn; the network kind does the same for eth0... A kind that is
 * one device under one fixed name (console, time, random) registers just
 * that name, its ops and its object.
 */
#ifndef DEVICE_DEV_NAME_H
#define DEVICE_DEV_NAME_H

#include <stdbool.h>

struct dev_ops;

/* Whether name is one of this kind's devices: then its ops and object. */
typedef bool dev_name_lookup_fn(const char *name, const struct dev_ops **ops, void **obj);

/* A kind's lookup, at start-up. */
void dev_name_register(const char *kind, dev_name_lookup_fn *lookup);

/* One device under one name, at start-up (name and ops must live on). */
void dev_name_register_fixed(const char *name, const struct dev_ops *ops, void *obj);

/* The device called name: true with its ops and object, or false (D_NO_SUCH_DEVICE). */
bool dev_name_lookup(const char *name, const struct dev_ops **ops, void **obj);

#endif
