#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The vDSO (docs/vdso.md) from boot tasks: user/tests/vdso.c (aux vector,
# symbols, vmach_vdso_find, 2 x 10,000,000 MONOTONIC reads, REALTIME
# against host_get_time and the mapped time page, host_set_time) beside regs (the MACH-ABI.md stack
# with the aux vector present); the same with every read sent to the trap
# (vdso_slow=on); and stores into the vvar and the vDSO's text, which kill
# the task.
source "$(dirname "$0")/lib.sh"

expect_log "vdso: [0-9]+ bytes at 0x7fff00001000"
user_test "vDSO" 300 "" \
	"vdso '\${host-port}' '\${device-port}' $USER_START" \
	"regs 4 arg2 arg3 $USER_START"
user_test "vDSO, slow path (vdso_slow=on)" 120 "vdso_slow=on" \
	"vdso '\${host-port}' slow $USER_START"
user_test "vDSO under vvar_stress=on: no torn read" 120 "vvar_stress=on" \
	"vdso-stress 2 $USER_START"
expect_log "vdso-write.*0x7fff00000000"
user_test "write to the vvar" 60 "" "!vdso-write vvar $USER_START" "hello $USER_START"
expect_log "vdso-write.*0x7fff00001000"
user_test "write to the vDSO text" 60 "" "!vdso-write text $USER_START" "hello $USER_START"
qemu_done
