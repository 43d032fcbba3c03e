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
	struct vtest t;
	struct sim *s;
	struct vq *vq;
	bool packed;
	uint32_t rng;
};

/* One request of the stress loops: its own 4 KiB of the buffer. */
struct rec {
	unsigned r_slot;
	unsigned r_seq;
	uint32_t r_wlen;
	bool r_inflight;
};

#define REC_AREA	1024	/* bytes of buffer per request */

static uint32_t
rnd(struct vqc *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 17;
	c->rng ^= c->rng << 5;
	return c->rng;
}

static void
vqc_start_n(struct vqc *c, void **state, uint64_t features, uint16_t qmax,
    uint16_t qsize, uint16_t imax, unsigned nq)
{
	struct sim_config sc;

	memset(c, 0, sizeof(*c));
	c->packed = *(bool *)*state;
	c->rng = 0x1234567;
	if (c->packed)
		features |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	sc = vtest_config(features, qmax);
	sc.sc_nqueues = nq;
	assert_int_equal(vtest_start(&c->t, &sc, VIRTIO_F_CORE_DEFAULT, nq,
	    qsize, imax), VIRTIO_OK);
	c->s = c->t.vt_sim;
	c->vq = c->t.vt_vq[0];
	assert_non_null(c->vq);
	assert_int_equal(vq_is_packed(c->vq), c->packed);
}

static void
vqc_start(struct vqc *c, void **state, uint64_t features, uint16_t qmax,
    uint16_t qsize, uint16_t imax)
{
	vqc_start_n(c, state, features, qmax, qsize, imax, 1);
}

static void
vqc_stop(struct vqc *c)
{
	if (sim_errors(c->s))
		fail_msg("sim saw driver errors: %s", sim_error(c->s));
	vtest_stop(&c->t);
}

/* Add a 1-readable + 1-writable buffer at area a; token tok. */
static int
vqc_add2(struct vqc *c, unsigned a, uint32_t wlen, void *tok)
{
	struct vq_seg sg[2] = {
		vtest_seg(&c->t, a * REC_AREA, 8, false),
		vtest_seg(&c->t, a * REC_AREA + 8, wlen, true),
	};

	return vq_add(c->vq, sg, 2, tok);
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
	memcpy(vtest_cpu(&c.t, 0), "hello", 6);
	sg[0] = vtest_seg(&c.t, 0, 6, false);
	sg[1] = vtest_seg(&c.t, 100, 64, true);
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
	assert_int_equal(c.t.vt_cbs, 1);
	assert_int_equal(vq_get(c.vq, &tok, &len), VIRTIO_OK);
	assert_ptr_equal(tok, &c);
	assert_int_equal(len, 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(vtest_cpu(&c.t, 100)[i], (uint8_t)(7 + i));
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
			sim_set_avail_event(c->s, 0,
			    (uint16_t)(q->sq_audit_avail + d - 1));
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
	r->r_wlen = 1 + seq % 300;
	memcpy(vtest_cpu(&c->t, base), &r->r_seq, sizeof(r->r_seq));
	for (k = 0; k + 1 < nsegs; k++)
		sg[k] = vtest_seg(&c->t, base + 16 * k, 16, false);
	sg[k] = vtest_seg(&c->t, base + 512, r->r_wlen, true);
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
	unsigned n = 0, k;
	struct rec *r;
	uint32_t len;
	void *tok;
	int err;

	while ((err = vq_get(c->vq, &tok, &len)) == VIRTIO_OK) {
		r = tok;
		assert_true(r->r_inflight);
		assert_int_equal(len, r->r_wlen);
		for (k = 0; k < len; k++)
			assert_int_equal(vtest_cpu(&c->t, r->r_slot * REC_AREA +
			    512)[k], (uint8_t)(r->r_seq + k));
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
vqc_add_batch(struct vqc *c, struct rec *recs, unsigned nrec,
    unsigned maxsegs, unsigned *seq)
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
	struct vq_stats st;

	assert_non_null(recs);
	assert_true(nrec * REC_AREA <= c->t.vt_buf.vd_size);
	for (i = 0; i < nrec; i++)
		recs[i].r_slot = i;
	while (done < nops) {
		vqc_add_batch(c, recs, nrec, maxsegs, &seq);
		vqc_random_device_event(c);
		assert_int_equal(vq_kick_prepare(c->vq),
		    sim_notify_due(c->s, 0));
		used = vqc_device_round(c);
		assert_int_equal(sim_interrupt(c->s, 0), used > 0);
		done += vqc_collect(c);
	}
	while (sim_pop_all(c->s, 0), sim_inflight(c->s, 0))
		sim_fill(c->s, 0, 0, (uint8_t)0);
	for (i = 0; i < nrec; i++)
		recs[i].r_wlen = 0;
	/* Remaining ones completed with garbage seeds: only count them. */
	while (vq_get(c->vq, &(void *){ NULL }, &(uint32_t){ 0 }) ==
	    VIRTIO_OK)
		done++;
	assert_int_equal(vq_num_free(c->vq), vq_size(c->vq));
	vq_stats_get(c->vq, &st);
	assert_int_equal(st.vqs_added, seq);
	assert_int_equal(st.vqs_completions, seq);
	assert_int_equal(st.vqs_interrupts, c->t.vt_cbs);
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
		assert_true(c.s->s_q[0].sq_last_avail < 20000);	/* wrapped */
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
		sg[k] = vtest_seg(&c.t, 64 * k, 32, k >= 3);
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
	sim_fill(c.s, 0, 1, 1);		/* out of order: chain first */
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
		sg[k] = vtest_seg(&c.t, 64 * k, 32, k == 2);
	assert_int_equal(vq_add(c.vq, sg, 3, &c), VIRTIO_OK);
	assert_int_equal(vq_num_free(c.vq), 5);
	vq_kick(c.vq);
	sim_pop_all(c.s, 0);
	assert_false(sim_buf(c.s, 0, 0)->sb_indirect);
	sim_fill(c.s, 0, 0, 0);
	assert_int_equal(vqc_collect_one_len(&c), 32);
	vqc_stop(&c);
}
