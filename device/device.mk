# SPDX-License-Identifier: GPL-2.0-or-later
# device/: the kernel's generic block (vd0...) and network (eth0...) layers,
# and the Mach device interface on them: the device.defs server
# (ds_routines.c, built in the MIG stubs' world: mig/mig.mk), the device
# names (dev_name.c), the disk kind (dev_blk.c) and the time kind
# (dev_time.c); the packet filters of device_set_filter (NETF and BPF).
# docs/devices.md.
KERNEL_SRCS += device/blk.c device/net.c device/dev_name.c device/dev_blk.c device/ds_routines.c \
	device/dev_time.c device/dev_fill.c device/dev_console.c device/dev_net.c device/net_filter.c device/net_filter_list.c
