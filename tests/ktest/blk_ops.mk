# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel virtio-blk tests of DISCARD/WRITE_ZEROES, CONFIG_WCE and full
# ring depth (test=blk_ops, blk_wce, blk_depth), run by tests/qemu/blk-ops.t.
KERNEL_SRCS += tests/ktest/blk_ops_test.c
