# SPDX-License-Identifier: GPL-2.0-or-later
# tests/host: the virtio-net driver against the simulated net device.
VIONET_HOST_LIB := virtio/vionet.c virtio/virtio.c virtio/virtqueue.c \
	virtio/vq_split.c virtio/vq_packed.c tests/host/platform_host.c \
	tests/sim/sim.c tests/sim/sim_net.c

HOST_TESTS += test_vionet
test_vionet_SRCS := tests/host/test_vionet.c $(VIONET_HOST_LIB)
