#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The ipc bench program (bench/ipc, docs/bench.md "ipc") in small on GNU
# Mach 2025: every figure's operation must answer right (its second thread,
# its child task, the echoes, the moved and copied regions, the moved right)
# and both peers must end. No figure is judged: no -icount.
source "$(dirname "$0")/../qemu/lib.sh"

gnumach_test "gnumach: ipc-bench at 5% of its counts" 120 "console=com0" \
	"ipc-bench 5 $USER_START"
qemu_done
