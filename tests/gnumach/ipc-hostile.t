#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ipc-loops (the bugs ipc-hostile found in vmach) on GNU Mach 2025: the
# oracle for that part of tests/qemu/ipc-hostile.t. The hostile run itself
# is vmach-only: GNU Mach 2025 takes a kernel page fault within its first
# few hundred random calls (docs/ipc.md). HOSTILE_ON_GNUMACH=1 boots it
# anyway, to see that.
source "$(dirname "$0")/../qemu/lib.sh"

gnumach_test "gnumach: ipc loops" 120 "console=com0" \
	"ipc-loops $USER_START"
if [ "${HOSTILE_ON_GNUMACH:-0}" = 1 ]; then
	gnumach_test "gnumach: ipc hostile task" 300 "console=com0" \
		"ipc-hostile ${HOSTILE_COUNT:-20000} ${HOSTILE_SEED:-0x5eed1234} $USER_START"
fi
qemu_done
