# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel tests, linked into the test image only (build/vmach-test) and
# run by the QEMU test scripts with test=NAME.
KTEST_SRCS += tests/ktest/boot_test.c tests/ktest/pci_test.c \
	tests/ktest/blk_test.c tests/ktest/blk_ops_test.c tests/ktest/net_test.c \
	tests/ktest/bench_blk.c tests/ktest/init_test.c tests/ktest/lock_test.c \
	tests/ktest/monitor_test.c tests/ktest/boot_time_test.c
