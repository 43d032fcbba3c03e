# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel virtio-net tests (net_filter, net_link), run by tests/qemu/net-ctrl.t.
KERNEL_SRCS += tests/ktest/net_test.c
