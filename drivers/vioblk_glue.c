// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The glue between the portable virtio-blk driver (virtio/vioblk.c) and
 * the kernel block layer: every vioblk disk that attaches becomes a
 * struct blk_disk (vd0, vd1...); block requests become vioblk requests,
 * kept in the block request's driver area (br_drv), whose buffers are the
 * physical pages behind the caller's kernel address (device address =
 * physical address in the kernel). Results go back as D_* codes
 * (drivers/virtio_errno.h).
 */
#include "device/blk.h"
#include "drivers/vioblk_glue.h"
#include "drivers/virtio_errno.h"

#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "virtio/virtio_err.h"
#include "x86_64/machine.h"

#define BLK_VIRTIO_SEG_MAX (1u << 30)

/* What the glue keeps in each block request: no allocation per I/O. */
struct blk_virtio_req {
	struct vioblk_req bv_vio;
	struct vioblk_buf bv_bufs[VIOBLK_MAX_BUFS];
};
_Static_assert(sizeof(struct blk_virtio_req) <= BLK_REQ_DRIVER_BYTES,
               "the vioblk request fits the block request's driver area");
_Static_assert(_Alignof(struct blk_virtio_req) <= BLK_REQ_DRIVER_ALIGN,
               "the driver area is aligned enough for the vioblk request");

static const enum vioblk_op blk_virtio_ops_map[] = {
    [BLK_OP_READ] = VIOBLK_OP_READ,
    [BLK_OP_WRITE] = VIOBLK_OP_WRITE,
    [BLK_OP_FLUSH] = VIOBLK_OP_FLUSH,
    [BLK_OP_DISCARD] = VIOBLK_OP_DISCARD,
    [BLK_OP_WRITE_ZEROES] = VIOBLK_OP_WRITE_ZEROES,
};

static struct blk_virtio_req *
blk_virtio_req(struct blk_req *req)
{
	return (struct blk_virtio_req *)req->br_drv;
}

/* Success, the common answer, without a call into the table. */
static io_return_t
blk_virtio_result(int err)
{
	return err == VIRTIO_OK ? D_SUCCESS : virtio_to_io_return(err);
}

/* A request that failed: its D_* code (out of line: see blk_virtio_done). */
static __attribute__((noinline)) void
blk_virtio_done_error(struct vioblk_req *vr)
{
	blk_complete(vr->vr_token, virtio_to_io_return(vr->vr_error));
}

/* Interrupt context. Success goes straight on, without a frame of our own. */
static void
blk_virtio_done(struct vioblk_req *vr)
{
	if (vr->vr_error != VIRTIO_OK) {
		blk_virtio_done_error(vr);
		return;
	}
	blk_complete(vr->vr_token, D_SUCCESS);
}

/*
 * The physical ranges behind [buf, buf+len), merged when contiguous: how
 * many, or -1 when they are more than a vioblk request holds. The ranges
 * are reached from req each time, not through a pointer of their own: one
 * live value less keeps the page loop's variables in registers.
 */
static int
blk_virtio_bufs(struct blk_req *req, uint64_t len)
{
	uint8_t *va = req->br_buf;
	unsigned n = 0;

	while (len > 0) {
		uint64_t chunk = PAGE_SIZE - ((uint64_t)va & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		uint64_t pa = virt_to_phys(va);
		struct vioblk_buf *last = n ? &blk_virtio_req(req)->bv_bufs[n - 1] : NULL;
		if (last && last->vb_addr + last->vb_len == pa &&
		    last->vb_len + chunk <= BLK_VIRTIO_SEG_MAX) {
			last->vb_len += (uint32_t)chunk;
		} else {
			if (n == VIOBLK_MAX_BUFS)
				return -1;
			blk_virtio_req(req)->bv_bufs[n++] =
			    (struct vioblk_buf){pa, (uint32_t)chunk};
		}
		va += chunk;
		len -= chunk;
	}
	return (int)n;
}

/* Fill the vioblk request in req's driver area from the block request.
 * Inlined into its two callers: the submit path pays no call for it. */
static inline __attribute__((always_inline)) io_return_t
blk_virtio_prepare(struct blk_req *req)
{
	struct blk_virtio_req *bv = blk_virtio_req(req);
	int n = 0;

	if ((unsigned)req->br_op > BLK_OP_WRITE_ZEROES)
		return D_INVALID_OPERATION;
	if (req->br_op == BLK_OP_READ || req->br_op == BLK_OP_WRITE) {
		if (!req->br_buf || req->br_count == 0)
			return D_INVALID_SIZE;
		n = blk_virtio_bufs(req, (uint64_t)req->br_count * BLK_SECTOR);
		if (n < 0)
			return D_INVALID_SIZE;
	}
	bv->bv_vio = (struct vioblk_req){
	    .vr_op = blk_virtio_ops_map[req->br_op],
	    .vr_sector = req->br_sector,
	    .vr_count = req->br_count,
	    .vr_bufs = n ? bv->bv_bufs : NULL,
	    .vr_nbufs = (unsigned)n,
	    .vr_done = blk_virtio_done,
	    .vr_token = req,
	};
	return 0;
}

static io_return_t
blk_virtio_check(struct blk_disk *d, struct blk_req *req)
{
	io_return_t err = blk_virtio_prepare(req);

	if (err)
		return err;
	return blk_virtio_result(vioblk_check(d->bd_priv, &blk_virtio_req(req)->bv_vio));
}

/* Prepare and send: vioblk_submit checks everything before sending, and
 * answers VIRTIO_EAGAIN (D_WOULD_BLOCK) only for a request that passed. */
static io_return_t
blk_virtio_submit(struct blk_disk *d, struct blk_req *req)
{
	io_return_t err = blk_virtio_prepare(req);

	if (err)
		return err;
	return blk_virtio_result(vioblk_submit(d->bd_priv, &blk_virtio_req(req)->bv_vio));
}

static uint32_t
blk_virtio_max_sectors(struct blk_disk *d)
{
	return vioblk_max_sectors(d->bd_priv);
}

static const struct blk_driver_ops blk_virtio_ops = {
    .bo_submit = blk_virtio_submit,
    .bo_check = blk_virtio_check,
    .bo_max_sectors = blk_virtio_max_sectors,
};

static void
blk_virtio_attach(struct vioblk *sc)
{
	struct blk_disk *d = kzalloc(sizeof(*d));

	if (!d) {
		log_err("%s: no memory for the disk", sc->sc_dev->vd_name);
		return;
	}
	d->bd_sectors = sc->sc_info.vi_capacity;
	d->bd_block_size = sc->sc_info.vi_blk_size;
	d->bd_ro = sc->sc_info.vi_ro;
	d->bd_ops = &blk_virtio_ops;
	d->bd_priv = sc;
	if (blk_register(d, "vd") != D_SUCCESS) {
		log_err("%s: too many disks", sc->sc_dev->vd_name);
		kfree(d);
		return;
	}
	sc->sc_os = d;
}

static void
blk_virtio_changed(struct vioblk *sc)
{
	struct blk_disk *d = sc->sc_os;

	if (d)
		d->bd_sectors = sc->sc_info.vi_capacity;
}

static const struct vioblk_hooks blk_virtio_hooks = {
    .vh_attach = blk_virtio_attach,
    .vh_changed = blk_virtio_changed,
};

struct vioblk *
blk_virtio_softc(struct blk_disk *d)
{
	return d && d->bd_ops == &blk_virtio_ops ? d->bd_priv : NULL;
}

static void
blk_virtio_init(void)
{
	int err = vioblk_driver_register(&blk_virtio_hooks);

	if (err)
		log_err("vioblk: register: %s", virtio_strerror(err));
}
INITCALL(INIT_DRIVER, "virtio-blk", blk_virtio_init);
