# SPDX-License-Identifier: GPL-2.0-or-later
# virtio PCI transports, virtio-blk, the block layer and their monitor commands.
KERNEL_SRCS += virtio/vtpci.c virtio/vtpci_modern.c virtio/vtpci_legacy.c \
	virtio/vioblk.c device/blk.c device/blk_virtio.c \
	device/virtio_pci_attach.c device/virtio_monitor.c device/blk_monitor.c \
	device/blk_bench.c
