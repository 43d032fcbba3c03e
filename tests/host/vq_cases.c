// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/vq_cases.c: virtqueue behaviour against the simulated device,
 * for split and packed rings alike: data both ways, 16-bit index and wrap
 * counter wrap-around over more than 65536 buffers, indirect tables,
 * notification and interrupt suppression checked against the spec's literal
 * rule (the sim's), out-of-order completion, a full ring, reset and
 * re-initialisation, sizes up to 1024.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/vtest.h"
#include "tests/host/vq_cases.h"

struct vqc {
	struct vtest *t;
	struct sim *s;
	struct vq *vq;
	bool packed;
	uint32_t rng;
};

/* One request of the stress loops: its own 4 KiB of the buffer. */
struct rec {
	unsigned r_slot;
	unsigned r_seq;
	unsigned r_nsegs;
	uint32_t r_wlen;
	bool r_inflight;
};

#define REC_AREA 1024 /* bytes of buffer per request */
#define REC_SEED1                                                                                  \
	0xa5 /* pattern seed of 1-segment requests, which                                          \
	      * carry no readable sequence number */

static uint32_t
rnd(struct vqc *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 17;
	c->rng ^= c->rng << 5;
	return c->rng;
}

static void
vqc_start_n(struct vqc *c, void **state, uint64_t features, uint16_t qmax, uint16_t qsize,
            uint16_t imax, unsigned nq)
{
	struct sim_config sc;

	memset(c, 0, sizeof(*c));
	c->packed = *(bool *)*state;
	c->rng = 0x1234567;
	if (c->packed)
		features |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	sc = vtest_config(features, qmax);
	sc.sc_nqueues = nq;
	assert_int_equal(vtest_start(&c->t, &sc, VIRTIO_F_CORE_DEFAULT, nq, qsize, imax),
	                 VIRTIO_OK);
	c->s = c->t->vt_sim;
	c->vq = c->t->vt_vq[0];
	assert_non_null(c->vq);
	assert_int_equal(vq_is_packed(c->vq), c->packed);
}

static void
vqc_start(struct vqc *c, void **state, uint64_t features, uint16_t qmax, uint16_t qsize,
          uint16_t imax)
{
	vqc_start_n(c, state, features, qmax, qsize, imax, 1);
}

static void
vqc_stop(struct vqc *c)
{
	if (sim_errors(c->s))
		fail_msg("sim saw driver errors: %s", sim_error(c->s));
	vtest_stop(c->t);
}

void
vqcase_basic(void **state)
{
	struct vqc c;
	struct sim_buf *b;
	struct vq_stats st;
	struct vq_seg sg[2];
	void *tok;
	uint32_t len;
	unsigned i;

	vqc_start(&c, state, VTEST_FEATURES, 256, 0, 0);
	assert_int_equal(vq_size(c.vq), 256);
	memcpy(vtest_cpu(c.t, 0), "hello", 6);
	sg[0] = vtest_seg(c.t, 0, 6, false);
	sg[1] = vtest_seg(c.t, 100, 64, true);
	assert_int_equal(vq_add(c.vq, sg, 2, &c), VIRTIO_OK);
	assert_int_equal(vq_num_free(c.vq), 254);
	assert_true(vq_kick_prepare(c.vq));
	assert_true(sim_notify_due(c.s, 0));
	vq_notify(c.vq);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_EAGAIN);
	assert_int_equal(sim_pop_all(c.s, 0), 1);
	b = sim_buf(c.s, 0, 0);
	assert_int_equal(b->sb_nsegs, 2);
	assert_string_equal((char *)b->sb_seg[0].ss_p, "hello");
	assert_false(b->sb_seg[0].ss_write);
	assert_true(b->sb_seg[1].ss_write);
	assert_int_equal(b->sb_seg[1].ss_len, 64);
	sim_fill(c.s, 0, 0, 7);
	assert_true(sim_interrupt(c.s, 0));
	assert_int_equal(c.t->vt_cbs, 1);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, &c);
	assert_int_equal(len, 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(vtest_cpu(c.t, 100)[i], (uint8_t)(7 + i));
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_EAGAIN);
	assert_int_equal(vq_num_free(c.vq), 256);
	vq_stats_get(c.vq, &st);
	assert_int_equal(st.vqs_added, 1);
	assert_int_equal(st.vqs_kicks, 1);
	assert_int_equal(st.vqs_interrupts, 1);
	assert_int_equal(st.vqs_completions, 1);
	assert_int_equal(c.s->s_q[0].sq_notifies, 1);
	vqc_stop(&c);
}

/* Collect exactly one buffer; return its length. */
static uint32_t
vqc_get_len(struct vqc *c)
{
	void *tok;
	uint32_t len = 0;

	assert_int_equal(vq_get(c->vq, &tok, &len), VIRTIO_OK);
	assert_non_null(tok);
	return len;
}

/* The device uses everything (length 0); the driver collects it all. */
static unsigned
vqc_drain(struct vqc *c)
{
	unsigned n = 0;
	void *tok;
	uint32_t len;

	sim_pop_all(c->s, 0);
	while (sim_inflight(c->s, 0))
		sim_use(c->s, 0, 0, 0);
	while (vq_get(c->vq, &tok, &len) == VIRTIO_OK)
		n++;
	assert_int_equal(sim_inflight(c->s, 0), 0);
	return n;
}

/* Add n simple buffers, then: does the driver want to notify? */
static bool
vqc_add_n_kick(struct vqc *c, unsigned n)
{
	bool kick;

	while (n--)
		assert_int_equal(
		    vq_add(c->vq, &(struct vq_seg){c->t->vt_buf.vd_dev, 8, true}, 1, c), VIRTIO_OK);
	kick = vq_kick_prepare(c->vq);
	assert_int_equal(kick, sim_notify_due(c->s, 0));
	if (kick)
		vq_notify(c->vq);
	return kick;
}

/* Device event suppression near where the driver is about to add. */
static void
vqc_random_device_event(struct vqc *c)
{
	struct sim_queue *q = &c->s->s_q[0];
	uint32_t r = rnd(c);
	uint16_t d = (uint16_t)(r % 5), off;
	bool w;

	if (!q->sq_packed) {
		if (r % 11 == 0)
			sim_set_avail_event(c->s, 0, (uint16_t)(r >> 8));
		else
			sim_set_avail_event(c->s, 0, (uint16_t)(q->sq_audit_avail + d - 1));
		return;
	}
	if (r % 13 == 0) {
		sim_set_packed_event(c->s, 0, r % 2 ? 0 : 1, 0, false);
		return;
	}
	off = (uint16_t)((q->sq_audit_avail + d) % q->sq_size);
	w = q->sq_audit_wrap ^ (off < q->sq_audit_avail) ^ (r % 7 == 0);
	sim_set_packed_event(c->s, 0, 2, off, w);
}

/* Add one request with nsegs segments (last writable); false if full. */
static bool
vqc_add_rec(struct vqc *c, struct rec *r, unsigned nsegs, unsigned seq)
{
	struct vq_seg sg[8];
	unsigned k, need = nsegs;
	size_t base = (size_t)r->r_slot * REC_AREA;

	if (vq_has_indirect(c->vq) && nsegs > 1)
		need = 1;
	if (vq_num_free(c->vq) < need)
		return false;
	r->r_seq = seq;
	r->r_nsegs = nsegs;
	r->r_wlen = 1 + seq % 300;
	memcpy(vtest_cpu(c->t, base), &r->r_seq, sizeof(r->r_seq));
	for (k = 0; k + 1 < nsegs; k++)
		sg[k] = vtest_seg(c->t, base + 16 * k, 16, false);
	sg[k] = vtest_seg(c->t, base + 512, r->r_wlen, true);
	assert_int_equal(vq_add(c->vq, sg, nsegs, r), VIRTIO_OK);
	r->r_inflight = true;
	return true;
}

/* The device takes everything, uses some in random order. */
static unsigned
vqc_device_round(struct vqc *c)
{
	unsigned n, k, i, used = 0;
	unsigned seq;
	struct sim_buf *b;

	sim_pop_all(c->s, 0);
	n = sim_inflight(c->s, 0);
	if (n == 0)
		return 0;
	k = 1 + rnd(c) % n;
	while (k--) {
		i = rnd(c) % sim_inflight(c->s, 0);
		b = sim_buf(c->s, 0, i);
		if (b->sb_seg[0].ss_write)
			seq = REC_SEED1;
		else
			memcpy(&seq, b->sb_seg[0].ss_p, sizeof(seq));
		sim_fill(c->s, 0, i, (uint8_t)seq);
		used++;
	}
	return used;
}

/* The driver collects; every token, length and byte is checked. */
static unsigned
vqc_collect(struct vqc *c)
{
	unsigned n = 0, k, seed;
	uint8_t *p;
	struct rec *r;
	uint32_t len;
	void *tok;
	int err;

	while ((err = vq_get(c->vq, &tok, &len)) == VIRTIO_OK) {
		r = tok;
		assert_true(r->r_inflight);
		assert_int_equal(len, r->r_wlen);
		seed = r->r_nsegs == 1 ? REC_SEED1 : r->r_seq;
		p = vtest_cpu(c->t, r->r_slot * REC_AREA + 512);
		for (k = 0; k < len; k++)
			if (p[k] != (uint8_t)(seed + k))
				fail_msg("request %u byte %u: %#x", r->r_seq, k, p[k]);
		r->r_inflight = false;
		n++;
	}
	assert_int_equal(err, VIRTIO_EAGAIN);
	return n;
}

static struct rec *
vqc_free_rec(struct rec *recs, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!recs[i].r_inflight)
			return &recs[i];
	return NULL;
}

/* Add a batch: at most size buffers of 1..maxsegs segments. */
static void
vqc_add_batch(struct vqc *c, struct rec *recs, unsigned nrec, unsigned maxsegs, unsigned *seq)
{
	unsigned batch = 1 + rnd(c) % vq_size(c->vq);
	struct rec *r;

	while (batch--) {
		r = vqc_free_rec(recs, nrec);
		if (!r || !vqc_add_rec(c, r, 1 + rnd(c) % maxsegs, *seq))
			break;
		(*seq)++;
	}
}

/*
 * nops completions with random batches, chains, event positions and
 * completion order. Every kick decision must equal the sim's literal one;
 * every round that used buffers with interrupts armed must interrupt.
 */
static void
vqc_stress(struct vqc *c, unsigned nops, unsigned maxsegs)
{
	unsigned nrec = vq_size(c->vq), done = 0, seq = 0, used, i;
	struct rec *recs = calloc(nrec, sizeof(*recs));
	struct vq_stats st, st0;
	unsigned cbs0;

	assert_non_null(recs);
	assert_true(nrec * REC_AREA <= c->t->vt_buf.vd_size);
	for (i = 0; i < nrec; i++)
		recs[i].r_slot = i;
	/* Start the audits (driver's batch, sim's, interrupts) from here. */
	vq_kick_prepare(c->vq);
	sim_notify_due(c->s, 0);
	sim_interrupt(c->s, 0);
	vq_stats_get(c->vq, &st0);
	cbs0 = c->t->vt_cbs;
	while (done < nops) {
		vqc_add_batch(c, recs, nrec, maxsegs, &seq);
		vqc_random_device_event(c);
		assert_int_equal(vq_kick_prepare(c->vq), sim_notify_due(c->s, 0));
		used = vqc_device_round(c);
		if (sim_errors(c->s))
			fail_msg("sim: %s", sim_error(c->s));
		assert_int_equal(sim_interrupt(c->s, 0), used > 0);
		done += vqc_collect(c);
	}
	while (sim_pop_all(c->s, 0), sim_inflight(c->s, 0)) {
		vqc_device_round(c);
		done += vqc_collect(c);
	}
	assert_int_equal(vq_num_free(c->vq), vq_size(c->vq));
	vq_stats_get(c->vq, &st);
	assert_int_equal(st.vqs_added - st0.vqs_added, seq);
	assert_int_equal(st.vqs_completions - st0.vqs_completions, seq);
	assert_int_equal(st.vqs_interrupts - st0.vqs_interrupts, c->t->vt_cbs - cbs0);
	free(recs);
}

void
vqcase_wrap_small(void **state)
{
	struct vqc c;

	/* Small ring, no indirect: chains cross the end of the ring. */
	vqc_start(&c, state, VTEST_FEATURES, 8, 0, 0);
	vqc_stress(&c, 140000, 3);
	if (!c.packed)
		assert_true(c.s->s_q[0].sq_last_avail < 20000); /* wrapped */
	vqc_stop(&c);
}

void
vqcase_wrap_1024(void **state)
{
	struct vqc c;

	vqc_start(&c, state, VTEST_FEATURES, 1024, 1024, 8);
	assert_int_equal(vq_size(c.vq), 1024);
	vqc_stress(&c, 70000, 6);
	vqc_stop(&c);
}

void
vqcase_indirect(void **state)
{
	struct vqc c;
	struct vq_seg sg[10];
	struct sim_buf *b;
	void *tok;
	uint32_t len;
	unsigned k;

	vqc_start(&c, state, VTEST_FEATURES, 16, 0, 8);
	assert_true(vq_has_indirect(c.vq));
	for (k = 0; k < 10; k++)
		sg[k] = vtest_seg(c.t, 64 * k, 32, k >= 3);
	/* 5 segments: one ring descriptor pointing at a table. */
	assert_int_equal(vq_add(c.vq, sg, 5, &sg[0]), VIRTIO_OK);
	assert_int_equal(vq_num_free(c.vq), 15);
	/* 10 > 8 per table: a plain chain. */
	assert_int_equal(vq_add(c.vq, sg, 10, &sg[1]), VIRTIO_OK);
	assert_int_equal(vq_num_free(c.vq), 5);
	/* 1 segment: never indirect. */
	assert_int_equal(vq_add(c.vq, &sg[3], 1, &sg[2]), VIRTIO_OK);
	assert_int_equal(vq_num_free(c.vq), 4);
	vq_kick(c.vq);
	assert_int_equal(sim_pop_all(c.s, 0), 3);
	b = sim_buf(c.s, 0, 0);
	assert_true(b->sb_indirect);
	assert_int_equal(b->sb_nsegs, 5);
	assert_int_equal(b->sb_wlen, 64);
	for (k = 0; k < 5; k++)
		assert_int_equal(b->sb_seg[k].ss_dev, sg[k].vs_addr);
	assert_false(sim_buf(c.s, 0, 1)->sb_indirect);
	assert_int_equal(sim_buf(c.s, 0, 1)->sb_nsegs, 10);
	assert_int_equal(sim_buf(c.s, 0, 1)->sb_ndesc, 10);
	assert_false(sim_buf(c.s, 0, 2)->sb_indirect);
	sim_fill(c.s, 0, 1, 1); /* out of order: chain first */
	sim_fill(c.s, 0, 0, 2);
	sim_fill(c.s, 0, 0, 3);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, &sg[1]);
	assert_int_equal(len, 7 * 32);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, &sg[0]);
	assert_int_equal(len, 64);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, &sg[2]);
	assert_int_equal(len, 32);
	assert_int_equal(vq_num_free(c.vq), 16);
	vqc_stress(&c, 20000, 8);
	vqc_stop(&c);
}

void
vqcase_no_indirect_feature(void **state)
{
	struct vqc c;
	struct vq_seg sg[3];
	unsigned k;

	/* The driver asks for tables, the device does not offer them. */
	vqc_start(&c, state, VIRTIO_BIT(VIRTIO_F_VERSION_1), 8, 0, 8);
	assert_false(vq_has_indirect(c.vq));
	assert_false(vq_has_event_idx(c.vq));
	for (k = 0; k < 3; k++)
		sg[k] = vtest_seg(c.t, 64 * k, 32, k == 2);
	assert_int_equal(vq_add(c.vq, sg, 3, &c), VIRTIO_OK);
	assert_int_equal(vq_num_free(c.vq), 5);
	vq_kick(c.vq);
	sim_pop_all(c.s, 0);
	assert_false(sim_buf(c.s, 0, 0)->sb_indirect);
	sim_fill(c.s, 0, 0, 0);
	assert_int_equal(vqc_get_len(&c), 32);
	vqc_stop(&c);
}

/* Move the split indices to idx (one buffer at a time). */
static void
vqc_advance(struct vqc *c, unsigned n)
{
	while (n--) {
		vqc_add_n_kick(c, 1);
		assert_int_equal(vqc_drain(c), 1);
		sim_interrupt(c->s, 0);
	}
}

void
vqcase_event_at_wrap(void **state)
{
	struct vqc c;

	vqc_start(&c, state, VTEST_FEATURES, (*(bool *)*state ? 6 : 8), 0, 0);
	if (!c.packed) {
		sim_set_avail_event(c.s, 0, 0x8000);
		vqc_advance(&c, 65534);
		assert_int_equal(c.s->s_q[0].sq_last_avail, 65534);
		sim_set_avail_event(c.s, 0, 65535);
		assert_true(vqc_add_n_kick(&c, 3)); /* 65534, 65535, 0 */
		vqc_drain(&c);
		sim_set_avail_event(c.s, 0, 0);
		assert_false(vqc_add_n_kick(&c, 2)); /* 1, 2 */
		sim_set_avail_event(c.s, 0, 4);
		assert_false(vqc_add_n_kick(&c, 1)); /* 3 */
		assert_true(vqc_add_n_kick(&c, 1));  /* 4 */
		vqc_drain(&c);
		sim_set_avail_event(c.s, 0, 65535);
		assert_false(vqc_add_n_kick(&c, 1)); /* 5 */
		vqc_stop(&c);
		return;
	}
	/* Packed, 6 entries (not a power of 2), wrap counter starts at 1. */
	sim_set_packed_event(c.s, 0, 2, 0, true);
	assert_true(vqc_add_n_kick(&c, 1)); /* pos 0 */
	sim_set_packed_event(c.s, 0, 2, 2, true);
	assert_false(vqc_add_n_kick(&c, 1));       /* pos 1 */
	assert_true(vqc_add_n_kick(&c, 1));        /* pos 2 */
	sim_set_packed_event(c.s, 0, 2, 3, false); /* next lap */
	assert_false(vqc_add_n_kick(&c, 1));       /* pos 3 */
	vqc_drain(&c);
	sim_set_packed_event(c.s, 0, 2, 0, false);
	assert_false(vqc_add_n_kick(&c, 1)); /* pos 4 */
	assert_true(vqc_add_n_kick(&c, 2));  /* pos 5, 0 (wrapped) */
	vqc_drain(&c);
	sim_set_packed_event(c.s, 0, 2, 5, true);  /* previous lap */
	assert_false(vqc_add_n_kick(&c, 1));       /* pos 1 */
	sim_set_packed_event(c.s, 0, 0, 0, false); /* ENABLE */
	assert_true(vqc_add_n_kick(&c, 1));
	sim_set_packed_event(c.s, 0, 1, 0, false); /* DISABLE */
	assert_false(vqc_add_n_kick(&c, 1));
	vqc_drain(&c);
	/* Many laps of the wrap counter, random events. */
	vqc_stress(&c, 30000, 2);
	vqc_stop(&c);
}

/* The device uses n buffers it already took (length 0). */
static void
vqc_use(struct vqc *c, unsigned n)
{
	sim_pop_all(c->s, 0);
	while (n--)
		sim_use(c->s, 0, 0, 0);
}

static unsigned
vqc_collect_all(struct vqc *c)
{
	unsigned n = 0;
	void *tok;
	uint32_t len;

	while (vq_get(c->vq, &tok, &len) == VIRTIO_OK)
		n++;
	return n;
}

void
vqcase_interrupt_at_wrap(void **state)
{
	struct vqc c;

	vqc_start(&c, state, VTEST_FEATURES, (*(bool *)*state ? 6 : 8), 0, 0);
	if (!c.packed)
		vqc_advance(&c, 65533);
	else
		vqc_advance(&c, 4);
	/* Off: used entries past the wrap must not interrupt. */
	vq_disable_cb(c.vq);
	vqc_add_n_kick(&c, 3);
	vqc_use(&c, 3); /* split: 65533..65535; packed: 4, 5, 0 */
	assert_false(sim_interrupt(c.s, 0));
	assert_false(vq_enable_cb(c.vq)); /* 3 were used meanwhile */
	assert_int_equal(vqc_collect_all(&c), 3);
	assert_true(vq_enable_cb(c.vq));
	/* On: the next used entry (at index 0 / position 1) interrupts. */
	vqc_add_n_kick(&c, 2);
	vqc_use(&c, 2);
	assert_true(sim_interrupt(c.s, 0));
	assert_int_equal(vqc_collect_all(&c), 2);
	/* vq_get re-armed the event at the next entry. */
	vqc_add_n_kick(&c, 1);
	vqc_use(&c, 1);
	assert_true(sim_interrupt(c.s, 0));
	assert_int_equal(vqc_collect_all(&c), 1);
	/* Used again without collecting: no second interrupt yet. */
	vqc_add_n_kick(&c, 2);
	vqc_use(&c, 1);
	assert_true(sim_interrupt(c.s, 0));
	vqc_use(&c, 1);
	assert_false(sim_interrupt(c.s, 0));
	assert_int_equal(vqc_collect_all(&c), 2);
	vqc_stop(&c);
}

void
vqcase_out_of_order(void **state)
{
	struct vqc c;
	struct rec recs[16];
	unsigned i, seq = 0;
	void *tok;
	uint32_t len;

	vqc_start(&c, state, VTEST_FEATURES, 16, 0, 0);
	memset(recs, 0, sizeof(recs));
	for (i = 0; i < 6; i++) {
		recs[i].r_slot = i;
		/* chains of 1, 2, 3 descriptors: packed skips differ */
		assert_true(vqc_add_rec(&c, &recs[i], 1 + i % 3, seq++));
	}
	assert_int_equal(vq_num_free(c.vq), 16 - 12);
	vq_kick(c.vq);
	assert_int_equal(sim_pop_all(c.s, 0), 6);
	/* Use them last first. */
	for (i = 6; i-- > 0;)
		sim_fill(c.s, 0, i, (uint8_t)recs[i].r_seq);
	for (i = 6; i-- > 0;) {
		assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_OK);
		assert_ptr_equal(tok, &recs[i]);
		assert_int_equal(len, recs[i].r_wlen);
		recs[i].r_inflight = false;
	}
	assert_int_equal(vq_num_free(c.vq), 16);
	/* Random order from here on, reusing the freed descriptors. */
	vqc_stress(&c, 5000, 3);
	vqc_stop(&c);
}

void
vqcase_full(void **state)
{
	struct vqc c;
	struct vq_seg sg[5];
	struct vq_stats st;
	unsigned n = 0, k;

	vqc_start(&c, state, VTEST_FEATURES, 8, 0, 5);
	for (k = 0; k < 5; k++)
		sg[k] = vtest_seg(c.t, 64 * k, 32, k == 4);
	while (vq_add(c.vq, &sg[4], 1, &c) == VIRTIO_OK)
		n++;
	assert_int_equal(n, 8);
	assert_int_equal(vq_num_free(c.vq), 0);
	assert_int_equal(vq_add(c.vq, &sg[4], 1, &c), VIRTIO_ENOSPC);
	assert_int_equal(vq_add(c.vq, sg, 5, &c), VIRTIO_ENOSPC);
	vq_stats_get(c.vq, &st);
	assert_int_equal(st.vqs_added, 8);
	vq_kick(c.vq);
	assert_int_equal(sim_pop_all(c.s, 0), 8);
	sim_use(c.s, 0, 3, 32);
	assert_int_equal(vqc_get_len(&c), 32);
	assert_int_equal(vq_num_free(c.vq), 1);
	/* One free descriptor: an indirect buffer fits, a chain does not. */
	assert_int_equal(vq_add(c.vq, sg, 5, &c), VIRTIO_OK);
	assert_int_equal(vq_add(c.vq, &sg[4], 1, &c), VIRTIO_ENOSPC);
	vq_kick(c.vq);
	assert_int_equal(vqc_drain(&c), 8);
	assert_int_equal(vq_num_free(c.vq), 8);
	vqc_stop(&c);
}

void
vqcase_bad_args(void **state)
{
	struct vqc c;
	struct vq_seg sg[9];
	unsigned k;

	vqc_start(&c, state, VTEST_FEATURES, 8, 0, 0);
	for (k = 0; k < 9; k++)
		sg[k] = vtest_seg(c.t, 64 * k, 32, k >= 1);
	assert_int_equal(vq_add(c.vq, sg, 0, &c), VIRTIO_EINVAL);
	assert_int_equal(vq_add(c.vq, sg, 2, NULL), VIRTIO_EINVAL);
	assert_int_equal(vq_add(c.vq, NULL, 2, &c), VIRTIO_EINVAL);
	assert_int_equal(vq_add(c.vq, sg, 9, &c), VIRTIO_EINVAL);
	sg[0].vs_len = 0;
	assert_int_equal(vq_add(c.vq, sg, 2, &c), VIRTIO_EINVAL);
	sg[0].vs_len = 32;
	sg[0].vs_write = true;
	sg[1].vs_write = false; /* writable before readable */
	assert_int_equal(vq_add(c.vq, sg, 2, &c), VIRTIO_EINVAL);
	assert_int_equal(vq_num_free(c.vq), 8);
	assert_false(vq_kick_prepare(c.vq) && sim_notify_due(c.s, 0));
	assert_int_equal(sim_pop_all(c.s, 0), 0);
	vqc_stop(&c);
}

void
vqcase_cb_race(void **state)
{
	struct vqc c;
	unsigned cbs;

	vqc_start(&c, state, VTEST_FEATURES, 8, 0, 0);
	vqc_add_n_kick(&c, 1);
	sim_pop_all(c.s, 0);
	vq_disable_cb(c.vq);
	sim_use(c.s, 0, 0, 0);
	assert_false(sim_interrupt(c.s, 0));
	/* Re-enabling sees the buffer used while interrupts were off. */
	assert_false(vq_enable_cb(c.vq));
	assert_int_equal(vqc_collect_all(&c), 1);
	assert_true(vq_enable_cb(c.vq));
	cbs = c.t->vt_cbs;
	vqc_add_n_kick(&c, 1);
	vqc_use(&c, 1);
	assert_true(sim_interrupt(c.s, 0));
	assert_int_equal(c.t->vt_cbs, cbs + 1);
	assert_int_equal(vqc_collect_all(&c), 1);
	vqc_stop(&c);
}

void
vqcase_no_event_idx(void **state)
{
	struct vqc c;

	vqc_start(&c, state,
	          VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC), 8, 0,
	          0);
	assert_false(vq_has_event_idx(c.vq));
	assert_true(vqc_add_n_kick(&c, 1));
	sim_set_no_notify(c.s, 0, true);
	assert_false(vqc_add_n_kick(&c, 2));
	sim_set_no_notify(c.s, 0, false);
	assert_true(vqc_add_n_kick(&c, 1));
	vq_disable_cb(c.vq);
	vqc_use(&c, 4);
	assert_false(sim_interrupt(c.s, 0));
	assert_false(vq_enable_cb(c.vq));
	assert_int_equal(vqc_collect_all(&c), 4);
	assert_true(vq_enable_cb(c.vq));
	vqc_add_n_kick(&c, 1);
	vqc_use(&c, 1);
	assert_true(sim_interrupt(c.s, 0));
	assert_int_equal(vqc_collect_all(&c), 1);
	vqc_stress(&c, 20000, 3);
	vqc_stop(&c);
}

void
vqcase_reset_reinit(void **state)
{
	struct vqc c;
	struct vq *old;
	void *tok;
	uint32_t len;

	vqc_start(&c, state, VTEST_FEATURES, 8, 0, 0);
	vqc_add_n_kick(&c, 3);
	sim_pop_all(c.s, 0);
	/* After a reset the queue is dead until re-initialised. */
	assert_int_equal(virtio_device_reset(c.t->vt_dev), VIRTIO_OK);
	assert_int_equal(c.s->s_status, 0);
	assert_int_equal(vq_add(c.vq, &(struct vq_seg){c.t->vt_buf.vd_dev, 8, false}, 1, &c),
	                 VIRTIO_EBADDEV);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_EBADDEV);
	old = c.vq;
	assert_int_equal(virtio_device_restart(c.t->vt_dev), VIRTIO_OK);
	assert_int_equal(c.t->vt_removes, 1);
	assert_int_equal(c.t->vt_detached, 3);
	assert_int_equal(c.t->vt_probes, 2);
	c.vq = c.t->vt_vq[0];
	assert_non_null(c.vq);
	(void)old;
	assert_int_equal(c.s->s_status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	                                    VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(vq_num_free(c.vq), 8);
	assert_true(vqc_add_n_kick(&c, 2));
	assert_int_equal(vqc_drain(&c), 2);
	vqc_stop(&c);
}

static void
vqc_size_case(void **state, uint16_t qmax, uint16_t want, uint16_t split, uint16_t packed)
{
	struct vqc c;
	unsigned n = 0;

	vqc_start(&c, state, VTEST_FEATURES, qmax, want, 0);
	assert_int_equal(vq_size(c.vq), c.packed ? packed : split);
	while (vq_add(c.vq, &(struct vq_seg){c.t->vt_buf.vd_dev, 8, true}, 1, &c) == VIRTIO_OK)
		n++;
	assert_int_equal(n, vq_size(c.vq));
	vq_kick(c.vq);
	assert_int_equal(vqc_drain(&c), n);
	vqc_stop(&c);
}

void
vqcase_sizes(void **state)
{
	vqc_size_case(state, 1024, 0, 1024, 1024);
	vqc_size_case(state, 1024, 256, 256, 256);
	vqc_size_case(state, 1024, 100, 64, 100);
	vqc_size_case(state, 1024, 2000, 1024, 1024);
	vqc_size_case(state, 1, 0, 1, 1);
	if (*(bool *)*state) {
		vqc_size_case(state, 1000, 0, 0, 1000);
		vqc_size_case(state, 32768, 0, 0, 32768);
	}
}

void
vqcase_cpu_pointer(void **state)
{
	struct vqc c;
	struct vq_seg sg = {0, 8, false};

	vqc_start(&c, state, VTEST_FEATURES, 8, 0, 0);
	/* A driver bug the sim must catch: a CPU address given to the device. */
	sg.vs_addr = (uint64_t)(uintptr_t)c.t->vt_buf.vd_cpu;
	assert_int_equal(vq_add(c.vq, &sg, 1, &c), VIRTIO_OK);
	vq_kick(c.vq);
	assert_int_equal(sim_pop(c.s, 0), -1);
	assert_int_equal(sim_errors(c.s), 1);
	assert_non_null(strstr(sim_error(c.s), "not DMA memory"));
	c.s->s_errors = 0;
	vqc_stop(&c);
}

void
vqcase_multi_queue(void **state)
{
	struct vqc c;
	struct vq *q1, *q2;
	struct vq_stats st0, st1, st2;
	struct vq_seg sg;
	void *tok;
	uint32_t len;

	vqc_start_n(&c, state, VTEST_FEATURES, 8, 0, 0, 3);
	q1 = c.t->vt_vq[1];
	q2 = c.t->vt_vq[2];
	assert_int_equal(vq_index(q2), 2);
	sg = vtest_seg(c.t, 0, 16, true);
	assert_int_equal(vq_add(q1, &sg, 1, q1), VIRTIO_OK);
	assert_int_equal(vq_add(q2, &sg, 1, q2), VIRTIO_OK);
	vq_kick(q1);
	vq_kick(q2);
	assert_int_equal(c.s->s_q[1].sq_notifies, 1);
	assert_int_equal(c.s->s_q[2].sq_notifies, 1);
	assert_int_equal(sim_pop_all(c.s, 2), 1);
	sim_use(c.s, 2, 0, 16);
	assert_true(sim_interrupt(c.s, 2));
	assert_int_equal(vq_get(q1, &tok, &len), VIRTIO_EAGAIN);
	assert_int_equal(vq_get(q2, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, q2);
	/* INTx: the ISR says "a queue"; every queue's handler runs. */
	assert_int_equal(sim_pop_all(c.s, 1), 1);
	sim_use(c.s, 1, 0, 16);
	c.s->s_irq = NULL;
	assert_true(sim_interrupt(c.s, 1));
	assert_true(virtio_device_intr(c.t->vt_dev));
	assert_false(virtio_device_intr(c.t->vt_dev)); /* ISR cleared */
	vq_stats_get(c.vq, &st0);
	vq_stats_get(q1, &st1);
	vq_stats_get(q2, &st2);
	assert_int_equal(st0.vqs_interrupts, 1);
	assert_int_equal(st1.vqs_interrupts, 1);
	assert_int_equal(st2.vqs_interrupts, 2);
	assert_int_equal(vq_get(q1, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, q1);
	vqc_stop(&c);
}
