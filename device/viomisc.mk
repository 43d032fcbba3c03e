# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-console, virtio-rng, virtio-balloon: drivers, kernel glue, monitor.
KERNEL_SRCS += virtio/viocon.c virtio/viornd.c virtio/vioballoon.c \
	device/viocon_glue.c device/rng.c device/balloon_glue.c \
	device/misc_monitor.c
