// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_virtio_hostile.c: a lying device. Used ids out of range,
 * not in flight or repeated, used lengths beyond the buffer, a used index
 * jumping by more than the ring, FEATURES_OK refused, bad queue sizes, a
 * config space that never holds still. Each must be detected, logged once,
 * the device marked broken (FAILED written, driver told), every request
 * failed, and no memory outside the driver's buffers touched (ASan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/vtest.h"

static bool split_ring, packed_ring = true;

static struct vtest *
hostile_start(void **state, uint16_t qmax)
{
	uint64_t f = VTEST_FEATURES;
	struct sim_config c;
	struct vtest *t;

	if (*(bool *)*state)
		f |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	c = vtest_config(f, qmax);
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	return t;
}

/* n buffers of one writable 64-byte segment, taken by the device. */
static void
hostile_fill(struct vtest *t, unsigned n)
{
	struct vq_seg sg;
	unsigned i;

	for (i = 0; i < n; i++) {
		sg = vtest_seg(t, 64 * i, 64, true);
		assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, &t->vt_buf), VIRTIO_OK);
	}
	vq_kick(t->vt_vq[0]);
	assert_int_equal(sim_pop_all(t->vt_sim, 0), n);
}

/*
 * The lie was told: the next vq_get must break the device, once, and
 * every later request fails; after a reset all tokens come back.
 */
static void
hostile_expect_broken(struct vtest *t, unsigned inflight)
{
	struct vq *vq = t->vt_vq[0];
	struct vq_seg sg = vtest_seg(t, 0, 8, true);
	void *tok;
	uint32_t len;
	unsigned n = 0;

	assert_int_equal(vq_get(vq, &tok, &len), VIRTIO_EBADDEV);
	assert_true(t->vt_dev->vd_broken);
	assert_true(vq_is_broken(vq));
	assert_true(t->vt_sim->s_status & VIRTIO_STATUS_FAILED);
	assert_int_equal(t->vt_broken_calls, 1);
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
	assert_int_equal(vq_get(vq, &tok, &len), VIRTIO_EBADDEV);
	assert_int_equal(vq_add(vq, &sg, 1, t), VIRTIO_EBADDEV);
	assert_false(vq_kick_prepare(vq));
	assert_true(vq_enable_cb(vq));
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1); /* once */
	assert_int_equal(t->vt_broken_calls, 1);
	assert_int_equal(virtio_device_reset(t->vt_dev), VIRTIO_OK);
	while (vq_detach_unused(vq))
		n++;
	assert_int_equal(n, inflight);
	assert_int_equal(vq_num_free(vq), vq_size(vq));
}

static void
hostile_id_out_of_range(void **state)
{
	struct vtest *t = hostile_start(state, 8);

	hostile_fill(t, 3);
	t->vt_sim->s_faults.sf_used_id = 1;
	sim_use(t->vt_sim, 0, 1, 64);
	hostile_expect_broken(t, 3);
	vtest_stop(t);
}

static void
hostile_id_not_in_flight(void **state)
{
	struct vtest *t = hostile_start(state, 8);

	hostile_fill(t, 3);
	t->vt_sim->s_faults.sf_used_id = 2;
	sim_use(t->vt_sim, 0, 0, 64);
	hostile_expect_broken(t, 3);
	vtest_stop(t);
}

static void
hostile_id_twice(void **state)
{
	struct vtest *t = hostile_start(state, 8);
	void *tok;
	uint32_t len;

	hostile_fill(t, 3);
	sim_use(t->vt_sim, 0, 0, 64);
	assert_int_equal(vq_get(t->vt_vq[0], &tok, &len), VIRTIO_OK);
	/* The same buffer used again, in the place of another. */
	t->vt_sim->s_faults.sf_used_id = 3;
	sim_use(t->vt_sim, 0, 0, 64);
	hostile_expect_broken(t, 2);
	vtest_stop(t);
}

static void
hostile_len_beyond(void **state)
{
	struct vtest *t = hostile_start(state, 8);
	void *tok;
	uint32_t len;

	hostile_fill(t, 4);
	sim_use(t->vt_sim, 0, 0, 64); /* exactly the buffer: fine */
	assert_int_equal(vq_get(t->vt_vq[0], &tok, &len), VIRTIO_OK);
	assert_int_equal(len, 64);
	t->vt_sim->s_faults.sf_used_len = true; /* 65 */
	sim_use(t->vt_sim, 0, 1, 64);
	hostile_expect_broken(t, 3);
	vtest_stop(t);
}

static void
hostile_len_readonly_buffer(void **state)
{
	struct vtest *t = hostile_start(state, 8);
	struct vq_seg sg = vtest_seg(t, 0, 64, false);

	/* Nothing writable: any length but 0 is a lie. */
	assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_OK);
	vq_kick(t->vt_vq[0]);
	assert_int_equal(sim_pop_all(t->vt_sim, 0), 1);
	sim_use(t->vt_sim, 0, 0, 1);
	hostile_expect_broken(t, 1);
	vtest_stop(t);
}

static void
hostile_idx_jump(void **state)
{
	struct vtest *t = hostile_start(state, 8);

	if (*(bool *)*state) {
		/* Packed rings have no index: a used descriptor for a
		 * buffer never made available is the equivalent. */
		hostile_fill(t, 1);
		t->vt_sim->s_faults.sf_used_id = 2;
		sim_use(t->vt_sim, 0, 0, 0);
		hostile_expect_broken(t, 1);
		vtest_stop(t);
		return;
	}
	hostile_fill(t, 2);
	t->vt_sim->s_faults.sf_idx_jump = true; /* idx += 1 + size + 1 */
	sim_use(t->vt_sim, 0, 0, 64);
	hostile_expect_broken(t, 2);
	vtest_stop(t);
}

static void
hostile_idx_beyond_inflight(void **state)
{
	struct vtest *t = hostile_start(state, 8);
	uint8_t *used;
	uint64_t dev;

	/* 2 in flight, the device claims 3 used: still within the ring. */
	hostile_fill(t, 2);
	sim_use(t->vt_sim, 0, 0, 64);
	dev = t->vt_sim->s_q[0].sq_dev;
	used = host_dma_to_cpu(dev, 4);
	used[2] = 3;
	hostile_expect_broken(t, 2);
	vtest_stop(t);
}

static void
hostile_features_ok_refused(void **state)
{
	/* FAILED on top of what the driver had written (never cleared). */
	static const uint8_t want[] = {0, 1, 3, 11, 0x8b};
	struct sim_config c = vtest_config(VTEST_FEATURES, 8);
	uint8_t got[16];
	struct vtest *t;

	c.sc_device_id = VTEST_DEVICE_ID;
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	vtest_stop(t);
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
	t->vt_nq = 1;
	t->vt_sim->s_faults.sf_refuse_features_ok = true;
	t->vt_sim->s_nlog = 0;
	host_log_reset();
	assert_int_equal(virtio_device_restart(t->vt_dev), VIRTIO_EUNSUPP);
	assert_int_equal(sim_status_writes(t->vt_sim, got, 16), 5);
	assert_memory_equal(got, want, 5);
	assert_int_equal(t->vt_probes, 1); /* not probed again */
	assert_null(t->vt_dev->vd_driver);
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
	vtest_stop(t);
}

static void
hostile_queue_size(void **state, uint16_t qmax, bool ok)
{
	bool packed = *(bool *)*state;
	uint64_t f = VTEST_FEATURES;
	struct sim_config c;
	struct vtest *t;
	int err;

	if (packed)
		f |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	c = vtest_config(f, qmax);
	err = vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0);
	if (ok) {
		assert_int_equal(err, VIRTIO_OK);
		assert_int_equal(vq_size(t->vt_vq[0]), qmax);
	} else {
		assert_int_equal(err, VIRTIO_EBADDEV);
		assert_true(t->vt_dev->vd_broken);
		assert_null(t->vt_dev->vd_driver);
		assert_true(t->vt_sim->s_status & VIRTIO_STATUS_FAILED);
		assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 2);
		assert_true(strstr(host_log_last(), "probe failed") != NULL);
	}
	vtest_stop(t);
}

static void
hostile_queue_size_zero(void **state)
{
	hostile_queue_size(state, 0, false);
}

static void
hostile_queue_size_not_pow2(void **state)
{
	/* Only split rings need a power of 2 (§4.1.4.3.2). */
	hostile_queue_size(state, 100, *(bool *)*state);
}

static void
hostile_queue_size_huge(void **state)
{
	hostile_queue_size(state, 65535, false);
}

static void
hostile_config_never_settles(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 8);
	struct vtest *t;
	uint64_t v;
	int legacy;

	for (legacy = 0; legacy < 2; legacy++) {
		c.sc_legacy = legacy;
		assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
		t->vt_sim->s_faults.sf_gen_bump = 100000;
		t->vt_sim->s_faults.sf_config_flip = 0x55;
		assert_int_equal(virtio_config_read64(t->vt_dev, 0, &v), VIRTIO_EBADDEV);
		assert_true(t->vt_dev->vd_broken);
		assert_int_equal(t->vt_broken_calls, 1);
		assert_true(t->vt_sim->s_status & VIRTIO_STATUS_FAILED);
		assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
		/* Bounded: the loop gave up. */
		assert_true(t->vt_sim->s_config_reads < 200);
		assert_int_equal(virtio_config_read64(t->vt_dev, 0, &v), VIRTIO_EBADDEV);
		assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
		vtest_stop(t);
	}
}

/* A device that lies about the used ring in every way at once. */
static void
hostile_scribble(void **state)
{
	struct vtest *t;
	struct sim_queue *q;
	uint8_t *p;
	size_t n;
	void *tok;
	uint32_t len;
	unsigned round;

	for (round = 0; round < 64; round++) {
		t = hostile_start(state, 16);
		hostile_fill(t, 1 + round % 16);
		q = &t->vt_sim->s_q[0];
		/* Garbage over the whole device-writable area. */
		if (q->sq_packed) {
			n = 16u * q->sq_size;
			p = host_dma_to_cpu(q->sq_desc, n);
		} else {
			n = 6 + 8u * q->sq_size;
			p = host_dma_to_cpu(q->sq_dev, n);
		}
		srand(round);
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)rand();
		while (vq_get(t->vt_vq[0], &tok, &len) == VIRTIO_OK)
			assert_true(len <= 64);
		vtest_stop(t);
	}
}

#define BOTH(f)                                                                                    \
	cmocka_unit_test_prestate(f, &split_ring), cmocka_unit_test_prestate(f, &packed_ring)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(hostile_id_out_of_range),
	    BOTH(hostile_id_not_in_flight),
	    BOTH(hostile_id_twice),
	    BOTH(hostile_len_beyond),
	    BOTH(hostile_len_readonly_buffer),
	    BOTH(hostile_idx_jump),
	    cmocka_unit_test_prestate(hostile_idx_beyond_inflight, &split_ring),
	    cmocka_unit_test(hostile_features_ok_refused),
	    BOTH(hostile_queue_size_zero),
	    BOTH(hostile_queue_size_not_pow2),
	    BOTH(hostile_queue_size_huge),
	    cmocka_unit_test(hostile_config_never_settles),
	    BOTH(hostile_scribble),
	};

	return cmocka_run_group_tests_name("virtio_hostile", tests, NULL, NULL);
}
