#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The exhaustion programs on GNU Mach 2025: the oracle for
# tests/qemu/ipc-exhaust.t. The refusals themselves are vmach-only (GNU
# Mach bounds neither ports, nor queued bytes; ipc-exhaust prints them as
# "# SKIP"): here the loops stop at fixed counts and the error codes, the
# messages given back, the notifications of a dying task and the cleanup
# are checked.
source "$(dirname "$0")/../qemu/lib.sh"

gnumach_test "gnumach: ipc exhaustion" 180 "console=com0" "ipc-exhaust $USER_START"
gnumach_test "gnumach: a task dies holding rights" 120 "console=com0" \
	"ipc-exhaust-task $USER_START"
qemu_done
