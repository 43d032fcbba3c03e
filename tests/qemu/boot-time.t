#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot time (issue 9): under icount (1 ns = 1 guest instruction, so the
# figures do not depend on the host's load) start-up stays short, the TSC
# and LAPIC calibrations stay in their short windows, and every virtio
# probe is marked as a device-probe phase (tests/ktest/boot_time_test.c).
# The test image carries the lock checker: its bounds leave room for it.
source "$(dirname "$0")/lib.sh"

ICOUNT="-icount shift=0,align=off,sleep=off"
truncate -s 1M "$TEST_TMP/disk.img"
# ioeventfd=off: QEMU answers the probes' notifications at a fixed guest
# time, not when the host schedules its I/O thread (bench/boot).
# partitions=off: no partition table is read at start-up; that read waits
# for the host's I/O thread, and an idle guest's clock runs on under
# sleep=off (device/blk_part.c).
DEVICES=(-drive file="$TEST_TMP/disk.img",if=none,format=raw,id=d0
	-device virtio-blk-pci,drive=d0,ioeventfd=off
	-netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0,ioeventfd=off
	-device virtio-rng-pci,ioeventfd=off)
# shellcheck disable=SC2086
qemu_test "start-up within 10 ms of entry under icount (pc)" 60 \
	"test=boot_time boot_max_us=10000 clock_max_us=2000 partitions=off" $ICOUNT "${DEVICES[@]}"
# shellcheck disable=SC2086
qemu_test "start-up within 10 ms of entry under icount (q35)" 60 \
	"test=boot_time boot_max_us=10000 clock_max_us=2000 partitions=off" -M q35 $ICOUNT "${DEVICES[@]}"
qemu_test "phases marked without icount" 60 "test=boot_time partitions=off" "${DEVICES[@]}"
qemu_done
