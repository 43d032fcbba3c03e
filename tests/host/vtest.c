// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/vtest.c: the fixture of vtest.h. The test driver is a normal
 * struct virtio_driver; the sim's interrupt line goes to the core's
 * interrupt entry points, as a transport's handler would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/vtest.h"

#define VTEST_BUF_SIZE (1u << 20)

static void
vtest_cb(struct vq *vq, void *arg)
{
	struct vtest *t = arg;

	t->vt_cbs++;
}

static struct vtest *
vtest_of(struct virtio_device *dev)
{
	return sim_of(dev)->s_arg;
}

static int
vtest_probe(struct virtio_device *dev)
{
	struct vtest *t = vtest_of(dev);
	unsigned i;
	int err;

	t->vt_probes++;
	dev->vd_priv = t;
	for (i = 0; i < t->vt_nq; i++) {
		err = vq_create(dev, i, &t->vt_params, &t->vt_vq[i]);
		if (err)
			return err;
	}
	if (t->vt_probe_ready)
		virtio_device_ready(dev);
	if (t->vt_probe_break)
		virtio_device_break(dev, "test: broken during the probe");
	return t->vt_probe_ret;
}

static void
vtest_remove(struct virtio_device *dev)
{
	struct vtest *t = vtest_of(dev);
	unsigned i;

	t->vt_removes++;
	for (i = 0; i < t->vt_nq; i++) {
		if (!t->vt_vq[i])
			continue;
		while (vq_detach_unused(t->vt_vq[i]))
			t->vt_detached++;
		vq_destroy(t->vt_vq[i]);
		t->vt_vq[i] = NULL;
	}
}

static void
vtest_config_changed(struct virtio_device *dev)
{
	vtest_of(dev)->vt_config_changes++;
}

static void
vtest_broken(struct virtio_device *dev)
{
	vtest_of(dev)->vt_broken_calls++;
}

/* The sim's interrupt line, wired as a transport would. */
static void
vtest_irq(struct sim *s, int q)
{
	if (q < 0)
		virtio_device_config_intr(&s->s_vdev);
	else
		virtio_device_queue_intr(&s->s_vdev, (unsigned)q);
}

struct sim_config
vtest_config(uint64_t features, uint16_t qmax)
{
	struct sim_config c = {
	    .sc_device_id = VTEST_DEVICE_ID,
	    .sc_features = features,
	    .sc_nqueues = 1,
	    .sc_config_len = 64,
	};
	unsigned i;

	for (i = 0; i < SIM_MAX_QUEUES; i++)
		c.sc_qmax[i] = qmax;
	return c;
}

static struct vtest *vtest_live;

static void
vtest_teardown(struct vtest *t)
{
	virtio_device_remove(t->vt_dev);
	virtio_driver_unregister(&t->vt_drv);
	virtio_dma_free(&t->vt_buf);
	sim_destroy(t->vt_sim);
	free(t);
	vtest_live = NULL;
}

int
vtest_start(struct vtest **out, const struct sim_config *c, uint64_t want, unsigned nq,
            uint16_t qsize, uint16_t indirect_max)
{
	struct vtest *t;
	int err;

	if (vtest_live)
		vtest_teardown(vtest_live); /* a failed test's leftovers */
	host_dma_fail_after(-1);
	host_mem_fail_after(-1);
	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	vtest_live = t;
	*out = t;
	host_log_reset();
	t->vt_sim = sim_create(c);
	t->vt_sim->s_arg = t;
	t->vt_sim->s_irq = vtest_irq;
	t->vt_dev = sim_vdev(t->vt_sim);
	t->vt_nq = nq;
	t->vt_params.vqp_size = qsize;
	t->vt_params.vqp_indirect_max = indirect_max;
	t->vt_params.vqp_callback = vtest_cb;
	t->vt_params.vqp_arg = t;
	t->vt_params.vqp_name = "test";
	t->vt_drv.vdrv_name = "vtest";
	t->vt_drv.vdrv_device_id = c->sc_device_id;
	t->vt_drv.vdrv_features = want;
	t->vt_drv.vdrv_probe = vtest_probe;
	t->vt_drv.vdrv_remove = vtest_remove;
	t->vt_drv.vdrv_config_changed = vtest_config_changed;
	t->vt_drv.vdrv_broken = vtest_broken;
	assert_int_equal(virtio_dma_alloc(VTEST_BUF_SIZE, 4096, &t->vt_buf), VIRTIO_OK);
	err = virtio_driver_register(&t->vt_drv);
	if (err)
		return err;
	return virtio_device_add(t->vt_dev);
}

void
vtest_stop(struct vtest *t)
{
	vtest_teardown(t);
	assert_int_equal(host_dma_live(), 0);
	assert_int_equal(host_mem_live(), 0);
}

struct vq_seg
vtest_seg(struct vtest *t, size_t off, uint32_t len, bool w)
{
	assert_true(off + len <= t->vt_buf.vd_size);
	return (struct vq_seg){t->vt_buf.vd_dev + off, len, w};
}

uint8_t *
vtest_cpu(struct vtest *t, size_t off)
{
	return (uint8_t *)t->vt_buf.vd_cpu + off;
}
