#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel boots on both machine types, with little and much memory, and
# runs its start-up levels in order.
source "$(dirname "$0")/lib.sh"

qemu_test "boot on -M pc" 30 "test=boot" -M pc
qemu_test "boot on -M q35" 30 "test=boot" -M q35
truncate -s 1M "$TEST_TMP/disk.img"
qemu_test "start-up levels run in order" 30 "test=initcalls" \
	-drive file="$TEST_TMP/disk.img",if=none,format=raw,id=d0 -device virtio-blk-pci,drive=d0 \
	-netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0
qemu_test "-m 32M: all memory usable" 60 "test=mem expect_mem_mb=32" -m 32M
qemu_test "-m 8G: memory above 4 GiB written and read" 240 "test=mem expect_mem_mb=8192" -m 8G
qemu_test "-m 8G on q35" 240 "test=mem expect_mem_mb=8192" -M q35 -m 8G
qemu_done
