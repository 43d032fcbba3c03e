#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle's RAM disk: GNU Mach 2025 boots with a module made a RAM disk
# by '$(ramdisk-create)' (the harness's ramdisk_module, tests/qemu/lib.sh)
# ahead of a test program, which still runs. GNU Mach prints the disk's
# size: the module's 100000 bytes rounded up to a page, as vmach makes
# rd0 (tests/qemu/blkdevs.t). Device test programs can open rd0 this way.
source "$(dirname "$0")/../qemu/lib.sh"

RD=$TEST_TMP/rd.bin
head -c 100000 /dev/urandom >"$RD"
ramdisk_module "$RD"
expect_log 'rd0: 102400 bytes @'
gnumach_test "gnumach: a RAM disk module ahead of a program" 90 "console=com0" \
	"hello '\${host-port}' $USER_START"
qemu_done
