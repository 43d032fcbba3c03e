#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The lock checker of the test image (kern/spinlock.h, docs/locking.md):
# locks in rank order pass; out of order, taken twice, assert_held on a
# lock not held, a wait or a halt with a spinlock held: each panics (QEMU
# status 37) with a message naming the locks; lockcheck=off turns it off.
source "$(dirname "$0")/lib.sh"

qemu_test "two ranked locks in order, trylock out of order: fine" 30 "test=lock_order"

expect_panic "a lock out of rank order panics naming both locks" lock_order_panic \
	'^panic: lock order: ktest_outer \(rank 50\) taken while holding ktest_inner \(rank 80\)$' \
	'^  #[0-9] .* ktest_fn_lock_order_panic\+0x' '^--- end of panic ---'
expect_panic "a lock taken twice panics instead of deadlocking" lock_twice_panic \
	'^panic: lock order: ktest_outer \(rank 50\) taken again while held: deadlock$'
expect_panic "assert_held on a lock not held panics naming it" lock_assert_panic \
	'^panic: assert_held: ktest_outer \(rank 50\) is not held by this CPU in ktest_fn_lock_assert_panic\(\)$'
expect_panic "wait_until with a spinlock held panics naming the lock" lock_wait_panic \
	'^panic: wait_until\(ktest_event\): waits while holding spinlock ktest_outer \(rank 50\)$'
expect_panic "cpu_idle_wait with a spinlock held panics naming the lock" lock_halt_panic \
	'^panic: cpu_idle_wait: waits while holding spinlock ktest_inner \(rank 80\)$'

# lockcheck=off (what the benchmarks use): the checker says so and stays out of the way.
qemu_boot 30 "test=lock_order_panic lockcheck=off"
ok=0
[ "$QEMU_STATUS" = 35 ] || { echo "# status $QEMU_STATUS, expected 35 (the test's own failure)"; ok=1; }
tr -d '\r' <"$QEMU_LOG" | grep -q 'locks: rank checker off (lockcheck=off)' || ok=1
tr -d '\r' <"$QEMU_LOG" | grep -q '^panic:' && ok=1
tap_check $ok "lockcheck=off: no check, no panic"
[ $ok = 0 ] || show_log "lockcheck=off"
qemu_done
