#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Threads, tasks, exceptions and special ports (user/tests/ipc-threads.c, ipc-rpc.c
# and the others below) on GNU Mach 2025: the oracle for
# tests/qemu/ipc-tasks.t, which boots the same lines on vmach.
source "$(dirname "$0")/../qemu/lib.sh"

gnumach_test "gnumach: ipc threads" 120 "console=com0" \
	"ipc-threads $USER_START" \
	"ipc-rpc $USER_START"
gnumach_test "gnumach: ipc exceptions" 120 "console=com0" \
	"ipc-exc $USER_START"
gnumach_test "gnumach: ipc tasks" 120 "console=com0" \
	"ipc-tasks $USER_START" \
	"ipc-special $USER_START"
# The new-task notification is registered once per boot: a boot of its own.
gnumach_test "gnumach: ipc new-task notification" 120 "console=com0" \
	"ipc-newtask '\${host-port}' $USER_START"
# GNU Mach 2025 only records the mark: the system runs on, no panic.
reject_log 'panic'
gnumach_test "gnumach: ipc essential tasks" 120 "console=com0" \
	"ipc-essential $USER_START"
qemu_done
