# SPDX-License-Identifier: GPL-2.0-or-later
# tests/host: the virtio-blk driver against the simulated blk device.
VIOBLK_HOST_LIB := virtio/vioblk.c virtio/virtio.c virtio/virtqueue.c \
	virtio/vq_split.c virtio/vq_packed.c tests/host/platform_host.c \
	tests/sim/sim.c tests/sim/sim_blk.c

HOST_TESTS += test_vioblk
test_vioblk_SRCS := tests/host/test_vioblk.c $(VIOBLK_HOST_LIB)

# The PCI transports against a fake PCI function.
HOST_TESTS += test_vtpci
test_vtpci_SRCS := tests/host/test_vtpci.c virtio/vtpci.c \
	virtio/vtpci_modern.c virtio/vtpci_legacy.c virtio/virtio.c \
	virtio/virtqueue.c virtio/vq_split.c virtio/vq_packed.c \
	tests/host/platform_host.c
