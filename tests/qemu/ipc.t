#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ipc/ in the test image under the lock checker (tests/ktest/ipc_test.c).
source "$(dirname "$0")/lib.sh"

qemu_test "ipc core: rights, sets, notifications, teardown" 30 "test=ipc_core"
qemu_done
