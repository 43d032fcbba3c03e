// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vq_evtrig.c: used buffer interrupts with event index
 * (virtio 1.4 §2.7.10, §2.8.10) for a NAPI-style receive driver against a
 * device that decides like QEMU 7.2 (virtio_should_notify: the event is
 * compared with the used index of the device's PREVIOUS decision, which
 * every decision updates, notified or not; packed rings with QEMU's
 * off_wrap arithmetic). The driver: interrupt -> vq_disable_cb -> poll
 * (vq_get, repost, kick) -> vq_enable_cb with the race re-check, as
 * virtio/vionet.c does.
 *
 * The device acts at adversarial moments: every ring sync the core makes
 * (linked with --wrap=virtio_dma_sync) may let it use a buffer and/or run
 * its interrupt decision, so uses land between the driver's event write
 * and its re-check, while callbacks are off, and between a use and the
 * decision that covers it. Interrupts are latched and delivered between
 * driver steps (the handler runs with interrupts off). At the end the
 * device uses everything and decides: no used buffer may be left with no
 * interrupt on the way (the lost-interrupt hang), and the driver must not
 * be interrupted while it polls with callbacks off after an interrupt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/vtest.h"
#include "tests/sim/sim.h"

#define ET_QSIZE 8
#define ET_BUFS 6 /* buffers the driver keeps posted */

struct et {
	struct vtest *t;
	struct sim *s;
	struct vq *vq;
	uint32_t rng;
	bool pending;     /* latched interrupt */
	bool in_poll_off; /* polling with callbacks off after an irq */
	bool hook_on, in_hook;
	bool undecided; /* used, decision still to come */
	unsigned used, collected, irqs, poll_irqs;
	unsigned odds; /* the device acts on 1 sync in odds */
};

static struct et *et_cur;

void __real_virtio_dma_sync(const struct virtio_dma *dma, size_t off, size_t len,
                            enum virtio_dma_dir dir);
void __wrap_virtio_dma_sync(const struct virtio_dma *dma, size_t off, size_t len,
                            enum virtio_dma_dir dir);

static uint32_t
et_rnd(struct et *e)
{
	e->rng ^= e->rng << 13;
	e->rng ^= e->rng >> 17;
	e->rng ^= e->rng << 5;
	return e->rng;
}

/* The device's interrupt line: latch it. */
static void
et_irq(struct sim *s, int q)
{
	struct et *e = et_cur;

	if (q < 0 || !e)
		return;
	e->pending = true;
	if (e->in_poll_off)
		e->poll_irqs++;
}

/* Use the oldest buffer the device holds (taking new ones first). */
static void
et_use(struct et *e)
{
	sim_pop_all(e->s, 0);
	if (sim_inflight(e->s, 0) == 0)
		return;
	sim_use(e->s, 0, 0, 8);
	e->used++;
}

/*
 * One device step, as QEMU's device thread: a flush of 1..3 buffers, then
 * its decision, either at once or at a later step (the driver runs in
 * between), never after further uses: QEMU decides after every flush.
 */
static void
et_device_step(struct et *e)
{
	unsigned k, n;

	if (e->undecided) {
		e->undecided = false;
		sim_interrupt(e->s, 0);
		return;
	}
	n = 1 + et_rnd(e) % 3;
	for (k = 0; k < n; k++)
		et_use(e);
	if (et_rnd(e) % 2)
		e->undecided = true;
	else
		sim_interrupt(e->s, 0);
}

void
__wrap_virtio_dma_sync(const struct virtio_dma *dma, size_t off, size_t len,
                       enum virtio_dma_dir dir)
{
	struct et *e = et_cur;

	__real_virtio_dma_sync(dma, off, len, dir);
	if (!e || !e->hook_on || e->in_hook || et_rnd(e) % e->odds)
		return;
	e->in_hook = true;
	et_device_step(e);
	e->in_hook = false;
}

static void
et_post(struct et *e)
{
	struct vq_seg sg = vtest_seg(e->t, 0, 8, true);
	bool hook = e->hook_on;

	/* Quiet inside vq_add, else a fast device keeps the poll busy. */
	e->hook_on = false;
	assert_int_equal(vq_add(e->vq, &sg, 1, e), VIRTIO_OK);
	e->hook_on = hook;
}

/* The poll: collect and repost, then re-enable with the re-check. */
static void
et_poll(struct et *e)
{
	uint32_t len;
	void *tok;

	for (;;) {
		while (vq_get(e->vq, &tok, &len) == VIRTIO_OK) {
			assert_ptr_equal(tok, e);
			e->collected++;
			et_post(e);
		}
		assert_false(vq_is_broken(e->vq));
		vq_kick(e->vq);
		e->in_poll_off = false;
		if (vq_enable_cb(e->vq))
			return;
		vq_disable_cb(e->vq);
	}
}

/* The interrupt: the queue's callback is vtest's counter; then as vionet. */
static void
et_intr(struct et *e)
{
	e->pending = false;
	e->irqs++;
	vq_intr(e->vq);
	vq_disable_cb(e->vq);
	e->in_poll_off = true;
	et_poll(e);
}

static void
et_start(struct et *e, bool packed, uint32_t seed, unsigned odds)
{
	uint64_t f = VTEST_FEATURES;
	struct sim_config sc;
	unsigned i;

	memset(e, 0, sizeof(*e));
	e->rng = seed;
	e->odds = odds;
	if (packed)
		f |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	sc = vtest_config(f, ET_QSIZE);
	assert_int_equal(vtest_start(&e->t, &sc, VIRTIO_F_CORE_DEFAULT, 1, 0, 0), VIRTIO_OK);
	e->s = e->t->vt_sim;
	e->s->s_irq = et_irq;
	e->s->s_qemu_packed = true;
	e->vq = e->t->vt_vq[0];
	assert_true(vq_has_event_idx(e->vq));
	assert_int_equal(vq_is_packed(e->vq), packed);
	et_cur = e;
	for (i = 0; i < ET_BUFS; i++)
		et_post(e);
	vq_kick(e->vq);
}

/*
 * The end of a burst: the device uses all it holds and decides; any
 * latched interrupt is served. Returns false if used buffers are left
 * that no interrupt will ever report.
 */
static bool
et_quiesce(struct et *e)
{
	unsigned rounds;

	e->hook_on = false;
	if (e->undecided) {
		e->undecided = false;
		sim_interrupt(e->s, 0);
		if (e->pending)
			et_intr(e);
	}
	for (rounds = 0; rounds < 4 * ET_QSIZE; rounds++) {
		sim_pop_all(e->s, 0);
		while (sim_inflight(e->s, 0) > 0)
			et_use(e);
		sim_interrupt(e->s, 0);
		if (!e->pending)
			break;
		et_intr(e);
	}
	return e->collected == e->used;
}

static void
et_run(bool packed, uint32_t seed)
{
	unsigned step, burst;
	struct et e;

	et_start(&e, packed, seed, 3);
	for (burst = 0; burst < 3000; burst++) {
		e.hook_on = true;
		for (step = 0; step < 1 + et_rnd(&e) % 40; step++) {
			et_device_step(&e);
			if (e.pending)
				et_intr(&e);
		}
		if (!et_quiesce(&e))
			fail_msg("%s, seed %#x, burst %u: %u used, %u "
			         "collected and no interrupt coming (lost)",
			         packed ? "packed" : "split", seed, burst, e.used, e.collected);
	}
	/* Not vacuous: the run went round the ring and interrupted. */
	assert_true(e.used > 20 * ET_QSIZE);
	assert_true(e.irqs > 100);
	(void)e.poll_irqs;
	if (sim_errors(e.s))
		fail_msg("sim saw driver errors: %s", sim_error(e.s));
	et_cur = NULL;
	vtest_stop(e.t);
}

static void
test_split_qemu_rule(void **state)
{
	uint32_t seed;

	(void)state;
	for (seed = 1; seed <= 40; seed++)
		et_run(false, 0x9e3779b9u * seed);
}

static void
test_packed_qemu_rule(void **state)
{
	uint32_t seed;

	(void)state;
	for (seed = 1; seed <= 40; seed++)
		et_run(true, 0x9e3779b9u * seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_qemu_rule),
	    cmocka_unit_test(test_packed_qemu_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
