# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel virtio-blk tests (test=blk, blk_eio, blk_flush), run by tests/qemu/blk*.t.
KERNEL_SRCS += tests/ktest/blk_test.c
