// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-kernel test of partitions and RAM disks (device/blk_part.c,
 * device/ramdisk.c), driven by tests/qemu/blkdevs.t, which made the disk
 * images and boot modules and checks from the host what is printed here
 * and what was written.
 *
 * test=blkdevs: for every disk, prints
 *   # disk NAME parent=P start=S sectors=N bs=B ro=R
 * Partitions and RAM disks get, in this order:
 *   # crc NAME first=X last=Y      CRC-32 of the first and the last block
 *   # crc NAME all=X               (RAM disks) CRC-32 of the whole disk
 * then checks (TAP): the first block through the partition equals the
 * whole disk's at the partition's start; a read and a write that start at
 * the end or cross it are refused with D_INVALID_RECNUM, synchronously
 * and asynchronously (no callback); a completed request has its sector
 * back as the caller set it; on a read-only disk a write gets
 * D_READ_ONLY; else "VMACHPART NAME first" and "VMACHPART NAME last" are
 * written at the start of the first and the last block, and read back
 * through the layer (the host finds them in the image). 32 requests in
 * flight at once on each (RAM disk completions are deferred to an
 * interrupt; a small virtio queue makes partition requests wait for room)
 * all complete with the right data and their sectors as set.
 */
#include "device/blk.h"
#include "debug/blk_monitor.h"
#include "debug/ktest.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define BD_BUF_BYTES (64 * 1024)
#define BD_INFLIGHT 32

static int bd_n;
#define BD_OK(...) (bd_n++, ktap_ok(__VA_ARGS__))

static void *
bd_alloc(uint64_t bytes)
{
	uint64_t pa = page_alloc_bytes(bytes, PAGE_ZERO);

	return pa ? phys_to_virt(pa) : NULL;
}

static bool
bd_is_ramdisk(const struct blk_disk *d)
{
	return !d->bd_parent && d->bd_name[0] == 'r' && d->bd_name[1] == 'd';
}

struct bd_async {
	volatile unsigned done;
	volatile bool called;
};

static void
bd_async_done(struct blk_req *req)
{
	struct bd_async *a = req->br_arg;

	a->called = true;
	a->done++;
}

static bool
bd_async_reached(void *arg)
{
	struct bd_async *a = arg;

	return a->done > 0;
}

/* One asynchronous request; its result, or the refusal. */
static io_return_t
bd_async_one(struct blk_disk *d, enum blk_op op, uint64_t sector, uint32_t count, void *buf,
             bool *called, uint64_t *sector_after)
{
	struct bd_async a = {0};
	struct blk_req req = {
	    .br_op = op,
	    .br_sector = sector,
	    .br_count = count,
	    .br_buf = buf,
	    .br_done = bd_async_done,
	    .br_arg = &a,
	};
	io_return_t err = blk_submit(d, &req);

	if (err == D_SUCCESS) {
		blk_wait(bd_async_reached, &a);
		err = req.br_error;
	}
	*called = a.called;
	*sector_after = req.br_sector;
	return err;
}

static void
bd_refusals(struct blk_disk *d, uint8_t *buf)
{
	uint32_t per = d->bd_block_size / BLK_SECTOR;
	uint64_t end = d->bd_sectors, sector_after;
	io_return_t err;
	bool called;

	err = blk_read_sync(d, end, per, buf);
	BD_OK(err == D_INVALID_RECNUM, "%s: read at its end refused: %s", d->bd_name,
	      blk_strerror(err));
	err = blk_read_sync(d, end - per, 2 * per, buf);
	BD_OK(err == D_INVALID_RECNUM, "%s: read across its end refused: %s", d->bd_name,
	      blk_strerror(err));
	err = bd_async_one(d, BLK_OP_WRITE, end - per, 2 * per, buf, &called, &sector_after);
	BD_OK(err == D_INVALID_RECNUM && !called && sector_after == end - per,
	      "%s: async write across its end refused, no callback, sector kept: %s", d->bd_name,
	      blk_strerror(err));
	err = bd_async_one(d, BLK_OP_READ, end - per, per, buf, &called, &sector_after);
	BD_OK(err == D_SUCCESS && called && sector_after == end - per,
	      "%s: async read of its last block done, its sector back as set (%lu)", d->bd_name,
	      sector_after);
}

/* The first block through partition p equals the whole disk's at p's start. */
static void
bd_same_as_parent(struct blk_disk *p, uint8_t *buf)
{
	uint32_t bs = p->bd_block_size, per = bs / BLK_SECTOR;
	io_return_t e1 = blk_read_sync(p, 0, per, buf);
	io_return_t e2 = blk_read_sync(p->bd_parent, p->bd_start, per, buf + bs);

	BD_OK(e1 == D_SUCCESS && e2 == D_SUCCESS && !memcmp(buf, buf + bs, bs),
	      "%s: its block 0 is %s's block at sector %lu", p->bd_name, p->bd_parent->bd_name,
	      p->bd_start);
}

static void
bd_tag(uint8_t *blk, uint32_t bs, const char *name, const char *which)
{
	memset(blk, 0, bs);
	ksnprintf((char *)blk, bs, "VMACHPART %s %s", name, which);
}

static void
bd_write_tags(struct blk_disk *d, uint8_t *buf)
{
	uint32_t bs = d->bd_block_size, per = bs / BLK_SECTOR;
	uint64_t last = d->bd_sectors - per;
	io_return_t err;

	if (d->bd_ro) {
		bd_tag(buf, bs, d->bd_name, "first");
		err = blk_write_sync(d, 0, per, buf);
		BD_OK(err == D_READ_ONLY, "%s: write to a read-only disk refused: %s", d->bd_name,
		      blk_strerror(err));
		return;
	}
	bd_tag(buf, bs, d->bd_name, "first");
	err = blk_write_sync(d, 0, per, buf);
	bd_tag(buf, bs, d->bd_name, "last");
	if (err == D_SUCCESS)
		err = blk_write_sync(d, last, per, buf);
	if (err == D_SUCCESS)
		err = blk_flush_sync(d);
	BD_OK(err == D_SUCCESS, "%s: tags written at its first and last block: %s", d->bd_name,
	      blk_strerror(err));
	bd_tag(buf + 2 * bs, bs, d->bd_name, "first");
	bd_tag(buf + 3 * bs, bs, d->bd_name, "last");
	memset(buf, 0xee, 2 * bs);
	bool ok = blk_read_sync(d, 0, per, buf) == D_SUCCESS &&
	          blk_read_sync(d, last, per, buf + bs) == D_SUCCESS &&
	          !memcmp(buf, buf + 2 * bs, 2 * bs);
	BD_OK(ok, "%s: tags read back", d->bd_name);
}

static void
bd_crcs(struct blk_disk *d, uint8_t *buf)
{
	uint32_t bs = d->bd_block_size, per = bs / BLK_SECTOR;
	io_return_t e1 = blk_read_sync(d, 0, per, buf);
	io_return_t e2 = blk_read_sync(d, d->bd_sectors - per, per, buf + bs);

	ktap_diag("crc %s first=%08x last=%08x", d->bd_name, blk_crc32(0, buf, bs),
	          blk_crc32(0, buf + bs, bs));
	BD_OK(e1 == D_SUCCESS && e2 == D_SUCCESS, "%s: first and last block read", d->bd_name);
	if (bd_is_ramdisk(d)) {
		uint32_t crc = 0, chunk = BD_BUF_BYTES / BLK_SECTOR;
		io_return_t err = D_SUCCESS;
		for (uint64_t s = 0; s < d->bd_sectors && err == D_SUCCESS; s += chunk) {
			uint32_t n =
			    d->bd_sectors - s < chunk ? (uint32_t)(d->bd_sectors - s) : chunk;
			err = blk_read_sync(d, s, n, buf);
			crc = blk_crc32(crc, buf, (uint64_t)n * BLK_SECTOR);
		}
		ktap_diag("crc %s all=%08x", d->bd_name, crc);
		BD_OK(err == D_SUCCESS, "%s: read whole", d->bd_name);
	}
}

struct bd_batch {
	volatile unsigned done;
	unsigned want;
};

static void
bd_batch_done(struct blk_req *req)
{
	struct bd_batch *b = req->br_arg;

	b->done++;
}

static bool
bd_batch_reached(void *arg)
{
	struct bd_batch *b = arg;

	return b->done >= b->want;
}

/*
 * BD_INFLIGHT one-block reads of blocks 0..BD_INFLIGHT-1 of d, all
 * submitted before any is waited for (on a RAM disk their completions are
 * deferred to one interrupt; on a small virtio queue most wait for room in
 * the whole disk's wait list): each lands where it belongs and gets its
 * sector back as set.
 */
static void
bd_many(struct blk_disk *d, struct blk_req *reqs, uint8_t *buf)
{
	uint32_t bs = d->bd_block_size, per = bs / BLK_SECTOR;
	unsigned n = BD_INFLIGHT, sent = 0, kept = 0;
	struct bd_batch b = {0, n};
	uint8_t *want = buf + (uint64_t)n * bs;

	if ((uint64_t)n * per > d->bd_sectors || 2ull * n * bs > BD_BUF_BYTES)
		n = 1;
	b.want = n;
	if (blk_read_sync(d, 0, n * per, want) != D_SUCCESS)
		return;
	memset(buf, 0, (uint64_t)n * bs);
	for (unsigned i = 0; i < n; i++) {
		/* Backwards: completions in submission order still fill each its own. */
		unsigned s = n - 1 - i;
		reqs[i] = (struct blk_req){
		    .br_op = BLK_OP_READ,
		    .br_sector = (uint64_t)s * per,
		    .br_count = per,
		    .br_buf = buf + (uint64_t)s * bs,
		    .br_done = bd_batch_done,
		    .br_arg = &b,
		};
		sent += blk_submit(d, &reqs[i]) == D_SUCCESS;
	}
	b.want = sent;
	blk_wait(bd_batch_reached, &b);
	for (unsigned i = 0; i < n; i++)
		kept += reqs[i].br_sector == (uint64_t)(n - 1 - i) * per && reqs[i].br_error == 0;
	if (d->bd_parent)
		ktap_diag("requeued %s %lu", d->bd_parent->bd_name, d->bd_parent->bd_requeued);
	BD_OK(sent == n && kept == n && !memcmp(buf, want, (uint64_t)n * bs),
	      "%s: %u reads in flight at once, all done with the right data and sector", d->bd_name,
	      sent);
}

KTEST(blkdevs, "partitions and RAM disks: sizes, offsets, confinement, writes")
{
	uint8_t *buf = bd_alloc(BD_BUF_BYTES);
	struct blk_req *reqs = bd_alloc(sizeof(struct blk_req) * BD_INFLIGHT);
	struct blk_disk *d;
	unsigned ndisks = 0;

	BD_OK(buf && reqs, "buffers allocated");
	for (unsigned i = 0; buf && reqs && (d = blk_get(i)) != NULL; i++) {
		ndisks++;
		ktap_diag("disk %s parent=%s start=%lu sectors=%lu bs=%u ro=%d", d->bd_name,
		          d->bd_parent ? d->bd_parent->bd_name : "-", d->bd_start, d->bd_sectors,
		          d->bd_block_size, d->bd_ro);
		if (!d->bd_parent && !bd_is_ramdisk(d))
			continue;
		bd_crcs(d, buf);
		if (d->bd_parent)
			bd_same_as_parent(d, buf);
		bd_refusals(d, buf);
		bd_many(d, reqs, buf);
		bd_write_tags(d, buf);
	}
	BD_OK(ndisks > 0, "%u disk(s)", ndisks);
	ktap_plan(bd_n);
}
