#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel threads, the scheduler and tasks (tests/ktest/thread_test.c, task_test.c).
source "$(dirname "$0")/lib.sh"

qemu_test "threads: wake-ups, timeouts, abort, priorities, yield, reaping" 60 "test=threads"
qemu_test "tasks: inheritance, suspend counts, termination, no page lost" 60 "test=tasks"
qemu_test "gsync: wait, wake, timeouts, abort, requeue, shared keys, contention" 60 "test=gsync"
qemu_test "host time: battery clock, set, adjust, version" 30 "test=host_time"
expect_panic "a kernel stack overflow faults on the guard page and says so" kstack_overflow \
	"kernel stack overflow: rsp 0x[0-9a-f]+ is in a stack's guard page"
qemu_done
