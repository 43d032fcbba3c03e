#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rights, out-of-line memory, queues, port sets, notifications and
# MACH_SEND_NOTIFY (user/tests/ipc-{rights,ool,ool-cow,queue,pset,notify,sendnotify}.c)
# on vmach: the same
# programs tests/gnumach/ipc.t passes on GNU Mach 2025.
source "$(dirname "$0")/lib.sh"

user_test "ipc" 120 "" \
	"ipc-rights $USER_START" \
	"ipc-ool $USER_START" \
	"ipc-ool-cow $USER_START" \
	"ipc-queue $USER_START" \
	"ipc-pset $USER_START" \
	"ipc-notify $USER_START" \
	"ipc-sendnotify $USER_START"
qemu_done
