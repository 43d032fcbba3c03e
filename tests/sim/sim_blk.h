/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/sim/sim_blk.h: a simulated virtio-blk device (virtio 1.4 §5.2) on
 * top of tests/sim: a RAM disk, the configuration space (capacity,
 * size_max, seg_max, blk_size, topology, writeback, num_queues, discard
 * and write-zeroes limits), and request processing as the spec describes
 * it (header, data, status; IN, OUT, FLUSH, GET_ID, DISCARD,
 * WRITE_ZEROES). Written from the spec, not from vioblk.c. It records what
 * the driver sent (segment counts and sizes) and lies on request.
 */
#ifndef TESTS_SIM_SIM_BLK_H
#define TESTS_SIM_SIM_BLK_H

#include <stdint.h>
#include <stdbool.h>
#include "tests/sim/sim.h"

struct sim_blk {
	struct sim *sb_sim;
	uint8_t *sb_disk; /* sb_sectors * 512 bytes */
	uint64_t sb_sectors;
	char sb_serial[21];
	/* what the driver sent */
	unsigned sb_reqs;           /* requests served */
	unsigned sb_types[16];      /* per type (< 16) */
	unsigned sb_max_data_segs;  /* most data segments in one request */
	uint32_t sb_max_seg_len;    /* longest data segment */
	uint64_t sb_last_dz_sector; /* last discard/write-zeroes range */
	uint32_t sb_last_dz_count;
	unsigned sb_bad; /* malformed requests seen */
	/* knobs */
	int sb_status;         /* >= 0: answer this status byte */
	int sb_len_delta;      /* used len = right len + delta */
	int64_t sb_eio_sector; /* requests touching it: IOERR */
};

/* features offered (VIRTIO_F_* and blk bits), queue size, capacity. */
struct sim_blk *sim_blk_create(uint64_t features, uint16_t qsize, uint64_t sectors, bool legacy);
void sim_blk_destroy(struct sim_blk *sb);
struct virtio_device *sim_blk_vdev(struct sim_blk *sb);

/* Config fields (before the device is added, or with a config change). */
void sim_blk_cfg32(struct sim_blk *sb, uint32_t off, uint32_t v);
void sim_blk_cfg64(struct sim_blk *sb, uint32_t off, uint64_t v);
void sim_blk_cfg8(struct sim_blk *sb, uint32_t off, uint8_t v);

/*
 * Take every available request, then serve up to max of them (all when
 * max is 0), last taken first if reverse, then decide the interrupt.
 * Returns how many were served.
 */
unsigned sim_blk_serve(struct sim_blk *sb, unsigned max, bool reverse);
/* Requests taken or waiting, not yet served. */
unsigned sim_blk_pending(struct sim_blk *sb);

#endif /* TESTS_SIM_SIM_BLK_H */
