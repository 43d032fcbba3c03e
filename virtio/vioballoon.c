// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vioballoon.c: the virtio memory balloon driver (virtio 1.4 §5.5):
 * queues (§5.5.2), features (§5.5.3), config (§5.5.4), initialisation
 * (§5.5.5), inflate and deflate (§5.5.6, §5.5.6.1), the statsq (§5.5.6.3).
 * See vioballoon.h.
 */
#include "virtio/vioballoon.h"
#include "virtio/platform.h"
#include "virtio/virtqueue.h"

#define VB_INFLATEQ 0
#define VB_DEFLATEQ 1
#define VB_STATSQ 2
#define VB_STATS_OFF (VIOBALLOON_BATCH * 4)

enum vb_req {
	VB_NONE = 0,
	VB_INFLATE,    /* pages taken, device told */
	VB_DEFLATE,    /* device asked, pages given on the answer */
	VB_OOM_NOTICE, /* pages already given, device told */
};

struct vioballoon {
	struct virtio_device *sc_dev;
	struct vq *sc_vq[3];
	struct virtio_dma sc_dma; /* PFN array, then the stats */
	enum vb_req sc_req;
	unsigned sc_nreq;
	uint32_t sc_pfns[VIOBALLOON_BATCH]; /* of the request in flight */
	uint32_t sc_target;
	uint32_t sc_pages;
	bool sc_short, sc_oom_hold;
	uint64_t sc_inflated, sc_deflated, sc_oom_pages, sc_stats_updates;
};

static struct vioballoon_pages_ops vb_ops;
static struct vioballoon_hooks vb_hooks;

static const struct virtio_feature_name vb_feature_names[] = {
    {VIOBALLOON_F_MUST_TELL_HOST, "MUST_TELL_HOST"},
    {VIOBALLOON_F_STATS_VQ, "STATS_VQ"},
    {VIOBALLOON_F_DEFLATE_ON_OOM, "DEFLATE_ON_OOM"},
    {VIOBALLOON_F_FREE_PAGE_HINT, "FREE_PAGE_HINT"},
    {VIOBALLOON_F_PAGE_POISON, "PAGE_POISON"},
    {VIOBALLOON_F_PAGE_REPORTING, "PAGE_REPORTING"},
    {0, NULL},
};

static void
st_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* §5.5.6: actual is written after every change (all 4 bytes at once). */
static void
vb_update_actual(struct vioballoon *sc)
{
	virtio_config_write(sc->sc_dev, VIOBALLOON_CFG_ACTUAL, 4, sc->sc_pages);
}

/* Hand sc_nreq PFNs to queue q as one device-readable buffer. */
static bool
vb_send(struct vioballoon *sc, unsigned q, enum vb_req req)
{
	uint8_t *p = sc->sc_dma.vd_cpu;
	struct vq_seg seg = {sc->sc_dma.vd_dev, sc->sc_nreq * 4, false};

	for (unsigned i = 0; i < sc->sc_nreq; i++)
		st_le(p + 4 * i, sc->sc_pfns[i], 4);
	virtio_dma_sync(&sc->sc_dma, 0, seg.vs_len, VIRTIO_DMA_TO_DEVICE);
	if (vq_add(sc->sc_vq[q], &seg, 1, sc) != VIRTIO_OK)
		return false;
	sc->sc_req = req;
	vq_kick(sc->sc_vq[q]);
	return true;
}

static void
vb_inflate(struct vioballoon *sc, uint32_t want)
{
	unsigned n = want < VIOBALLOON_BATCH ? want : VIOBALLOON_BATCH;

	sc->sc_nreq = vb_ops.vbo_take(vb_ops.vbo_arg, sc->sc_pfns, n);
	if (sc->sc_nreq == 0) {
		if (!sc->sc_short)
			virtio_log(VIRTIO_LOG_WARN,
			           "%s: vioballoon: no free "
			           "memory: %u pages inflated of %u asked",
			           sc->sc_dev->vd_name, sc->sc_pages, sc->sc_target);
		sc->sc_short = true;
		return;
	}
	if (!vb_send(sc, VB_INFLATEQ, VB_INFLATE))
		vb_ops.vbo_give(vb_ops.vbo_arg, sc->sc_pfns, sc->sc_nreq);
}

static void
vb_deflate(struct vioballoon *sc, uint32_t want)
{
	unsigned n = want < VIOBALLOON_BATCH ? want : VIOBALLOON_BATCH;

	sc->sc_nreq = vb_ops.vbo_pick(vb_ops.vbo_arg, sc->sc_pfns, n);
	if (sc->sc_nreq == 0)
		return;
	if (!vb_send(sc, VB_DEFLATEQ, VB_DEFLATE)) {
		/* Cannot tell the device: the pages stay ballooned. */
		vb_ops.vbo_give(vb_ops.vbo_arg, sc->sc_pfns, sc->sc_nreq);
		sc->sc_pages -= sc->sc_nreq;
		vb_update_actual(sc);
	}
}

/* Move one step towards the target; completions call it again. */
static void
vb_work(struct vioballoon *sc)
{
	if (sc->sc_req != VB_NONE || sc->sc_dev->vd_broken)
		return;
	if (sc->sc_pages < sc->sc_target && !sc->sc_oom_hold && !sc->sc_short)
		vb_inflate(sc, sc->sc_target - sc->sc_pages);
	else if (sc->sc_pages > sc->sc_target)
		vb_deflate(sc, sc->sc_pages - sc->sc_target);
}

/* The request in flight was used: account for it, then go on. */
static void
vb_done(struct vioballoon *sc)
{
	enum vb_req req = sc->sc_req;

	sc->sc_req = VB_NONE;
	if (req == VB_INFLATE) {
		sc->sc_pages += sc->sc_nreq;
		sc->sc_inflated += sc->sc_nreq;
	} else if (req == VB_DEFLATE) {
		/* §5.5.6.1: only now may the pages be used again. */
		vb_ops.vbo_give(vb_ops.vbo_arg, sc->sc_pfns, sc->sc_nreq);
		sc->sc_pages -= sc->sc_nreq;
		sc->sc_deflated += sc->sc_nreq;
	}
	if (req == VB_INFLATE || req == VB_DEFLATE)
		vb_update_actual(sc);
	vb_work(sc);
}

static void
vb_queue_intr(struct vq *vq, void *arg)
{
	struct vioballoon *sc = arg;
	void *token;
	uint32_t len;

	/* §5.5.6.2 legacy: the used length means nothing; ignored. */
	while (vq_get(vq, &token, &len) == VIRTIO_OK)
		if (sc->sc_req != VB_NONE)
			vb_done(sc);
}

/* Fill the stats buffer with fresh figures and hand it over. */
static void
vb_stats_post(struct vioballoon *sc)
{
	uint8_t *p = (uint8_t *)sc->sc_dma.vd_cpu + VB_STATS_OFF;
	static const uint16_t tags[VIOBALLOON_NSTATS] = {VIOBALLOON_S_MEMFREE, VIOBALLOON_S_MEMTOT,
	                                                 VIOBALLOON_S_AVAIL};
	uint64_t val[VIOBALLOON_NSTATS] = {0, 0, 0};
	size_t len = VIOBALLOON_NSTATS * VIOBALLOON_STAT_LEN;
	struct vq_seg seg = {sc->sc_dma.vd_dev + VB_STATS_OFF, (uint32_t)len, false};

	vb_ops.vbo_mem(vb_ops.vbo_arg, &val[0], &val[1]);
	val[2] = val[0];
	for (unsigned i = 0; i < VIOBALLOON_NSTATS; i++) {
		st_le(p + i * VIOBALLOON_STAT_LEN, tags[i], 2);
		st_le(p + i * VIOBALLOON_STAT_LEN + 2, val[i], 8);
	}
	virtio_dma_sync(&sc->sc_dma, VB_STATS_OFF, len, VIRTIO_DMA_TO_DEVICE);
	if (vq_add(sc->sc_vq[VB_STATSQ], &seg, 1, p) == VIRTIO_OK) {
		sc->sc_stats_updates++;
		vq_kick(sc->sc_vq[VB_STATSQ]);
	}
}

/* §5.5.6.3: the device used our stats buffer: it wants new ones. */
static void
vb_stats_intr(struct vq *vq, void *arg)
{
	struct vioballoon *sc = arg;
	void *token;
	uint32_t len;
	bool used = false;

	while (vq_get(vq, &token, &len) == VIRTIO_OK)
		used = true;
	if (used)
		vb_stats_post(sc);
}

/* num_pages changed (or first read): new target, then work. */
static void
vb_read_target(struct vioballoon *sc)
{
	uint32_t target;

	if (virtio_config_read32(sc->sc_dev, VIOBALLOON_CFG_NUM_PAGES, &target) != VIRTIO_OK)
		return;
	sc->sc_target = target;
	sc->sc_short = false; /* try again: memory may have been freed */
	sc->sc_oom_hold = false;
	vb_work(sc);
}

static void
vb_config_changed(struct virtio_device *dev)
{
	struct vioballoon *sc = dev->vd_priv;

	if (sc)
		vb_read_target(sc);
}

unsigned
vioballoon_oom(struct vioballoon *sc, unsigned n)
{
	struct virtio_device *dev = sc->sc_dev;

	if (!virtio_has_feature(dev, VIOBALLOON_F_DEFLATE_ON_OOM) ||
	    virtio_has_feature(dev, VIOBALLOON_F_MUST_TELL_HOST) || sc->sc_req != VB_NONE ||
	    dev->vd_broken)
		return 0;
	if (n > VIOBALLOON_BATCH)
		n = VIOBALLOON_BATCH;
	sc->sc_nreq = vb_ops.vbo_pick(vb_ops.vbo_arg, sc->sc_pfns, n);
	if (sc->sc_nreq == 0)
		return 0;
	vb_ops.vbo_give(vb_ops.vbo_arg, sc->sc_pfns, sc->sc_nreq);
	sc->sc_pages -= sc->sc_nreq;
	sc->sc_oom_pages += sc->sc_nreq;
	sc->sc_oom_hold = true;
	vb_update_actual(sc);
	/* §5.5.6.1: the deflateq still hears about them. */
	vb_send(sc, VB_DEFLATEQ, VB_OOM_NOTICE);
	return sc->sc_nreq;
}

static int
vb_queues(struct vioballoon *sc)
{
	static const char *const names[3] = {"inflate", "deflate", "stats"};
	unsigned nq = virtio_has_feature(sc->sc_dev, VIOBALLOON_F_STATS_VQ) ? 3 : 2;
	int err = VIRTIO_OK;

	for (unsigned q = 0; q < nq && err == VIRTIO_OK; q++) {
		struct vq_params p = {
		    .vqp_size = 8,
		    .vqp_callback = q == VB_STATSQ ? vb_stats_intr : vb_queue_intr,
		    .vqp_arg = sc,
		    .vqp_name = names[q],
		};

		err = vq_create(sc->sc_dev, q, &p, &sc->sc_vq[q]);
	}
	return err;
}

static int
vb_probe(struct virtio_device *dev)
{
	struct vioballoon *sc;
	int err;

	if (!vb_ops.vbo_take)
		return VIRTIO_ENODEV;
	sc = virtio_mem_alloc(sizeof(*sc));
	if (!sc)
		return VIRTIO_ENOMEM;
	sc->sc_dev = dev;
	err = virtio_dma_alloc(VB_STATS_OFF + VIOBALLOON_NSTATS * VIOBALLOON_STAT_LEN, 64,
	                       &sc->sc_dma);
	if (err == VIRTIO_OK)
		err = vb_queues(sc);
	if (err) {
		for (unsigned q = 0; q < 3; q++)
			vq_destroy(sc->sc_vq[q]);
		virtio_dma_free(&sc->sc_dma);
		virtio_mem_free(sc, sizeof(*sc));
		return err;
	}
	dev->vd_priv = sc;
	virtio_device_ready(dev);
	if (sc->sc_vq[VB_STATSQ])
		vb_stats_post(sc); /* §5.5.5 step 7 */
	if (vb_hooks.vbh_attach)
		vb_hooks.vbh_attach(sc, vb_hooks.vbh_arg);
	vb_read_target(sc);
	return VIRTIO_OK;
}

/* After the reset: every ballooned page goes back to the system. */
static void
vb_remove(struct virtio_device *dev)
{
	struct vioballoon *sc = dev->vd_priv;
	unsigned n;

	if (!sc)
		return;
	if (vb_hooks.vbh_detach)
		vb_hooks.vbh_detach(sc, vb_hooks.vbh_arg);
	for (unsigned q = 0; q < 3; q++) {
		while (sc->sc_vq[q] && vq_detach_unused(sc->sc_vq[q]))
			;
		vq_destroy(sc->sc_vq[q]);
	}
	if (sc->sc_req == VB_INFLATE)
		sc->sc_pages += sc->sc_nreq; /* taken, in the set */
	else if (sc->sc_req == VB_DEFLATE)
		vb_ops.vbo_give(vb_ops.vbo_arg, sc->sc_pfns, sc->sc_nreq);
	while ((n = vb_ops.vbo_pick(vb_ops.vbo_arg, sc->sc_pfns, VIOBALLOON_BATCH)) > 0)
		vb_ops.vbo_give(vb_ops.vbo_arg, sc->sc_pfns, n);
	virtio_dma_free(&sc->sc_dma);
	virtio_mem_free(sc, sizeof(*sc));
	dev->vd_priv = NULL;
}

static struct virtio_driver vb_driver = {
    .vdrv_name = "vioballoon",
    .vdrv_device_id = VIRTIO_ID_BALLOON,
    .vdrv_features = VIRTIO_F_CORE_DEFAULT | VIRTIO_BIT(VIOBALLOON_F_MUST_TELL_HOST) |
                     VIRTIO_BIT(VIOBALLOON_F_STATS_VQ) | VIRTIO_BIT(VIOBALLOON_F_DEFLATE_ON_OOM),
    .vdrv_feature_names = vb_feature_names,
    .vdrv_probe = vb_probe,
    .vdrv_remove = vb_remove,
    .vdrv_config_changed = vb_config_changed,
};

int
vioballoon_driver_register(const struct vioballoon_pages_ops *ops,
                           const struct vioballoon_hooks *hooks)
{
	if (!ops || !ops->vbo_take || !ops->vbo_pick || !ops->vbo_give || !ops->vbo_mem)
		return VIRTIO_EINVAL;
	vb_ops = *ops;
	if (hooks)
		vb_hooks = *hooks;
	return virtio_driver_register(&vb_driver);
}

void
vioballoon_driver_unregister(void)
{
	virtio_driver_unregister(&vb_driver);
}

void
vioballoon_info_get(const struct vioballoon *sc, struct vioballoon_info *info)
{
	*info = (struct vioballoon_info){
	    .vbi_target = sc->sc_target,
	    .vbi_pages = sc->sc_pages,
	    .vbi_busy = sc->sc_req != VB_NONE,
	    .vbi_short = sc->sc_short,
	    .vbi_oom_hold = sc->sc_oom_hold,
	    .vbi_inflated = sc->sc_inflated,
	    .vbi_deflated = sc->sc_deflated,
	    .vbi_oom_pages = sc->sc_oom_pages,
	    .vbi_stats_updates = sc->sc_stats_updates,
	    .vbi_features = sc->sc_dev->vd_features,
	};
}

struct virtio_device *
vioballoon_device(const struct vioballoon *sc)
{
	return sc->sc_dev;
}
