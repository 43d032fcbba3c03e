# SPDX-License-Identifier: GPL-2.0-or-later
# tests/host: virtio core and queue tests against the simulated device.
VIRTIO_HOST_LIB := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c tests/host/platform_host.c tests/sim/sim.c \
	tests/host/vtest.c

HOST_TESTS += test_virtio_core test_vq_split test_vq_packed \
	test_virtio_hostile
test_virtio_core_SRCS := tests/host/test_virtio_core.c $(VIRTIO_HOST_LIB)
test_vq_split_SRCS := tests/host/test_vq_split.c tests/host/vq_cases.c \
	$(VIRTIO_HOST_LIB)
test_vq_packed_SRCS := tests/host/test_vq_packed.c tests/host/vq_cases.c \
	$(VIRTIO_HOST_LIB)
test_virtio_hostile_SRCS := tests/host/test_virtio_hostile.c \
	$(VIRTIO_HOST_LIB)
