// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel block layer (see device/blk.h): the disk registry, request
 * submission with a wait list for when the driver has no room, the
 * completion path, and the synchronous wrappers. It knows disks only
 * through struct blk_driver_ops; the "blk" spinlock serialises it (and
 * the drivers' submissions) against the completion interrupts.
 */
#include "device/blk.h"

#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/string.h"

static struct spinlock blk_lock = SPINLOCK_INIT("blk", LOCK_RANK_BLK);
/* Woken after every completion: blk_wait's callers re-check their condition. */
static struct wait_event blk_event = WAIT_EVENT_INIT("blk");
static struct blk_disk *blk_disks[BLK_MAX_DISKS];
static unsigned blk_ndisks;

/* A name prefix: 1 to 4 letters ("vd", "rd"). */
static bool
blk_prefix_ok(const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;

	if (n == 0 || n > 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((prefix[i] >= 'a' && prefix[i] <= 'z') ||
		      (prefix[i] >= 'A' && prefix[i] <= 'Z')))
			return false;
	return true;
}

/* Under the lock: the next number of prefix, counting its whole disks. */
static unsigned
blk_next_number(const char *prefix)
{
	size_t n = strlen(prefix);
	unsigned next = 0;

	for (unsigned i = 0; i < blk_ndisks; i++) {
		const char *name = blk_disks[i]->bd_name;
		if (!blk_disks[i]->bd_parent && !strncmp(name, prefix, n) && name[n] >= '0' &&
		    name[n] <= '9')
			next++;
	}
	return next;
}

/* Under the lock: adds d to the table; false when it is full. */
static bool
blk_insert(struct blk_disk *d)
{
	if (blk_ndisks == BLK_MAX_DISKS)
		return false;
	d->bd_pend_head = d->bd_pend_tail = NULL;
	blk_disks[blk_ndisks++] = d;
	return true;
}

io_return_t
blk_register(struct blk_disk *d, const char *prefix)
{
	uint64_t fl;

	if (!d || !blk_prefix_ok(prefix))
		return D_INVALID_OPERATION;
	fl = spin_lock_irqsave(&blk_lock);
	ksnprintf(d->bd_name, sizeof(d->bd_name), "%s%u", prefix, blk_next_number(prefix));
	d->bd_parent = NULL;
	d->bd_start = 0;
	d->bd_part_number = 0;
	if (!blk_insert(d)) {
		spin_unlock_irqrestore(&blk_lock, fl);
		return D_NO_MEMORY;
	}
	spin_unlock_irqrestore(&blk_lock, fl);
	log_info("%s: %lu sectors (%lu MiB), %u-byte blocks%s", d->bd_name, d->bd_sectors,
	         d->bd_sectors >> 11, d->bd_block_size, d->bd_ro ? ", read-only" : "");
	return D_SUCCESS;
}

io_return_t
blk_register_partition(struct blk_disk *parent, uint32_t number, uint64_t start, uint64_t sectors)
{
	struct blk_disk *p;
	uint32_t per;
	uint64_t fl;

	if (!parent || parent->bd_parent || sectors == 0 || start >= parent->bd_sectors ||
	    sectors > parent->bd_sectors - start)
		return D_INVALID_OPERATION;
	per = parent->bd_block_size / BLK_SECTOR;
	if (start % per || sectors % per)
		return D_INVALID_OPERATION;
	p = kzalloc(sizeof(*p));
	if (!p)
		return D_NO_MEMORY;
	ksnprintf(p->bd_name, sizeof(p->bd_name), "%ss%u", parent->bd_name, number);
	p->bd_sectors = sectors;
	p->bd_block_size = parent->bd_block_size;
	p->bd_ro = parent->bd_ro;
	p->bd_ops = parent->bd_ops;
	p->bd_priv = parent->bd_priv;
	p->bd_parent = parent;
	p->bd_start = start;
	p->bd_part_number = number;
	fl = spin_lock_irqsave(&blk_lock);
	if (!blk_insert(p)) {
		spin_unlock_irqrestore(&blk_lock, fl);
		kfree(p);
		return D_NO_MEMORY;
	}
	spin_unlock_irqrestore(&blk_lock, fl);
	log_info("%s: sectors %lu..%lu of %s (%lu MiB)%s", p->bd_name, start, start + sectors - 1,
	         parent->bd_name, sectors >> 11, p->bd_ro ? ", read-only" : "");
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

/*
 * A request addressed to partition p: checked against p's range (the
 * whole disk's driver checks the rest) and moved onto the whole disk.
 * blk_part_leave() moves it back, when it is refused or done, so the
 * caller finds br_sector as it set it.
 */
static io_return_t
blk_part_enter(struct blk_disk *p, struct blk_req *req)
{
	if (req->br_op != BLK_OP_FLUSH) {
		if (req->br_sector > p->bd_sectors ||
		    req->br_count > p->bd_sectors - req->br_sector)
			return D_INVALID_RECNUM;
		req->br_sector += p->bd_start;
	}
	req->br_part = p;
	return D_SUCCESS;
}

static void
blk_part_leave(struct blk_req *req)
{
	if (req->br_op != BLK_OP_FLUSH)
		req->br_sector -= req->br_part->bd_start;
}

io_return_t
blk_check(struct blk_disk *d, struct blk_req *req)
{
	io_return_t err = blk_req_usable(d, req);
	struct blk_disk *part = NULL;
	uint64_t fl;

	if (err)
		return err;
	if (d->bd_parent) {
		part = d;
		err = blk_part_enter(part, req);
		if (err)
			return err;
		d = part->bd_parent;
	}
	fl = spin_lock_irqsave(&blk_lock);
	err = d->bd_ops->bo_check(d, req);
	spin_unlock_irqrestore(&blk_lock, fl);
	err = err ? blk_refusal(d, req, err) : D_SUCCESS;
	if (part)
		blk_part_leave(req);
	return err;
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

static inline __attribute__((always_inline)) void
blk_count_one(struct blk_disk *d, enum blk_op op)
{
	d->bd_inflight++;
	if (op == BLK_OP_READ)
		d->bd_reads++;
	else if (op == BLK_OP_FLUSH)
		d->bd_flushes++;
	else
		d->bd_writes++;
}

/*
 * Under the lock: req was sent. Counted on the whole disk only: a
 * partition's requests are its disk's, and the I/O path pays nothing for
 * partitions but the test in blk_end.
 */
static inline __attribute__((always_inline)) void
blk_count(struct blk_disk *d, const struct blk_req *req)
{
	blk_count_one(d, req->br_op);
}

/* Under the lock: req, sent to d, was refused after all (blk_drain). */
static void
blk_end(struct blk_disk *d, struct blk_req *req, io_return_t err)
{
	d->bd_inflight--;
	d->bd_errors++;
	if (req->br_part)
		blk_part_leave(req);
	req->br_error = err;
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
static inline __attribute__((always_inline)) io_return_t
blk_submit_disk(struct blk_disk *d, struct blk_req *req)
{
	io_return_t err;
	uint64_t fl;

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
 * A partition's request joins its whole disk's: same driver, same wait
 * list (so a full queue is retried on any of the disk's completions).
 */
static __attribute__((noinline)) io_return_t
blk_submit_part(struct blk_disk *p, struct blk_req *req)
{
	io_return_t err = blk_part_enter(p, req);

	if (err)
		return err;
	err = blk_submit_disk(p->bd_parent, req);
	if (err)
		blk_part_leave(req);
	return err;
}

io_return_t
blk_submit(struct blk_disk *d, struct blk_req *req)
{
	if (!d || !req || !req->br_done)
		return blk_req_usable(d, req);
	if (__builtin_expect(d->bd_parent != NULL, 0))
		return blk_submit_part(d, req);
	req->br_part = NULL;
	return blk_submit_disk(d, req);
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
		blk_end(d, req, err);
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
 * blk_complete's rare cases (lock held, dropped here): a partition's
 * request gets its sector back; requests waiting for room go first, being
 * older than anything req's callback may submit.
 */
static __attribute__((noinline)) void
blk_complete_slow(struct blk_disk *d, struct blk_req *req, uint64_t fl)
{
	struct blk_req *failed = NULL;

	if (req->br_part)
		blk_part_leave(req);
	if (d->bd_pend_head)
		failed = blk_drain(d);
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
	if (d->bd_pend_head || req->br_part) {
		blk_complete_slow(d, req, fl);
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
