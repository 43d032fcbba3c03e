/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel block layer: disks (vd0, vd1... named in attach order), an
 * asynchronous request API with a completion callback, and synchronous
 * wrappers that wait by halting the CPU. The Mach device interface
 * (device_read/device_write) will sit on this.
 *
 * Units: sectors of 512 bytes, whatever the disk's logical block size;
 * requests must be aligned to that block size. Errors are the negative
 * VIRTIO_E* codes of virtio/virtio_err.h (0 is success); blk_strerror()
 * names them for people.
 *
 * Conditions: blk_submit may be called from thread or interrupt context
 * (it disables interrupts around the driver). Completions run in
 * interrupt context. The *_sync wrappers block (halt) and must not be
 * called from interrupt context.
 */
#ifndef DEVICE_BLK_H
#define DEVICE_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/vioblk.h"

#define BLK_SECTOR 512
#define BLK_MAX_DISKS 16

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
	/* Set before br_done: 0 or a VIRTIO_E* code. */
	int br_error;
	/* Private to the block layer and the driver (no allocation per I/O). */
	struct blk_disk *br_disk;
	struct blk_req *br_next;
	struct vioblk_req br_vio;
	struct vioblk_buf br_bufs[VIOBLK_MAX_BUFS];
};

struct blk_disk;

/* What a disk driver provides. */
struct blk_driver_ops {
	/* Check req fully, then send it: 0, or with nothing sent an
	 * error, or VIRTIO_EAGAIN (the ring is full: the layer retries on
	 * a completion), which comes only for a request that passed every
	 * check, so nothing is sent before a refusal. Interrupts are off. */
	int (*bo_submit)(struct blk_disk *d, struct blk_req *req);
	/* Check req without sending it: 0 or the error submit would give. */
	int (*bo_check)(struct blk_disk *d, struct blk_req *req);
	/* Largest read/write in sectors. */
	uint32_t (*bo_max_sectors)(struct blk_disk *d);
};

struct blk_disk {
	char bd_name[8];        /* "vd0" */
	uint64_t bd_sectors;    /* capacity in 512-byte sectors */
	uint32_t bd_block_size; /* logical block size */
	bool bd_ro;
	const struct blk_driver_ops *bd_ops;
	void *bd_priv;                               /* the driver's */
	struct blk_req *bd_pend_head, *bd_pend_tail; /* waiting for ring room */
	uint64_t bd_reads, bd_writes, bd_flushes, bd_errors, bd_requeued;
	unsigned bd_inflight;
};

/* Register a disk: gives it the next name "vdN". 0 or VIRTIO_ENOSPC. */
int blk_register(struct blk_disk *d);
/* The disk called name, or NULL. */
struct blk_disk *blk_find(const char *name);
/* Disk i in registration order, or NULL. */
struct blk_disk *blk_get(unsigned i);

/*
 * Submit req: 0 (br_done will run), or an error with nothing sent and no
 * callback: VIRTIO_EINVAL (range, alignment, buffer), VIRTIO_EROFS,
 * VIRTIO_EUNSUPP, VIRTIO_EBADDEV (the device is broken).
 */
int blk_submit(struct blk_disk *d, struct blk_req *req);

/* Check req as blk_submit would, without sending it. */
int blk_check(struct blk_disk *d, struct blk_req *req);

/* Synchronous: submit and halt until done. 0 or a VIRTIO_E* code. */
int blk_read_sync(struct blk_disk *d, uint64_t sector, uint32_t count, void *buf);
int blk_write_sync(struct blk_disk *d, uint64_t sector, uint32_t count, const void *buf);
int blk_flush_sync(struct blk_disk *d);

/* Wait (halting) until req completes; for callers of blk_submit. */
void blk_wait(volatile bool *done);

/* A sentence for an error code ("the device reported an I/O error"). */
const char *blk_strerror(int err);

/* Called by the driver when a request is done (interrupt context). */
void blk_complete(struct blk_req *req, int err);

#endif
