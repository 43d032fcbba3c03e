# SPDX-License-Identifier: GPL-2.0-or-later
# drivers/: the kernel side of each driver: the virtio platform, PCI attach,
# and the binding of the virtio drivers to the kernel's layers (and, for
# virtio-rng, to the device interface: the `random` device).
KERNEL_SRCS += drivers/virtio_platform.c drivers/virtio_pci_attach.c \
	drivers/virtio_errno.c drivers/vioblk_glue.c drivers/vionet_glue.c \
	drivers/viocon_glue.c drivers/viornd_glue.c drivers/vioballoon_glue.c \
	drivers/viornd_dev.c
