#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle: the user test programs on GNU Mach 2025 (Debian 13's
# gnumach-image-1.8-amd64-up) through GRUB, as tests/qemu/user.t boots them
# on vmach. make check-gnumach runs this; make check does not.
# badptr runs only its NULL case: GNU Mach panics on the other bad
# mach_print pointers (MACH-ABI.md), where vmach returns KERN_INVALID_ADDRESS
# on purpose.
source "$(dirname "$0")/../qemu/lib.sh"

# Not argcheck: GNU Mach splits a quoted word at its blank (MACH-ABI.md),
# where vmach honours the quotes; steady's line refers to a later line's task.

gnumach_test "gnumach: user programs" 120 "console=com0" \
	"hello '\${host-port}' $USER_START" \
	"libc $USER_START" \
	"template $USER_START" \
	"zero-fill $USER_START" \
	"sse $USER_START" \
	"regs 4 arg2 arg3 $USER_START" \
	"traps gnumach $USER_START" \
	"badptr null $USER_START" \
	"steady 50 --peer='\${later}' $USER_START" \
	"spin 1000 '\$(later=task-create)' '\$(task-resume)'"

# A task that faults dies silently on GNU Mach: no log line to expect.
gnumach_test "gnumach: write to rodata" 60 "console=com0" "!ro-write rodata $USER_START" \
	"zero-fill $USER_START"
gnumach_test "gnumach: write to text" 60 "console=com0" "!ro-write text $USER_START" \
	"hello $USER_START"
# Preemption and FPU state across it, as on vmach (tests/qemu/sched.t).
gnumach_test "gnumach: preemption" 300 "console=com0" \
	"spin 150000000 $USER_START" \
	"hello $USER_START" \
	"sse-spin 1 30000000 $USER_START" \
	"sse-spin2 2 30000000 $USER_START"
gnumach_test "gnumach: trap outside the table" 60 "console=com0" "!badtrap $USER_START" \
	"hello $USER_START"
qemu_done
