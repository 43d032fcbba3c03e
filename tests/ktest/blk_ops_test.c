// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-kernel tests of virtio-blk's optional operations against QEMU's
 * device (virtio 1.4 §5.2.6 DISCARD / WRITE_ZEROES, §5.2.5 CONFIG_WCE)
 * and of full ring depth; tests/qemu/blk-ops.t checks the results from
 * the host. The pattern is the one of tests/ktest/blk_test.c (each sector
 * names itself and the run), so tests/qemu/blk-check.pl checks it.
 *
 * test=blk_ops: writes the pattern over [ops_pat, ops_pat + ops_patn),
 *   sends WRITE_ZEROES of [ops_wz, +ops_wzn) and DISCARD of
 *   [ops_dis, +ops_disn) in flight together, flushes, reads the range back
 *   (zeroes where zeroed, and where discarded with ops_dis_zero=1, the
 *   pattern elsewhere). Refusals with nothing sent: beyond the capacity,
 *   zero count, unaligned, above the device's maximum; on a device that
 *   does not offer them (ops_dz=0) both are refused as unsupported; on
 *   a read-only disk (ops_ro=1, the host wrote pattern ops_run) as
 *   read-only, and the pattern is only read back.
 *   Options ops_max_dis=N ops_max_wz=N: the limits the device must report.
 * test=blk_wce: with ops_wce=1 the device offers CONFIG_WCE and starts in
 *   mode ops_wce_start (1 writeback, 0 writethrough); the guest switches to
 *   the other mode, back, then to ops_wce_final, re-reading the config byte
 *   and printing `blk info vd0` after each; with ops_wce=0 the switch is
 *   refused. Then prints "# ops ready" and idles: the host asks QEMU (QMP)
 *   which cache mode the drive is in, and quits QEMU.
 * test=blk_depth: ops_nreq requests of 8 sectors submitted with interrupts
 *   off so the ring fills: exactly ops_depth go to the ring, the block
 *   layer queues the rest and sends them as completions free room. Reads
 *   of the host's random data from sector 0 (CRC printed), then writes of
 *   the pattern at ops_pat, flush, and reads of it back, each at depth.
 */
#include "device/blk.h"
#include "debug/blk_monitor.h"
#include "drivers/vioblk_glue.h"
#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "debug/ktest.h"
#include "debug/monitor.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "virtio/virtio_err.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"

/* TAP with the plan printed last. */
static int bo_n;
#define BO_OK(...) (bo_n++, ktap_ok(__VA_ARGS__))

#define BO_MAX_REQS 2048
#define BO_REQ_SECTORS 8

struct bo_batch {
	struct blk_req *reqs;
	unsigned n;
	volatile unsigned done;
};

static unsigned long
bo_opt(const char *key, unsigned long dflt)
{
	unsigned long v;
	const char *s = kernel_option(key);

	return s && parse_u64(s, &v) == KERN_SUCCESS ? v : dflt;
}

static void *
bo_alloc(uint64_t bytes)
{
	uint64_t pa = page_alloc_bytes(bytes, PAGE_ZERO);

	return pa ? phys_to_virt(pa) : NULL;
}

/* Sector s of run r, disk 0: as bt_pattern in blk_test.c and blk-check.pl. */
static void
bo_pattern(uint8_t *p, uint64_t s, uint64_t r)
{
	memcpy(p, "VMACHSEC", 8);
	for (int i = 0; i < 8; i++) {
		p[8 + i] = (uint8_t)(s >> (8 * i));
		p[16 + i] = (uint8_t)(r >> (8 * i));
		p[24 + i] = 0;
	}
	for (int i = 32; i < 512; i++)
		p[i] = (uint8_t)(s * 7 + r + (uint64_t)i);
}

static void
bo_pattern_fill(uint8_t *buf, uint64_t s0, uint32_t n, uint64_t r)
{
	for (uint32_t i = 0; i < n; i++)
		bo_pattern(buf + (uint64_t)i * 512, s0 + i, r);
}

static bool
bo_sector_is(const uint8_t *p, uint64_t s, uint64_t r)
{
	uint8_t want[512];

	bo_pattern(want, s, r);
	return !memcmp(p, want, 512);
}

static bool
bo_sector_zero(const uint8_t *p)
{
	for (int i = 0; i < 512; i++)
		if (p[i])
			return false;
	return true;
}

static struct vq_stats
bo_stats(struct blk_disk *d)
{
	struct vq_stats st;

	vq_stats_get(blk_virtio_softc(d)->sc_vq, &st);
	return st;
}

static void
bo_done(struct blk_req *req)
{
	struct bo_batch *b = req->br_arg;

	b->done++;
}

struct bo_until {
	struct bo_batch *b;
	unsigned n;
};

static bool
bo_reached(void *arg)
{
	const struct bo_until *u = arg;

	return u->b->done >= u->n;
}

/* Wait until n requests of b are done. */
static void
bo_wait(struct bo_batch *b, unsigned n)
{
	struct bo_until u = {b, n};

	blk_wait(bo_reached, &u);
}

/* Fill b's next request; the caller submits it. */
static struct blk_req *
bo_req(struct bo_batch *b, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	struct blk_req *r = &b->reqs[b->n++];

	*r = (struct blk_req){.br_op = op,
	                      .br_sector = sector,
	                      .br_count = count,
	                      .br_buf = buf,
	                      .br_done = bo_done,
	                      .br_arg = b};
	return r;
}

/* Submit one request that must be refused: its error, and whether the ring saw it. */
static io_return_t
bo_refused(struct blk_disk *d, enum blk_op op, uint64_t sector, uint32_t count, bool *sent)
{
	struct blk_req r = {
	    .br_op = op, .br_sector = sector, .br_count = count, .br_done = bo_done};
	struct bo_batch b = {.reqs = &r};
	uint64_t before = bo_stats(d).vqs_added;
	io_return_t err;

	r.br_arg = &b;
	err = blk_submit(d, &r);
	if (err == 0)
		bo_wait(&b, 1);
	*sent = bo_stats(d).vqs_added != before;
	return err;
}

/* ---- test=blk_ops ------------------------------------------------------------ */

struct bo_ops {
	struct blk_disk *d;
	struct vioblk_info *in;
	bool dz; /* the device is expected to offer both */
	bool ro; /* read-only: both refused, nothing written */
	uint64_t s0, wz, dis, run;
	uint32_t n, wzn, disn;
};

static void
bo_ops_limits(struct bo_ops *o)
{
	const struct vioblk_info *in = o->in;

	ktap_diag("limits discard %u write-zeroes %u", in->vi_max_discard, in->vi_max_wz);
	if (!o->dz) {
		BO_OK(in->vi_max_discard == 0 && in->vi_max_wz == 0,
		      "%s: DISCARD and WRITE_ZEROES not offered (limits %u %u)", o->d->bd_name,
		      in->vi_max_discard, in->vi_max_wz);
		return;
	}
	BO_OK(in->vi_max_discard != 0 && in->vi_max_wz != 0,
	      "%s: DISCARD and WRITE_ZEROES offered (limits %u %u)", o->d->bd_name,
	      in->vi_max_discard, in->vi_max_wz);
	if (kernel_option("ops_max_dis"))
		BO_OK(in->vi_max_discard == bo_opt("ops_max_dis", 0),
		      "max_discard_sectors %u as configured", in->vi_max_discard);
	if (kernel_option("ops_max_wz"))
		BO_OK(in->vi_max_wz == bo_opt("ops_max_wz", 0),
		      "max_write_zeroes_sectors %u as configured", in->vi_max_wz);
}

/* WRITE_ZEROES and DISCARD in flight together (or refused when not offered). */
static void
bo_ops_send(struct bo_ops *o, struct bo_batch *b)
{
	uint64_t added = bo_stats(o->d).vqs_added;
	io_return_t e1, e2;

	b->n = b->done = 0;
	e1 = blk_submit(o->d, bo_req(b, BLK_OP_WRITE_ZEROES, o->wz, o->wzn, NULL));
	e2 = blk_submit(o->d, bo_req(b, BLK_OP_DISCARD, o->dis, o->disn, NULL));
	if (!o->dz || o->ro) {
		io_return_t want = o->dz ? D_READ_ONLY : D_INVALID_OPERATION;
		BO_OK(e1 == want && e2 == want && bo_stats(o->d).vqs_added == added,
		      "write-zeroes and discard refused, nothing sent (%s; %s)", blk_strerror(e1),
		      blk_strerror(e2));
		return;
	}
	bo_wait(b, (e1 == 0) + (e2 == 0));
	BO_OK(e1 == 0 && e2 == 0 && b->reqs[0].br_error == 0 && b->reqs[1].br_error == 0,
	      "write-zeroes %lu+%u and discard %lu+%u done (%s; %s)", o->wz, o->wzn, o->dis,
	      o->disn, blk_strerror(e1 ? e1 : b->reqs[0].br_error),
	      blk_strerror(e2 ? e2 : b->reqs[1].br_error));
	BO_OK(bo_stats(o->d).vqs_added == added + 2, "two requests on the ring (%lu)",
	      bo_stats(o->d).vqs_added - added);
}

/* One refusal of op: error want and nothing on the ring. */
static void
bo_ops_refuse(struct bo_ops *o, enum blk_op op, uint64_t s, uint32_t n, io_return_t want,
              const char *why)
{
	bool sent;
	io_return_t err = bo_refused(o->d, op, s, n, &sent);

	BO_OK(err == want && !sent, "%s %lu+%u (%s) refused: %s, %s",
	      op == BLK_OP_DISCARD ? "discard" : "write-zeroes", s, n, why, blk_strerror(err),
	      sent ? "SENT" : "nothing sent");
}

/*
 * Refusals with nothing sent. An operation the device does not offer, or
 * any on a read-only disk, is refused as such whatever its sectors;
 * otherwise a range beyond the disk is D_INVALID_RECNUM and a zero,
 * unaligned or too large count D_INVALID_SIZE.
 */
static void
bo_ops_refusals(struct bo_ops *o)
{
	uint64_t cap = o->d->bd_sectors;
	uint32_t per = o->d->bd_block_size / 512;
	io_return_t first = !o->dz ? D_INVALID_OPERATION : o->ro ? D_READ_ONLY : D_SUCCESS;
	io_return_t range = first ? first : D_INVALID_RECNUM;
	io_return_t size = first ? first : D_INVALID_SIZE;

	for (enum blk_op op = BLK_OP_DISCARD; op <= BLK_OP_WRITE_ZEROES; op++) {
		uint32_t max = op == BLK_OP_DISCARD ? o->in->vi_max_discard : o->in->vi_max_wz;
		bo_ops_refuse(o, op, cap - per, 2 * per, range, "across the end");
		bo_ops_refuse(o, op, cap, per, range, "at the end");
		bo_ops_refuse(o, op, o->s0, 0, size, "no sectors");
		if (per > 1)
			bo_ops_refuse(o, op, o->s0 + 1, per, size, "unaligned");
		if (o->dz && !o->ro && max < cap)
			bo_ops_refuse(o, op, o->s0, max + per, size, "above the maximum");
	}
}

/* What sector s must hold now: 0 pattern, 1 zeroes, 2 anything. */
static int
bo_ops_want(const struct bo_ops *o, uint64_t s)
{
	if (!o->dz || o->ro)
		return 0;
	if (s >= o->wz && s < o->wz + o->wzn)
		return 1;
	if (s >= o->dis && s < o->dis + o->disn)
		return bo_opt("ops_dis_zero", 0) ? 1 : 2;
	return 0;
}

static void
bo_ops_readback(struct bo_ops *o, uint8_t *buf)
{
	io_return_t err;
	long bad = -1;

	memset(buf, 0xa5, (uint64_t)o->n * 512);
	err = blk_read_sync(o->d, o->s0, o->n, buf);
	for (uint32_t i = 0; i < o->n && bad < 0 && !err; i++) {
		uint64_t s = o->s0 + i;
		int want = bo_ops_want(o, s);
		const uint8_t *p = buf + (uint64_t)i * 512;
		if ((want == 0 && !bo_sector_is(p, s, o->run)) || (want == 1 && !bo_sector_zero(p)))
			bad = (long)s;
	}
	BO_OK(err == 0 && bad < 0,
	      "read back: zeroes where zeroed%s, pattern elsewhere "
	      "(%s, first bad sector %ld)",
	      bo_opt("ops_dis_zero", 0) ? " and discarded" : "", blk_strerror(err), bad);
}

static void
bo_ops_init(struct bo_ops *o, struct blk_disk *d)
{
	*o = (struct bo_ops){
	    .d = d,
	    .in = &blk_virtio_softc(d)->sc_info,
	    .dz = bo_opt("ops_dz", 1) != 0,
	    .s0 = bo_opt("ops_pat", 4096),
	    .n = (uint32_t)bo_opt("ops_patn", 8192),
	    .wz = bo_opt("ops_wz", 6144),
	    .wzn = (uint32_t)bo_opt("ops_wzn", 2048),
	    .dis = bo_opt("ops_dis", 10240),
	    .disn = (uint32_t)bo_opt("ops_disn", 2048),
	    .run = bo_opt("ops_run", 1),
	    .ro = d->bd_ro,
	};
}

KTEST(blk_ops, "virtio-blk: DISCARD and WRITE_ZEROES against QEMU")
{
	struct blk_disk *d = blk_get(0);
	struct blk_req reqs[2];
	struct bo_batch b = {.reqs = reqs};
	struct bo_ops o;
	uint8_t *buf;

	if (!BO_OK(d && blk_virtio_softc(d), "vd0 is a virtio disk"))
		goto out;
	bo_ops_init(&o, d);
	buf = bo_alloc((uint64_t)o.n * 512);
	if (!BO_OK(buf != NULL, "buffer of %u sectors", o.n))
		goto out;
	bo_ops_limits(&o);
	BO_OK(o.ro == (bo_opt("ops_ro", 0) != 0), "%s: read-only %d", d->bd_name, o.ro);
	if (!o.ro) {
		bo_pattern_fill(buf, o.s0, o.n, o.run);
		io_return_t err = blk_write_sync(d, o.s0, o.n, buf);
		BO_OK(err == 0, "pattern written over %lu+%u: %s", o.s0, o.n, blk_strerror(err));
	}
	bo_ops_send(&o, &b);
	bo_ops_refusals(&o);
	if (!o.ro) {
		io_return_t err = blk_flush_sync(d);
		BO_OK(err == 0, "flush: %s", blk_strerror(err));
	}
	bo_ops_readback(&o, buf);
	monitor_execute((char[]){"blk info vd0"});
out:
	ktap_plan(bo_n);
}

/* ---- test=blk_wce ------------------------------------------------------------ */

static const char *
bo_mode(bool wb)
{
	return wb ? "writeback" : "writethrough";
}

/* Switch to wb; the driver, its view and the config byte must all agree. */
static void
bo_wce_switch(struct vioblk *sc, bool wb)
{
	uint8_t v = 0xee;
	int err = vioblk_set_writeback(sc, wb);
	int rerr = virtio_config_read8(sc->sc_dev, VIOBLK_CFG_WRITEBACK, &v);

	BO_OK(err == VIRTIO_OK && rerr == VIRTIO_OK && v == (wb ? 1 : 0) &&
	          sc->sc_info.vi_writeback == wb,
	      "switched to %s: %s, config writeback byte %u, driver says %s", bo_mode(wb),
	      virtio_strerror(err), v, bo_mode(sc->sc_info.vi_writeback));
	monitor_execute((char[]){"blk info vd0"});
}

/* The data path still works in the new mode. */
static void
bo_wce_io(struct blk_disk *d, uint8_t *buf, uint64_t run)
{
	io_return_t err;

	bo_pattern_fill(buf, 4096, 64, run);
	err = blk_write_sync(d, 4096, 64, buf);
	if (!err)
		err = blk_flush_sync(d);
	memset(buf, 0, 64 * 512);
	if (!err)
		err = blk_read_sync(d, 4096, 64, buf);
	BO_OK(err == 0 && bo_sector_is(buf, 4096, run) && bo_sector_is(buf + 63 * 512, 4159, run),
	      "write, flush, read back in %s mode: %s",
	      bo_mode(blk_virtio_softc(d)->sc_info.vi_writeback), blk_strerror(err));
}

static void
bo_wce_refused(struct vioblk *sc)
{
	bool was = sc->sc_info.vi_writeback;
	int e1 = vioblk_set_writeback(sc, !was);
	int e2 = vioblk_set_writeback(sc, was);

	BO_OK(!sc->sc_info.vi_wce, "CONFIG_WCE not negotiated");
	BO_OK(e1 == VIRTIO_EUNSUPP && e2 == VIRTIO_EUNSUPP && sc->sc_info.vi_writeback == was,
	      "switch refused: %s; mode still %s", virtio_strerror(e1), bo_mode(was));
	monitor_execute((char[]){"blk info vd0"});
}

KTEST(blk_wce, "virtio-blk: CONFIG_WCE writeback/writethrough switch")
{
	struct blk_disk *d = blk_get(0);
	struct vioblk *sc = blk_virtio_softc(d);
	bool start = bo_opt("ops_wce_start", 1), final = bo_opt("ops_wce_final", 0);
	uint8_t *buf = bo_alloc(64 * 512);

	if (!BO_OK(sc && buf, "vd0 is a virtio disk")) {
		ktap_plan(bo_n);
		return;
	}
	if (bo_opt("ops_wce", 1)) {
		BO_OK(sc->sc_info.vi_wce && sc->sc_info.vi_writeback == start,
		      "CONFIG_WCE negotiated, starts in %s", bo_mode(sc->sc_info.vi_writeback));
		bo_wce_switch(sc, !start);
		bo_wce_io(d, buf, 11);
		bo_wce_switch(sc, start);
		bo_wce_io(d, buf, 12);
		bo_wce_switch(sc, final);
	} else {
		bo_wce_refused(sc);
	}
	ktap_plan(bo_n);
	ktap_diag("ops ready");
	for (;;)
		cpu_idle_wait();
}

/* ---- test=blk_depth ---------------------------------------------------------- */

/* Request buffers in chunks (one allocation is at most 4 MiB). */
#define BO_CHUNK_REQS 256
#define BO_REQ_BYTES (BO_REQ_SECTORS * 512)

struct bo_bufs {
	uint8_t *chunk[BO_MAX_REQS / BO_CHUNK_REQS];
};

static uint8_t *
bo_rbuf(const struct bo_bufs *bb, unsigned i)
{
	return bb->chunk[i / BO_CHUNK_REQS] + (uint64_t)(i % BO_CHUNK_REQS) * BO_REQ_BYTES;
}

static bool
bo_bufs_alloc(struct bo_bufs *bb, unsigned nreq)
{
	for (unsigned c = 0; c * BO_CHUNK_REQS < nreq; c++)
		if (!(bb->chunk[c] = bo_alloc(BO_CHUNK_REQS * BO_REQ_BYTES)))
			return false;
	return true;
}

struct bo_depth {
	unsigned peak;      /* in flight when the submissions stopped */
	unsigned ring_free; /* vq_num_free then */
	uint64_t requeued;  /* sent to the wait list */
	unsigned refused, failed;
	struct vq_stats st; /* counters of this batch */
};

static void
bo_stats_sub(struct vq_stats *a, const struct vq_stats *b)
{
	a->vqs_added -= b->vqs_added;
	a->vqs_kicks -= b->vqs_kicks;
	a->vqs_interrupts -= b->vqs_interrupts;
	a->vqs_completions -= b->vqs_completions;
}

/* nreq requests of BO_REQ_SECTORS from s0, all submitted with interrupts off. */
static void
bo_depth_run(struct blk_disk *d, struct bo_batch *b, enum blk_op op, uint64_t s0, unsigned nreq,
             const struct bo_bufs *bb, struct bo_depth *r)
{
	struct vq_stats st0 = bo_stats(d);
	uint64_t rq0 = d->bd_requeued, flags;

	*r = (struct bo_depth){0};
	b->n = b->done = 0;
	flags = irq_save();
	for (unsigned i = 0; i < nreq; i++) {
		uint64_t s = s0 + (uint64_t)i * BO_REQ_SECTORS;
		if (blk_submit(d, bo_req(b, op, s, BO_REQ_SECTORS, bo_rbuf(bb, i))))
			r->refused++;
	}
	r->peak = d->bd_inflight;
	r->ring_free = vq_num_free(blk_virtio_softc(d)->sc_vq);
	r->requeued = d->bd_requeued - rq0;
	irq_restore(flags);
	bo_wait(b, nreq - r->refused);
	for (unsigned i = 0; i < b->n; i++)
		r->failed += b->reqs[i].br_error != 0;
	r->st = bo_stats(d);
	bo_stats_sub(&r->st, &st0);
}

static void
bo_depth_check(struct blk_disk *d, const char *what, unsigned nreq, const struct bo_depth *r)
{
	unsigned depth = (unsigned)bo_opt("ops_depth", 256);

	BO_OK(r->refused == 0 && r->failed == 0,
	      "%s: %u requests of %u sectors done "
	      "(%u refused, %u failed)",
	      what, nreq, BO_REQ_SECTORS, r->refused, r->failed);
	BO_OK(r->peak == depth && r->requeued == nreq - depth,
	      "%s: ring full at %u in flight (want %u), %lu waited in the block layer, "
	      "%u descriptors free",
	      what, r->peak, depth, r->requeued, r->ring_free);
	BO_OK(r->st.vqs_added == nreq && r->st.vqs_completions == nreq,
	      "%s: ring counters: %lu added, %lu completed", what, r->st.vqs_added,
	      r->st.vqs_completions);
	BO_OK(r->st.vqs_interrupts >= 1 && r->st.vqs_interrupts < nreq / 2,
	      "%s: completed by interrupt, batched: %lu interrupts, %lu kicks for %u requests",
	      what, r->st.vqs_interrupts, r->st.vqs_kicks, nreq);
	BO_OK(d->bd_inflight == 0 && !d->bd_pend_head, "%s: nothing left in flight or waiting",
	      what);
}

/* First sector of [s0, s0 + nreq * BO_REQ_SECTORS) without the pattern, or -1. */
static long
bo_depth_bad(const struct bo_bufs *bb, unsigned nreq, uint64_t s0, uint64_t run)
{
	for (unsigned i = 0; i < nreq; i++)
		for (unsigned k = 0; k < BO_REQ_SECTORS; k++) {
			uint64_t s = s0 + (uint64_t)i * BO_REQ_SECTORS + k;
			if (!bo_sector_is(bo_rbuf(bb, i) + k * 512, s, run))
				return (long)s;
		}
	return -1;
}

static void
bo_depth_rw(struct blk_disk *d, struct bo_batch *b, unsigned nreq, const struct bo_bufs *bb)
{
	uint64_t s0 = bo_opt("ops_pat", 4096), run = bo_opt("ops_run", 1);
	struct bo_depth r;

	for (unsigned i = 0; i < nreq; i++)
		bo_pattern_fill(bo_rbuf(bb, i), s0 + (uint64_t)i * BO_REQ_SECTORS, BO_REQ_SECTORS,
		                run);
	bo_depth_run(d, b, BLK_OP_WRITE, s0, nreq, bb, &r);
	bo_depth_check(d, "write", nreq, &r);
	io_return_t err = blk_flush_sync(d);
	BO_OK(err == 0, "flush: %s", blk_strerror(err));
	for (unsigned i = 0; i < nreq; i++)
		memset(bo_rbuf(bb, i), 0, BO_REQ_BYTES);
	bo_depth_run(d, b, BLK_OP_READ, s0, nreq, bb, &r);
	bo_depth_check(d, "read back", nreq, &r);
	long bad = bo_depth_bad(bb, nreq, s0, run);
	BO_OK(bad < 0, "pattern read back at depth (first bad sector %ld)", bad);
}

/* Reads of the host's random data from sector 0; its CRC-32 for the host. */
static void
bo_depth_crc(struct blk_disk *d, struct bo_batch *b, unsigned nreq, const struct bo_bufs *bb)
{
	struct bo_depth r;
	uint32_t crc = 0;

	bo_depth_run(d, b, BLK_OP_READ, 0, nreq, bb, &r);
	bo_depth_check(d, "read", nreq, &r);
	for (unsigned i = 0; i < nreq; i++)
		crc = blk_crc32(crc, bo_rbuf(bb, i), BO_REQ_BYTES);
	ktap_diag("crc vd0 = %08x", crc);
}

KTEST(blk_depth, "virtio-blk: the ring filled to its size, the excess queued")
{
	struct blk_disk *d = blk_get(0);
	unsigned nreq = (unsigned)bo_opt("ops_nreq", 320);
	struct bo_batch b = {0};
	struct bo_bufs bb = {0};
	bool ok = d && blk_virtio_softc(d) && nreq <= BO_MAX_REQS;

	if (ok)
		b.reqs = bo_alloc(sizeof(struct blk_req) * nreq);
	if (!BO_OK(ok && b.reqs && bo_bufs_alloc(&bb, nreq), "vd0, buffers for %u requests",
	           nreq)) {
		ktap_plan(bo_n);
		return;
	}
	struct vioblk *sc = blk_virtio_softc(d);
	ktap_diag("queue size %u %s, indirect %d, event index %d", vq_size(sc->sc_vq),
	          vq_is_packed(sc->sc_vq) ? "packed" : "split", vq_has_indirect(sc->sc_vq),
	          vq_has_event_idx(sc->sc_vq));
	bo_depth_crc(d, &b, nreq, &bb);
	bo_depth_rw(d, &b, nreq, &bb);
	ktap_plan(bo_n);
}
