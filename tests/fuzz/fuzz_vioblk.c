// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/fuzz/fuzz_vioblk.c: libFuzzer target for the virtio-blk driver's
 * handling of what the device says: the offered features and the whole
 * configuration space (capacity, blk_size, seg_max, size_max, topology,
 * writeback, num_queues, discard limits) go through probe; then a few
 * requests are answered with fuzzed status bytes and used lengths. The
 * driver must never crash, touch memory outside its buffers, or leak.
 *
 * Input: 8 bytes features, 60 bytes config, then per request 4 bytes
 * (op, sector low byte, status knob, length delta).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_blk.h"
#include "virtio/vioblk.h"

static struct vioblk *fz_sc;
static unsigned fz_done;

static void
fz_attach(struct vioblk *sc)
{
	fz_sc = sc;
}

static const struct vioblk_hooks fz_hooks = {.vh_attach = fz_attach};

static void
fz_req_done(struct vioblk_req *r)
{
	fz_done++;
}

static void
fz_requests(struct sim_blk *sb, struct virtio_dma *buf, const uint8_t *p, size_t n)
{
	struct vioblk_buf b = {buf->vd_dev, 8192};
	struct vioblk_req r;

	for (; n >= 4 && fz_sc && !sim_blk_vdev(sb)->vd_broken; p += 4, n -= 4) {
		r = (struct vioblk_req){.vr_op = (enum vioblk_op)(p[0] % 6),
		                        .vr_sector = p[1],
		                        .vr_count = 16,
		                        .vr_bufs = &b,
		                        .vr_nbufs = 1,
		                        .vr_done = fz_req_done};
		if (r.vr_op == VIOBLK_OP_FLUSH || r.vr_op >= VIOBLK_OP_DISCARD)
			r.vr_nbufs = 0;
		if (r.vr_op == VIOBLK_OP_GET_ID)
			r.vr_count = 0;
		if (vioblk_submit(fz_sc, &r) != VIRTIO_OK)
			continue;
		sb->sb_status = p[2] < 128 ? -1 : p[2] & 7;
		sb->sb_len_delta = (int8_t)p[3] % 4;
		sim_blk_serve(sb, 0, p[2] & 1);
		if (sim_blk_vdev(sb)->vd_broken)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_blk *sb;
	struct virtio_dma buf;
	uint64_t feat = 0;

	if (size < 68)
		return 0;
	memcpy(&feat, data, 8);
	feat |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
	sb = sim_blk_create(feat, 64, 256, false);
	memcpy(sb->sb_sim->s_config, data + 8, 60);
	if (virtio_dma_alloc(8192, 4096, &buf) != VIRTIO_OK)
		abort();
	fz_sc = NULL;
	if (vioblk_driver_register(&fz_hooks) != VIRTIO_OK)
		abort();
	virtio_device_add(sim_blk_vdev(sb));
	if (fz_sc)
		sim_blk_serve(sb, 0, false);
	fz_requests(sb, &buf, data + 68, size - 68);
	virtio_device_remove(sim_blk_vdev(sb));
	virtio_driver_unregister(&vioblk_driver);
	virtio_dma_free(&buf);
	sim_blk_destroy(sb);
	if (host_dma_live() != 0)
		abort();
	return 0;
}
