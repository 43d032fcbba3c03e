#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults are caught and reported; panics and failed asserts are told apart
# from failures by their exit status and carry a report and a backtrace.
source "$(dirname "$0")/lib.sh"

qemu_test "page faults caught with address and cause" 30 "test=page_fault"

expect_panic "an uncaught page fault panics with cause, registers and backtrace" page_fault_panic \
	'^panic: page fault at 0xdead000: not present, write, kernel mode' \
	'^  rip ffffffff8[0-9a-f]+ ' 'cr2 000000000dead000' \
	'^  #0 ffffffff8[0-9a-f]+ ktest_fn_page_fault_panic\+0x' '^  #[0-9] .* kmain\+0x'
expect_panic "panic() prints its message and a symbolic backtrace" panic \
	'^panic: deliberate panic 42' '^  #0 .* ktest_fn_panic\+0x' '^--- end of panic ---'
expect_panic "a failed assert() panics naming the condition" assert \
	'^panic: assertion failed: x == 2 \(tests/ktest/boot_test.c:[0-9]+, ktest_fn_assert\)'
expect_panic "an unknown test name panics" no_such_test "^panic: no test named 'no_such_test'"
qemu_done
