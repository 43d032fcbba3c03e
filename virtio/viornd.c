// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/viornd.c: the virtio entropy driver (virtio 1.4 §5.4): one
 * requestq (§5.4.2) of device-writable buffers (§5.4.6.1), no feature bits
 * (§5.4.3), no config (§5.4.4); plus the health check of viornd.h.
 */
#include "virtio/viornd.h"
#include "virtio/platform.h"
#include "virtio/virtqueue.h"

#define VIORND_PREV 16  /* bytes compared between chunks */
#define VIORND_MAXP 32  /* longest repeated block detected */
#define VIORND_MARGIN 8 /* bytes past one period before we judge */

struct viornd {
	struct virtio_device *sc_dev;
	struct vq *sc_vq;
	struct virtio_dma sc_buf; /* VIORND_CHUNK bytes */
	viornd_done_fn *sc_done;  /* NULL when idle */
	void *sc_arg;
	size_t sc_want;
	uint8_t sc_prev[VIORND_PREV];
	bool sc_have_prev;
	const char *sc_health; /* NULL, or sc_why */
	char sc_why[96];
	struct viornd_stats sc_stats;
};

static struct viornd_hooks viornd_hooks;

static const char hexdig[] = "0123456789abcdef";

/* Append s, then a byte in hex, to why (bounded, NUL-terminated). */
static const char *
viornd_why(char *why, const char *s, int byte)
{
	size_t n = 0;

	while (*s && n < 56)
		why[n++] = *s++;
	if (byte >= 0) {
		why[n++] = '0';
		why[n++] = 'x';
		why[n++] = hexdig[(byte >> 4) & 15];
		why[n++] = hexdig[byte & 15];
	}
	why[n] = '\0';
	return why;
}

/* Whether buf is one block of p bytes repeated (to the end). */
static bool
viornd_periodic(const uint8_t *buf, size_t len, size_t p)
{
	size_t i;

	for (i = p; i < len; i++)
		if (buf[i] != buf[i - p])
			return false;
	return true;
}

const char *
viornd_check(const uint8_t *buf, size_t len, const uint8_t *prev, char *why)
{
	size_t p;
	size_t i;

	/* A real source matches any of these with odds below 2^-64. */
	if (len > VIORND_MARGIN && viornd_periodic(buf, len, 1))
		return viornd_why(why, "all bytes equal: ", buf[0]);
	for (p = 2; p <= VIORND_MAXP && 2 * p <= len && len - p >= VIORND_MARGIN; p++) {
		if (viornd_periodic(buf, len, p))
			return viornd_why(why, "a short block repeats", -1);
	}
	if (prev && len >= VIORND_PREV) {
		for (i = 0; i < VIORND_PREV && buf[i] == prev[i]; i++)
			;
		if (i == VIORND_PREV)
			return viornd_why(why, "the same bytes as the previous chunk", -1);
	}
	return NULL;
}

/* Post the buffer for sc_want bytes. */
static int
viornd_post(struct viornd *sc)
{
	struct vq_seg seg = {sc->sc_buf.vd_dev, (uint32_t)sc->sc_want, true};
	int err;

	virtio_dma_sync(&sc->sc_buf, 0, sc->sc_want, VIRTIO_DMA_FROM_DEVICE);
	err = vq_add(sc->sc_vq, &seg, 1, sc);
	if (err == VIRTIO_OK)
		vq_kick(sc->sc_vq);
	return err;
}

/* End the read in flight. */
static void
viornd_finish(struct viornd *sc, const uint8_t *buf, size_t len, int err)
{
	viornd_done_fn *done = sc->sc_done;

	sc->sc_done = NULL;
	if (done)
		done(sc->sc_arg, buf, len, err);
}

/* One chunk arrived: check it, then deliver it or fail the source. */
static void
viornd_chunk(struct viornd *sc, uint32_t len)
{
	const uint8_t *buf = sc->sc_buf.vd_cpu;

	virtio_dma_sync(&sc->sc_buf, 0, len, VIRTIO_DMA_FROM_DEVICE);
	if (viornd_check(buf, len, sc->sc_have_prev ? sc->sc_prev : NULL, sc->sc_why)) {
		sc->sc_health = sc->sc_why;
		virtio_log(VIRTIO_LOG_ERR,
		           "%s: viornd: health check failed "
		           "(%s): entropy source disabled",
		           sc->sc_dev->vd_name, sc->sc_why);
		viornd_finish(sc, NULL, 0, VIRTIO_EIO);
		return;
	}
	if (len >= VIORND_PREV) {
		for (size_t i = 0; i < VIORND_PREV; i++)
			sc->sc_prev[i] = buf[i];
		sc->sc_have_prev = true;
	}
	sc->sc_stats.vrs_reads++;
	sc->sc_stats.vrs_bytes += len;
	viornd_finish(sc, buf, len, VIRTIO_OK);
}

static void
viornd_intr(struct vq *vq, void *arg)
{
	struct viornd *sc = arg;
	void *token;
	uint32_t len;
	int err;

	while ((err = vq_get(vq, &token, &len)) == VIRTIO_OK) {
		if (token != sc || !sc->sc_done)
			continue; /* cannot happen: vq checks ids */
		if (len == 0) {
			/* Nothing yet: ask again rather than fail. */
			sc->sc_stats.vrs_empty++;
			if (viornd_post(sc) != VIRTIO_OK)
				viornd_finish(sc, NULL, 0, VIRTIO_EBADDEV);
			continue;
		}
		viornd_chunk(sc, len);
	}
	if (err == VIRTIO_EBADDEV)
		viornd_finish(sc, NULL, 0, VIRTIO_EBADDEV);
}

int
viornd_read(struct viornd *sc, size_t len, viornd_done_fn *done, void *arg)
{
	int err;

	if (len == 0 || !done)
		return VIRTIO_EINVAL;
	if (sc->sc_health)
		return VIRTIO_EIO;
	if (sc->sc_dev->vd_broken || vq_is_broken(sc->sc_vq))
		return VIRTIO_EBADDEV;
	if (sc->sc_done)
		return VIRTIO_EBUSY;
	sc->sc_want = len < VIORND_CHUNK ? len : VIORND_CHUNK;
	sc->sc_done = done;
	sc->sc_arg = arg;
	err = viornd_post(sc);
	if (err != VIRTIO_OK)
		sc->sc_done = NULL;
	return err;
}

bool
viornd_busy(const struct viornd *sc)
{
	return sc->sc_done != NULL;
}

const char *
viornd_health(const struct viornd *sc)
{
	return sc->sc_health;
}

void
viornd_stats_get(const struct viornd *sc, struct viornd_stats *st)
{
	*st = sc->sc_stats;
}

struct virtio_device *
viornd_device(const struct viornd *sc)
{
	return sc->sc_dev;
}

static int
viornd_probe(struct virtio_device *dev)
{
	struct viornd *sc;
	struct vq_params p = {
	    .vqp_size = 8,
	    .vqp_callback = viornd_intr,
	    .vqp_name = "request",
	};
	int err;

	sc = virtio_mem_alloc(sizeof(*sc));
	if (!sc)
		return VIRTIO_ENOMEM;
	sc->sc_dev = dev;
	p.vqp_arg = sc;
	err = virtio_dma_alloc(VIORND_CHUNK, 64, &sc->sc_buf);
	if (err)
		goto fail_dma;
	err = vq_create(dev, 0, &p, &sc->sc_vq);
	if (err)
		goto fail_vq;
	dev->vd_priv = sc;
	virtio_device_ready(dev);
	if (viornd_hooks.vrh_attach)
		viornd_hooks.vrh_attach(sc, viornd_hooks.vrh_arg);
	return VIRTIO_OK;
fail_vq:
	virtio_dma_free(&sc->sc_buf);
fail_dma:
	virtio_mem_free(sc, sizeof(*sc));
	return err;
}

static void
viornd_remove(struct virtio_device *dev)
{
	struct viornd *sc = dev->vd_priv;

	if (!sc)
		return;
	if (viornd_hooks.vrh_detach)
		viornd_hooks.vrh_detach(sc, viornd_hooks.vrh_arg);
	while (vq_detach_unused(sc->sc_vq))
		;
	viornd_finish(sc, NULL, 0, VIRTIO_EBADDEV);
	vq_destroy(sc->sc_vq);
	virtio_dma_free(&sc->sc_buf);
	virtio_mem_free(sc, sizeof(*sc));
	dev->vd_priv = NULL;
}

static void
viornd_broken(struct virtio_device *dev)
{
	struct viornd *sc = dev->vd_priv;

	if (sc)
		viornd_finish(sc, NULL, 0, VIRTIO_EBADDEV);
}

static struct virtio_driver viornd_driver = {
    .vdrv_name = "viornd",
    .vdrv_device_id = VIRTIO_ID_RNG,
    .vdrv_features = VIRTIO_F_CORE_DEFAULT,
    .vdrv_probe = viornd_probe,
    .vdrv_remove = viornd_remove,
    .vdrv_broken = viornd_broken,
};

int
viornd_driver_register(const struct viornd_hooks *hooks)
{
	if (hooks)
		viornd_hooks = *hooks;
	return virtio_driver_register(&viornd_driver);
}

void
viornd_driver_unregister(void)
{
	virtio_driver_unregister(&viornd_driver);
}
