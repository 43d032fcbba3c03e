#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The mach bench family (bench/mach, docs/bench.md "mach") in small, so
# that make check notices when a figure can no longer be taken: the
# in-kernel bench with 100 operations per figure, then the user bench
# programs as boot tasks with small counts (mach-trap alone: swtch_pri must
# find nothing else runnable; mach-ping and mach-pong together). Each "bench mach.*" line must
# carry the count asked for and a positive cycle count, and the kernel must
# log the first user instruction (x86_64/first_user.c). No figure is judged,
# so no -icount: plain TCG boots in a fraction of the time.
source "$(dirname "$0")/lib.sh"

# bench_line NAME OPS: the line of figure NAME must say ops=OPS and cycles > 0.
bench_line() {
	tr -d '\r' <"$QEMU_LOG" | perl -ne '
		BEGIN { ($n, $ops) = splice @ARGV, 0, 2 }
		next unless /\bbench mach\.\Q$n\E (.*)$/;
		%r = map { split /=/, $_, 2 } split / /, $1;
		$ok = ($r{ops} // -1) == $ops && ($r{cycles} // 0) > 0;
		END { exit($ok ? 0 : 1) }' "$1" "$2"
	tap_check $? "bench mach.$1: ops=$2 and a positive cycle count"
}

qemu_test "test=mach_bench, 100 operations per figure" 60 "test=mach_bench mach_bench_ops=100"
for f in trap swtch_pri zero_fill cow task; do
	bench_line $f 100
done
bench_line ctxsw 200 # two switches per round

user_test "mach-trap, alone" 60 "" "mach-trap 400 $USER_START"
bench_line user.trap 400
bench_line user.swtch_pri 100
tr -d '\r' <"$QEMU_LOG" | grep -qE 'boot: first user instruction at [0-9]+ ns after reset'
tap_check $? "the kernel logs the first user instruction"

user_test "mach-zfill" 60 "" "mach-zfill 50 $USER_START"
bench_line user.zero_fill 50

user_test "mach-ping and mach-pong yielding to each other" 60 "" \
	"mach-ping 200 $USER_START" "mach-pong 200 $USER_START"
bench_line user.yield 400
qemu_done
