# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-net (portable driver), the network interfaces and the `net` command.
KERNEL_SRCS += virtio/vionet.c device/net.c device/net_monitor.c
