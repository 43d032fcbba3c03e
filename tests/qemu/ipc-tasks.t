#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Threads, tasks, exceptions and special ports (user/tests/ipc-threads.c, ipc-rpc.c,
# ipc-exc.c, ipc-tasks.c, ipc-special.c, ipc-newtask.c,
# ipc-essential.c) on vmach: the same lines
# tests/gnumach/ipc-tasks.t passes on GNU Mach 2025.
source "$(dirname "$0")/lib.sh"

user_test "ipc threads" 120 "" \
	"ipc-threads $USER_START" \
	"ipc-rpc $USER_START"
user_test "ipc exceptions" 120 "" \
	"ipc-exc $USER_START"
user_test "ipc tasks" 120 "" \
	"ipc-tasks $USER_START" \
	"ipc-special $USER_START"
# The new-task notification is registered once per boot: a boot of its own.
user_test "ipc new-task notification" 120 "" \
	"ipc-newtask '\${host-port}' $USER_START"
# Essential tasks end like others (as on GNU Mach); vmach logs each such end.
expect_log 'task ess-term \([0-9]+\): an essential task ended'
expect_log 'task ess-crash \([0-9]+\): an essential task ended'
expect_log 'task ipc-essential \([0-9]+\): an essential task ended'
reject_log 'ess-cleared.*essential'
user_test "ipc essential tasks" 120 "" \
	"ipc-essential $USER_START"
qemu_done
