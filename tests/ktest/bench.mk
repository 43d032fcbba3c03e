# SPDX-License-Identifier: GPL-2.0-or-later
# The in-kernel block benchmark as a kernel test (test=blk_bench), run by
# bench/run and tests/qemu/bench.t.
KERNEL_SRCS += tests/ktest/bench_blk.c
