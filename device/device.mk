# SPDX-License-Identifier: GPL-2.0-or-later
KERNEL_SRCS += device/virtio_platform.c
