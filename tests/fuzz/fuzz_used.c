// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/fuzz/fuzz_used.c: used-ring processing under fuzzer control. A
 * simulated device (tests/sim) takes the driver's buffers; then the
 * fuzzer's bytes are a script of device actions: honest uses, raw writes
 * anywhere in the device-writable ring memory (split: the used ring;
 * packed: the descriptor ring), and driver calls. Whatever the device
 * writes, every token the driver returns must be one in flight, every
 * length within that buffer, the free count consistent; ASan and UBSan
 * watch every access.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtio.h"
#include "virtio/virtqueue.h"
#include "tests/host/platform_host.h"
#include "tests/sim/sim.h"
#include "tests/fuzz/fuzz_used.h"

#define FZ_ID 0x7f22
#define FZ_MAXN 64

struct fz_rec {
	uint32_t wlen;
	uint16_t ndesc;
	bool inflight;
};

struct fz {
	struct sim *s;
	struct vq *vq;
	uint16_t qsize;
	uint16_t imax;
	struct virtio_dma buf;
	struct fz_rec rec[FZ_MAXN];
	unsigned inflight_desc;
	const uint8_t *p;
	size_t left;
};

static struct fz *fz_cur;

#define FZ_CHECK(c)                                                                                \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #c, __FILE__,           \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int
fz_probe(struct virtio_device *dev)
{
	struct vq_params p = {
	    .vqp_size = fz_cur->qsize,
	    .vqp_indirect_max = fz_cur->imax,
	    .vqp_name = "fuzz",
	};

	return vq_create(dev, 0, &p, &fz_cur->vq);
}

static void
fz_remove(struct virtio_device *dev)
{
	while (vq_detach_unused(fz_cur->vq))
		;
	vq_destroy(fz_cur->vq);
	fz_cur->vq = NULL;
}

static struct virtio_driver fz_drv = {
    .vdrv_name = "fuzz",
    .vdrv_device_id = FZ_ID,
    .vdrv_features = VIRTIO_F_CORE_DEFAULT,
    .vdrv_probe = fz_probe,
    .vdrv_remove = fz_remove,
};

static uint8_t
fz_byte(struct fz *f)
{
	if (!f->left)
		return 0;
	f->left--;
	return *f->p++;
}

/* Add buffer r with 1..4 segments, the last writable. */
static void
fz_add(struct fz *f, unsigned r, unsigned nsegs)
{
	struct vq_seg sg[4];
	unsigned k, need;
	uint64_t base = f->buf.vd_dev + (uint64_t)r * 256;
	int err;

	for (k = 0; k + 1 < nsegs; k++)
		sg[k] = (struct vq_seg){base + 16 * k, 16, false};
	sg[k] = (struct vq_seg){base + 128, 1 + r, true};
	need = vq_has_indirect(f->vq) && nsegs > 1 && nsegs <= f->imax ? 1 : nsegs;
	err = vq_add(f->vq, sg, nsegs, &f->rec[r]);
	if (err == VIRTIO_OK) {
		f->rec[r] = (struct fz_rec){1 + r, (uint16_t)need, true};
		f->inflight_desc += need;
	} else {
		FZ_CHECK(err == VIRTIO_ENOSPC || err == VIRTIO_EBADDEV ||
		         (err == VIRTIO_EINVAL && nsegs > vq_size(f->vq)));
	}
}

static void
fz_get(struct fz *f)
{
	struct fz_rec *r;
	void *tok;
	uint32_t len;
	int err;

	while ((err = vq_get(f->vq, &tok, &len)) == VIRTIO_OK) {
		r = tok;
		FZ_CHECK(r >= f->rec && r < f->rec + FZ_MAXN);
		FZ_CHECK(r->inflight);
		FZ_CHECK(len <= r->wlen);
		r->inflight = false;
		f->inflight_desc -= r->ndesc;
	}
	FZ_CHECK(err == VIRTIO_EAGAIN || err == VIRTIO_EBADDEV);
	if (!vq_is_broken(f->vq))
		FZ_CHECK(vq_num_free(f->vq) + f->inflight_desc == vq_size(f->vq));
}

/* The device-writable memory of the ring: the fuzzer's canvas. */
static uint8_t *
fz_canvas(struct fz *f, size_t *n)
{
	struct sim_queue *q = &f->s->s_q[0];

	if (q->sq_packed) {
		*n = 16u * q->sq_size + 4; /* ring + device event */
		return host_dma_to_cpu(q->sq_desc, 16u * q->sq_size);
	}
	*n = 6 + 8u * q->sq_size;
	return host_dma_to_cpu(q->sq_dev, *n);
}

static void
fz_step(struct fz *f, uint8_t op)
{
	size_t n, off;
	uint8_t *c;
	unsigned k;

	switch (op % 6) {
	case 0: /* driver adds */
		k = fz_byte(f) % FZ_MAXN;
		n = 1 + fz_byte(f) % 4;
		if (!f->rec[k].inflight)
			fz_add(f, k, (unsigned)n);
		vq_kick(f->vq);
		break;
	case 1: /* honest device: take and use one */
		sim_pop_all(f->s, 0);
		if (sim_inflight(f->s, 0))
			sim_fill(f->s, 0, fz_byte(f) % sim_inflight(f->s, 0), 0);
		break;
	case 2: /* lying device: raw bytes into its ring memory */
		c = fz_canvas(f, &n);
		if (!c)
			break;
		off = (fz_byte(f) | (size_t)fz_byte(f) << 8) % n;
		for (k = fz_byte(f) % 16; k-- && off < n; off++)
			c[off] = fz_byte(f);
		break;
	case 3:
		fz_get(f);
		break;
	case 4:
		if (fz_byte(f) & 1)
			vq_disable_cb(f->vq);
		else
			vq_enable_cb(f->vq);
		break;
	default:
		vq_intr(f->vq);
		break;
	}
}

int
fuzz_used_run(const uint8_t *data, size_t size, bool packed)
{
	static bool registered;
	struct sim_config c = {.sc_device_id = FZ_ID, .sc_nqueues = 1, .sc_config_len = 8};
	struct fz f = {.p = data, .left = size};
	uint8_t b0 = fz_byte(&f), b1 = fz_byte(&f);
	unsigned steps = 0;

	host_log_echo = false;
	if (!registered) {
		virtio_driver_register(&fz_drv);
		registered = true;
	}
	c.sc_features = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
	                (b1 & 1 ? VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) : 0) |
	                (b1 & 2 ? VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) : 0) |
	                (packed ? VIRTIO_BIT(VIRTIO_F_RING_PACKED) : 0);
	c.sc_qmax[0] = packed ? (uint16_t)(1 + b0 % 64) : (uint16_t)(1u << (b0 % 7));
	f.qsize = 0;
	f.imax = (b1 >> 2) % 5;
	fz_cur = &f;
	if (virtio_dma_alloc(FZ_MAXN * 256, 4096, &f.buf))
		abort();
	f.s = sim_create(&c);
	if (virtio_device_add(sim_vdev(f.s)) == VIRTIO_OK && f.vq) {
		while (f.left && steps++ < 4096)
			fz_step(&f, fz_byte(&f));
		fz_get(&f);
	}
	virtio_device_remove(sim_vdev(f.s));
	sim_destroy(f.s);
	virtio_dma_free(&f.buf);
	FZ_CHECK(host_dma_live() == 0);
	FZ_CHECK(host_mem_live() == 0);
	return 0;
}
