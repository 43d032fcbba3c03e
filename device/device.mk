# SPDX-License-Identifier: GPL-2.0-or-later
# device/: the kernel's generic block (vd0..., rd0...) and network (eth0...)
# layers (partitions: blk_part.c over the pure MBR/GPT parser partition.c;
# RAM disks: ramdisk.c; docs/block.md), and the Mach device interface on
# them: the device.defs server (ds_routines.c, built in the MIG stubs'
# world: mig/mig.mk), the device names (dev_name.c), the kinds (dev_blk.c,
# dev_net.c, dev_console.c, dev_time.c; dev_fill.c for data a kind fills)
# and the packet filters of device_set_filter (NETF and BPF).
# docs/devices.md.
KERNEL_SRCS += device/blk.c device/blk_part.c device/partition.c device/ramdisk.c device/net.c \
	device/dev_name.c device/dev_blk.c device/ds_routines.c device/dev_time.c device/dev_fill.c \
	device/dev_console.c device/dev_net.c device/net_filter.c device/net_filter_list.c
