# SPDX-License-Identifier: GPL-2.0-or-later
# In-kernel tests, linked into the test image only (build/vmach-test) and
# run by the QEMU test scripts with test=NAME: every .c file here.
KTEST_SRCS += $(sort $(wildcard tests/ktest/*.c))
