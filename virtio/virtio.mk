# SPDX-License-Identifier: GPL-2.0-or-later
# virtio/: the portable virtio core and queues (kernel build).
VIRTIO_CORE_SRCS := virtio/virtio.c virtio/virtqueue.c virtio/vq_split.c \
	virtio/vq_packed.c
KERNEL_SRCS += $(VIRTIO_CORE_SRCS)
