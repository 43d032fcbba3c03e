// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel block layer (see device/blk.h): the disk registry, request
 * submission with a wait list for when the driver's ring is full, and the
 * synchronous wrappers. One CPU today: the layer serialises with the
 * drivers' interrupt handlers by disabling interrupts.
 */
#include "device/blk.h"

#include "kern/cpu.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "virtio/virtio_err.h"
#include "x86_64/machine.h"

static struct blk_disk *blk_disks[BLK_MAX_DISKS];
static unsigned blk_ndisks;

int
blk_register(struct blk_disk *d)
{
	if (blk_ndisks == BLK_MAX_DISKS)
		return VIRTIO_ENOSPC;
	ksnprintf(d->bd_name, sizeof(d->bd_name), "vd%u", blk_ndisks);
	d->bd_pend_head = d->bd_pend_tail = NULL;
	blk_disks[blk_ndisks++] = d;
	log_info("%s: %lu sectors (%lu MiB), %u-byte blocks%s", d->bd_name, d->bd_sectors,
	         d->bd_sectors >> 11, d->bd_block_size, d->bd_ro ? ", read-only" : "");
	return 0;
}

struct blk_disk *
blk_find(const char *name)
{
	for (unsigned i = 0; i < blk_ndisks; i++)
		if (!strcmp(blk_disks[i]->bd_name, name))
			return blk_disks[i];
	return NULL;
}

struct blk_disk *
blk_get(unsigned i)
{
	return i < blk_ndisks ? blk_disks[i] : NULL;
}

int
blk_check(struct blk_disk *d, struct blk_req *req)
{
	if (!d || !req || !req->br_done)
		return VIRTIO_EINVAL;
	return d->bd_ops->bo_check(d, req);
}

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

/* Send waiting requests while the driver has room (interrupts off). */
static void
blk_drain(struct blk_disk *d)
{
	struct blk_req *req;
	int err;

	while ((req = d->bd_pend_head) != NULL) {
		err = d->bd_ops->bo_submit(d, req);
		if (err == VIRTIO_EAGAIN)
			return;
		d->bd_pend_head = req->br_next;
		if (!d->bd_pend_head)
			d->bd_pend_tail = NULL;
		blk_count(d, req);
		if (err)
			blk_complete(req, err);
	}
}

/*
 * The driver's submit checks the request completely before it sends
 * anything (and says VIRTIO_EAGAIN only for a request that passed), so a
 * request is checked once on its way to the device; only one that must
 * wait behind others is checked on its own first.
 */
int
blk_submit(struct blk_disk *d, struct blk_req *req)
{
	uint64_t flags;
	int err;

	if (!d || !req || !req->br_done)
		return VIRTIO_EINVAL;
	req->br_disk = d;
	req->br_error = 0;
	flags = irq_save();
	if (d->bd_pend_head) {
		err = d->bd_ops->bo_check(d, req);
		if (err == 0)
			err = VIRTIO_EAGAIN;
	} else {
		err = d->bd_ops->bo_submit(d, req);
	}
	if (err == VIRTIO_EAGAIN) {
		blk_pend(d, req);
		err = 0;
	} else if (err == 0) {
		blk_count(d, req);
	}
	irq_restore(flags);
	return err;
}

void
blk_complete(struct blk_req *req, int err)
{
	struct blk_disk *d = req->br_disk;

	d->bd_inflight--;
	if (err)
		d->bd_errors++;
	req->br_error = err;
	req->br_done(req);
	blk_drain(d);
}

void
blk_wait(volatile bool *done)
{
	uint64_t flags = irq_save();

	/* Interrupts off between the check and the halt: no lost wake-up. */
	while (!*done)
		cpu_idle_wait();
	irq_restore(flags);
}

static void
blk_sync_done(struct blk_req *req)
{
	*(volatile bool *)req->br_arg = true;
}

static int
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
	int err = blk_submit(d, &req);

	if (err)
		return err;
	blk_wait(&done);
	return req.br_error;
}

/* Reads or writes in pieces the driver can always take. */
static int
blk_rw_sync(struct blk_disk *d, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	uint32_t per = d->bd_block_size / BLK_SECTOR;
	uint32_t max = d->bd_ops->bo_max_sectors(d);
	int err;

	max -= max % per;
	if (max == 0)
		return VIRTIO_EINVAL;
	do {
		uint32_t n = count < max ? count : max;
		err = blk_sync_one(d, op, sector, n, buf);
		sector += n;
		count -= n;
		buf = (uint8_t *)buf + (uint64_t)n * BLK_SECTOR;
	} while (err == 0 && count > 0);
	return err;
}

int
blk_read_sync(struct blk_disk *d, uint64_t sector, uint32_t count, void *buf)
{
	return blk_rw_sync(d, BLK_OP_READ, sector, count, buf);
}

int
blk_write_sync(struct blk_disk *d, uint64_t sector, uint32_t count, const void *buf)
{
	return blk_rw_sync(d, BLK_OP_WRITE, sector, count, (void *)buf);
}

int
blk_flush_sync(struct blk_disk *d)
{
	return blk_sync_one(d, BLK_OP_FLUSH, 0, 0, NULL);
}

const char *
blk_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case VIRTIO_EIO:
		return "the device reported an I/O error";
	case VIRTIO_EUNSUPP:
		return "not supported by the device";
	case VIRTIO_EROFS:
		return "the disk is read-only";
	case VIRTIO_EINVAL:
		return "invalid request (range, alignment or size)";
	case VIRTIO_EBADDEV:
		return "the device broke the virtio spec and was stopped";
	case VIRTIO_ENODEV:
		return "the device went away";
	case VIRTIO_ENOMEM:
		return "out of memory";
	default:
		return virtio_strerror(err);
	}
}
