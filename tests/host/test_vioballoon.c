// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vioballoon.c: the virtio balloon driver
 * (virtio/vioballoon.c) against the simulated device and a fake page
 * pool: inflate in batches with the PFNs the pool lent, *actual* after
 * each, deflate giving pages back only after the device's answer, a pool
 * that runs dry, a host asking for 2^32-1 pages, the stats queue,
 * DEFLATE_ON_OOM with and without MUST_TELL_HOST, removal returning every
 * page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/platform_host.h"
#include "tests/sim/sim_misc.h"
#include "virtio/vioballoon.h"

#define F_V1 VIRTIO_BIT(VIRTIO_F_VERSION_1)
#define F_STATS VIRTIO_BIT(VIOBALLOON_F_STATS_VQ)
#define F_OOM VIRTIO_BIT(VIOBALLOON_F_DEFLATE_ON_OOM)
#define F_TELL VIRTIO_BIT(VIOBALLOON_F_MUST_TELL_HOST)
#define POOL 2000
#define PFN0 0x10000u

/* The fake system: POOL pages, each free, ballooned or picked. */
enum { PG_FREE, PG_BALLOON, PG_PICKED };

struct bt {
	struct sim *s;
	struct vioballoon *b;
	unsigned limit; /* pages the pool will lend */
	unsigned char st[POOL];
	unsigned taken, given;
	uint64_t free_bytes, total_bytes;
};

static struct bt bt;

static unsigned
bt_take(void *arg, uint32_t *pfns, unsigned n)
{
	unsigned got = 0;

	for (unsigned i = 0; i < POOL && got < n && bt.taken - bt.given < bt.limit; i++) {
		if (bt.st[i] != PG_FREE)
			continue;
		bt.st[i] = PG_BALLOON;
		pfns[got++] = PFN0 + i;
		bt.taken++;
	}
	return got;
}

static unsigned
bt_pick(void *arg, uint32_t *pfns, unsigned n)
{
	unsigned got = 0;

	for (unsigned i = POOL; i-- > 0 && got < n;) {
		if (bt.st[i] != PG_BALLOON)
			continue;
		bt.st[i] = PG_PICKED;
		pfns[got++] = PFN0 + i;
	}
	return got;
}

static void
bt_give(void *arg, const uint32_t *pfns, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_true(pfns[i] >= PFN0 && pfns[i] < PFN0 + POOL);
		assert_int_equal(bt.st[pfns[i] - PFN0], PG_PICKED);
		bt.st[pfns[i] - PFN0] = PG_FREE;
		bt.given++;
	}
}

static void
bt_mem(void *arg, uint64_t *free_bytes, uint64_t *total_bytes)
{
	*free_bytes = bt.free_bytes;
	*total_bytes = bt.total_bytes;
}

static unsigned
bt_count(int state)
{
	unsigned n = 0;

	for (unsigned i = 0; i < POOL; i++)
		n += bt.st[i] == state;
	return n;
}

static void
bt_attach(struct vioballoon *b, void *arg)
{
	bt.b = b;
}

static uint32_t
bt_cfg32(unsigned off)
{
	const uint8_t *p = bt.s->s_config + off;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int
bt_start(uint64_t features, uint32_t num_pages, unsigned limit)
{
	struct sim_config c = sim_misc_config(VIRTIO_ID_BALLOON,
	                                      F_V1 | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | features,
	                                      (features & F_STATS) ? 3 : 2, 16, 16);
	static const struct vioballoon_pages_ops ops = {bt_take, bt_pick, bt_give, bt_mem, NULL};
	struct vioballoon_hooks h = {bt_attach, NULL, NULL};
	uint8_t np[4] = {(uint8_t)num_pages, (uint8_t)(num_pages >> 8), (uint8_t)(num_pages >> 16),
	                 (uint8_t)(num_pages >> 24)};

	memset(&bt, 0, sizeof(bt));
	bt.limit = limit;
	bt.free_bytes = 1000 * 4096;
	bt.total_bytes = 32768ull * 4096;
	host_log_reset();
	bt.s = sim_misc_create(&c);
	sim_misc_config_set(bt.s, 0, np, 4);
	assert_int_equal(vioballoon_driver_register(&ops, &h), VIRTIO_OK);
	return virtio_device_add(sim_vdev(bt.s));
}

static void
bt_stop(void)
{
	virtio_device_remove(sim_vdev(bt.s));
	vioballoon_driver_unregister();
	/* Every page lent came back. */
	assert_int_equal(bt_count(PG_FREE), POOL);
	assert_int_equal(bt.taken, bt.given);
	assert_int_equal(sim_errors(bt.s), 0);
	sim_destroy(bt.s);
	assert_int_equal(host_dma_live(), 0);
	assert_int_equal(host_mem_live(), 0);
}

/* Device side: answer the request on q; check its PFNs are in state st. */
static unsigned
bt_answer(unsigned q, int st)
{
	uint8_t buf[VIOBALLOON_BATCH * 4 + 4];
	long n = sim_misc_peek(bt.s, q, 0, buf, sizeof(buf));

	if (n < 0)
		return 0;
	assert_int_equal(n % 4, 0);
	for (long i = 0; i < n; i += 4) {
		uint32_t pfn = (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 |
		               (uint32_t)buf[i + 2] << 16 | (uint32_t)buf[i + 3] << 24;

		assert_true(pfn >= PFN0 && pfn < PFN0 + POOL);
		assert_int_equal(bt.st[pfn - PFN0], st);
	}
	sim_misc_complete(bt.s, q, 0);
	return (unsigned)(n / 4);
}

static void
bt_set_target(uint32_t n)
{
	uint8_t np[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};

	sim_config_change(bt.s, VIOBALLOON_CFG_NUM_PAGES, np, 4);
}

static void
test_inflate_deflate(void **state)
{
	struct vioballoon_info bi;
	unsigned batches = 0, n;

	assert_int_equal(bt_start(0, 600, POOL), VIRTIO_OK);
	while ((n = bt_answer(0, PG_BALLOON)) > 0) {
		batches++;
		assert_true(n <= VIOBALLOON_BATCH);
		/* actual follows each acknowledged batch. */
		vioballoon_info_get(bt.b, &bi);
		assert_int_equal(bt_cfg32(VIOBALLOON_CFG_ACTUAL), bi.vbi_pages);
	}
	assert_int_equal(batches, 3);
	vioballoon_info_get(bt.b, &bi);
	assert_int_equal(bi.vbi_pages, 600);
	assert_int_equal(bi.vbi_target, 600);
	assert_int_equal(bt_count(PG_BALLOON), 600);
	assert_int_equal(bt_cfg32(VIOBALLOON_CFG_ACTUAL), 600);
	/* Deflate to 100: pages come back only after the device answers. */
	bt_set_target(100);
	assert_int_equal(bt_count(PG_PICKED), 256);
	assert_int_equal(bt.given, 0);
	assert_int_equal(bt_answer(1, PG_PICKED), 256);
	assert_int_equal(bt.given, 256);
	assert_int_equal(bt_answer(1, PG_PICKED), 244);
	assert_int_equal(bt_answer(1, PG_PICKED), 0);
	vioballoon_info_get(bt.b, &bi);
	assert_int_equal(bi.vbi_pages, 100);
	assert_int_equal(bt_count(PG_FREE), POOL - 100);
	assert_int_equal(bt_cfg32(VIOBALLOON_CFG_ACTUAL), 100);
	bt_stop();
}

/* The system cannot give what the host asks: the balloon stops, logged. */
static void
test_pool_dry(void **state)
{
	struct vioballoon_info bi;

	assert_int_equal(bt_start(0, 0xffffffffu, 300), VIRTIO_OK);
	while (bt_answer(0, PG_BALLOON) > 0)
		;
	vioballoon_info_get(bt.b, &bi);
	assert_int_equal(bi.vbi_pages, 300);
	assert_true(bi.vbi_short);
	assert_false(bi.vbi_busy);
	assert_int_equal(host_log_count(VIRTIO_LOG_WARN), 1);
	/* More memory and a new request: it grows again. */
	bt.limit = 400;
	bt_set_target(350);
	while (bt_answer(0, PG_BALLOON) > 0)
		;
	vioballoon_info_get(bt.b, &bi);
	assert_int_equal(bi.vbi_pages, 350);
	assert_false(bi.vbi_short);
	bt_stop();
}

static void
test_stats(void **state)
{
	uint8_t buf[64];
	long n;

	assert_int_equal(bt_start(F_STATS, 0, POOL), VIRTIO_OK);
	for (int round = 0; round < 3; round++) {
		bt.free_bytes = 4096ull * (100 + round);
		if (round > 0)
			sim_misc_complete(bt.s, 2, 0); /* "send new stats" */
		n = sim_misc_peek(bt.s, 2, 0, buf, sizeof(buf));
		assert_int_equal(n, 3 * VIOBALLOON_STAT_LEN);
		assert_int_equal(buf[0] | buf[1] << 8, VIOBALLOON_S_MEMFREE);
		/* Round 0's buffer was filled at probe, with the old value. */
		uint64_t v = 0;
		for (int k = 7; k >= 0; k--)
			v = v << 8 | buf[2 + k];
		assert_int_equal(v, round == 0 ? 4096ull * 1000 : 4096ull * (100 + round));
		assert_int_equal(buf[10] | buf[11] << 8, VIOBALLOON_S_MEMTOT);
		v = 0;
		for (int k = 7; k >= 0; k--)
			v = v << 8 | buf[12 + k];
		assert_int_equal(v, 32768ull * 4096);
		assert_int_equal(buf[20] | buf[21] << 8, VIOBALLOON_S_AVAIL);
		/* §5.5.6.3: at most one stats buffer available. */
		assert_int_equal(sim_inflight(bt.s, 2), 1);
	}
	bt_stop();
}

static void
test_deflate_on_oom(void **state)
{
	struct vioballoon_info bi;

	assert_int_equal(bt_start(F_OOM, 200, POOL), VIRTIO_OK);
	/* Busy with an inflate request: nothing given. */
	assert_int_equal(vioballoon_oom(bt.b, 50), 0);
	while (bt_answer(0, PG_BALLOON) > 0)
		;
	assert_int_equal(vioballoon_oom(bt.b, 50), 50);
	assert_int_equal(bt.given, 50);
	assert_int_equal(bt_cfg32(VIOBALLOON_CFG_ACTUAL), 150);
	/* The device hears about them on the deflateq (already reused). */
	sim_pop_all(bt.s, 1);
	assert_int_equal(sim_inflight(bt.s, 1), 1);
	sim_misc_complete(bt.s, 1, 0);
	/* No re-inflation until the host changes its mind. */
	vioballoon_info_get(bt.b, &bi);
	assert_true(bi.vbi_oom_hold);
	assert_int_equal(bi.vbi_pages, 150);
	assert_int_equal(bi.vbi_oom_pages, 50);
	sim_pop_all(bt.s, 0);
	assert_int_equal(sim_inflight(bt.s, 0), 0);
	bt_set_target(180);
	assert_int_equal(bt_answer(0, PG_BALLOON), 30);
	bt_stop();
}

static void
test_oom_not_allowed(void **state)
{
	assert_int_equal(bt_start(0, 10, POOL), VIRTIO_OK);
	bt_answer(0, PG_BALLOON);
	assert_int_equal(vioballoon_oom(bt.b, 5), 0);
	bt_stop();
	assert_int_equal(bt_start(F_OOM | F_TELL, 10, POOL), VIRTIO_OK);
	bt_answer(0, PG_BALLOON);
	assert_int_equal(vioballoon_oom(bt.b, 5), 0);
	assert_int_equal(bt.given, 0);
	bt_stop();
}

/* Removal mid-inflate and mid-deflate: every page returns. */
static void
test_remove_in_flight(void **state)
{
	assert_int_equal(bt_start(0, 700, POOL), VIRTIO_OK);
	bt_answer(0, PG_BALLOON);
	bt_stop(); /* an inflate request was in flight */
	assert_int_equal(bt_start(0, 300, POOL), VIRTIO_OK);
	while (bt_answer(0, PG_BALLOON) > 0)
		;
	bt_set_target(0); /* deflate in flight */
	assert_true(bt_count(PG_PICKED) > 0);
	bt_stop();
}

/* A device that writes into our read-only PFN list is broken. */
static void
test_lying_device(void **state)
{
	struct vioballoon_info bi;

	assert_int_equal(bt_start(0, 300, POOL), VIRTIO_OK);
	bt.s->s_faults.sf_used_len = true;
	bt_answer(0, PG_BALLOON);
	assert_true(sim_vdev(bt.s)->vd_broken);
	vioballoon_info_get(bt.b, &bi);
	assert_int_equal(bi.vbi_pages, 0); /* never acknowledged */
	bt_set_target(10);                 /* no more work */
	sim_pop_all(bt.s, 1);
	assert_int_equal(sim_inflight(bt.s, 1), 0);
	bt_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inflate_deflate), cmocka_unit_test(test_pool_dry),
	    cmocka_unit_test(test_stats),           cmocka_unit_test(test_deflate_on_oom),
	    cmocka_unit_test(test_oom_not_allowed), cmocka_unit_test(test_remove_in_flight),
	    cmocka_unit_test(test_lying_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
