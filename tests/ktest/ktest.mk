# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel tests, run by the QEMU test scripts with test=NAME.
KERNEL_SRCS += tests/ktest/boot_test.c
