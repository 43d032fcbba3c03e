/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/platform_io.h: the 8-, 16- and 32-bit register accessors of
 * virtio/platform.h, written once for every platform (the kernel's
 * drivers/virtio_platform.c and the host tests' platform_host.c).
 *
 * Not an ordinary header: a platform's .c file includes it once, after it
 * has defined
 *
 *   static inline uint64_t platform_io_read(struct virtio_io_region *r,
 *                                           size_t off, unsigned size);
 *       (or any narrower unsigned type: the value is cast to the width)
 *   static inline void platform_io_write(struct virtio_io_region *r,
 *                                        size_t off, unsigned size, uint64_t v);
 *
 * (size 1, 2 or 4). The accessors are on every I/O path, so this is a
 * template rather than one out-of-line function taking the size: each
 * accessor below passes a constant size into the platform's inline
 * function, and the kernel's compiles to its one port or MMIO
 * instruction, as it did when each platform spelled out its own (one
 * shared sized function cost 8 instructions per block I/O). The 64-bit
 * accessors stay with each platform: the kernel splits them into two
 * 32-bit halves, the host tests' simulated devices see one 8-byte access.
 */
#ifndef VIRTIO_PLATFORM_IO_H
#define VIRTIO_PLATFORM_IO_H

#include "virtio/platform.h"

uint8_t
virtio_io_read8(struct virtio_io_region *r, size_t off)
{
	return (uint8_t)platform_io_read(r, off, 1);
}

uint16_t
virtio_io_read16(struct virtio_io_region *r, size_t off)
{
	return (uint16_t)platform_io_read(r, off, 2);
}

uint32_t
virtio_io_read32(struct virtio_io_region *r, size_t off)
{
	return (uint32_t)platform_io_read(r, off, 4);
}

void
virtio_io_write8(struct virtio_io_region *r, size_t off, uint8_t v)
{
	platform_io_write(r, off, 1, v);
}

void
virtio_io_write16(struct virtio_io_region *r, size_t off, uint16_t v)
{
	platform_io_write(r, off, 2, v);
}

void
virtio_io_write32(struct virtio_io_region *r, size_t off, uint32_t v)
{
	platform_io_write(r, off, 4, v);
}

#endif
