#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel threads and the scheduler (tests/ktest/thread_test.c).
source "$(dirname "$0")/lib.sh"

qemu_test "threads: wake-ups, timeouts, abort, priorities, yield, reaping" 60 "test=threads"
qemu_done
