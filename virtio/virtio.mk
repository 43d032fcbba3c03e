# SPDX-License-Identifier: GPL-2.0-or-later
# virtio/: the portable virtio library (kernel build): core, queues, PCI
# transports and drivers.
VIRTIO_CORE_SRCS := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c
KERNEL_SRCS += $(VIRTIO_CORE_SRCS) virtio/vtpci.c virtio/vtpci_modern.c \
	virtio/vtpci_legacy.c virtio/vioblk.c virtio/vionet.c virtio/viocon.c \
	virtio/viornd.c virtio/vioballoon.c
