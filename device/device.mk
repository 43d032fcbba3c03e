# SPDX-License-Identifier: GPL-2.0-or-later
# device/: the kernel's generic block (vd0...) and network (eth0...) layers.
KERNEL_SRCS += device/blk.c device/blk_part.c device/partition.c device/ramdisk.c device/net.c
