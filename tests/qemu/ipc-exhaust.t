#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Resource exhaustion (user/tests/ipc-exhaust.c): ports, names, queued
# messages and bytes, huge OOL regions, refused cleanly with no leak; and
# a task killed with rights in its queues (ipc-exhaust-task.c). 64 MiB,
# so that the limits sized from memory (kern/ipc_host.c) come quickly.
source "$(dirname "$0")/lib.sh"

USER_QEMU=(-m 64M)
user_test "ipc exhaustion" 60 "" "ipc-exhaust $USER_START"
user_test "ipc: a task dies holding rights" 30 "" "ipc-exhaust-task $USER_START"
qemu_done
