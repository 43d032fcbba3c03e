#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The IPC programs (MIG user stubs, mach_msg) on GNU Mach 2025: the oracle
# for tests/qemu/ipc-programs.t, which boots the same lines on vmach.
source "$(dirname "$0")/../qemu/lib.sh"

gnumach_test "gnumach: ipc" 120 "console=com0" \
	"ipc-trap $USER_START" \
	"ipc-port $USER_START" \
	"ipc-msg '\${host-port}' $USER_START" \
	"ipc-rights $USER_START" \
	"ipc-ool $USER_START" \
	"ipc-ool-cow $USER_START" \
	"ipc-queue $USER_START" \
	"ipc-pset $USER_START" \
	"ipc-notify $USER_START" \
	"ipc-sendnotify $USER_START" \
	"ipc-kserver $USER_START"
qemu_done
