// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/sim/sim_blk.c: the simulated virtio-blk device of sim_blk.h,
 * written from virtio 1.4 §5.2.6 (device requirements: the header is the
 * first 16 device-readable bytes, the status the last device-writable
 * byte; sector is in 512-byte units whatever blk_size says).
 */
#include <stdlib.h>
#include <string.h>

#include "tests/sim/sim_blk.h"

static void
sb_irq(struct sim *s, int q)
{
	if (q < 0)
		virtio_device_config_intr(&s->s_vdev);
	else
		virtio_device_queue_intr(&s->s_vdev, (unsigned)q);
}

struct sim_blk *
sim_blk_create(uint64_t features, uint16_t qsize, uint64_t sectors, bool legacy)
{
	struct sim_blk *sb = calloc(1, sizeof(*sb));
	struct sim_config c = {
	    .sc_device_id = VIRTIO_ID_BLOCK,
	    .sc_features = features,
	    .sc_nqueues = 1,
	    .sc_config_len = 60,
	    .sc_legacy = legacy,
	};

	c.sc_qmax[0] = qsize;
	sb->sb_sim = sim_create(&c);
	sb->sb_sim->s_arg = sb;
	sb->sb_sim->s_irq = sb_irq;
	sb->sb_sectors = sectors;
	sb->sb_disk = calloc(sectors ? sectors : 1, 512);
	sb->sb_status = -1;
	sb->sb_eio_sector = -1;
	sim_blk_cfg64(sb, 0, sectors);
	return sb;
}

void
sim_blk_destroy(struct sim_blk *sb)
{
	sim_destroy(sb->sb_sim);
	free(sb->sb_disk);
	free(sb);
}

struct virtio_device *
sim_blk_vdev(struct sim_blk *sb)
{
	return sim_vdev(sb->sb_sim);
}

void
sim_blk_cfg8(struct sim_blk *sb, uint32_t off, uint8_t v)
{
	sb->sb_sim->s_config[off] = v;
}

void
sim_blk_cfg32(struct sim_blk *sb, uint32_t off, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		sb->sb_sim->s_config[off + i] = (uint8_t)(v >> (8 * i));
}

void
sim_blk_cfg64(struct sim_blk *sb, uint32_t off, uint64_t v)
{
	sim_blk_cfg32(sb, off, (uint32_t)v);
	sim_blk_cfg32(sb, off + 4, (uint32_t)(v >> 32));
}

static uint64_t
sb_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Copy between the disk and the data segments [first, last). */
static uint8_t
sb_rw(struct sim_blk *sb, struct sim_buf *b, unsigned first, unsigned last, uint64_t sector,
      bool in, uint32_t *written)
{
	uint64_t off = sector * 512, total = 0;
	unsigned i;

	for (i = first; i < last; i++)
		total += b->sb_seg[i].ss_len;
	if (total % 512 || sector > sb->sb_sectors || total / 512 > sb->sb_sectors - sector)
		return 1; /* IOERR */
	if (sb->sb_eio_sector >= 0 && (uint64_t)sb->sb_eio_sector >= sector &&
	    (uint64_t)sb->sb_eio_sector < sector + total / 512)
		return 1;
	for (i = first; i < last; i++) {
		struct sim_seg *g = &b->sb_seg[i];
		if (g->ss_write != in) {
			sb->sb_bad++;
			return 1;
		}
		if (in)
			memcpy(g->ss_p, sb->sb_disk + off, g->ss_len);
		else
			memcpy(sb->sb_disk + off, g->ss_p, g->ss_len);
		if (g->ss_len > sb->sb_max_seg_len)
			sb->sb_max_seg_len = g->ss_len;
		off += g->ss_len;
	}
	if (in)
		*written += (uint32_t)total;
	return 0;
}

/* DISCARD / WRITE_ZEROES: one 16-byte segment {sector, num, flags}. */
static uint8_t
sb_dz(struct sim_blk *sb, struct sim_buf *b, unsigned last, bool zero)
{
	uint64_t s, n;

	if (last != 2 || b->sb_seg[1].ss_len != 16 || b->sb_seg[1].ss_write)
		return 1;
	s = sb_le(b->sb_seg[1].ss_p, 8);
	n = sb_le(b->sb_seg[1].ss_p + 8, 4);
	sb->sb_last_dz_sector = s;
	sb->sb_last_dz_count = (uint32_t)n;
	if (s > sb->sb_sectors || n > sb->sb_sectors - s)
		return 1;
	if (zero)
		memset(sb->sb_disk + s * 512, 0, n * 512);
	return 0;
}

static uint8_t
sb_get_id(struct sim_blk *sb, struct sim_buf *b, unsigned last, uint32_t *written)
{
	if (last != 2 || !b->sb_seg[1].ss_write || b->sb_seg[1].ss_len < 20)
		return 1;
	memset(b->sb_seg[1].ss_p, 0, 20);
	memcpy(b->sb_seg[1].ss_p, sb->sb_serial, strlen(sb->sb_serial));
	*written += 20;
	return 0;
}

/* Execute in-flight buffer i; returns the used length to report. */
static uint32_t
sb_exec(struct sim_blk *sb, struct sim_buf *b)
{
	struct sim_seg *h = &b->sb_seg[0], *st = &b->sb_seg[b->sb_nsegs - 1];
	uint32_t type, written = 1;
	unsigned last = b->sb_nsegs - 1;
	uint8_t status = 2; /* UNSUPP */

	if (b->sb_nsegs < 2 || h->ss_len != 16 || h->ss_write || !st->ss_write || st->ss_len != 1) {
		sb->sb_bad++;
		return 0;
	}
	type = (uint32_t)sb_le(h->ss_p, 4);
	sb->sb_types[type & 15]++;
	if (last - 1 > sb->sb_max_data_segs)
		sb->sb_max_data_segs = last - 1;
	if (type == 0 || type == 1)
		status = sb_rw(sb, b, 1, last, sb_le(h->ss_p + 8, 8), type == 0, &written);
	else if (type == 4)
		status = last == 1 ? 0 : 1;
	else if (type == 8)
		status = sb_get_id(sb, b, last, &written);
	else if (type == 11 || type == 13)
		status = sb_dz(sb, b, last, type == 13);
	if (sb->sb_status >= 0)
		status = (uint8_t)sb->sb_status;
	st->ss_p[0] = status;
	sb->sb_reqs++;
	return (uint32_t)((int)written + sb->sb_len_delta);
}

unsigned
sim_blk_serve(struct sim_blk *sb, unsigned max, bool reverse)
{
	struct sim *s = sb->sb_sim;
	unsigned n = 0, i;

	sim_pop_all(s, 0);
	while (sim_inflight(s, 0) > 0 && (max == 0 || n < max)) {
		i = reverse ? sim_inflight(s, 0) - 1 : 0;
		sim_use(s, 0, i, sb_exec(sb, sim_buf(s, 0, i)));
		n++;
	}
	if (n)
		sim_interrupt(s, 0);
	return n;
}

unsigned
sim_blk_pending(struct sim_blk *sb)
{
	sim_pop_all(sb->sb_sim, 0);
	return sim_inflight(sb->sb_sim, 0);
}
