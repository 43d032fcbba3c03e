#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# User programs (user/tests/) as boot modules on vmach: several programs per
# boot, each judged by its own TAP lines (tests/qemu/lib.sh, user_test).
# tests/gnumach/user.t boots the same programs on GNU Mach 2025.
source "$(dirname "$0")/lib.sh"

# badptr's string that runs into an unmapped page must not be printed.
reject_log "BADPTR-CROSSING"
user_test "user programs" 120 "" \
	"hello '\${host-port}' $USER_START" \
	"libc $USER_START" \
	"template $USER_START" \
	"zero-fill $USER_START" \
	"badptr $USER_START" \
	"sse $USER_START" \
	"regs 4 arg2 arg3 $USER_START" \
	"traps $USER_START"

# A write to read-only memory kills the task with one log line naming it,
# and a program beside it runs to its end. The log line names the task and
# the fault address (taken from the program's symbols).
ro_addr() { nm "$USER_BIN/ro-write" | awk -v s="$1" '$3 == s { sub(/^0+/, "", $1); print $1 }'; }
expect_log "ro-write.*(0x)?0*$(ro_addr ro_target)"
user_test "write to rodata" 120 "" "!ro-write rodata $USER_START" "zero-fill $USER_START"
expect_log "ro-write.*(0x)?0*$(ro_addr ro_target_fn)"
user_test "write to text" 60 "" "!ro-write text $USER_START" "hello $USER_START"
# A trap number outside the table is EXC_BAD_INSTRUCTION: the task dies with its log line.
expect_log "task badtrap .*EXC_BAD_INSTRUCTION"
user_test "trap outside the table" 60 "" "!badtrap $USER_START" "hello $USER_START"
qemu_done
