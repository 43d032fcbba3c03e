/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/vtest.h: shared fixture of the virtio host tests: a simulated
 * device (tests/sim) bound through the real core to a small test driver
 * that creates queues, plus DMA buffers for requests.
 */
#ifndef TESTS_HOST_VTEST_H
#define TESTS_HOST_VTEST_H

#include <stdint.h>
#include <stdbool.h>
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"
#include "virtio/platform.h"
#include "tests/host/platform_host.h"
#include "tests/sim/sim.h"

#define VTEST_DEVICE_ID 0x7e57
#define VTEST_MAXQ 4

struct vtest {
	struct sim *vt_sim;
	struct virtio_device *vt_dev;
	struct virtio_driver vt_drv;
	struct vq *vt_vq[VTEST_MAXQ];
	unsigned vt_nq;
	struct vq_params vt_params;
	int vt_probe_ret;    /* what probe returns after queues */
	bool vt_probe_ready; /* probe calls virtio_device_ready */
	bool vt_probe_break; /* probe breaks the device, then succeeds */
	unsigned vt_probes, vt_removes, vt_cbs, vt_config_changes;
	unsigned vt_broken_calls, vt_detached;
	struct virtio_dma vt_buf; /* request memory */
};

/* Default sim config: modern, 1 queue of qmax, features offered. */
struct sim_config vtest_config(uint64_t features, uint16_t qmax);

/* Features most tests offer and want: the core's ring bits. */
#define VTEST_FEATURES                                                                             \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) |                \
	 VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX))

/*
 * Create the fixture (heap; a previous one a failed test left behind is
 * torn down first), the sim, register the driver (wanting want), add the
 * device. *out is set even on error; returns the virtio_device_add /
 * register result. nq queues are created by the probe with size qsize and
 * indirect_max.
 */
int vtest_start(struct vtest **out, const struct sim_config *c, uint64_t want, unsigned nq,
                uint16_t qsize, uint16_t indirect_max);
/* Remove the device, unregister, free; checks nothing leaks. */
void vtest_stop(struct vtest *t);

/* A segment of the request buffer at byte off. */
struct vq_seg vtest_seg(struct vtest *t, size_t off, uint32_t len, bool w);
uint8_t *vtest_cpu(struct vtest *t, size_t off);

#endif /* TESTS_HOST_VTEST_H */
