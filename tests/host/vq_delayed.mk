# SPDX-License-Identifier: GPL-2.0-or-later
# tests/host: vq_enable_cb_delayed (split and packed) and vioblk's
# delayed completion interrupts against the simulated device.
HOST_TESTS += test_vq_delayed
test_vq_delayed_SRCS := tests/host/test_vq_delayed.c virtio/vioblk.c \
	virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c \
	tests/sim/sim_blk.c tests/host/vtest.c
