# SPDX-License-Identifier: GPL-2.0-or-later
# device/: the kernel's generic block (vd0...) and network (eth0...) layers,
# and the packet filters of device_set_filter (NETF and BPF).
KERNEL_SRCS += device/blk.c device/net.c device/net_filter.c device/net_filter_list.c
