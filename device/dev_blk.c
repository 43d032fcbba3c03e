// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Disks through the Mach device interface (docs/devices.md): every disk of
 * the block layer (device/blk.h) by its name, with 512-byte records
 * whatever the disk's logical block size.
 *
 * Reads: the block layer reads by DMA straight into fresh pages, which
 * become the reply's out-of-line memory (vm_copy_alloc): no copy, for any
 * size or alignment (a read not aligned to the logical block reads the
 * blocks around it, and the copy's offset and size select the data).
 * Writes: DMA straight from the pages of the sender's out-of-line memory,
 * which the message's copy holds copy-on-write (the sender writing
 * meanwhile gets a page of its own), when the data starts on a block
 * boundary in its page; otherwise, and for in-band data, through a bounce
 * buffer, reading first the blocks a write covers only in part.
 */
#include <device/device_types.h>

#include "device/blk.h"
#include "device/dev.h"
#include "device/dev_name.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

#define REC_SIZE BLK_SECTOR
/* The bounce buffer's largest piece. */
#define BOUNCE_MAX (64 * 1024)

static uint64_t zero_page; /* DMA source for pages of a copy never touched */

/*
 * Synchronous I/O through blk_submit and blk_wait, as blk_read_sync does,
 * but with the request's 1 KiB of driver room left as it is (the driver
 * fills what it uses): initialising it cost a tenth of a 4 KiB read.
 */
static void
rw_done(struct blk_req *req)
{
	*(volatile bool *)req->br_arg = true;
}

static bool
rw_is_done(void *arg)
{
	return *(volatile bool *)arg;
}

static io_return_t
rw_sync(struct blk_disk *k, enum blk_op op, uint64_t s, uint64_t n, void *buf)
{
	uint32_t per = k->bd_block_size > REC_SIZE ? k->bd_block_size / REC_SIZE : 1;
	uint32_t max = k->bd_ops->bo_max_sectors(k);
	struct blk_req req;
	volatile bool done;

	max -= max % per;
	if (max == 0)
		return D_INVALID_SIZE;
	while (n) {
		uint32_t c = n < max ? (uint32_t)n : max;
		req.br_op = op;
		req.br_sector = s;
		req.br_count = c;
		req.br_buf = buf;
		req.br_done = rw_done;
		req.br_arg = (void *)&done;
		done = false;
		io_return_t err = blk_submit(k, &req);
		if (err != D_SUCCESS)
			return err;
		blk_wait(rw_is_done, (void *)&done);
		if (req.br_error != D_SUCCESS)
			return req.br_error;
		s += c;
		n -= c;
		buf = (uint8_t *)buf + (uint64_t)c * REC_SIZE;
	}
	return D_SUCCESS;
}

static struct blk_disk *
disk_of(struct device *d)
{
	return d->d_obj;
}

/* Sectors per logical block. */
static uint64_t
spb(const struct blk_disk *k)
{
	return k->bd_block_size > REC_SIZE ? k->bd_block_size / REC_SIZE : 1;
}

/*
 * The records a transfer of *bytes from recnum touches, clipped to the
 * disk (a short transfer at its end): D_INVALID_RECNUM when it starts past
 * the last record.
 */
static io_return_t
clip(const struct blk_disk *k, recnum_t recnum, uint32_t *bytes)
{
	if (recnum >= k->bd_sectors)
		return D_INVALID_RECNUM;
	uint64_t avail = (k->bd_sectors - recnum) * REC_SIZE;
	if (*bytes > avail)
		*bytes = (uint32_t)avail;
	return D_SUCCESS;
}

static io_return_t
blk_dev_open(void *obj, dev_mode_t mode)
{
	const struct blk_disk *k = obj;

	return (mode & D_WRITE) && k->bd_ro ? D_READ_ONLY : D_SUCCESS;
}

/* Reads sectors [s, s + n) into the pages of c from its start, one request per contiguous run. */
static io_return_t
read_into_copy(struct blk_disk *k, uint64_t s, uint64_t n, struct vm_copy *c)
{
	uint64_t i = 0, left = n * REC_SIZE;

	while (left) {
		uint64_t pa = vm_copy_page(c, i), run = PAGE_SIZE;
		while (run < left && vm_copy_page(c, i + run / PAGE_SIZE) == pa + run)
			run += PAGE_SIZE;
		if (run > left)
			run = left;
		io_return_t err = rw_sync(k, BLK_OP_READ, s, run / REC_SIZE, phys_to_virt(pa));
		if (err != D_SUCCESS)
			return err;
		s += run / REC_SIZE;
		left -= run;
		i += (run + PAGE_SIZE - 1) / PAGE_SIZE;
	}
	return D_SUCCESS;
}

static io_return_t read_blocks(struct blk_disk *k, uint64_t off, uint64_t len, uint8_t **buf,
                               uint64_t *start, uint64_t *n);

static io_return_t
blk_dev_read(struct device *d, recnum_t recnum, uint32_t bytes, struct vm_copy **data,
             uint32_t *count)
{
	struct blk_disk *k = disk_of(d);
	struct vm_copy *c;
	io_return_t err;

	*data = NULL;
	*count = 0;
	if ((err = clip(k, recnum, &bytes)) != D_SUCCESS || bytes == 0)
		return err;
	if (spb(k) * REC_SIZE > PAGE_SIZE) {
		/* Blocks larger than a page need contiguous memory: bounce (rare disks). */
		uint64_t off = recnum * REC_SIZE, start, n;
		uint8_t *buf;
		if ((err = read_blocks(k, off, bytes, &buf, &start, &n)) != D_SUCCESS)
			return err;
		kern_return_t kr = vm_copy_from_kernel(buf + (off - start), bytes, &c);
		kfree(buf);
		if (kr != KERN_SUCCESS)
			return D_NO_MEMORY;
		*data = c;
		*count = bytes;
		return D_SUCCESS;
	}
	/* The logical blocks around the records: [first, last). */
	uint64_t first = recnum / spb(k) * spb(k);
	uint64_t end = recnum + (bytes + REC_SIZE - 1) / REC_SIZE;
	uint64_t last = (end + spb(k) - 1) / spb(k) * spb(k);
	if (vm_copy_alloc((last - first) * REC_SIZE, &c) != KERN_SUCCESS)
		return D_NO_MEMORY;
	if ((err = read_into_copy(k, first, last - first, c)) != D_SUCCESS) {
		vm_copy_discard(c);
		return err;
	}
	c->c_offset = (recnum - first) * REC_SIZE;
	c->c_size = bytes;
	*data = c;
	*count = bytes;
	return D_SUCCESS;
}

/*
 * The blocks around [off, off + len) bytes into buf (its size a multiple
 * of the block size, from the block of off): the bounce buffer for
 * in-band reads and partial writes.
 */
static io_return_t
read_blocks(struct blk_disk *k, uint64_t off, uint64_t len, uint8_t **buf, uint64_t *start,
            uint64_t *n)
{
	uint64_t bs = spb(k) * REC_SIZE;

	*start = off / bs * bs;
	*n = ((off + len + bs - 1) / bs * bs - *start) / REC_SIZE;
	if (!(*buf = kmalloc(*n * REC_SIZE)))
		return D_NO_MEMORY;
	io_return_t err = rw_sync(k, BLK_OP_READ, *start / REC_SIZE, *n, *buf);
	if (err != D_SUCCESS)
		kfree(*buf);
	return err;
}

static io_return_t
blk_dev_read_inband(struct device *d, recnum_t recnum, uint32_t bytes, char *out, uint32_t *count)
{
	struct blk_disk *k = disk_of(d);
	uint64_t start, n;
	uint8_t *buf;
	io_return_t err;

	*count = 0;
	if ((err = clip(k, recnum, &bytes)) != D_SUCCESS || bytes == 0)
		return err;
	uint64_t off = recnum * REC_SIZE;
	/* Not on the stack: kernel stacks are not in the direct map, DMA cannot reach them. */
	if ((err = read_blocks(k, off, bytes, &buf, &start, &n)) != D_SUCCESS)
		return err;
	memcpy(out, buf + (off - start), bytes);
	kfree(buf);
	*count = bytes;
	return D_SUCCESS;
}

/*
 * Writes len bytes at byte off through a bounce buffer, in pieces, from
 * the copy c (its data's bytes from the same place) or the kernel buffer
 * kbuf: blocks only partly written are read first.
 */
static io_return_t
write_bounce(struct blk_disk *k, uint64_t off, const struct vm_copy *c, const char *kbuf,
             uint64_t len)
{
	uint64_t bs = spb(k) * REC_SIZE, done = 0;

	while (done < len) {
		uint64_t at = off + done, piece = len - done, start, n;
		uint8_t *buf;
		io_return_t err;

		if (piece > BOUNCE_MAX - at % bs)
			piece = BOUNCE_MAX - at % bs;
		if (at % bs == 0 && piece % bs == 0) { /* whole blocks: nothing to read first */
			start = at;
			n = piece / REC_SIZE;
			if (!(buf = kmalloc(piece)))
				return D_NO_MEMORY;
		} else if ((err = read_blocks(k, at, piece, &buf, &start, &n)) != D_SUCCESS) {
			return err;
		}
		if (c)
			vm_copy_read(c, done, buf + (at - start), piece);
		else
			memcpy(buf + (at - start), kbuf + done, piece);
		err = rw_sync(k, BLK_OP_WRITE, start / REC_SIZE, n, buf);
		kfree(buf);
		if (err != D_SUCCESS)
			return err;
		done += piece;
	}
	return D_SUCCESS;
}

/*
 * Writes the copy's data (its offset and len multiples of the block size)
 * to sector s by DMA from the copy's own pages, one request per
 * physically contiguous run; pages never touched come from a page of zeros.
 */
static io_return_t
write_direct(struct blk_disk *k, uint64_t s, const struct vm_copy *c, uint64_t len)
{
	uint64_t i = 0, in_page = c->c_offset, left = len;

	while (left) {
		uint64_t pa = vm_copy_page(c, i), pages = 1, run;

		if (!pa)
			pa = zero_page;
		else
			while ((pages << PAGE_SHIFT) - in_page < left &&
			       vm_copy_page(c, i + pages) == pa + (pages << PAGE_SHIFT))
				pages++;
		run = (pages << PAGE_SHIFT) - in_page;
		if (run > left)
			run = left;
		io_return_t err = rw_sync(k, BLK_OP_WRITE, s, run / REC_SIZE,
		                          (uint8_t *)phys_to_virt(pa) + in_page);
		if (err != D_SUCCESS)
			return err;
		s += run / REC_SIZE;
		left -= run;
		in_page = 0;
		i += pages;
	}
	return D_SUCCESS;
}

/* A write's range cut to the disk (clip's codes), then D_READ_ONLY on a read-only disk. */
static io_return_t
write_allowed(struct blk_disk *k, recnum_t recnum, uint32_t *bytes)
{
	io_return_t err = clip(k, recnum, bytes);

	return err != D_SUCCESS ? err : k->bd_ro ? D_READ_ONLY : D_SUCCESS;
}

static io_return_t
blk_dev_write(struct device *d, recnum_t recnum, const struct vm_copy *c, uint32_t bytes,
              uint32_t *written)
{
	struct blk_disk *k = disk_of(d);
	uint64_t bs;
	io_return_t err;

	*written = 0;
	if ((err = write_allowed(k, recnum, &bytes)) != D_SUCCESS || bytes == 0)
		return err;
	bs = spb(k) * REC_SIZE;
	if (bs <= PAGE_SIZE && (recnum * REC_SIZE) % bs == 0 && bytes % bs == 0 &&
	    c->c_offset % bs == 0 && c->c_offset < PAGE_SIZE && !c->c_pending)
		err = write_direct(k, recnum, c, bytes);
	else
		err = write_bounce(k, recnum * REC_SIZE, c, NULL, bytes);
	if (err == D_SUCCESS)
		*written = bytes;
	return err;
}

static io_return_t
blk_dev_write_inband(struct device *d, recnum_t recnum, const char *data, uint32_t bytes,
                     uint32_t *written)
{
	struct blk_disk *k = disk_of(d);
	io_return_t err;

	*written = 0;
	if ((err = write_allowed(k, recnum, &bytes)) != D_SUCCESS || bytes == 0)
		return err;
	err = write_bounce(k, recnum * REC_SIZE, NULL, data, bytes);
	if (err == D_SUCCESS)
		*written = bytes;
	return err;
}

/* An int of the status array: GNU Mach's layout has 32 bits; larger values saturate. */
static int
status_int(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (int)v;
}

static io_return_t
blk_dev_get_status(struct device *d, dev_flavor_t flavor, int *status, uint32_t *count)
{
	struct blk_disk *k = disk_of(d);

	switch (flavor) {
	case DEV_GET_SIZE:
		if (*count < DEV_GET_SIZE_COUNT)
			return D_INVALID_SIZE;
		status[DEV_GET_SIZE_DEVICE_SIZE] = status_int(k->bd_sectors * REC_SIZE);
		status[DEV_GET_SIZE_RECORD_SIZE] = REC_SIZE;
		*count = DEV_GET_SIZE_COUNT;
		return D_SUCCESS;
	case DEV_GET_RECORDS:
		if (*count < DEV_GET_RECORDS_COUNT)
			return D_INVALID_SIZE;
		status[DEV_GET_RECORDS_DEVICE_RECORDS] = status_int(k->bd_sectors);
		status[DEV_GET_RECORDS_RECORD_SIZE] = REC_SIZE;
		*count = DEV_GET_RECORDS_COUNT;
		return D_SUCCESS;
	default:
		return D_INVALID_OPERATION;
	}
}

static const struct dev_ops blk_dev_ops = {
    .do_kind = "disk",
    .do_open = blk_dev_open,
    .do_read = blk_dev_read,
    .do_read_inband = blk_dev_read_inband,
    .do_write = blk_dev_write,
    .do_write_inband = blk_dev_write_inband,
    .do_get_status = blk_dev_get_status,
};

/* Every disk of the block layer by its own name: vd0, and what else registers (vd0s1, rd0). */
static bool
blk_dev_lookup(const char *name, const struct dev_ops **ops, void **obj)
{
	struct blk_disk *k = blk_find(name);

	if (!k)
		return false;
	*ops = &blk_dev_ops;
	*obj = k;
	return true;
}

static void
dev_blk_init(void)
{
	zero_page = page_alloc(0, PAGE_ZERO);
	dev_name_register("disk", blk_dev_lookup);
}
INITCALL(INIT_BUS, "dev_blk", dev_blk_init);
