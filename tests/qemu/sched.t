#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Scheduling of user tasks: time-slice preemption, FPU and SSE state kept
# across it, and a task that exhausts memory terminated while another
# keeps running.
source "$(dirname "$0")/lib.sh"

# line_of NAME PATTERN: the first serial-log line number where NAME printed PATTERN.
line_of() {
	tr -d '\r' <"$QEMU_LOG" | grep -n -m1 -E "(^|[^[:alnum:]-])$1: $2" | cut -d: -f1
}

# spin is resumed first and never traps while it spins: the programs after
# it can finish first only if the timer takes the CPU from it. The two
# sse-spin programs hold different xmm, MXCSR and x87 values across their
# preemptions.
user_test "preemption" 300 "" \
	"spin 150000000 $USER_START" \
	"hello $USER_START" \
	"sse-spin 1 30000000 $USER_START" \
	"sse-spin2 2 30000000 $USER_START"
spin_done=$(line_of spin "ok 1")
hello_done=$(line_of hello "# done pass")
sse2_plan=$(line_of sse-spin2 "1\\.\\.3")
sse1_done=$(line_of sse-spin "ok 1")
[ -n "$spin_done" ] && [ -n "$hello_done" ] && [ "$hello_done" -lt "$spin_done" ]
tap_check $? "a program of the same priority finishes while a spinning one still runs (lines $hello_done < $spin_done)"
[ -n "$sse2_plan" ] && [ -n "$sse1_done" ] && [ "$sse2_plan" -lt "$sse1_done" ]
tap_check $? "the two SSE programs ran interleaved (lines $sse2_plan < $sse1_done)"

# hog touches 1 GiB with 64 MiB of RAM: it is terminated, out of memory,
# and steady, which took its pages first, runs to its end.
expect_log "task hog .*KERN_RESOURCE_SHORTAGE: out of memory"
USER_QEMU=(-m 64M)
user_test "out of memory" 300 "" "steady 300 $USER_START" "!hog $USER_START"
USER_QEMU=()
qemu_done
