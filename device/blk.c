// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel block layer (see device/blk.h): the disk registry, request
 * submission with a wait list for when the driver has no room, the
 * completion path, and the synchronous wrappers. It knows disks only
 * through struct blk_driver_ops; the "blk" spinlock serialises it (and
 * the drivers' submissions) against the completion interrupts.
 */
#include "device/blk.h"

#include "kern/log.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/string.h"

static struct spinlock blk_lock = SPINLOCK_INIT("blk", LOCK_RANK_BLK);
/* Woken after every completion: blk_wait's callers re-check their condition. */
static struct wait_event blk_event = WAIT_EVENT_INIT("blk");
static struct blk_disk *blk_disks[BLK_MAX_DISKS];
static unsigned blk_ndisks;

io_return_t
blk_register(struct blk_disk *d)
{
	uint64_t fl = spin_lock_irqsave(&blk_lock);

	if (blk_ndisks == BLK_MAX_DISKS) {
		spin_unlock_irqrestore(&blk_lock, fl);
		return D_NO_MEMORY;
	}
	ksnprintf(d->bd_name, sizeof(d->bd_name), "vd%u", blk_ndisks);
	d->bd_pend_head = d->bd_pend_tail = NULL;
	blk_disks[blk_ndisks++] = d;
	spin_unlock_irqrestore(&blk_lock, fl);
	log_info("%s: %lu sectors (%lu MiB), %u-byte blocks%s", d->bd_name, d->bd_sectors,
	         d->bd_sectors >> 11, d->bd_block_size, d->bd_ro ? ", read-only" : "");
	return D_SUCCESS;
}

struct blk_disk *
blk_find(const char *name)
{
	struct blk_disk *d = NULL;
	uint64_t fl = spin_lock_irqsave(&blk_lock);

	for (unsigned i = 0; i < blk_ndisks && !d; i++)
		if (!strcmp(blk_disks[i]->bd_name, name))
			d = blk_disks[i];
	spin_unlock_irqrestore(&blk_lock, fl);
	return d;
}

struct blk_disk *
blk_get(unsigned i)
{
	struct blk_disk *d;
	uint64_t fl = spin_lock_irqsave(&blk_lock);

	d = i < blk_ndisks ? blk_disks[i] : NULL;
	spin_unlock_irqrestore(&blk_lock, fl);
	return d;
}

/* What blk_submit and blk_check refuse before asking the driver. */
static io_return_t
blk_req_usable(struct blk_disk *d, struct blk_req *req)
{
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!req || !req->br_done)
		return D_INVALID_OPERATION;
	return D_SUCCESS;
}

/*
 * The driver refused req: say why in the layer's terms. A driver answers
 * D_INVALID_SIZE for anything wrong with the sectors; the layer knows the
 * capacity, so it tells a range error apart. Only refusals come here: the
 * path of an accepted request pays nothing for it.
 */
static io_return_t
blk_refusal(const struct blk_disk *d, const struct blk_req *req, io_return_t err)
{
	uint64_t cap = d->bd_sectors;

	if (err != D_INVALID_SIZE || req->br_op == BLK_OP_FLUSH)
		return err;
	if (req->br_sector > cap || req->br_count > cap - req->br_sector)
		return D_INVALID_RECNUM;
	return err;
}

io_return_t
blk_check(struct blk_disk *d, struct blk_req *req)
{
	io_return_t err = blk_req_usable(d, req);
	uint64_t fl;

	if (err)
		return err;
	fl = spin_lock_irqsave(&blk_lock);
	err = d->bd_ops->bo_check(d, req);
	spin_unlock_irqrestore(&blk_lock, fl);
	return err ? blk_refusal(d, req, err) : D_SUCCESS;
}

/* Under the lock. */
static void
blk_pend(struct blk_disk *d, struct blk_req *req)
{
	req->br_next = NULL;
	if (d->bd_pend_tail)
		d->bd_pend_tail->br_next = req;
	else
		d->bd_pend_head = req;
	d->bd_pend_tail = req;
	d->bd_requeued++;
}

/* Under the lock. */
static void
blk_count(struct blk_disk *d, const struct blk_req *req)
{
	d->bd_inflight++;
	if (req->br_op == BLK_OP_READ)
		d->bd_reads++;
	else if (req->br_op == BLK_OP_FLUSH)
		d->bd_flushes++;
	else
		d->bd_writes++;
}

/*
 * The driver sent nothing (lock held, dropped here): queue req if it only
 * lacked room or must wait behind others, else name the refusal. Out of
 * line, so the common path stays short.
 */
static __attribute__((noinline)) io_return_t
blk_submit_unsent(struct blk_disk *d, struct blk_req *req, io_return_t err, uint64_t fl)
{
	if (err == D_WOULD_BLOCK) {
		blk_pend(d, req);
		err = D_SUCCESS;
	}
	spin_unlock_irqrestore(&blk_lock, fl);
	return err ? blk_refusal(d, req, err) : D_SUCCESS;
}

/*
 * The driver's submit checks the request completely before it sends
 * anything (and says D_WOULD_BLOCK only for a request that passed), so a
 * request is checked once on its way to the device; only one that must
 * wait behind others is checked on its own first.
 */
io_return_t
blk_submit(struct blk_disk *d, struct blk_req *req)
{
	io_return_t err;
	uint64_t fl;

	if (!d || !req || !req->br_done)
		return blk_req_usable(d, req);
	req->br_disk = d;
	req->br_error = D_SUCCESS;
	fl = spin_lock_irqsave(&blk_lock);
	if (d->bd_pend_head) {
		err = d->bd_ops->bo_check(d, req);
		return blk_submit_unsent(d, req, err ? err : D_WOULD_BLOCK, fl);
	}
	err = d->bd_ops->bo_submit(d, req);
	if (err != D_SUCCESS)
		return blk_submit_unsent(d, req, err, fl);
	blk_count(d, req);
	spin_unlock_irqrestore(&blk_lock, fl);
	return D_SUCCESS;
}

/*
 * Send waiting requests while the driver has room (under the lock). The
 * ones it now refuses (the device went down meanwhile) are returned as a
 * list, to be completed once the lock is dropped.
 */
static struct blk_req *
blk_drain(struct blk_disk *d)
{
	struct blk_req *req, *failed = NULL, **tail = &failed;
	io_return_t err;

	while ((req = d->bd_pend_head) != NULL) {
		err = d->bd_ops->bo_submit(d, req);
		if (err == D_WOULD_BLOCK)
			break;
		d->bd_pend_head = req->br_next;
		if (!d->bd_pend_head)
			d->bd_pend_tail = NULL;
		blk_count(d, req);
		if (err == D_SUCCESS)
			continue;
		d->bd_inflight--;
		d->bd_errors++;
		req->br_error = err;
		req->br_next = NULL;
		*tail = req;
		tail = &req->br_next;
	}
	return failed;
}

/* Callbacks of the requests blk_drain could not send (no lock held). */
static void
blk_fail_list(struct blk_req *req)
{
	struct blk_req *next;

	for (; req; req = next) {
		next = req->br_next; /* br_done may submit req again */
		req->br_done(req);
	}
}

/*
 * blk_complete with requests waiting for room (lock held, dropped here):
 * they go first, being older than anything req's callback may submit.
 */
static __attribute__((noinline)) void
blk_complete_drain(struct blk_disk *d, struct blk_req *req, uint64_t fl)
{
	struct blk_req *failed = blk_drain(d);

	spin_unlock_irqrestore(&blk_lock, fl);
	req->br_done(req);
	blk_fail_list(failed);
	wait_wake(&blk_event);
}

void
blk_complete(struct blk_req *req, io_return_t err)
{
	struct blk_disk *d = req->br_disk;
	uint64_t fl = spin_lock_irqsave(&blk_lock);

	d->bd_inflight--;
	if (err != D_SUCCESS)
		d->bd_errors++;
	req->br_error = err;
	if (d->bd_pend_head) {
		blk_complete_drain(d, req, fl);
		return;
	}
	spin_unlock_irqrestore(&blk_lock, fl);
	req->br_done(req);
	wait_wake(&blk_event);
}

void
blk_wait(wait_cond_fn *cond, void *arg)
{
	/* No deadline: the request is the device's until it completes. */
	wait_until(&blk_event, cond, arg, WAIT_FOREVER);
}

static void
blk_sync_done(struct blk_req *req)
{
	*(volatile bool *)req->br_arg = true;
}

static bool
blk_sync_is_done(void *arg)
{
	return *(volatile bool *)arg;
}

static io_return_t
blk_sync_one(struct blk_disk *d, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	volatile bool done = false;
	struct blk_req req = {
	    .br_op = op,
	    .br_sector = sector,
	    .br_count = count,
	    .br_buf = buf,
	    .br_done = blk_sync_done,
	    .br_arg = (void *)&done,
	};
	io_return_t err = blk_submit(d, &req);

	if (err)
		return err;
	blk_wait(blk_sync_is_done, (void *)&done);
	return req.br_error;
}

/* Reads or writes in pieces the driver can always take. */
static io_return_t
blk_rw_sync(struct blk_disk *d, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	uint32_t per, max;
	io_return_t err;

	if (!d)
		return D_NO_SUCH_DEVICE;
	per = d->bd_block_size / BLK_SECTOR;
	max = d->bd_ops->bo_max_sectors(d);
	max -= max % per;
	if (max == 0)
		return D_INVALID_SIZE;
	do {
		uint32_t n = count < max ? count : max;
		err = blk_sync_one(d, op, sector, n, buf);
		sector += n;
		count -= n;
		buf = (uint8_t *)buf + (uint64_t)n * BLK_SECTOR;
	} while (err == D_SUCCESS && count > 0);
	return err;
}

io_return_t
blk_read_sync(struct blk_disk *d, uint64_t sector, uint32_t count, void *buf)
{
	return blk_rw_sync(d, BLK_OP_READ, sector, count, buf);
}

io_return_t
blk_write_sync(struct blk_disk *d, uint64_t sector, uint32_t count, const void *buf)
{
	return blk_rw_sync(d, BLK_OP_WRITE, sector, count, (void *)buf);
}

io_return_t
blk_flush_sync(struct blk_disk *d)
{
	return blk_sync_one(d, BLK_OP_FLUSH, 0, 0, NULL);
}

const char *
blk_strerror(io_return_t err)
{
	switch (err) {
	case D_SUCCESS:
		return "success";
	case D_IO_ERROR:
		return "the device reported an I/O error";
	case D_WOULD_BLOCK:
		return "the device has no room now: try again";
	case D_NO_SUCH_DEVICE:
		return "no such disk, or it went away";
	case D_DEVICE_DOWN:
		return "the device failed and was stopped";
	case D_INVALID_OPERATION:
		return "not supported by the device";
	case D_INVALID_RECNUM:
		return "sectors outside the disk";
	case D_INVALID_SIZE:
		return "invalid size or alignment";
	case D_NO_MEMORY:
		return "out of memory";
	case D_READ_ONLY:
		return "the disk is read-only";
	default:
		return "unknown error";
	}
}
