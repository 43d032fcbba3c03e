/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Little-endian fields of virtio structures (§1.4: le16, le32, le64) read
 * and written byte by byte, so they are right on any host byte order and
 * alignment. Spelled out so the compiler merges them into single loads and
 * stores where it can.
 */
#ifndef VIRTIO_VIRTIO_LE_H
#define VIRTIO_VIRTIO_LE_H

#include <stdint.h>

static inline uint16_t
virtio_le16_load(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
virtio_le32_load(const uint8_t *p)
{
	return (uint32_t)virtio_le16_load(p) | (uint32_t)virtio_le16_load(p + 2) << 16;
}

static inline void
virtio_le16_store(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
virtio_le32_store(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void
virtio_le64_store(uint8_t *p, uint64_t v)
{
	virtio_le32_store(p, (uint32_t)v);
	virtio_le32_store(p + 4, (uint32_t)(v >> 32));
}

#endif
