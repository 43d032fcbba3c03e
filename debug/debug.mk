# SPDX-License-Identifier: GPL-2.0-or-later
# debug/: the monitor and its commands (every image), the in-kernel test
# runner and benchmarks (the test image only: KTEST_SRCS).
KERNEL_SRCS += debug/monitor.c debug/monitor_cmds.c debug/pci_monitor.c \
	debug/virtio_monitor.c debug/blk_monitor.c debug/net_monitor.c \
	debug/misc_monitor.c
KTEST_SRCS += debug/ktest.c debug/blk_bench.c
