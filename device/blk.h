/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel block layer: disks served by whatever driver registered them
 * through struct blk_driver_ops, an asynchronous request API with a
 * completion callback, and synchronous wrappers. The Mach device interface
 * (device_read/device_write) sits on this.
 *
 * Names: a driver registers a disk with its prefix and the layer numbers
 * each prefix apart in registration order (virtio disks vd0, vd1...; RAM
 * disks rd0, rd1...). A disk's partitions (device/blk_part.h) are disks of
 * their own, named after it as GNU Mach names hd0s1: vd0s1, vd0s5...
 * Their requests go to the whole disk's driver, offset by the partition's
 * start and confined to its range by the layer; they share the whole
 * disk's queue, block size, read-only flag and counters (a partition's
 * own bd_reads... stay 0).
 *
 * Units: sectors of 512 bytes, whatever the disk's logical block size;
 * requests must be aligned to that block size. Errors are GNU Mach's
 * io_return_t codes (D_SUCCESS, D_INVALID_RECNUM...); blk_strerror()
 * names them for people.
 *
 * Locking: one spinlock, "blk", guards the disk table, every disk's wait
 * list and counters, and is held (interrupts off) around each call into a
 * driver's bo_submit and bo_check; it is never held while a completion
 * callback runs, so a callback may submit again. Lock order:
 * docs/locking.md (the block layer is a driver lock).
 *
 * Conditions: blk_submit may be called from thread or interrupt context.
 * Completions run in interrupt context. blk_wait and the *_sync wrappers
 * wait (kern/wait.h): not from interrupt context, not with interrupts off
 * or any spinlock held.
 */
#ifndef DEVICE_BLK_H
#define DEVICE_BLK_H

#include <device/device_types.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/wait.h"

#define BLK_SECTOR 512
#define BLK_MAX_DISKS 128 /* whole disks and partitions */
#define BLK_NAME_MAX 16   /* bd_name, NUL included: "vd15s128" fits */
/* Room in each request for the driver's own per-request state (the virtio
 * glue's request and its 64 physical ranges), so no I/O allocates. */
#define BLK_REQ_DRIVER_BYTES 1088
#define BLK_REQ_DRIVER_ALIGN 16

enum blk_op {
	BLK_OP_READ = 0,
	BLK_OP_WRITE,
	BLK_OP_FLUSH,
	BLK_OP_DISCARD,
	BLK_OP_WRITE_ZEROES,
};

struct blk_req;
typedef void blk_done_fn(struct blk_req *req);

/* One request; the caller owns it until br_done has run. */
struct blk_req {
	/* Filled by the caller. */
	enum blk_op br_op;
	uint64_t br_sector;
	uint32_t br_count;    /* sectors; 0 for FLUSH */
	void *br_buf;         /* kernel virtual address (direct map or image) */
	blk_done_fn *br_done; /* interrupt context */
	void *br_arg;
	/* Set before br_done: D_SUCCESS or the error. */
	io_return_t br_error;
	/* Private to the block layer. */
	struct blk_disk *br_disk; /* the whole disk it went to */
	struct blk_disk *br_part; /* the partition it was addressed to, or NULL */
	struct blk_req *br_next;
	/* Private to the disk's driver, which casts it to its own state. */
	_Alignas(BLK_REQ_DRIVER_ALIGN) unsigned char br_drv[BLK_REQ_DRIVER_BYTES];
};

struct blk_disk;

/* What a disk driver provides. Both calls run with the "blk" lock held. */
struct blk_driver_ops {
	/*
	 * Check req fully, then send it: D_SUCCESS (the driver calls
	 * blk_complete later, never from inside this call), or with nothing
	 * sent an error, or D_WOULD_BLOCK (no room now: the layer queues req
	 * and retries after a completion), which comes only for a request
	 * that passed every check, so nothing is sent before a refusal.
	 */
	io_return_t (*bo_submit)(struct blk_disk *d, struct blk_req *req);
	/* Check req without sending it: D_SUCCESS or the error submit would give. */
	io_return_t (*bo_check)(struct blk_disk *d, struct blk_req *req);
	/* Largest read/write in sectors. */
	uint32_t (*bo_max_sectors)(struct blk_disk *d);
};

/*
 * A disk. The driver fills the capacity, block size, ro, ops and priv. A
 * partition has the same ops and priv as its whole disk (so a driver
 * called with it finds its own state), and bd_parent set.
 */
struct blk_disk {
	char bd_name[BLK_NAME_MAX]; /* "vd0", "rd1", "vd0s5" */
	uint64_t bd_sectors;        /* capacity in 512-byte sectors */
	uint32_t bd_block_size;     /* logical block size */
	bool bd_ro;
	const struct blk_driver_ops *bd_ops;
	void *bd_priv; /* the driver's */
	/* Partitions only: the whole disk, the first sector on it, the N of sN. */
	struct blk_disk *bd_parent;
	uint64_t bd_start;
	uint32_t bd_part_number;
	bool bd_scanned; /* device/blk_part.c read its partition table */
	/* Under the "blk" lock. */
	struct blk_req *bd_pend_head, *bd_pend_tail; /* waiting for ring room */
	uint64_t bd_reads, bd_writes, bd_flushes, bd_errors, bd_requeued;
	unsigned bd_inflight;
};

/*
 * Register a whole disk: gives it the next name of its prefix ("vd" gives
 * vd0, vd1...; each prefix counts apart). D_SUCCESS, D_INVALID_OPERATION
 * for a prefix that is empty, longer than 4 bytes or ends in a digit, or
 * D_NO_MEMORY when the disk table is full.
 */
io_return_t blk_register(struct blk_disk *d, const char *prefix);
/*
 * Register partition number of whole disk parent: sectors [start, start +
 * sectors) of it, which must lie inside it and be aligned to its block
 * size. The new disk is named parent's name + "s" + number. D_SUCCESS,
 * D_INVALID_OPERATION (parent is a partition, or a bad range), or
 * D_NO_MEMORY (no memory, or the disk table is full).
 */
io_return_t blk_register_partition(struct blk_disk *parent, uint32_t number, uint64_t start,
                                   uint64_t sectors);
/* The disk called name, or NULL. */
struct blk_disk *blk_find(const char *name);
/* Disk i in registration order, or NULL. */
struct blk_disk *blk_get(unsigned i);

/*
 * Submit req: D_SUCCESS (br_done will run), or an error with nothing sent
 * and no callback: D_NO_SUCH_DEVICE (no disk), D_INVALID_OPERATION (no
 * request or callback, an unknown op, or one the device does not offer),
 * D_INVALID_RECNUM (sectors beyond the disk or partition: br_sector
 * counts from the start of the disk it is given), D_INVALID_SIZE (zero count,
 * alignment, no buffer or one the driver cannot map), D_READ_ONLY,
 * D_DEVICE_DOWN (the device failed and was stopped).
 */
io_return_t blk_submit(struct blk_disk *d, struct blk_req *req);

/* Check req as blk_submit would, without sending it. */
io_return_t blk_check(struct blk_disk *d, struct blk_req *req);

/*
 * Synchronous: submit and wait until done, cut into pieces the driver can
 * always take. D_SUCCESS, an error of blk_submit, or the completion's
 * (D_IO_ERROR, D_INVALID_OPERATION, D_DEVICE_DOWN...).
 */
io_return_t blk_read_sync(struct blk_disk *d, uint64_t sector, uint32_t count, void *buf);
io_return_t blk_write_sync(struct blk_disk *d, uint64_t sector, uint32_t count, const void *buf);
io_return_t blk_flush_sync(struct blk_disk *d);

/*
 * Wait until cond(arg) holds, checked again after every completion on
 * any disk: for callers of blk_submit whose br_done makes it true.
 */
void blk_wait(wait_cond_fn *cond, void *arg);

/* A sentence for an error code ("the device reported an I/O error"). */
const char *blk_strerror(io_return_t err);

/* Called by the driver when a request is done (interrupt context, no
 * lock of the layer held). */
void blk_complete(struct blk_req *req, io_return_t err);

#endif
