// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vioblk.c: the virtio-blk driver (virtio/vioblk.c)
 * through the real core and queues against tests/sim/sim_blk.c: reads and
 * writes reach the simulated disk, requests are split as SEG_MAX and
 * SIZE_MAX demand, refused requests send nothing, status codes map to
 * errors, many requests in flight complete out of order, and a lying
 * device (garbage status, wrong used length, absurd or changing config)
 * is caught, logged, broken, and its requests failed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_blk.h"
#include "virtio/vioblk.h"

#define B(n) VIRTIO_BIT(n)
#define FEAT_BASE                                                                                  \
	(B(VIRTIO_F_VERSION_1) | B(VIRTIO_F_RING_INDIRECT_DESC) | B(VIRTIO_F_RING_EVENT_IDX) |     \
	 B(VIOBLK_F_FLUSH) | B(VIOBLK_F_SEG_MAX) | B(VIOBLK_F_BLK_SIZE))
#define NSECT 4096
#define BUFSZ (1u << 20)

struct fx {
	struct sim_blk *sb;
	struct vioblk *sc;
	struct virtio_dma buf;
	unsigned done;
	int last_err;
	int add_err;
};

static struct fx *cur;

static void
fx_attach(struct vioblk *sc)
{
	cur->sc = sc;
}

static const struct vioblk_hooks fx_hooks = {.vh_attach = fx_attach};

static void
fx_done(struct vioblk_req *r)
{
	struct fx *f = r->vr_token;

	f->done++;
	f->last_err = r->vr_error;
}

/* A device with features, queue size, capacity; cfg tweaks before add. */
static struct fx *
fx_new(uint64_t features, uint16_t qsize, uint32_t seg_max, uint32_t blk_size)
{
	struct fx *f = calloc(1, sizeof(*f));

	cur = f;
	host_log_reset();
	f->sb = sim_blk_create(features, qsize, NSECT, false);
	sim_blk_cfg32(f->sb, VIOBLK_CFG_SEG_MAX, seg_max);
	sim_blk_cfg32(f->sb, VIOBLK_CFG_BLK_SIZE, blk_size);
	strcpy(f->sb->sb_serial, "SIM-SERIAL-42");
	assert_int_equal(virtio_dma_alloc(BUFSZ, 4096, &f->buf), VIRTIO_OK);
	return f;
}

static void
fx_start(struct fx *f)
{
	f->add_err = vioblk_driver_register(&fx_hooks);
	assert_int_equal(f->add_err, VIRTIO_OK);
	f->add_err = virtio_device_add(sim_blk_vdev(f->sb));
	if (f->sc)
		sim_blk_serve(f->sb, 0, false); /* GET_ID */
}

static void
fx_free(struct fx *f)
{
	virtio_device_remove(sim_blk_vdev(f->sb));
	virtio_driver_unregister(&vioblk_driver);
	virtio_dma_free(&f->buf);
	sim_blk_destroy(f->sb);
	assert_int_equal(host_dma_live(), 0);
	free(f);
	cur = NULL;
}

static struct vioblk_req
fx_req(struct fx *f, enum vioblk_op op, uint64_t sector, uint32_t count, struct vioblk_buf *bufs,
       unsigned nbufs)
{
	return (struct vioblk_req){.vr_op = op,
	                           .vr_sector = sector,
	                           .vr_count = count,
	                           .vr_bufs = bufs,
	                           .vr_nbufs = nbufs,
	                           .vr_done = fx_done,
	                           .vr_token = f,
	                           .vr_error = 12345};
}

static struct vioblk_buf
fx_buf(struct fx *f, size_t off, uint32_t len)
{
	return (struct vioblk_buf){f->buf.vd_dev + off, len};
}

static uint8_t *
fx_cpu(struct fx *f, size_t off)
{
	return (uint8_t *)f->buf.vd_cpu + off;
}

static void
test_probe_config(void **state)
{
	struct fx *f =
	    fx_new(FEAT_BASE | B(VIOBLK_F_CONFIG_WCE) | B(VIOBLK_F_TOPOLOGY), 128, 8, 512);

	sim_blk_cfg8(f->sb, VIOBLK_CFG_WRITEBACK, 0);
	sim_blk_cfg8(f->sb, VIOBLK_CFG_PHYS_EXP, 3);
	fx_start(f);
	assert_non_null(f->sc);
	assert_int_equal(f->sc->sc_info.vi_capacity, NSECT);
	assert_int_equal(f->sc->sc_info.vi_blk_size, 512);
	assert_int_equal(f->sc->sc_info.vi_seg_max, 8);
	assert_true(f->sc->sc_info.vi_flush);
	assert_false(f->sc->sc_info.vi_writeback);
	assert_int_equal(f->sc->sc_info.vi_phys_exp, 3);
	assert_string_equal(f->sc->sc_info.vi_serial, "SIM-SERIAL-42");
	assert_int_equal(f->sb->sb_types[VIOBLK_T_GET_ID], 1);
	assert_int_equal(vioblk_set_writeback(f->sc, true), VIRTIO_OK);
	assert_int_equal(f->sb->sb_sim->s_config[VIOBLK_CFG_WRITEBACK], 1);
	assert_int_equal(sim_errors(f->sb->sb_sim), 0);
	fx_free(f);
}

static void
test_read_write(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 128, 16, 512);
	struct vioblk_buf b = fx_buf(f, 0, 8 * 512);
	struct vioblk_req r;

	fx_start(f);
	for (unsigned i = 0; i < 8 * 512; i++)
		*fx_cpu(f, i) = (uint8_t)(i * 13 + 1);
	r = fx_req(f, VIOBLK_OP_WRITE, 100, 8, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	assert_int_equal(f->done, 0);
	assert_int_equal(sim_blk_serve(f->sb, 0, false), 1);
	assert_int_equal(f->done, 1);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_memory_equal(f->sb->sb_disk + 100 * 512, fx_cpu(f, 0), 8 * 512);
	memset(fx_cpu(f, 0), 0, 8 * 512);
	r = fx_req(f, VIOBLK_OP_READ, 100, 8, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_memory_equal(f->sb->sb_disk + 100 * 512, fx_cpu(f, 0), 8 * 512);
	r = fx_req(f, VIOBLK_OP_FLUSH, 0, 0, NULL, 0);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(f->sb->sb_types[VIOBLK_T_FLUSH], 1);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_int_equal(sim_errors(f->sb->sb_sim), 0);
	fx_free(f);
}

/* 5 buffers, seg_max 2: three device requests, one completion. */
static void
test_split_seg_max(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 128, 2, 512);
	struct vioblk_buf b[5];
	struct vioblk_req r;

	fx_start(f);
	for (unsigned i = 0; i < 5; i++) {
		b[i] = fx_buf(f, i * 8192, 1024); /* not contiguous */
		memset(fx_cpu(f, i * 8192), 'a' + i, 1024);
	}
	r = fx_req(f, VIOBLK_OP_WRITE, 10, 10, b, 5);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	assert_int_equal(sim_blk_serve(f->sb, 0, true), 3);
	assert_int_equal(f->done, 1);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_int_equal(f->sb->sb_max_data_segs, 2);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(f->sb->sb_disk[(10 + 2 * i) * 512 + 700], 'a' + i);
	fx_free(f);
}

/* size_max 4096: a 16 KiB buffer goes out in 4 KiB segments. */
static void
test_split_size_max(void **state)
{
	struct fx *f = fx_new(FEAT_BASE | B(VIOBLK_F_SIZE_MAX), 128, 2, 512);
	struct vioblk_buf b = fx_buf(f, 0, 16384);
	struct vioblk_req r;

	sim_blk_cfg32(f->sb, VIOBLK_CFG_SIZE_MAX, 4096);
	fx_start(f);
	for (unsigned i = 0; i < 16384; i++)
		*fx_cpu(f, i) = (uint8_t)(i / 512);
	r = fx_req(f, VIOBLK_OP_WRITE, 0, 32, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	assert_int_equal(sim_blk_serve(f->sb, 0, false), 2);
	assert_int_equal(f->sb->sb_max_seg_len, 4096);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_memory_equal(f->sb->sb_disk, fx_cpu(f, 0), 16384);
	fx_free(f);
}

/* Refused before anything reaches the ring. */
static void
test_refusals(void **state)
{
	struct fx *f = fx_new(FEAT_BASE | B(VIOBLK_F_RO), 128, 8, 4096);
	struct vioblk_buf b = fx_buf(f, 0, 8192), odd = fx_buf(f, 0, 512);
	struct vioblk_req r;

	fx_start(f);
	assert_true(f->sc->sc_info.vi_ro);
	assert_int_equal(f->sc->sc_info.vi_blk_size, 4096);
	r = fx_req(f, VIOBLK_OP_WRITE, 0, 16, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EROFS);
	r = fx_req(f, VIOBLK_OP_READ, NSECT - 8, 16, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EINVAL);
	r = fx_req(f, VIOBLK_OP_READ, UINT64_MAX - 7, 16, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EINVAL);
	r = fx_req(f, VIOBLK_OP_READ, 1, 8, &b, 1); /* unaligned */
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EINVAL);
	r = fx_req(f, VIOBLK_OP_READ, 0, 1, &odd, 1); /* < block */
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EINVAL);
	r = fx_req(f, VIOBLK_OP_READ, 0, 8, &b, 1); /* len != count */
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EINVAL);
	r = fx_req(f, VIOBLK_OP_DISCARD, 0, 8, NULL, 0);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EUNSUPP);
	assert_int_equal(sim_blk_pending(f->sb), 0);
	assert_int_equal(f->done, 0);
	fx_free(f);
}

static void
test_discard_write_zeroes(void **state)
{
	struct fx *f =
	    fx_new(FEAT_BASE | B(VIOBLK_F_DISCARD) | B(VIOBLK_F_WRITE_ZEROES), 128, 8, 512);
	struct vioblk_req r;

	sim_blk_cfg32(f->sb, VIOBLK_CFG_MAX_DISCARD, 1024);
	sim_blk_cfg32(f->sb, VIOBLK_CFG_MAX_WZ, 64);
	fx_start(f);
	memset(f->sb->sb_disk, 0x77, NSECT * 512);
	r = fx_req(f, VIOBLK_OP_WRITE_ZEROES, 40, 16, NULL, 0);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_int_equal(f->sb->sb_last_dz_sector, 40);
	assert_int_equal(f->sb->sb_last_dz_count, 16);
	assert_int_equal(f->sb->sb_disk[40 * 512], 0);
	assert_int_equal(f->sb->sb_disk[56 * 512 - 1], 0);
	assert_int_equal(f->sb->sb_disk[56 * 512], 0x77);
	r = fx_req(f, VIOBLK_OP_WRITE_ZEROES, 0, 65, NULL, 0);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_EINVAL);
	r = fx_req(f, VIOBLK_OP_DISCARD, 8, 100, NULL, 0);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(f->sb->sb_types[VIOBLK_T_DISCARD], 1);
	assert_int_equal(f->sb->sb_last_dz_count, 100);
	fx_free(f);
}

/* IOERR and UNSUPP are errors of one request; the device goes on. */
static void
test_status_codes(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 128, 8, 512);
	struct vioblk_buf b = fx_buf(f, 0, 4096);
	struct vioblk_req r;

	fx_start(f);
	f->sb->sb_eio_sector = 20;
	r = fx_req(f, VIOBLK_OP_READ, 16, 8, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(r.vr_error, VIRTIO_EIO);
	f->sb->sb_status = VIOBLK_S_UNSUPP;
	r = fx_req(f, VIOBLK_OP_READ, 0, 8, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(r.vr_error, VIRTIO_EUNSUPP);
	f->sb->sb_status = -1;
	r = fx_req(f, VIOBLK_OP_READ, 0, 8, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_false(sim_blk_vdev(f->sb)->vd_broken);
	assert_int_equal(f->sc->sc_errors, 2);
	fx_free(f);
}

/* Fill the ring, complete out of order, each request exactly once. */
static void
test_many_in_flight(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	struct vioblk_req r[80];
	struct vioblk_buf b[80];
	unsigned n = 0;
	int err;

	fx_start(f);
	for (unsigned i = 0; i < NSECT * 512; i++)
		f->sb->sb_disk[i] = (uint8_t)(i / 512 * 3);
	for (;;) {
		b[n] = fx_buf(f, n * 512, 512);
		r[n] = fx_req(f, VIOBLK_OP_READ, n, 1, &b[n], 1);
		err = vioblk_submit(f->sc, &r[n]);
		if (err)
			break;
		n++;
	}
	assert_int_equal(err, VIRTIO_EAGAIN);
	assert_int_equal(n, 64); /* one indirect descriptor each */
	assert_int_equal(sim_blk_serve(f->sb, 20, true), 20);
	assert_int_equal(f->done, 20);
	assert_int_equal(vioblk_submit(f->sc, &r[n]), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, true);
	assert_int_equal(f->done, 65);
	for (unsigned i = 0; i <= n; i++) {
		assert_int_equal(r[i].vr_error, VIRTIO_OK);
		assert_int_equal(*fx_cpu(f, i * 512 + 100), (uint8_t)(i * 3));
	}
	fx_free(f);
}

/* A lie breaks the device: every request in flight fails, logged once. */
static void
lying(int status, int delta, bool too_long)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	struct vioblk_buf b[4];
	struct vioblk_req r[4];
	unsigned i;

	fx_start(f);
	for (i = 0; i < 4; i++) {
		b[i] = fx_buf(f, i * 4096, 4096);
		r[i] = fx_req(f, VIOBLK_OP_READ, i * 8, 8, &b[i], 1);
		assert_int_equal(vioblk_submit(f->sc, &r[i]), VIRTIO_OK);
	}
	host_log_reset();
	f->sb->sb_status = status;
	f->sb->sb_len_delta = delta;
	f->sb->sb_sim->s_faults.sf_used_len = too_long;
	sim_blk_serve(f->sb, 1, false);
	assert_true(sim_blk_vdev(f->sb)->vd_broken);
	assert_int_equal(f->done, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(r[i].vr_error, VIRTIO_EBADDEV);
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
	r[0] = fx_req(f, VIOBLK_OP_READ, 0, 8, &b[0], 1);
	assert_int_equal(vioblk_submit(f->sc, &r[0]), VIRTIO_EBADDEV);
	fx_free(f);
}

static void
test_lie_status(void **state)
{
	lying(0x5a, 0, false);
}

static void
test_lie_len_short(void **state)
{
	lying(-1, -1, false);
}

static void
test_lie_len_long(void **state)
{
	lying(-1, 0, true);
}

/* Config values that cannot be used are replaced or refused. */
static void
test_config_checks(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 0, 1000);
	struct fx *g;

	fx_start(f);
	assert_non_null(f->sc);
	assert_int_equal(f->sc->sc_info.vi_blk_size, 512);
	assert_int_equal(f->sc->sc_info.vi_seg_max, 1);
	assert_true(host_log_count(VIRTIO_LOG_WARN) >= 2);
	fx_free(f);
	g = fx_new(FEAT_BASE, 64, 8, 512);
	sim_blk_cfg64(g->sb, VIOBLK_CFG_CAPACITY, 1ull << 60);
	fx_start(g);
	assert_null(g->sc);
	assert_int_equal(g->add_err, VIRTIO_EBADDEV);
	assert_true(sim_blk_vdev(g->sb)->vd_status & VIRTIO_STATUS_FAILED);
	fx_free(g);
}

/* Capacity changes: a sane one is taken, an absurd one breaks. */
static void
test_config_change(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	uint8_t cap[8] = {0};

	fx_start(f);
	cap[0] = 0x00;
	cap[1] = 0x20; /* 8192 sectors */
	sim_config_change(f->sb->sb_sim, VIOBLK_CFG_CAPACITY, cap, 8);
	assert_int_equal(f->sc->sc_info.vi_capacity, 8192);
	assert_false(sim_blk_vdev(f->sb)->vd_broken);
	cap[7] = 0xff;
	sim_config_change(f->sb->sb_sim, VIOBLK_CFG_CAPACITY, cap, 8);
	assert_true(sim_blk_vdev(f->sb)->vd_broken);
	fx_free(f);
}

/* The legacy transport semantics (no VERSION_1) work too. */
static void
test_legacy(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vioblk_buf b;
	struct vioblk_req r;

	cur = f;
	f->sb = sim_blk_create(B(VIOBLK_F_FLUSH) | B(VIOBLK_F_SEG_MAX), 128, NSECT, true);
	sim_blk_cfg32(f->sb, VIOBLK_CFG_SEG_MAX, 4);
	assert_int_equal(virtio_dma_alloc(BUFSZ, 4096, &f->buf), VIRTIO_OK);
	fx_start(f);
	assert_non_null(f->sc);
	b = fx_buf(f, 0, 2048);
	memset(fx_cpu(f, 0), 0x3c, 2048);
	r = fx_req(f, VIOBLK_OP_WRITE, 7, 4, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(r.vr_error, VIRTIO_OK);
	assert_int_equal(f->sb->sb_disk[7 * 512 + 2047], 0x3c);
	fx_free(f);
}

/* Removing the device fails what is still in flight. */
static void
test_remove_inflight(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	struct vioblk_buf b = fx_buf(f, 0, 4096);
	struct vioblk_req r = fx_req(f, VIOBLK_OP_READ, 0, 8, &b, 1);
	struct sim_blk *sb = f->sb;

	fx_start(f);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	virtio_device_remove(sim_blk_vdev(sb));
	assert_int_equal(f->done, 1);
	assert_int_equal(r.vr_error, VIRTIO_ENODEV);
	virtio_driver_unregister(&vioblk_driver);
	virtio_dma_free(&f->buf);
	sim_blk_destroy(sb);
	assert_int_equal(host_dma_live(), 0);
	free(f);
}

/* ---- probe failures and probe-time completions ------------------------ */

/* A notify the device serves at once: completions inside vq_kick. */
static struct virtio_transport_ops fx_sync_ops;
static const struct virtio_transport_ops *fx_sim_ops;

static void
fx_sync_notify(struct virtio_device *dev, unsigned idx)
{
	fx_sim_ops->vto_notify(dev, idx);
	sim_blk_serve(cur->sb, 0, false);
}

static void
fx_sync(struct fx *f)
{
	struct virtio_device *vd = sim_blk_vdev(f->sb);

	fx_sim_ops = vd->vd_ops;
	fx_sync_ops = *vd->vd_ops;
	fx_sync_ops.vto_notify = fx_sync_notify;
	vd->vd_ops = &fx_sync_ops;
}

/* Nothing of a failed probe is left: no disk, no memory, no DMA. */
static void
fx_assert_nothing(struct fx *f, unsigned mem0)
{
	assert_null(f->sc);
	assert_null(vioblk_next(NULL));
	assert_null(sim_blk_vdev(f->sb)->vd_priv);
	/* At most the core's queue table, freed by remove. */
	assert_true(host_mem_live() <= mem0 + 1);
	assert_int_equal(host_dma_live(), 1); /* the test's buffer */
}

/*
 * Fail the n-th allocation of device add, for every n until none fails:
 * 0 added, 1 failed in the core (no log), 2 failed in the probe (one
 * log line, from the core).
 */
static int
fx_probe_fail_at(int n, bool dma)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	unsigned mem0 = host_mem_live();
	int failed;

	if (dma)
		host_dma_fail_after(n);
	else
		host_mem_fail_after(n);
	fx_start(f);
	host_dma_fail_after(-1);
	host_mem_fail_after(-1);
	failed = f->add_err == VIRTIO_OK ? 0 : 1 + (int)host_log_count(VIRTIO_LOG_ERR);
	if (failed) {
		fx_assert_nothing(f, mem0);
		assert_true(failed <= 2);
		if (failed == 2)
			assert_non_null(strstr(host_log_last(), "vioblk probe failed"));
	} else {
		assert_non_null(f->sc);
		assert_string_equal(f->sc->sc_info.vi_serial, "SIM-SERIAL-42");
	}
	fx_free(f);
	assert_int_equal(host_mem_live(), mem0);
	return failed;
}

static void
test_probe_fail_alloc(void **state)
{
	int n, r, fails = 0;

	for (n = 0; n < 32 && (r = fx_probe_fail_at(n, false)) != 0; n++)
		fails += r == 2;
	assert_true(fails >= 2 && n < 32); /* softc, slots (+ queue) */
	for (n = 0, fails = 0; n < 32 && (r = fx_probe_fail_at(n, true)) != 0; n++)
		fails += r == 2;
	assert_true(fails >= 3 && n < 32); /* rings, pool, id buffer */
}

/* GET_ID answered at once with a lie: the probe fails, nothing stays. */
static void
test_probe_fail_get_id(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	unsigned mem0 = host_mem_live();

	fx_sync(f);
	f->sb->sb_status = 0x77;
	fx_start(f);
	assert_int_equal(f->add_err, VIRTIO_EBADDEV);
	assert_int_equal(f->sb->sb_types[VIOBLK_T_GET_ID], 1);
	fx_assert_nothing(f, mem0);
	fx_free(f);
	assert_int_equal(host_mem_live(), mem0);
}

/*
 * A device that completes GET_ID inside the notify: the probe collects it
 * itself, so the serial is known when the disk attaches, and an interrupt
 * during the probe finds the probe collecting and does nothing but leave
 * a note (no second collector).
 */
static char fx_serial_at_attach[VIOBLK_ID_LEN + 1];

static void
fx_attach_serial(struct vioblk *sc)
{
	cur->sc = sc;
	memcpy(fx_serial_at_attach, sc->sc_info.vi_serial, sizeof(fx_serial_at_attach));
}

static void
test_probe_sync_get_id(void **state)
{
	static const struct vioblk_hooks hooks = {.vh_attach = fx_attach_serial};
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	struct vioblk_buf b;
	struct vioblk_req r;

	fx_sync(f);
	memset(fx_serial_at_attach, 0, sizeof(fx_serial_at_attach));
	assert_int_equal(vioblk_driver_register(&hooks), VIRTIO_OK);
	f->add_err = virtio_device_add(sim_blk_vdev(f->sb));
	assert_int_equal(f->add_err, VIRTIO_OK);
	assert_non_null(f->sc);
	assert_string_equal(fx_serial_at_attach, "SIM-SERIAL-42");
	assert_false(f->sc->sc_busy);
	assert_int_equal(f->sc->sc_nfree, f->sc->sc_nslots);
	/* After the probe, interrupts collect again: a read completes. */
	b = fx_buf(f, 0, 4096);
	r = fx_req(f, VIOBLK_OP_READ, 8, 8, &b, 1);
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false); /* if the kick was suppressed */
	assert_int_equal(f->done, 1);
	assert_int_equal(f->last_err, VIRTIO_OK);
	assert_int_equal(sim_errors(f->sb->sb_sim), 0);
	fx_free(f);
}

/* An interrupt while someone collects is not lost: the owner re-drains. */
static void
test_intr_while_busy(void **state)
{
	struct fx *f = fx_new(FEAT_BASE, 64, 8, 512);
	struct vioblk_buf b;
	struct vioblk_req r;

	fx_start(f);
	assert_non_null(f->sc);
	b = fx_buf(f, 0, 4096);
	r = fx_req(f, VIOBLK_OP_READ, 0, 8, &b, 1);
	f->sc->sc_busy = true; /* as if the probe were polling */
	assert_int_equal(vioblk_submit(f->sc, &r), VIRTIO_OK);
	sim_blk_serve(f->sb, 0, false);
	assert_int_equal(f->done, 0);
	assert_true(f->sc->sc_missed);
	f->sc->sc_busy = false;
	virtio_device_queue_intr(sim_blk_vdev(f->sb), 0);
	assert_int_equal(f->done, 1);
	assert_false(f->sc->sc_missed);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_probe_config),      cmocka_unit_test(test_read_write),
	    cmocka_unit_test(test_split_seg_max),     cmocka_unit_test(test_split_size_max),
	    cmocka_unit_test(test_refusals),          cmocka_unit_test(test_discard_write_zeroes),
	    cmocka_unit_test(test_status_codes),      cmocka_unit_test(test_many_in_flight),
	    cmocka_unit_test(test_lie_status),        cmocka_unit_test(test_lie_len_short),
	    cmocka_unit_test(test_lie_len_long),      cmocka_unit_test(test_config_checks),
	    cmocka_unit_test(test_config_change),     cmocka_unit_test(test_legacy),
	    cmocka_unit_test(test_remove_inflight),   cmocka_unit_test(test_probe_fail_alloc),
	    cmocka_unit_test(test_probe_fail_get_id), cmocka_unit_test(test_probe_sync_get_id),
	    cmocka_unit_test(test_intr_while_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
