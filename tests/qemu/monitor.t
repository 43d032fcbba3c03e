#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The monitor, driven over the serial port, each command line written at
# once: help, pci, a bad command, a bad argument, backspace editing, numbers
# too large for 64 bits, then poweroff, which must end QEMU with status 0.
# On -M pc and -M q35. These boot the release image (build/vmach, what
# `make run` boots), which must reach the prompt and carry no in-kernel
# tests or benchmarks.
source "$(dirname "$0")/lib.sh"
RELEASE=$TOP/build/vmach

session() { # session MACHINE: runs the session, leaves the transcript in $T
	local machine=$1
	T=$TEST_TMP/monitor.$machine.log
	perl "$TOP/tests/qemu/monitor-session.pl" --log "$T" --timeout 60 -- \
		"$QEMU" -M "$machine" -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
		-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive file="$TEST_TMP/disk.img",if=none,format=raw,id=d0 \
		-device virtio-blk-pci,drive=d0 \
		-netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0 \
		-kernel "$RELEASE" -append "" \
		::: help pci frobnicate "uptime now" "mex$(printf '\x7f')m" uptime log \
		"blk bench vd0 randread4k 1 1" "rng 18446744073709551616" "rng 18446744073709551617" \
		poweroff
	STATUS=$?
	T2=$TEST_TMP/monitor.$machine.clean
	tr -d '\r' <"$T" >"$T2"
}

has() { grep -qE "$1" "$T2"; }
# reply CMD: what the monitor printed between CMD and the next prompt.
reply() { awk -v c="vmach> $1" '$0 == c { on = 1; next } /^vmach> / { on = 0 } on' "$T2"; }

truncate -s 1M "$TEST_TMP/disk.img"
for m in pc q35; do
	session $m
	tap_check $((STATUS != 0)) "$m: poweroff ends QEMU with status 0 (got $STATUS)"
	has '^  pci +.*' && has '^  poweroff' && has '^  mem' && has '^  irq' && has '^  log' \
		&& has '^  uptime' && has '^  reboot'
	tap_check $? "$m: help lists the commands"
	has '^pci 00:0[0-9a-f]\.0 1af4:10(01|42) class 01:00 virtio-blk' \
		&& has '^pci 00:0[0-9a-f]\.0 1af4:10(00|41) class 02:00 virtio-net'
	tap_check $? "$m: pci lists the virtio disk and NIC"
	has "^error: unknown command 'frobnicate'"
	tap_check $? "$m: an unknown command gets a one-line error"
	has '^error: usage: uptime'
	tap_check $? "$m: a bad argument gets a one-line error"
	has '^physical: [0-9]+ KiB total'
	tap_check $? "$m: backspace edits the line ('mex<BS>m' ran mem)"
	has '^up [0-9]+\.[0-9]{6} s, cpu0 idle [0-9.]+ s busy [0-9.]+ s'
	tap_check $? "$m: uptime shows elapsed, idle and busy time"
	has '^error: this image has no benchmarks'
	tap_check $? "$m: the release image has no benchmark"
	# 2^64 and 2^64 + 1 do not wrap to 0 and 1 (which would say "no virtio-rng device").
	r0=$(reply "rng 18446744073709551616") r1=$(reply "rng 18446744073709551617")
	[[ $r0 == "error: usage: rng BYTES ("* && $r0 != *$'\n'* ]] && [ "$r1" = "$r0" ]
	tap_check $? "$m: a number past 2^64 - 1 gets a one-line usage error (got '$r1')"
	[ "$(grep -c '^vmach> ' "$T2")" -ge 11 ]
	tap_check $? "$m: the prompt comes back after every command"
	[ "$STATUS" = 0 ] && [ $tap_failed = 0 ] || sed 's/^/#   /' "$T2" | tail -n 60 >&2
done
# The release image has no in-kernel tests: its test table is empty, and
# test=NAME is refused with a panic that says so.
syms=$(nm "$RELEASE" | awk '$3 == "ktest_start" || $3 == "ktest_end" { print $1 }' | sort -u | wc -l)
[ "$syms" = 1 ] && ! nm "$RELEASE" | grep -q ' ktest_fn_\| bb_measure$'
tap_check $? "the release image holds no in-kernel test or benchmark code"
KERNEL=$RELEASE qemu_boot 30 "test=boot"
[ "$QEMU_STATUS" = 37 ] && grep -q 'test=boot: this image has no in-kernel tests' "$QEMU_LOG"
tap_check $? "the release image refuses test=boot with a clear panic (status $QEMU_STATUS)"
# reboot really restarts the machine (no -no-reboot here): two boots, then
# poweroff. This used to fail now and then under load: console_getc() read
# the UART before the ring its interrupt fills, so a byte could overtake
# older ones ("ebroot", "p<CR>oweroff"), and the session, counting prompts
# from the start, then typed poweroff too early or waited forever. Input
# now has one path (the ring), and the session waits for the prompt that
# follows each command.
T=$TEST_TMP/reboot.log
perl "$TOP/tests/qemu/monitor-session.pl" --log "$T" --timeout 60 -- \
	"$QEMU" -M q35 -m 128M -nodefaults -display none -monitor none -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$RELEASE" -append "" \
	::: reboot poweroff
STATUS=$?
boots=$(grep -c 'vmach: a Mach-family microkernel' "$T")
[ "$STATUS" = 0 ] && [ "$boots" = 2 ]
tap_check $? "reboot restarts the machine (boots seen: $boots, final status $STATUS)"
qemu_done
