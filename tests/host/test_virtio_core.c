// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_virtio_core.c: the core (virtio/virtio.c) against the
 * simulated device: the status sequence of §3.1 read back from the sim's
 * register log (modern and legacy), feature negotiation, the registry,
 * probe failure and allocation failure unwinding, config reads and the
 * generation loop, config-change interrupts, DEVICE_NEEDS_RESET and
 * restart, feature names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/vtest.h"

static void
expect_status(struct sim *s, const uint8_t *want, unsigned n)
{
	uint8_t got[64];
	unsigned i, k = sim_status_writes(s, got, 64);

	for (i = 0; i < n && i < k; i++)
		if (got[i] != want[i])
			fail_msg("status write %u: %#x, want %#x", i, got[i], want[i]);
	assert_int_equal(k, n);
}

/* Index of the first log event ev (with value val if val >= 0). */
static int
log_find(struct sim *s, enum sim_ev ev, long long val, unsigned from)
{
	unsigned i;

	for (i = from; i < s->s_nlog; i++)
		if (s->s_log[i].se_ev == ev && (val < 0 || s->s_log[i].se_val == (uint64_t)val))
			return (int)i;
	return -1;
}

static void
core_status_modern(void **state)
{
	static const uint8_t want[] = {0, 1, 3, 11, 15};
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	struct sim *s;
	int reset, f, fok, rd, q, ok;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	s = t->vt_sim;
	expect_status(s, want, sizeof(want));
	reset = log_find(s, SIM_EV_RESET, -1, 0);
	f = log_find(s, SIM_EV_FEATURES, VTEST_FEATURES, 0);
	fok = log_find(s, SIM_EV_STATUS, 11, 0);
	rd = log_find(s, SIM_EV_STATUS_READ, 11, (unsigned)fok);
	q = log_find(s, SIM_EV_QUEUE, -1, 0);
	ok = log_find(s, SIM_EV_STATUS, 15, 0);
	/* §3.1.1: reset, ..., features, FEATURES_OK, re-read, queues, OK */
	assert_true(reset == 0);
	assert_true(f > log_find(s, SIM_EV_STATUS, 3, 0));
	assert_true(fok > f && rd > fok && q > rd && ok > q);
	assert_int_equal(t->vt_dev->vd_features, VTEST_FEATURES);
	assert_true(t->vt_dev->vd_ready);
	assert_string_equal(t->vt_dev->vd_name + 0, t->vt_dev->vd_name);
	assert_int_equal(strncmp(t->vt_dev->vd_name, "virtio", 6), 0);
	assert_int_equal(sim_errors(s), 0);
	vtest_stop(t);
}

static void
core_status_legacy(void **state)
{
	static const uint8_t want[] = {0, 1, 3, 7};
	struct sim_config c =
	    vtest_config(VIRTIO_BIT(5) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) |
	                     VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_VERSION_1),
	                 128);
	struct vtest *t;
	struct vq_seg sg;
	void *tok;
	uint32_t len;

	c.sc_legacy = true;
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT | VIRTIO_BIT(5), 1, 16, 0),
	                 VIRTIO_OK);
	expect_status(t->vt_sim, want, sizeof(want));
	/* 32 feature bits; ring features kept; VERSION_1 not seen. */
	assert_int_equal(t->vt_dev->vd_features, VIRTIO_BIT(5) |
	                                             VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) |
	                                             VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX));
	/* Legacy: the device's queue size, whatever was asked. */
	assert_int_equal(vq_size(t->vt_vq[0]), 128);
	sg = vtest_seg(t, 0, 32, true);
	assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_OK);
	assert_true(vq_kick(t->vt_vq[0]));
	assert_int_equal(sim_pop_all(t->vt_sim, 0), 1);
	sim_fill(t->vt_sim, 0, 0, 9);
	assert_int_equal(vq_get(t->vt_vq[0], &tok, &len), VIRTIO_OK);
	assert_int_equal(len, 32);
	assert_int_equal(vtest_cpu(t, 0)[31], 9 + 31);
	assert_int_equal(sim_errors(t->vt_sim), 0);
	vtest_stop(t);
}

static void
core_features(void **state)
{
	uint64_t offered = VTEST_FEATURES | VIRTIO_BIT(VIRTIO_F_RING_PACKED) |
	                   VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | VIRTIO_BIT(VIRTIO_F_IN_ORDER) |
	                   VIRTIO_BIT(VIRTIO_F_NOTIFICATION_DATA) |
	                   VIRTIO_BIT(VIRTIO_F_RING_RESET) | VIRTIO_BIT(0) | VIRTIO_BIT(5) |
	                   VIRTIO_BIT(42) | VIRTIO_BIT(50);
	uint64_t want = VIRTIO_F_CORE_DEFAULT | VIRTIO_BIT(0) | VIRTIO_BIT(7) | VIRTIO_BIT(42) |
	                VIRTIO_BIT(50) | VIRTIO_BIT(VIRTIO_F_IN_ORDER);
	uint64_t expect = VTEST_FEATURES | VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(0) |
	                  VIRTIO_BIT(42) | VIRTIO_BIT(50);
	struct sim_config c = vtest_config(offered, 64);
	struct vtest *t;

	host_platform_features = 0;
	assert_int_equal(vtest_start(&t, &c, want, 1, 0, 0), VIRTIO_OK);
	assert_int_equal(t->vt_dev->vd_offered, offered);
	assert_int_equal(t->vt_dev->vd_features, expect);
	assert_int_equal(host_log_count(VIRTIO_LOG_WARN), 1); /* refused */
	assert_true(vq_is_packed(t->vt_vq[0]));
	assert_true(log_find(t->vt_sim, SIM_EV_FEATURES, (long long)expect, 0) >= 0);
	vtest_stop(t);

	/* A platform that honours ACCESS_PLATFORM accepts it. */
	host_platform_features = VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
	assert_int_equal(vtest_start(&t, &c, want, 1, 0, 0), VIRTIO_OK);
	assert_int_equal(t->vt_dev->vd_features, expect | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM));
	host_platform_features = 0;
	vtest_stop(t);
}

static void
core_no_version_1(void **state)
{
	static const uint8_t want[] = {0, 1, 3, 0x83};
	struct sim_config c = vtest_config(VIRTIO_BIT(0), 64);
	struct vtest *t;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_EUNSUPP);
	expect_status(t->vt_sim, want, sizeof(want));
	assert_null(t->vt_dev->vd_driver);
	assert_int_equal(t->vt_probes, 0);
	vtest_stop(t);
}

static int
noop_probe(struct virtio_device *dev)
{
	return VIRTIO_OK;
}

static void
noop_remove(struct virtio_device *dev)
{
}

static void
core_registry(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct sim_config other = vtest_config(VTEST_FEATURES, 64);
	struct virtio_driver dup = {
	    .vdrv_name = "dup",
	    .vdrv_device_id = VTEST_DEVICE_ID,
	    .vdrv_probe = noop_probe,
	    .vdrv_remove = noop_remove,
	};
	struct sim *s2;
	struct vtest *t;
	struct virtio_device *d;
	unsigned n = 0;

	assert_int_equal(virtio_driver_register(NULL), VIRTIO_EINVAL);
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	assert_int_equal(virtio_driver_register(&dup), VIRTIO_EBUSY);
	/* A device nobody drives stays at ACKNOWLEDGE. */
	other.sc_device_id = 99;
	s2 = sim_create(&other);
	assert_int_equal(virtio_device_add(sim_vdev(s2)), VIRTIO_OK);
	assert_int_equal(s2->s_status, VIRTIO_STATUS_ACKNOWLEDGE);
	assert_null(sim_vdev(s2)->vd_driver);
	for (d = virtio_device_next(NULL); d; d = virtio_device_next(d))
		n++;
	assert_int_equal(n, 2);
	/* A driver registered later binds it. */
	dup.vdrv_device_id = 99;
	dup.vdrv_features = VIRTIO_F_CORE_DEFAULT;
	assert_int_equal(virtio_driver_register(&dup), VIRTIO_OK);
	assert_ptr_equal(sim_vdev(s2)->vd_driver, &dup);
	assert_int_equal(s2->s_status, 15);
	virtio_driver_unregister(&dup);
	assert_null(sim_vdev(s2)->vd_driver);
	assert_int_equal(s2->s_status, 0);
	virtio_device_remove(sim_vdev(s2));
	sim_destroy(s2);
	assert_int_equal(t->vt_probes, 1);
	vtest_stop(t);
}

/* Probe failures at every allocation: unwound without leaks. */
static void
core_alloc_failures(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	int n, err, fails = 0;

	c.sc_nqueues = 2;
	for (n = 0; n < 12; n++) {
		/* vtest_start allocates the request buffer first. */
		assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
		vtest_stop(t);
		assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
		t->vt_nq = 2;
		t->vt_params.vqp_indirect_max = 4;
		if (n % 2)
			host_mem_fail_after(n / 2);
		else
			host_dma_fail_after(n / 2);
		err = virtio_device_restart(t->vt_dev);
		host_mem_fail_after(-1);
		host_dma_fail_after(-1);
		if (err) {
			assert_int_equal(err, VIRTIO_ENOMEM);
			assert_true(t->vt_sim->s_status & VIRTIO_STATUS_FAILED);
			assert_null(t->vt_dev->vd_driver);
			fails++;
		}
		vtest_stop(t);
	}
	assert_true(fails >= 6);
}

static void
core_probe_error(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
	t->vt_nq = 1;
	t->vt_probe_ret = VIRTIO_EIO;
	assert_int_equal(virtio_device_restart(t->vt_dev), VIRTIO_EIO);
	assert_true(t->vt_sim->s_status & VIRTIO_STATUS_FAILED);
	assert_false(t->vt_sim->s_status & VIRTIO_STATUS_DRIVER_OK);
	assert_null(t->vt_dev->vd_driver);
	assert_null(t->vt_dev->vd_vqs[0]);    /* the probe's queue freed */
	assert_int_equal(host_dma_live(), 1); /* only the request buffer */
	assert_true(host_log_count(VIRTIO_LOG_ERR) >= 1);
	vtest_stop(t);
}

/* A probe that succeeds on a device that broke meanwhile: remove undoes it. */
static void
core_probe_ok_but_broken(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
	t->vt_nq = 1;
	t->vt_probe_break = true;
	t->vt_removes = 0;
	assert_int_equal(virtio_device_restart(t->vt_dev), VIRTIO_EBADDEV);
	/* One remove for the restart's unbind, one undoing the broken probe. */
	assert_int_equal(t->vt_removes, 2);
	assert_true(t->vt_sim->s_status & VIRTIO_STATUS_FAILED);
	assert_null(t->vt_dev->vd_driver);
	assert_null(t->vt_dev->vd_vqs[0]);
	assert_int_equal(host_dma_live(), 1); /* only the request buffer */
	vtest_stop(t);
}

static void
put_le(uint8_t *p, uint64_t v, unsigned n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

static void
core_config_read(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	uint8_t u8, buf[13];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	unsigned i;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	for (i = 0; i < 64; i++)
		t->vt_sim->s_config[i] = (uint8_t)(0x40 + i);
	put_le(t->vt_sim->s_config + 2, 0xbeef, 2);
	put_le(t->vt_sim->s_config + 4, 0xdeadbeef, 4);
	put_le(t->vt_sim->s_config + 8, 0x0123456789abcdefull, 8);
	assert_int_equal(virtio_config_read8(t->vt_dev, 1, &u8), VIRTIO_OK);
	assert_int_equal(u8, 0x41);
	assert_int_equal(virtio_config_read16(t->vt_dev, 2, &u16), VIRTIO_OK);
	assert_int_equal(u16, 0xbeef);
	assert_int_equal(virtio_config_read32(t->vt_dev, 4, &u32), VIRTIO_OK);
	assert_int_equal(u32, 0xdeadbeef);
	assert_int_equal(virtio_config_read64(t->vt_dev, 8, &u64), VIRTIO_OK);
	assert_int_equal(u64, 0x0123456789abcdefull);
	/* Unaligned span: each access at its natural width (sim checks). */
	assert_int_equal(virtio_config_read(t->vt_dev, 1, buf, 13), VIRTIO_OK);
	assert_memory_equal(buf, t->vt_sim->s_config + 1, 13);
	assert_int_equal(virtio_config_read(t->vt_dev, 60, buf, 8), VIRTIO_EINVAL);
	assert_int_equal(virtio_config_read(t->vt_dev, 64, buf, 1), VIRTIO_EINVAL);
	assert_int_equal(virtio_config_read(t->vt_dev, 0xffffffffu, buf, 2), VIRTIO_EINVAL);
	assert_int_equal(virtio_config_read(t->vt_dev, 0, buf, 0), VIRTIO_EINVAL);
	assert_int_equal(virtio_config_write(t->vt_dev, 62, 2, 0x1234), VIRTIO_OK);
	assert_int_equal(t->vt_sim->s_config[62], 0x34);
	assert_int_equal(virtio_config_write(t->vt_dev, 63, 2, 0), VIRTIO_EINVAL);
	assert_int_equal(virtio_config_write(t->vt_dev, 0, 3, 0), VIRTIO_EINVAL);
	assert_int_equal(sim_errors(t->vt_sim), 0);
	vtest_stop(t);
}

static void
core_config_generation(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	uint32_t v;
	unsigned reads;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	put_le(t->vt_sim->s_config, 0x11223344, 4);
	/* The device changes byte 0 during the first read: retried. */
	t->vt_sim->s_faults.sf_gen_bump = 1;
	t->vt_sim->s_faults.sf_config_flip = 0xff;
	reads = t->vt_sim->s_config_reads;
	assert_int_equal(virtio_config_read32(t->vt_dev, 0, &v), VIRTIO_OK);
	assert_int_equal(v, 0x11223343);
	assert_int_equal(t->vt_sim->s_config_reads - reads, 2);
	assert_false(t->vt_dev->vd_broken);
	vtest_stop(t);

	/* Legacy: no generation; two reads must agree. */
	c.sc_legacy = true;
	c.sc_features = VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX);
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	put_le(t->vt_sim->s_config, 0x11223344, 4);
	t->vt_sim->s_faults.sf_gen_bump = 1;
	t->vt_sim->s_faults.sf_config_flip = 0xff;
	assert_int_equal(virtio_config_read32(t->vt_dev, 0, &v), VIRTIO_OK);
	assert_int_equal(v, 0x11223343);
	assert_false(t->vt_dev->vd_broken);
	vtest_stop(t);
}

static void
core_config_change(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	uint8_t b = 7;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	/* MSI-X style: the config vector. */
	sim_config_change(t->vt_sim, 3, &b, 1);
	assert_int_equal(t->vt_config_changes, 1);
	/* INTx: the ISR tells config from queue. */
	t->vt_sim->s_irq = NULL;
	sim_config_change(t->vt_sim, 3, &b, 1);
	assert_int_equal(t->vt_config_changes, 1);
	assert_true(virtio_device_intr(t->vt_dev));
	assert_int_equal(t->vt_config_changes, 2);
	assert_false(virtio_device_intr(t->vt_dev));
	assert_int_equal(t->vt_config_changes, 2);
	assert_int_equal(t->vt_cbs, 0);
	vtest_stop(t);
}

static void
core_needs_reset(void **state)
{
	static const uint8_t want[] = {0, 1, 3, 11, 15, 0x8f, 0, 1, 3, 11, 15};
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	struct vq_seg sg;
	void *tok;
	uint32_t len;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	sg = vtest_seg(t, 0, 16, true);
	assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_OK);
	assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_OK);
	vq_kick(t->vt_vq[0]);
	sim_needs_reset(t->vt_sim);
	assert_true(t->vt_dev->vd_broken);
	assert_int_equal(t->vt_broken_calls, 1);
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
	assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_EBADDEV);
	assert_int_equal(vq_get(t->vt_vq[0], &tok, &len), VIRTIO_EBADDEV);
	assert_int_equal(t->vt_config_changes, 0);
	/* The way out: reset, re-initialise, probe again. */
	assert_int_equal(virtio_device_restart(t->vt_dev), VIRTIO_OK);
	assert_false(t->vt_dev->vd_broken);
	assert_int_equal(t->vt_detached, 2);
	assert_int_equal(t->vt_probes, 2);
	expect_status(t->vt_sim, want, sizeof(want));
	assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_OK);
	assert_true(vq_kick(t->vt_vq[0]));
	assert_int_equal(sim_pop_all(t->vt_sim, 0), 1);
	sim_fill(t->vt_sim, 0, 0, 1);
	assert_int_equal(vq_get(t->vt_vq[0], &tok, &len), VIRTIO_OK);
	assert_int_equal(len, 16);
	assert_int_equal(sim_errors(t->vt_sim), 0);
	vtest_stop(t);
}

static void
core_ready_in_probe(void **state)
{
	static const uint8_t want[] = {0, 1, 3, 11, 15};
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;

	/* The driver sets DRIVER_OK itself: written once, not twice. */
	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
	t->vt_nq = 1;
	t->vt_probe_ready = true;
	t->vt_sim->s_nlog = 0;
	assert_int_equal(virtio_device_restart(t->vt_dev), VIRTIO_OK);
	expect_status(t->vt_sim, want, sizeof(want));
	vtest_stop(t);
}

static const struct virtio_feature_name test_names[] = {
    {0, "TEST_ZERO"},
    {50, "TEST_FIFTY"},
    {0, NULL},
};

static void
core_feature_names(void **state)
{
	struct sim_config c =
	    vtest_config(VTEST_FEATURES | VIRTIO_BIT(0) | VIRTIO_BIT(50) | VIRTIO_BIT(5), 64);
	struct vtest *t;
	char buf[128], small[12];
	size_t n;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 0, 0, 0), VIRTIO_OK);
	t->vt_drv.vdrv_feature_names = test_names;
	n = virtio_features_format(t->vt_dev,
	                           VIRTIO_BIT(0) | VIRTIO_BIT(5) | VIRTIO_BIT(28) | VIRTIO_BIT(32) |
	                               VIRTIO_BIT(50) | VIRTIO_BIT(63),
	                           buf, sizeof(buf));
	assert_string_equal(buf, "TEST_ZERO bit5 RING_INDIRECT_DESC VERSION_1 "
	                         "TEST_FIFTY bit63");
	assert_int_equal(n, strlen(buf));
	n = virtio_features_format(t->vt_dev, VIRTIO_BIT(32) | VIRTIO_BIT(34), small,
	                           sizeof(small));
	assert_string_equal(small, "VERSION_1 R");
	assert_int_equal(n, 11);
	assert_string_equal(virtio_feature_name(t->vt_dev, 34), "RING_PACKED");
	assert_null(virtio_feature_name(t->vt_dev, 64));
	assert_null(virtio_feature_name(t->vt_dev, 7));
	vtest_stop(t);
}

static void
core_strerror(void **state)
{
	assert_string_equal(virtio_strerror(VIRTIO_OK), "OK");
	assert_string_equal(virtio_strerror(VIRTIO_EBADDEV), "EBADDEV");
	assert_string_equal(virtio_strerror(VIRTIO_ETIMEDOUT), "ETIMEDOUT");
	assert_string_equal(virtio_strerror(-100), "E?");
	assert_string_equal(virtio_strerror(3), "E?");
}

static void
core_remove_inflight(void **state)
{
	struct sim_config c = vtest_config(VTEST_FEATURES, 64);
	struct vtest *t;
	struct vq_seg sg;
	int i;

	assert_int_equal(vtest_start(&t, &c, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	sg = vtest_seg(t, 0, 16, true);
	for (i = 0; i < 5; i++)
		assert_int_equal(vq_add(t->vt_vq[0], &sg, 1, t), VIRTIO_OK);
	vq_kick(t->vt_vq[0]);
	sim_pop_all(t->vt_sim, 0);
	virtio_device_remove(t->vt_dev);
	assert_int_equal(t->vt_removes, 1);
	assert_int_equal(t->vt_detached, 5);
	assert_int_equal(t->vt_sim->s_status, 0); /* reset first */
	assert_int_equal(host_dma_live(), 1);
	virtio_device_add(t->vt_dev); /* vtest_stop removes it */
	vtest_stop(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(core_status_modern),  cmocka_unit_test(core_status_legacy),
	    cmocka_unit_test(core_features),       cmocka_unit_test(core_no_version_1),
	    cmocka_unit_test(core_registry),       cmocka_unit_test(core_alloc_failures),
	    cmocka_unit_test(core_probe_error),    cmocka_unit_test(core_probe_ok_but_broken),
	    cmocka_unit_test(core_config_read),    cmocka_unit_test(core_config_generation),
	    cmocka_unit_test(core_config_change),  cmocka_unit_test(core_needs_reset),
	    cmocka_unit_test(core_ready_in_probe), cmocka_unit_test(core_feature_names),
	    cmocka_unit_test(core_strerror),       cmocka_unit_test(core_remove_inflight),
	};

	return cmocka_run_group_tests_name("virtio_core", tests, NULL, NULL);
}
