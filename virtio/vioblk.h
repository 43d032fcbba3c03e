/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/vioblk.h: the portable virtio-blk driver (virtio 1.4 §5.2).
 *
 * Requests are asynchronous: the caller fills a struct vioblk_req (op,
 * sector, data buffers by device address, completion callback and token)
 * and calls vioblk_submit(); the callback runs from the queue interrupt
 * with vr_error set. A request is checked completely before anything is
 * sent (read-only disk, range beyond the capacity, alignment to the
 * logical block size, buffer lengths) and is split into several device
 * requests when SEG_MAX or SIZE_MAX ask for it; it completes once, after
 * its last piece. Request headers and status bytes come from a DMA pool
 * allocated at probe time: nothing is allocated per I/O.
 *
 * Conditions: vioblk_submit() and the queue interrupt must not run at the
 * same time on one disk: the caller serialises them (the kernel calls
 * vioblk_submit with interrupts off). Data buffers stay owned by the
 * device until the callback; the caller syncs them (virtio_dma_sync).
 *
 * The OS learns about disks through the hooks given to
 * vioblk_driver_register() (attach after DRIVER_OK, detach on remove).
 */
#ifndef VIRTIO_VIOBLK_H
#define VIRTIO_VIOBLK_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/platform.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

/* Feature bits (§5.2.3). */
#define VIOBLK_F_BARRIER 0 /* legacy */
#define VIOBLK_F_SIZE_MAX 1
#define VIOBLK_F_SEG_MAX 2
#define VIOBLK_F_GEOMETRY 4
#define VIOBLK_F_RO 5
#define VIOBLK_F_BLK_SIZE 6
#define VIOBLK_F_SCSI 7 /* legacy */
#define VIOBLK_F_FLUSH 9
#define VIOBLK_F_TOPOLOGY 10
#define VIOBLK_F_CONFIG_WCE 11
#define VIOBLK_F_MQ 12
#define VIOBLK_F_DISCARD 13
#define VIOBLK_F_WRITE_ZEROES 14

/* Device configuration layout (§5.2.4), byte offsets. */
#define VIOBLK_CFG_CAPACITY 0
#define VIOBLK_CFG_SIZE_MAX 8
#define VIOBLK_CFG_SEG_MAX 12
#define VIOBLK_CFG_BLK_SIZE 20
#define VIOBLK_CFG_PHYS_EXP 24
#define VIOBLK_CFG_ALIGN_OFF 25
#define VIOBLK_CFG_MIN_IO 26
#define VIOBLK_CFG_OPT_IO 28
#define VIOBLK_CFG_WRITEBACK 32
#define VIOBLK_CFG_NUM_QUEUES 34
#define VIOBLK_CFG_MAX_DISCARD 36
#define VIOBLK_CFG_MAX_DISCARD_SEG 40
#define VIOBLK_CFG_DISCARD_ALIGN 44
#define VIOBLK_CFG_MAX_WZ 48
#define VIOBLK_CFG_MAX_WZ_SEG 52
#define VIOBLK_CFG_WZ_UNMAP 56

/* Request types and status values (§5.2.6). */
#define VIOBLK_T_IN 0
#define VIOBLK_T_OUT 1
#define VIOBLK_T_FLUSH 4
#define VIOBLK_T_GET_ID 8
#define VIOBLK_T_DISCARD 11
#define VIOBLK_T_WRITE_ZEROES 13
#define VIOBLK_S_OK 0
#define VIOBLK_S_IOERR 1
#define VIOBLK_S_UNSUPP 2

#define VIOBLK_SECTOR 512        /* the unit of vr_sector, always */
#define VIOBLK_ID_LEN 20         /* GET_ID answer */
#define VIOBLK_MAX_BUFS 64       /* data buffers in one vioblk_req */
#define VIOBLK_MAX_SPLIT 16      /* device requests per vioblk_req */
#define VIOBLK_MAX_DATA_SEGS 128 /* data descriptors per device req */
#define VIOBLK_INDIRECT_MAX 32   /* descriptors per indirect table */

enum vioblk_op {
	VIOBLK_OP_READ = 0,
	VIOBLK_OP_WRITE,
	VIOBLK_OP_FLUSH,
	VIOBLK_OP_GET_ID,       /* one buffer of VIOBLK_ID_LEN bytes */
	VIOBLK_OP_DISCARD,      /* vr_sector, vr_count; no buffers */
	VIOBLK_OP_WRITE_ZEROES, /* vr_sector, vr_count; no buffers */
};

/* A data buffer: device address and length (multiple of the block size). */
struct vioblk_buf {
	uint64_t vb_addr;
	uint32_t vb_len;
};

struct vioblk_req;
typedef void vioblk_done_fn(struct vioblk_req *r);

/* One block request. The caller owns it; it must live until vr_done. */
struct vioblk_req {
	/* Filled by the caller. */
	enum vioblk_op vr_op;
	uint64_t vr_sector; /* 512-byte units */
	uint32_t vr_count;  /* sectors (0 for FLUSH, GET_ID) */
	const struct vioblk_buf *vr_bufs;
	unsigned vr_nbufs;
	vioblk_done_fn *vr_done; /* interrupt context */
	void *vr_token;          /* the caller's */
	/* Set before vr_done: VIRTIO_OK, VIRTIO_EIO (device said IOERR),
	 * VIRTIO_EUNSUPP (UNSUPP), VIRTIO_EBADDEV (device broken). */
	int vr_error;
	/* Private. */
	unsigned vr_pending; /* device requests in flight */
};

/* What the driver learned from the configuration space. */
struct vioblk_info {
	uint64_t vi_capacity; /* sectors of 512 bytes */
	uint32_t vi_blk_size; /* logical block size */
	uint8_t vi_phys_exp;  /* physical = logical << exp */
	uint8_t vi_align_off;
	uint16_t vi_min_io; /* in logical blocks */
	uint32_t vi_opt_io;
	uint32_t vi_seg_max;    /* data segments per device request */
	uint32_t vi_size_max;   /* bytes per segment, 0: no limit */
	uint16_t vi_num_queues; /* offered (we use one) */
	bool vi_ro;
	bool vi_flush;                     /* F_FLUSH negotiated */
	bool vi_wce;                       /* CONFIG_WCE negotiated */
	bool vi_writeback;                 /* cache mode writeback */
	uint32_t vi_max_discard;           /* sectors, 0: no DISCARD */
	uint32_t vi_max_wz;                /* sectors, 0: no WRITE_ZEROES */
	char vi_serial[VIOBLK_ID_LEN + 1]; /* GET_ID, "" until known */
};

/* Per-device-request state, one per pool slot. */
struct vioblk_slot {
	struct vioblk_req *vs_req; /* NULL when free */
	uint32_t vs_wlen;          /* device-writable bytes expected */
	uint16_t vs_next;          /* free list */
};

/* The softc of one disk. */
struct vioblk {
	struct virtio_device *sc_dev;
	struct vq *sc_vq;
	struct vioblk_info sc_info;
	struct virtio_dma sc_pool; /* VIOBLK_SLOT_BYTES per slot */
	struct vioblk_slot *sc_slots;
	uint16_t sc_nslots;
	uint16_t sc_free; /* free list head, sc_nslots: empty */
	uint16_t sc_nfree;
	uint32_t sc_piece_max;   /* bytes per data segment (SIZE_MAX
	                          * rounded to the block size) */
	struct virtio_dma sc_id; /* GET_ID answer at probe */
	struct vioblk_req sc_id_req;
	struct vioblk_buf sc_id_buf;
	uint64_t sc_errors; /* requests that failed */
	uint64_t sc_split;  /* requests split by SEG/SIZE_MAX */
	/*
	 * Who collects completions: set by the probe (which polls) and by
	 * the queue interrupt while it runs. An interrupt that finds it set
	 * only raises sc_missed, and the holder collects again before it
	 * lets go: no two collectors, no lost completion (shared INTx,
	 * probe-time GET_ID).
	 */
	bool sc_busy;
	bool sc_missed;
	void *sc_os; /* the OS glue's pointer */
	struct vioblk *sc_next;
};

struct vioblk_hooks {
	/* The disk is ready (DRIVER_OK set, GET_ID sent). */
	void (*vh_attach)(struct vioblk *sc);
	/* Going away: the device is reset, requests in flight were failed. */
	void (*vh_detach)(struct vioblk *sc);
	/* Configuration changed (capacity, writeback); interrupt context. */
	void (*vh_changed)(struct vioblk *sc);
};

/* The driver, for virtio_driver_register (also done by the call below). */
extern struct virtio_driver vioblk_driver;

/* Register the driver with the hooks (may be NULL). VIRTIO_OK or error. */
int vioblk_driver_register(const struct vioblk_hooks *hooks);

/*
 * Check r completely, then queue it (as one or more device requests) and
 * notify the device if it wants it. Returns VIRTIO_OK (vr_done will run),
 * or, with nothing sent and vr_done never called: VIRTIO_EINVAL (bad
 * op, buffers, alignment, or beyond the capacity), VIRTIO_EROFS (write,
 * discard or write-zeroes on a read-only disk), VIRTIO_EUNSUPP (flush,
 * discard or write-zeroes not offered), VIRTIO_EAGAIN (the ring is full
 * now: retry after a completion), VIRTIO_EBADDEV (device broken).
 * VIRTIO_EAGAIN comes only for a request that passed every check, so a
 * caller need not call vioblk_check first.
 */
int vioblk_submit(struct vioblk *sc, struct vioblk_req *r);

/*
 * Check r as vioblk_submit would, without sending anything. Same codes
 * except VIRTIO_EAGAIN.
 */
int vioblk_check(const struct vioblk *sc, const struct vioblk_req *r);

/* Largest read/write (in sectors) that can ever be accepted. */
uint32_t vioblk_max_sectors(const struct vioblk *sc);

/*
 * Switch the cache mode (CONFIG_WCE): VIRTIO_OK, VIRTIO_EUNSUPP when not
 * negotiated, VIRTIO_EBADDEV if the device does not take it.
 */
int vioblk_set_writeback(struct vioblk *sc, bool writeback);

/* Iterate over attached disks: NULL gives the first. */
struct vioblk *vioblk_next(struct vioblk *prev);

/*
 * Config parsing, exposed for the fuzz target: read and validate the
 * configuration of dev (negotiated features in vd_features) into info.
 * VIRTIO_OK or VIRTIO_EBADDEV (unusable values, logged).
 */
int vioblk_config_parse(struct virtio_device *dev, struct vioblk_info *info);

#endif /* VIRTIO_VIOBLK_H */
