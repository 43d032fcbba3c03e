#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The IPC programs (MIG user stubs, mach_msg, the kernel servers;
# user/tests/ipc-*.c) on vmach: the same lines tests/gnumach/ipc.t passes
# on GNU Mach 2025.
source "$(dirname "$0")/lib.sh"

user_test "ipc" 120 "" \
	"ipc-trap $USER_START" \
	"ipc-port $USER_START" \
	"ipc-msg '\${host-port}' $USER_START" \
	"ipc-kserver $USER_START"
qemu_done
