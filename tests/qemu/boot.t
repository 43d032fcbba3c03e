#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel boots on both machine types, with little and much memory.
source "$(dirname "$0")/lib.sh"

qemu_test "boot on -M pc" 30 "test=boot" -M pc
qemu_test "boot on -M q35" 30 "test=boot" -M q35
qemu_test "-m 32M: all memory usable" 60 "test=mem expect_mem_mb=32" -m 32M
qemu_test "-m 8G: memory above 4 GiB written and read" 240 "test=mem expect_mem_mb=8192" -m 8G
qemu_test "-m 8G on q35" 240 "test=mem expect_mem_mb=8192" -M q35 -m 8G
qemu_done
