/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drivers/viornd_glue.h: the kernel's entropy source, over virtio-rng
 * (virtio/viornd.c). Bytes come from the first healthy device.
 */
#ifndef DEVICE_RNG_H
#define DEVICE_RNG_H

#include <stddef.h>
#include <stdint.h>

/*
 * Fill buf with len bytes from the device, waiting (halting the CPU) as
 * long as the host makes us wait, but at most timeout_ms without a single
 * byte arriving. Not in interrupt context. Returns len, or a negative
 * VIRTIO_E* code: VIRTIO_ENODEV (no device), VIRTIO_EIO (the health check
 * failed: rng_health() says why), VIRTIO_ETIMEDOUT, VIRTIO_EBADDEV.
 */
long rng_read(void *buf, size_t len, unsigned timeout_ms);

/* Why the source was refused, or NULL; NULL as well without a device. */
const char *rng_health(void);

/* Name of the device in use ("virtio3") or NULL; bytes read so far. */
const char *rng_device_name(void);
uint64_t rng_bytes_read(void);

#endif
