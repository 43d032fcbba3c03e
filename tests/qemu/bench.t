#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `blk bench` (debug/blk_bench.c) in small: the kernel test runs a few
# short benchmarks under -icount (spin and halt waits), and the host checks
# each "bench" line (every request counted, interrupts and notifications
# seen, CPU time between 0 and the elapsed time) and that the random
# writes reached the image. A monitor session checks the command's syntax
# errors and one run typed by hand.
source "$(dirname "$0")/lib.sh"

IMG=$TEST_TMP/bench.img
truncate -s 16M "$IMG"
qemu_test "test=blk_bench: three short runs under icount" 120 \
	"test=blk_bench bench=randread4k:1:50:spin,randread4k:8:200:spin,randwrite4k:2:40:halt" \
	-m 128M -icount shift=0,align=off,sleep=off \
	-drive "file=$IMG,if=none,format=raw,id=d0" -device virtio-blk-pci,drive=d0,ioeventfd=off

# bench_check NAME IOS BYTES_PER_IO MODE: the fields of that run's line.
bench_check() {
	local line
	line=$(tr -d '\r' <"$QEMU_LOG" | grep "^bench blk\.$1 " | head -n 1)
	perl -e '
		my ($line, $ios, $per, $mode) = @ARGV;
		my %r = map { split /=/, $_, 2 } grep { /=/ } split / /, $line;
		my @bad;
		push @bad, "ios=$r{ios}" unless ($r{ios} // -1) == $ios;
		push @bad, "bytes=$r{bytes}" unless ($r{bytes} // -1) == $ios * $per;
		push @bad, "irqs=$r{irqs}" unless ($r{irqs} // 0) > 0 && $r{irqs} <= $ios;
		push @bad, "kicks=$r{kicks}" unless ($r{kicks} // 0) > 0 && $r{kicks} <= $ios;
		push @bad, "errors=$r{errors}" unless ($r{errors} // 1) == 0;
		push @bad, "mode=$r{mode}" unless ($r{mode} // "") eq $mode;
		my ($el, $idle) = ($r{elapsed_ns} // 0, $r{idle_ns} // -1);
		push @bad, "cpu: elapsed $el idle $idle" unless $el > 0 && $idle >= 0 && $idle < $el;
		print join(", ", @bad);
		exit(@bad ? 1 : 0);
	' "$line" "$2" "$3" "$4"
}
for c in "randread4k.qd1 50 4096 spin" "randread4k.qd8 200 4096 spin" "randwrite4k.qd2 40 4096 halt"; do
	set -- $c
	why=$(bench_check "$@")
	tap_check $? "bench line of $1: ios, bytes, irqs, kicks, errors, mode, cpu sane${why:+ ($why)}"
done

# The writes (40, after a warm-up of 5) fill 4 KiB blocks with 0x5a ^ slot:
# between 1 and 45 such blocks are on the image.
perl -e 'open my $h, "<", $ARGV[0] or die; binmode $h; my $n = 0;
	while (read($h, my $b, 4096) == 4096) { $n++ if $b eq (chr(0x5a) x 4096) || $b eq (chr(0x5b) x 4096) }
	exit($n > 0 && $n <= 45 ? 0 : 1)' "$IMG"
tap_check $? "randwrite4k wrote its blocks to the image"

T=$TEST_TMP/monitor.log
perl "$TOP/tests/qemu/monitor-session.pl" --log "$T" --timeout 90 -- \
	"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive "file=$IMG,if=none,format=raw,id=d0,readonly=on" -device virtio-blk-pci,drive=d0 \
	-kernel "$KERNEL" -append "" \
	::: "blk bench vd0" "blk bench vd0 frob 1 1" "blk bench vd0 randread4k 0 1" \
	"blk bench vd0 randread4k 1 x" "blk bench vd0 randread4k 1 1 nap" \
	"blk bench vd0 randwrite4k 1 1" "blk bench vd0 randread4k 2 10" poweroff
C=$TEST_TMP/monitor.clean
tr -d '\r' <"$T" >"$C"
has() { grep -qE -- "$1" "$C"; }
has '^error: usage: blk bench vdN randread4k\|randwrite4k\|seqread1m QD COUNT \[halt\|spin\]$' &&
	has "^error: unknown pattern 'frob'" && has "^error: bad queue depth '0'" &&
	has "^error: bad count 'x'" && has "^error: bad wait mode 'nap'" &&
	has '^error: vd0 is read-only$'
tap_check $? "blk bench: usage, pattern, depth, count, mode and read-only errors"
has '^bench blk\.randread4k\.qd2 ios=10 bytes=40960 ' && has '^vd0 randread4k qd2: 10 I/Os in '
tap_check $? "blk bench typed in the monitor prints both lines"
qemu_done
