// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_viornd.c: the virtio entropy driver (virtio/viornd.c)
 * against the simulated device: bytes arrive as written, short and empty
 * completions, a device that makes the reader wait (rate limit), the health
 * check (all equal, repeated block, repeated chunk), a device that lies
 * about the used length, split and packed rings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_misc.h"
#include "virtio/viornd.h"
#include "virtio/virtqueue.h"

struct rt {
	struct sim *s;
	struct viornd *rnd;
	unsigned attach, detach;
	unsigned done;
	int err;
	uint8_t got[VIORND_CHUNK];
	size_t len;
};

static struct rt rt;

static void
rt_attach(struct viornd *rnd, void *arg)
{
	rt.rnd = rnd;
	rt.attach++;
}

static void
rt_detach(struct viornd *rnd, void *arg)
{
	rt.detach++;
}

static void
rt_done(void *arg, const uint8_t *buf, size_t len, int err)
{
	rt.done++;
	rt.err = err;
	rt.len = len;
	if (buf)
		memcpy(rt.got, buf, len);
}

/* A xorshift stream: good enough to look random to the check. */
static uint64_t rt_seed = 0x9e3779b97f4a7c15ull;

static void
rt_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rt_seed ^= rt_seed << 13;
		rt_seed ^= rt_seed >> 7;
		rt_seed ^= rt_seed << 17;
		p[i] = (uint8_t)(rt_seed >> 24);
	}
}

static void
rt_start(bool packed)
{
	uint64_t f = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) |
	             (packed ? VIRTIO_BIT(VIRTIO_F_RING_PACKED) : 0);
	struct sim_config c = sim_misc_config(VIRTIO_ID_RNG, f, 1, 64, 0);
	struct viornd_hooks h = {rt_attach, rt_detach, NULL};

	memset(&rt, 0, sizeof(rt));
	host_log_reset();
	rt.s = sim_misc_create(&c);
	assert_int_equal(viornd_driver_register(&h), VIRTIO_OK);
	assert_int_equal(virtio_device_add(sim_vdev(rt.s)), VIRTIO_OK);
	assert_int_equal(rt.attach, 1);
	assert_non_null(rt.rnd);
	assert_true(rt.s->s_status & VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(packed, vq_is_packed(sim_vdev(rt.s)->vd_vqs[0]));
}

static void
rt_stop(void)
{
	virtio_device_remove(sim_vdev(rt.s));
	viornd_driver_unregister();
	assert_int_equal(rt.detach, 1);
	assert_int_equal(sim_errors(rt.s), 0);
	sim_destroy(rt.s);
	assert_int_equal(host_dma_live(), 0);
	assert_int_equal(host_mem_live(), 0);
}

static void
test_bytes_arrive(void **state)
{
	bool packed = *(bool *)*state;
	uint8_t data[VIORND_CHUNK];

	rt_start(packed);
	for (int round = 0; round < 200; round++) {
		size_t want = 1 + (size_t)(round * 37) % 300;
		size_t exp = want < VIORND_CHUNK ? want : VIORND_CHUNK;

		rt.done = 0;
		assert_int_equal(viornd_read(rt.rnd, want, rt_done, NULL), VIRTIO_OK);
		assert_int_equal(sim_misc_wlen(rt.s, 0, 0), exp);
		rt_random(data, sizeof(data));
		assert_int_equal(sim_misc_write(rt.s, 0, 0, data, exp), (long)exp);
		assert_int_equal(rt.done, 1);
		assert_int_equal(rt.err, VIRTIO_OK);
		assert_int_equal(rt.len, exp);
		assert_memory_equal(rt.got, data, exp);
	}
	rt_stop();
}

/* A short completion gives what was written; 0 bytes re-posts. */
static void
test_short_and_empty(void **state)
{
	uint8_t data[64];
	struct viornd_stats st;

	rt_start(false);
	rt_random(data, sizeof(data));
	assert_int_equal(viornd_read(rt.rnd, 64, rt_done, NULL), VIRTIO_OK);
	assert_int_equal(sim_misc_write(rt.s, 0, 0, data, 0), 0);
	assert_int_equal(rt.done, 0);
	assert_true(viornd_busy(rt.rnd));
	assert_int_equal(sim_misc_wlen(rt.s, 0, 0), 64);
	assert_int_equal(sim_misc_write(rt.s, 0, 0, data, 10), 10);
	assert_int_equal(rt.done, 1);
	assert_int_equal(rt.len, 10);
	assert_memory_equal(rt.got, data, 10);
	viornd_stats_get(rt.rnd, &st);
	assert_int_equal(st.vrs_empty, 1);
	assert_int_equal(st.vrs_bytes, 10);
	rt_stop();
}

/* A rate-limited host completes late: the read waits, it does not fail. */
static void
test_slow_device(void **state)
{
	uint8_t data[32];

	rt_start(false);
	assert_int_equal(viornd_read(rt.rnd, 32, rt_done, NULL), VIRTIO_OK);
	assert_int_equal(viornd_read(rt.rnd, 32, rt_done, NULL), VIRTIO_EBUSY);
	for (int i = 0; i < 10; i++)
		vq_intr(sim_vdev(rt.s)->vd_vqs[0]); /* spurious */
	assert_int_equal(rt.done, 0);
	assert_true(viornd_busy(rt.rnd));
	rt_random(data, sizeof(data));
	sim_misc_write(rt.s, 0, 0, data, 32);
	assert_int_equal(rt.done, 1);
	assert_int_equal(rt.err, VIRTIO_OK);
	assert_false(viornd_busy(rt.rnd));
	rt_stop();
}

static void
rt_expect_refused(const uint8_t *data, size_t len, const char *reason)
{
	assert_int_equal(viornd_read(rt.rnd, len, rt_done, NULL), VIRTIO_OK);
	sim_misc_write(rt.s, 0, 0, data, len);
	assert_int_equal(rt.err, VIRTIO_EIO);
	assert_int_equal(rt.len, 0);
	assert_non_null(viornd_health(rt.rnd));
	assert_non_null(strstr(viornd_health(rt.rnd), reason));
	assert_int_equal(host_log_count(VIRTIO_LOG_ERR), 1);
	assert_non_null(strstr(host_log_last(), "health check failed"));
	/* The source stays failed. */
	assert_int_equal(viornd_read(rt.rnd, 16, rt_done, NULL), VIRTIO_EIO);
}

static void
test_health_all_equal(void **state)
{
	uint8_t data[64];

	rt_start(false);
	memset(data, 0, sizeof(data));
	rt_expect_refused(data, sizeof(data), "all bytes equal: 0x00");
	rt_stop();
}

static void
test_health_repeating_block(void **state)
{
	uint8_t data[128];

	rt_start(false);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t) "vmach-rng-stuck!"[i % 16];
	rt_expect_refused(data, sizeof(data), "short block repeats");
	rt_stop();
}

static void
test_health_repeated_chunk(void **state)
{
	uint8_t data[64];

	rt_start(false);
	rt_random(data, sizeof(data));
	assert_int_equal(viornd_read(rt.rnd, 64, rt_done, NULL), VIRTIO_OK);
	sim_misc_write(rt.s, 0, 0, data, 64);
	assert_int_equal(rt.err, VIRTIO_OK);
	rt_expect_refused(data, sizeof(data), "previous chunk");
	rt_stop();
}

/* The check itself: no false alarm on a long random stream. */
static void
test_check_no_false_alarm(void **state)
{
	uint8_t data[VIORND_CHUNK], prev[16];
	char why[96];

	rt_random(prev, sizeof(prev));
	for (int i = 0; i < 20000; i++) {
		size_t len = 1 + (size_t)i % VIORND_CHUNK;

		rt_random(data, len);
		assert_null(viornd_check(data, len, prev, why));
		if (len >= 16)
			memcpy(prev, data, 16);
	}
	/* Small chunks are not judged: 8 equal bytes happen. */
	memset(data, 7, 8);
	assert_null(viornd_check(data, 8, NULL, why));
	memset(data, 7, 9);
	assert_non_null(viornd_check(data, 9, NULL, why));
}

/* Used length past the buffer: the device is broken, the read fails. */
static void
test_lying_length(void **state)
{
	uint8_t data[16];

	rt_start(false);
	rt_random(data, sizeof(data));
	assert_int_equal(viornd_read(rt.rnd, 16, rt_done, NULL), VIRTIO_OK);
	rt.s->s_faults.sf_used_len = true;
	sim_misc_write(rt.s, 0, 0, data, 16);
	assert_int_equal(rt.done, 1);
	assert_int_equal(rt.err, VIRTIO_EBADDEV);
	assert_true(sim_vdev(rt.s)->vd_broken);
	assert_int_equal(viornd_read(rt.rnd, 16, rt_done, NULL), VIRTIO_EBADDEV);
	rt_stop();
}

static void
test_bad_args(void **state)
{
	rt_start(false);
	assert_int_equal(viornd_read(rt.rnd, 0, rt_done, NULL), VIRTIO_EINVAL);
	assert_int_equal(viornd_read(rt.rnd, 8, NULL, NULL), VIRTIO_EINVAL);
	/* Removal with a read in flight fails it once. */
	assert_int_equal(viornd_read(rt.rnd, 8, rt_done, NULL), VIRTIO_OK);
	virtio_device_remove(sim_vdev(rt.s));
	assert_int_equal(rt.done, 1);
	assert_int_equal(rt.err, VIRTIO_EBADDEV);
	viornd_driver_unregister();
	sim_destroy(rt.s);
	assert_int_equal(host_dma_live(), 0);
	assert_int_equal(host_mem_live(), 0);
}

int
main(void)
{
	static bool split = false, packed = true;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_prestate(test_bytes_arrive, &split),
	    cmocka_unit_test_prestate(test_bytes_arrive, &packed),
	    cmocka_unit_test(test_short_and_empty),
	    cmocka_unit_test(test_slow_device),
	    cmocka_unit_test(test_health_all_equal),
	    cmocka_unit_test(test_health_repeating_block),
	    cmocka_unit_test(test_health_repeated_chunk),
	    cmocka_unit_test(test_check_no_false_alarm),
	    cmocka_unit_test(test_lying_length),
	    cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
