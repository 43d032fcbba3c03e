// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vq_delayed.c: vq_enable_cb_delayed (virtio/virtqueue.h)
 * for split (§2.7.10 used_event) and packed (§2.8.10 descriptor events)
 * rings against the simulated device, whose interrupt decision is the
 * spec's literal rule: the event field values at the 16-bit index wrap and
 * the packed ring's wrap, the interrupt raised exactly at the entry the
 * spec names, the race re-check, no event index; then a driver completing
 * like vioblk while the device uses buffers one by one in random order,
 * across the index wrap: every buffer is collected through interrupts
 * alone (none is stranded). Last, vioblk itself with requests served one
 * by one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/vtest.h"
#include "tests/sim/sim_blk.h"
#include "virtio/vioblk.h"

#define DELAY_MIN 4 /* the driver model's threshold, as vioblk's */

struct dq {
	struct vtest *t;
	struct sim *s;
	struct vq *vq;
	bool packed;
	unsigned added, collected, irqs;
	unsigned resubmit; /* buffers the model adds back as it collects */
	unsigned maxsegs;  /* 1..maxsegs segments per buffer */
	uint32_t rng;
};

static uint32_t
dq_rnd(struct dq *d)
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 17;
	d->rng ^= d->rng << 5;
	return d->rng;
}

static void
dq_start(struct dq *d, bool packed, uint64_t features, uint16_t qmax, uint16_t imax)
{
	struct sim_config sc;

	memset(d, 0, sizeof(*d));
	d->packed = packed;
	d->rng = 0x9e3779b9u;
	d->maxsegs = 1;
	if (packed)
		features |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	sc = vtest_config(features, qmax);
	assert_int_equal(vtest_start(&d->t, &sc, VIRTIO_F_CORE_DEFAULT, 1, 0, imax), VIRTIO_OK);
	d->s = d->t->vt_sim;
	d->vq = d->t->vt_vq[0];
	assert_non_null(d->vq);
	assert_int_equal(vq_is_packed(d->vq), packed);
}

static void
dq_stop(struct dq *d)
{
	if (sim_errors(d->s))
		fail_msg("sim saw driver errors: %s", sim_error(d->s));
	vtest_stop(d->t);
}

/* One buffer of nsegs segments: readable ones, then one writable. */
static void
dq_add(struct dq *d, unsigned nsegs)
{
	struct vq_seg sg[4];
	unsigned k;

	for (k = 0; k < nsegs; k++)
		sg[k] = vtest_seg(d->t, 16 * k, 8, k + 1 == nsegs);
	assert_int_equal(vq_add(d->vq, sg, nsegs, d), VIRTIO_OK);
	d->added++;
}

static void
dq_kick(struct dq *d)
{
	if (vq_kick_prepare(d->vq))
		vq_notify(d->vq);
}

static unsigned
dq_inflight(const struct dq *d)
{
	return d->added - d->collected;
}

/* Collect what is used; add back up to d->resubmit buffers. */
static unsigned
dq_collect(struct dq *d)
{
	unsigned n = 0;
	uint32_t len;
	void *tok;

	while (vq_get(d->vq, &tok, &len) == VIRTIO_OK) {
		assert_ptr_equal(tok, d);
		d->collected++;
		n++;
		if (d->resubmit) {
			d->resubmit--;
			dq_add(d, 1 + dq_rnd(d) % d->maxsegs);
		}
	}
	assert_false(vq_is_broken(d->vq));
	return n;
}

/* The driver's interrupt, as vioblk completes: off, collect, re-arm. */
static void
dq_intr(struct dq *d)
{
	bool armed;

	d->irqs++;
	vq_disable_cb(d->vq);
	do {
		dq_collect(d);
		armed =
		    dq_inflight(d) >= DELAY_MIN ? vq_enable_cb_delayed(d->vq) : vq_enable_cb(d->vq);
	} while (!armed);
	dq_kick(d);
}

/* The device uses in-flight buffer i; an interrupt runs dq_intr. */
static bool
dq_use(struct dq *d, unsigned i)
{
	sim_use(d->s, 0, i, 8);
	if (!sim_interrupt(d->s, 0))
		return false;
	dq_intr(d);
	return true;
}

/* n buffers through the ring, one at a time (moves every index). */
static void
dq_advance(struct dq *d, unsigned n)
{
	while (n--) {
		dq_add(d, 1);
		dq_kick(d);
		assert_int_equal(sim_pop_all(d->s, 0), 1);
		sim_use(d->s, 0, 0, 8);
		sim_interrupt(d->s, 0);
		assert_int_equal(dq_collect(d), 1);
	}
}

/* Add n buffers of nsegs, kick, and let the device take them all. */
static void
dq_fill(struct dq *d, unsigned n, unsigned nsegs)
{
	unsigned k;

	for (k = 0; k < n; k++)
		dq_add(d, nsegs);
	dq_kick(d);
	assert_int_equal(sim_pop_all(d->s, 0), n);
}

/*
 * Use the buffers in flight one at a time (first taken first, or at
 * random); return the 1-based use that interrupted first (0: none).
 */
static unsigned
dq_first_irq(struct dq *d, bool random)
{
	unsigned k = 0, n;

	while ((n = sim_inflight(d->s, 0)) > 0) {
		k++;
		sim_use(d->s, 0, random ? dq_rnd(d) % n : 0, 8);
		if (sim_interrupt(d->s, 0))
			return k;
	}
	return 0;
}

/* Split: used_event = last_used + 3/4 in flight, across 65535 -> 0. */
static void
test_split_event_at_wrap(void **state)
{
	struct dq d;
	bool noint;

	dq_start(&d, false, VTEST_FEATURES, 64, 0);
	dq_advance(&d, 65530);
	dq_fill(&d, 32, 1);
	vq_disable_cb(d.vq);
	assert_true(vq_enable_cb_delayed(d.vq));
	/* 65530 + 32 * 3 / 4 = 65554 = 18 (mod 2^16) */
	assert_int_equal(sim_used_event(d.s, 0, &noint), 18);
	assert_false(noint);
	/* Entries go at 65530, 65531, ...: the one at 18 is the 25th. */
	assert_int_equal(dq_first_irq(&d, false), 25);
	assert_int_equal(dq_collect(&d), 25);
	/* 7 left: 65555 + 7 * 3 / 4 = 65560 = 24, the 6th of them. */
	assert_true(vq_enable_cb_delayed(d.vq));
	assert_int_equal(sim_used_event(d.s, 0, &noint), 24);
	assert_int_equal(dq_first_irq(&d, true), 6);
	assert_int_equal(dq_collect(&d), 6);
	/* One left: the event is the next entry, like vq_enable_cb. */
	assert_true(vq_enable_cb_delayed(d.vq));
	assert_int_equal(sim_used_event(d.s, 0, &noint), 25);
	assert_int_equal(dq_first_irq(&d, false), 1);
	assert_int_equal(dq_collect(&d), 1);
	/* Nothing in flight: also the next entry. */
	assert_true(vq_enable_cb_delayed(d.vq));
	assert_int_equal(sim_used_event(d.s, 0, &noint), 26);
	dq_stop(&d);
}

/* Packed: the event 3/4 of the descriptors ahead, wrap counter flipped. */
static void
test_packed_event_at_wrap(void **state)
{
	struct dq d;
	uint16_t flags, off;
	bool w;

	dq_start(&d, true, VTEST_FEATURES, 64, 0);
	dq_advance(&d, 60); /* next used: position 60, wrap 1 */
	dq_fill(&d, 32, 1);
	vq_disable_cb(d.vq);
	sim_driver_event(d.s, 0, &flags, &off, &w);
	assert_int_equal(flags, 1); /* RING_EVENT_FLAGS_DISABLE */
	assert_true(vq_enable_cb_delayed(d.vq));
	/* 60 + 24 = 84: position 20 in the next lap (wrap counter 0). */
	sim_driver_event(d.s, 0, &flags, &off, &w);
	assert_int_equal(flags, 2); /* RING_EVENT_FLAGS_DESC */
	assert_int_equal(off, 20);
	assert_false(w);
	/* Used at 60..63, then 0..20: position 20 is the 25th. */
	assert_int_equal(dq_first_irq(&d, true), 25);
	assert_int_equal(dq_collect(&d), 25);
	/* 7 left from 21 (wrap 0): 21 + 5 = 26. */
	assert_true(vq_enable_cb_delayed(d.vq));
	sim_driver_event(d.s, 0, &flags, &off, &w);
	assert_int_equal(off, 26);
	assert_false(w);
	assert_int_equal(dq_first_irq(&d, false), 6);
	assert_int_equal(dq_collect(&d), 6);
	dq_stop(&d);
}

/*
 * Packed chains of 3 descriptors (no indirect): the event counts ring
 * positions, and the device passes it with the chain that covers it,
 * in whatever order it uses the buffers.
 */
static void
test_packed_chains(void **state)
{
	struct dq d;
	uint16_t flags, off;
	bool w;
	unsigned round;

	dq_start(&d, true, VTEST_FEATURES, 64, 0);
	for (round = 0; round < 40; round++) {
		unsigned start;

		sim_driver_event(d.s, 0, &flags, &off, &w);
		dq_fill(&d, 10, 3);
		start = d.s->s_q[0].sq_used_pos;
		vq_disable_cb(d.vq);
		assert_true(vq_enable_cb_delayed(d.vq));
		sim_driver_event(d.s, 0, &flags, &off, &w);
		/* 30 descriptors in flight: 22 ahead. */
		assert_int_equal(off, (start + 22) % 64);
		/* Positions start, +3, ... +21 (8th use covers +21..+23). */
		assert_int_equal(dq_first_irq(&d, true), 8);
		assert_int_equal(dq_collect(&d), 8);
		assert_true(vq_enable_cb(d.vq));
		assert_int_equal(dq_first_irq(&d, true), 1);
		assert_int_equal(dq_collect(&d), 1);
		/* vq_get re-armed the event at the next entry. */
		assert_int_equal(dq_first_irq(&d, true), 1);
		assert_int_equal(dq_collect(&d), 1);
		assert_int_equal(dq_inflight(&d), 0);
	}
	dq_stop(&d);
}

/* Completions already pending: false, like vq_enable_cb; both kinds. */
static void
test_race_recheck(void **state)
{
	struct dq d;
	unsigned k;

	for (k = 0; k < 2; k++) {
		dq_start(&d, k == 1, VTEST_FEATURES, 16, 0);
		dq_fill(&d, 8, 1);
		vq_disable_cb(d.vq);
		sim_use(d.s, 0, 0, 8);
		assert_false(sim_interrupt(d.s, 0)); /* off */
		assert_false(vq_enable_cb_delayed(d.vq));
		assert_int_equal(dq_collect(&d), 1);
		assert_true(vq_enable_cb_delayed(d.vq));
		/* 7 in flight: 5 ahead, the 6th use interrupts. */
		assert_int_equal(dq_first_irq(&d, true), 6);
		assert_int_equal(dq_collect(&d), 6);
		dq_stop(&d);
	}
}

/* Without event index it is vq_enable_cb: the next use interrupts. */
static void
test_no_event_idx(void **state)
{
	uint64_t f = VTEST_FEATURES & ~VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX);
	struct dq d;
	uint16_t flags, off;
	bool w, noint;
	unsigned k;

	for (k = 0; k < 2; k++) {
		dq_start(&d, k == 1, f, 16, 0);
		assert_false(vq_has_event_idx(d.vq));
		dq_fill(&d, 8, 1);
		vq_disable_cb(d.vq);
		if (k == 0) {
			sim_used_event(d.s, 0, &noint);
			assert_true(noint);
		}
		assert_true(vq_enable_cb_delayed(d.vq));
		if (k == 0) {
			sim_used_event(d.s, 0, &noint);
			assert_false(noint);
		} else {
			sim_driver_event(d.s, 0, &flags, &off, &w);
			assert_int_equal(flags, 0); /* ENABLE */
		}
		assert_int_equal(dq_first_irq(&d, true), 1);
		assert_int_equal(dq_collect(&d), 1);
		dq_stop(&d);
	}
}

/*
 * The device uses buffers one by one at random while the driver keeps
 * qd in flight, then stops adding: every buffer must be collected through
 * interrupts alone, the last one included, across the 16-bit wrap.
 */
static void
stress(bool packed, uint16_t imax, unsigned maxsegs, unsigned qd, unsigned total)
{
	struct dq d;
	unsigned n;

	dq_start(&d, packed, VTEST_FEATURES, 128, imax);
	d.maxsegs = maxsegs;
	d.resubmit = total - qd;
	while (d.added < qd)
		dq_add(&d, 1 + dq_rnd(&d) % maxsegs);
	dq_kick(&d);
	assert_true(vq_enable_cb(d.vq));
	for (;;) {
		sim_pop_all(d.s, 0);
		n = sim_inflight(d.s, 0);
		if (n == 0)
			break;
		dq_use(&d, dq_rnd(&d) % n);
	}
	/* The device is idle: nothing may wait for an interrupt. */
	assert_int_equal(d.added, total);
	assert_int_equal(d.collected, total);
	print_message("# %s qd %u: %u buffers, %u interrupts\n", packed ? "packed" : "split", qd,
	              total, d.irqs);
	if (qd >= 16)
		assert_true(d.irqs * 8 < total); /* batched */
	dq_stop(&d);
}

static void
test_stress_split(void **state)
{
	stress(false, 8, 3, 32, 70000);
	stress(false, 0, 3, 20, 20000);
	stress(false, 8, 1, 5, 5000);
}

static void
test_stress_packed(void **state)
{
	stress(true, 8, 3, 32, 70000);
	stress(true, 0, 3, 20, 20000);
	stress(true, 8, 1, 5, 5000);
}

/* ---- vioblk: requests served one at a time ---------------------------- */

struct bx {
	struct sim_blk *sb;
	struct vioblk *sc;
	struct virtio_dma buf;
	unsigned done, errors, resubmit;
	struct vioblk_buf bufs[64];
	struct vioblk_req reqs[64];
};

static struct bx *bx_cur;

static void
bx_attach(struct vioblk *sc)
{
	bx_cur->sc = sc;
}

static const struct vioblk_hooks bx_hooks = {.vh_attach = bx_attach};

static void
bx_done(struct vioblk_req *r)
{
	struct bx *b = r->vr_token;

	b->done++;
	if (r->vr_error)
		b->errors++;
	if (b->resubmit) {
		b->resubmit--;
		assert_int_equal(vioblk_submit(b->sc, r), VIRTIO_OK);
	}
}

static void
bx_run(bool packed, unsigned n, unsigned resubmit, bool reverse)
{
	uint64_t f = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) |
	             VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | VIRTIO_BIT(VIOBLK_F_SEG_MAX);
	struct bx *b = calloc(1, sizeof(*b));
	struct vq_stats st;
	unsigned i, total = n + resubmit;

	bx_cur = b;
	if (packed)
		f |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	b->sb = sim_blk_create(f, 64, 1024, false);
	sim_blk_cfg32(b->sb, VIOBLK_CFG_SEG_MAX, 8);
	assert_int_equal(virtio_dma_alloc(64 * 4096, 4096, &b->buf), VIRTIO_OK);
	assert_int_equal(vioblk_driver_register(&bx_hooks), VIRTIO_OK);
	assert_int_equal(virtio_device_add(sim_blk_vdev(b->sb)), VIRTIO_OK);
	assert_non_null(b->sc);
	sim_blk_serve(b->sb, 0, false); /* GET_ID */
	b->resubmit = resubmit;
	for (i = 0; i < n; i++) {
		b->bufs[i] = (struct vioblk_buf){b->buf.vd_dev + 4096 * i, 4096};
		b->reqs[i] = (struct vioblk_req){.vr_op = VIOBLK_OP_READ,
		                                 .vr_sector = 8 * i,
		                                 .vr_count = 8,
		                                 .vr_bufs = &b->bufs[i],
		                                 .vr_nbufs = 1,
		                                 .vr_done = bx_done,
		                                 .vr_token = b};
		assert_int_equal(vioblk_submit(b->sc, &b->reqs[i]), VIRTIO_OK);
	}
	/* One request per step: each completes only by its interrupt. */
	while (sim_blk_pending(b->sb) > 0)
		assert_int_equal(sim_blk_serve(b->sb, 1, reverse), 1);
	assert_int_equal(b->done, total);
	assert_int_equal(b->errors, 0);
	vq_stats_get(b->sc->sc_vq, &st);
	assert_int_equal(st.vqs_completions, total + 1); /* + GET_ID */
	if (n >= 16)
		assert_true(st.vqs_interrupts * 4 < total);
	assert_int_equal(sim_errors(b->sb->sb_sim), 0);
	virtio_device_remove(sim_blk_vdev(b->sb));
	virtio_driver_unregister(&vioblk_driver);
	virtio_dma_free(&b->buf);
	sim_blk_destroy(b->sb);
	assert_int_equal(host_dma_live(), 0);
	free(b);
	bx_cur = NULL;
}

static void
test_vioblk_one_by_one(void **state)
{
	unsigned k;

	for (k = 0; k < 2; k++) {
		bx_run(k == 1, 32, 0, false);
		bx_run(k == 1, 32, 0, true);
		bx_run(k == 1, 32, 3000, false);
		bx_run(k == 1, 5, 0, true);
		bx_run(k == 1, 2, 100, false);
		bx_run(k == 1, 1, 10, false);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_event_at_wrap), cmocka_unit_test(test_packed_event_at_wrap),
	    cmocka_unit_test(test_packed_chains),       cmocka_unit_test(test_race_recheck),
	    cmocka_unit_test(test_no_event_idx),        cmocka_unit_test(test_stress_split),
	    cmocka_unit_test(test_stress_packed),       cmocka_unit_test(test_vioblk_one_by_one),
	};

	return cmocka_run_group_tests_name("vq_delayed", tests, NULL, NULL);
}
