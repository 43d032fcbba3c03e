// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-kernel tests of the virtio-blk stack against QEMU's device, driven by
 * tests/qemu/blk*.t, which check the results from the host as well.
 *
 * test=blk: for every disk, checks what the configuration promises
 * (options blk_expect_*), prints the CRC-32 of the host's random sectors
 * [0, blk_crc) as "# crc vdN = xxxxxxxx", writes the pattern (see
 * blk_pattern()) over [blk_pat, blk_pat + blk_patn) with many requests in
 * flight at once, flushes, reads it back and checks it; on a read-only
 * disk checks that writes are refused with nothing sent. Options:
 *   blk_run=N blk_crc=N blk_pat=S blk_patn=N blk_disks=N
 *   blk_expect_transport=pci-modern|pci-legacy blk_expect_ring=split|packed
 *   blk_expect_qsize=N blk_expect_bs=N blk_expect_ro=1 blk_expect_indirect=0|1
 *   blk_expect_event=0|1 blk_expect_mq=N blk_expect_highdma=1 blk_expect_serial=S
 *   blk_expect_intx=1
 * test=blk_eio: the host wrote the pattern (run blk_run) and blkdebug fails
 *   reads of sector blk_eio_read and writes of sector blk_eio_write: the
 *   request holding it fails with D_IO_ERROR, the others complete with
 *   right data.
 * test=blk_flush: writes the pattern, flushes, prints "# flush done" and
 *   idles so the host can kill QEMU.
 */
#include "device/blk.h"
#include "debug/blk_monitor.h"
#include "drivers/vioblk_glue.h"
#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "debug/ktest.h"
#include "kern/log.h"
#include "debug/monitor.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "virtio/vtpci.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"

#define BT_MAX_REQS 512

/* TAP with the plan printed last (the count depends on the disks). */
static int bt_n;
#define BT_OK(...) (bt_n++, ktap_ok(__VA_ARGS__))

struct bt_batch {
	struct blk_req *reqs;
	unsigned n;
	volatile unsigned done;
	unsigned peak; /* most requests in flight at once */
};

static unsigned long
bt_opt(const char *key, unsigned long dflt)
{
	unsigned long v;
	const char *s = kernel_option(key);

	return s && parse_u64(s, &v) == KERN_SUCCESS ? v : dflt;
}

/* The pattern of sector s of disk d in run r (tests/qemu/blk-lib.sh checks it). */
static void
bt_pattern(uint8_t *p, uint64_t s, uint64_t r, uint64_t d)
{
	memcpy(p, "VMACHSEC", 8);
	for (int i = 0; i < 8; i++) {
		p[8 + i] = (uint8_t)(s >> (8 * i));
		p[16 + i] = (uint8_t)(r >> (8 * i));
		p[24 + i] = (uint8_t)(d >> (8 * i));
	}
	for (int i = 32; i < 512; i++)
		p[i] = (uint8_t)(s * 7 + r + (uint64_t)i);
}

/* Index of the first bad sector in buf, or -1. */
static long
bt_pattern_check(const uint8_t *buf, uint64_t s0, uint32_t n, uint64_t r, uint64_t d)
{
	uint8_t want[512];

	for (uint32_t i = 0; i < n; i++) {
		bt_pattern(want, s0 + i, r, d);
		if (memcmp(buf + (uint64_t)i * 512, want, 512))
			return i;
	}
	return -1;
}

static void *
bt_alloc(uint64_t bytes)
{
	uint64_t pa = page_alloc_bytes(bytes, PAGE_ZERO);

	return pa ? phys_to_virt(pa) : NULL;
}

static void
bt_done(struct blk_req *req)
{
	struct bt_batch *b = req->br_arg;

	b->done++;
}

struct bt_until {
	struct bt_batch *b;
	unsigned n;
};

static bool
bt_reached(void *arg)
{
	const struct bt_until *u = arg;

	return u->b->done >= u->n;
}

/* Wait until n requests of b are done. */
static void
bt_wait(struct bt_batch *b, unsigned n)
{
	struct bt_until u = {b, n};

	blk_wait(bt_reached, &u);
}

/*
 * Split [s0, s0+n) into requests of varied sizes (multiples of the block),
 * buffer at buf + offset, all submitted before any is waited for.
 */
static io_return_t
bt_batch_run(struct blk_disk *d, struct bt_batch *b, enum blk_op op, uint64_t s0, uint32_t n,
             uint8_t *buf)
{
	static const uint32_t sizes[] = {1, 8, 3, 64, 16, 256, 7, 128, 2, 32};
	uint32_t per = d->bd_block_size / 512, off = 0;
	io_return_t err = D_SUCCESS;

	b->n = b->done = b->peak = 0;
	while (off < n && b->n < BT_MAX_REQS) {
		uint32_t c = sizes[b->n % 10] < per ? per : sizes[b->n % 10] / per * per;
		if (c > n - off)
			c = n - off;
		struct blk_req *r = &b->reqs[b->n++];
		*r = (struct blk_req){.br_op = op,
		                      .br_sector = s0 + off,
		                      .br_count = c,
		                      .br_buf = buf + (uint64_t)off * 512,
		                      .br_done = bt_done,
		                      .br_arg = b};
		err = blk_submit(d, r);
		if (err) {
			b->n--;
			break;
		}
		if (d->bd_inflight > b->peak)
			b->peak = d->bd_inflight;
		off += c;
	}
	bt_wait(b, b->n);
	return err ? err : off == n ? D_SUCCESS : D_NO_MEMORY; /* out of requests */
}

static unsigned
bt_batch_errors(const struct bt_batch *b)
{
	unsigned e = 0;

	for (unsigned i = 0; i < b->n; i++)
		e += b->reqs[i].br_error != 0;
	return e;
}

static uint64_t
bt_added(struct blk_disk *d)
{
	struct vioblk *sc = blk_virtio_softc(d);
	struct vq_stats st;

	vq_stats_get(sc->sc_vq, &st);
	return st.vqs_added;
}

static bool
bt_opt_is(const char *key, const char *want)
{
	const char *s = kernel_option(key);

	return s && !strcmp(s, want);
}

/* The configuration checks the options ask for. */
static void
bt_expect(struct blk_disk *d)
{
	struct vioblk *sc = blk_virtio_softc(d);
	struct vtpci *tp = vtpci_of(sc->sc_dev);
	const char *s;

	if ((s = kernel_option("blk_expect_transport")))
		BT_OK(bt_opt_is("blk_expect_transport", sc->sc_dev->vd_ops->vto_name),
		      "%s: transport %s", d->bd_name, sc->sc_dev->vd_ops->vto_name);
	if ((s = kernel_option("blk_expect_ring")))
		BT_OK(!strcmp(s, vq_is_packed(sc->sc_vq) ? "packed" : "split"), "%s: %s ring",
		      d->bd_name, vq_is_packed(sc->sc_vq) ? "packed" : "split");
	if (kernel_option("blk_expect_qsize"))
		BT_OK(vq_size(sc->sc_vq) == bt_opt("blk_expect_qsize", 0), "%s: queue size %u",
		      d->bd_name, vq_size(sc->sc_vq));
	if (kernel_option("blk_expect_bs"))
		BT_OK(d->bd_block_size == bt_opt("blk_expect_bs", 0), "%s: %u-byte blocks",
		      d->bd_name, d->bd_block_size);
	if (kernel_option("blk_expect_ro"))
		BT_OK(d->bd_ro == (bt_opt("blk_expect_ro", 0) != 0), "%s: read-only %d", d->bd_name,
		      d->bd_ro);
	if (kernel_option("blk_expect_indirect"))
		BT_OK(vq_has_indirect(sc->sc_vq) == (bt_opt("blk_expect_indirect", 0) != 0),
		      "%s: indirect descriptors %d", d->bd_name, vq_has_indirect(sc->sc_vq));
	if (kernel_option("blk_expect_event"))
		BT_OK(vq_has_event_idx(sc->sc_vq) == (bt_opt("blk_expect_event", 0) != 0),
		      "%s: event index %d", d->bd_name, vq_has_event_idx(sc->sc_vq));
	if (kernel_option("blk_expect_mq"))
		BT_OK(sc->sc_info.vi_num_queues == bt_opt("blk_expect_mq", 0),
		      "%s: %u queues offered (MQ), one used", d->bd_name,
		      sc->sc_info.vi_num_queues);
	if (kernel_option("blk_expect_highdma"))
		BT_OK(sc->sc_pool.vd_dev >= (1ULL << 32), "%s: request pool DMA at %#lx",
		      d->bd_name, sc->sc_pool.vd_dev);
	if ((s = kernel_option("blk_expect_serial")))
		BT_OK(!strcmp(s, sc->sc_info.vi_serial), "%s: serial '%s'", d->bd_name,
		      sc->sc_info.vi_serial);
	if (kernel_option("blk_expect_intx"))
		BT_OK(tp->vt_nvec == 0 && tp->vt_intx > 0, "%s: INTx, %lu interrupts", d->bd_name,
		      tp->vt_intx);
}

static void
bt_crc(struct blk_disk *d, uint8_t *buf, uint32_t n)
{
	io_return_t err = blk_read_sync(d, 0, n, buf);

	BT_OK(err == D_SUCCESS, "%s: read %u random sectors: %s", d->bd_name, n, blk_strerror(err));
	ktap_diag("crc %s = %08x", d->bd_name, blk_crc32(0, buf, (size_t)n * 512));
}

/* Writes refused before reaching the device. */
static void
bt_refusals(struct blk_disk *d, uint8_t *buf)
{
	uint64_t before = bt_added(d);
	struct bt_batch b = {0};
	struct blk_req r = {.br_op = BLK_OP_READ,
	                    .br_sector = d->bd_sectors,
	                    .br_count = 8,
	                    .br_buf = buf,
	                    .br_done = bt_done,
	                    .br_arg = &b};
	io_return_t e1 = blk_submit(d, &r);

	r.br_sector = d->bd_sectors - 1;
	r.br_count = 2;
	io_return_t e2 = blk_submit(d, &r);
	r = (struct blk_req){.br_op = BLK_OP_WRITE,
	                     .br_sector = 0,
	                     .br_count = 8,
	                     .br_buf = buf,
	                     .br_done = bt_done,
	                     .br_arg = &b};
	io_return_t e3 = blk_submit(d, &r);
	BT_OK(e1 == D_INVALID_RECNUM && e2 == D_INVALID_RECNUM,
	      "%s: reads past the end refused as out of range (%s; %s)", d->bd_name,
	      blk_strerror(e1), blk_strerror(e2));
	if (d->bd_ro)
		BT_OK(e3 == D_READ_ONLY, "%s: write to a read-only disk refused (%s)", d->bd_name,
		      blk_strerror(e3));
	else if (e3 == D_SUCCESS)
		bt_wait(&b, 1); /* the buffer holds sector 0's data */
	if (d->bd_block_size > 512) {
		r = (struct blk_req){.br_op = BLK_OP_READ,
		                     .br_sector = 1,
		                     .br_count = 8,
		                     .br_buf = buf,
		                     .br_done = bt_done,
		                     .br_arg = &b};
		io_return_t e4 = blk_submit(d, &r);
		BT_OK(e4 == D_INVALID_SIZE, "%s: unaligned read refused (%s)", d->bd_name,
		      blk_strerror(e4));
	}
	BT_OK(bt_added(d) == before + (d->bd_ro ? 0 : 1), "%s: nothing refused reached the ring",
	      d->bd_name);
}

/* Pattern out with many requests in flight, flush, back in and check. */
static void
bt_pattern_rw(struct blk_disk *d, unsigned idx, struct bt_batch *b, uint8_t *buf)
{
	uint64_t s0 = bt_opt("blk_pat", 4096), run = bt_opt("blk_run", 1);
	uint32_t n = (uint32_t)bt_opt("blk_patn", 8192);

	for (uint32_t i = 0; i < n; i++)
		bt_pattern(buf + (uint64_t)i * 512, s0 + i, run, idx);
	io_return_t err = bt_batch_run(d, b, BLK_OP_WRITE, s0, n, buf);
	BT_OK(err == D_SUCCESS && bt_batch_errors(b) == 0,
	      "%s: pattern written: %u requests, %u in flight at most", d->bd_name, b->n, b->peak);
	err = blk_flush_sync(d);
	BT_OK(err == 0, "%s: flush: %s", d->bd_name, blk_strerror(err));
	memset(buf, 0, (uint64_t)n * 512);
	err = bt_batch_run(d, b, BLK_OP_READ, s0, n, buf);
	long bad = bt_pattern_check(buf, s0, n, run, idx);
	BT_OK(err == 0 && bt_batch_errors(b) == 0 && bad < 0,
	      "%s: pattern read back (%u requests, first bad sector %ld)", d->bd_name, b->n, bad);
}

KTEST(blk, "virtio-blk: configuration, CRC of host data, pattern written and read back")
{
	unsigned ndisks = (unsigned)bt_opt("blk_disks", 1);
	uint32_t ncrc = (uint32_t)bt_opt("blk_crc", 2048);
	uint32_t npat = (uint32_t)bt_opt("blk_patn", 8192);
	struct bt_batch b = {.reqs = bt_alloc(sizeof(struct blk_req) * BT_MAX_REQS)};
	uint8_t *buf = bt_alloc((uint64_t)(npat > ncrc ? npat : ncrc) * 512);

	BT_OK(b.reqs && buf, "buffers allocated");
	BT_OK(blk_get(ndisks - 1) && !blk_get(ndisks), "%u disk(s) found", ndisks);
	for (unsigned i = 0; i < ndisks && blk_get(i) && buf; i++) {
		struct blk_disk *d = blk_get(i);
		bt_expect(d);
		bt_crc(d, buf, ncrc);
		bt_refusals(d, buf);
		if (!d->bd_ro)
			bt_pattern_rw(d, i, &b, buf);
	}
	monitor_execute((char[]){"virtio"});
	ktap_plan(bt_n);
}

/* The one request of b that failed must be the one holding sector s, with D_IO_ERROR. */
static void
bt_eio_expect(struct bt_batch *b, uint64_t s, const char *what)
{
	unsigned bad = 0, where = 0;

	for (unsigned i = 0; i < b->n; i++) {
		if (b->reqs[i].br_error) {
			bad++;
			where = i;
		}
	}
	struct blk_req *r = &b->reqs[where];
	BT_OK(bad == 1 && r->br_error == D_IO_ERROR && s >= r->br_sector &&
	          s < r->br_sector + r->br_count,
	      "%s: only the request holding sector %lu failed, with an I/O error (%u failed, "
	      "%lu+%u: %s)",
	      what, s, bad, r->br_sector, r->br_count, blk_strerror(r->br_error));
	if (bad == 1)
		ktap_diag("%s-failed %lu %u", what, r->br_sector, r->br_count);
}

/* The requests of b that succeeded hold the pattern of run. */
static void
bt_eio_data(struct bt_batch *b, uint8_t *buf, uint64_t s0, uint64_t run)
{
	long bad = -1;

	for (unsigned i = 0; i < b->n && bad < 0; i++) {
		struct blk_req *r = &b->reqs[i];
		if (r->br_error == 0)
			bad = bt_pattern_check(buf + (r->br_sector - s0) * 512, r->br_sector,
			                       r->br_count, run, 0);
	}
	BT_OK(bad < 0, "the other reads in flight returned the host's pattern");
}

KTEST(blk_eio, "virtio-blk: injected EIO fails one request, the others complete")
{
	uint64_t s0 = bt_opt("blk_pat", 4096), run = bt_opt("blk_run", 1);
	uint32_t n = (uint32_t)bt_opt("blk_patn", 8192);
	struct bt_batch b = {.reqs = bt_alloc(sizeof(struct blk_req) * BT_MAX_REQS)};
	uint8_t *buf = bt_alloc((uint64_t)n * 512);
	struct blk_disk *d = blk_get(0);

	if (!BT_OK(d && b.reqs && buf, "disk and buffers")) {
		ktap_plan(bt_n);
		return;
	}
	bt_batch_run(d, &b, BLK_OP_READ, s0, n, buf);
	bt_eio_expect(&b, bt_opt("blk_eio_read", 0), "eio-read");
	bt_eio_data(&b, buf, s0, run);
	for (uint32_t i = 0; i < n; i++)
		bt_pattern(buf + (uint64_t)i * 512, s0 + i, run + 1, 0);
	bt_batch_run(d, &b, BLK_OP_WRITE, s0, n, buf);
	bt_eio_expect(&b, bt_opt("blk_eio_write", 0), "eio-write");
	io_return_t err = blk_flush_sync(d);
	BT_OK(err == D_SUCCESS, "flush after the errors: %s", blk_strerror(err));
	err = blk_read_sync(d, s0, 8, buf);
	BT_OK(err == 0 && bt_pattern_check(buf, s0, 8, run + 1, 0) < 0,
	      "the disk still works after the errors");
	ktap_plan(bt_n);
}

KTEST(blk_flush, "virtio-blk: pattern written and flushed, then QEMU is killed")
{
	uint64_t s0 = bt_opt("blk_pat", 4096), run = bt_opt("blk_run", 1);
	uint32_t n = (uint32_t)bt_opt("blk_patn", 8192);
	struct bt_batch b = {.reqs = bt_alloc(sizeof(struct blk_req) * BT_MAX_REQS)};
	uint8_t *buf = bt_alloc((uint64_t)n * 512);
	struct blk_disk *d = blk_get(0);

	if (!d || !b.reqs || !buf)
		panic("blk_flush: no disk or no memory");
	for (uint32_t i = 0; i < n; i++)
		bt_pattern(buf + (uint64_t)i * 512, s0 + i, run, 0);
	io_return_t err = bt_batch_run(d, &b, BLK_OP_WRITE, s0, n, buf);
	if (err || bt_batch_errors(&b))
		panic("blk_flush: writes failed");
	err = blk_flush_sync(d);
	ktap_diag("flush %s", err ? blk_strerror(err) : "done");
	for (;;)
		cpu_idle_wait();
}
