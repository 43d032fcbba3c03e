#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Console input at full speed over the serial port: a paste of 24 lines of
# 80 characters, written in one go, reaches the monitor whole and in order;
# then a paste of 72 more lines sent while the monitor sleeps (so it
# overflows the 2 KiB input ring) also arrives whole and in order, nothing
# dropped: the UART held the rest back until the ring had room. Each line is
# `echo` with a distinct pattern (paste-lines.pl). On -M pc and -M q35,
# with the release image.
source "$(dirname "$0")/lib.sh"
RELEASE=$TOP/build/vmach

perl "$TOP/tests/qemu/paste-lines.pl" A 24 >"$TEST_TMP/A.lines"
perl "$TOP/tests/qemu/paste-lines.pl" B 72 >"$TEST_TMP/B.lines"
# One session argument per paste: the lines joined with CR, as a terminal sends them.
paste_a=$(perl -0777 -pe 's/\n(?=.)/\r/g; s/\n$//' "$TEST_TMP/A.lines")
paste_b=$(printf 'sleep 1500\n' | cat - "$TEST_TMP/B.lines" | perl -0777 -pe 's/\n(?=.)/\r/g; s/\n$//')

session() { # session MACHINE: the transcript without CRs in $T2
	T=$TEST_TMP/paste.$1.log
	perl "$TOP/tests/qemu/monitor-session.pl" --log "$T" --timeout 90 -- \
		"$QEMU" -M "$1" -m 128M -nodefaults -display none -no-reboot -monitor none \
		-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$RELEASE" -append "" ::: "$paste_a" "$paste_b" input poweroff
	STATUS=$?
	T2=$T.clean
	tr -d '\r' <"$T" >"$T2"
}

# same TAG: the lines the monitor echoed while reading, then what echo
# printed, each compared with the lines pasted; a difference is shown.
same() {
	local want=$TEST_TMP/$1.lines
	grep "^vmach> echo $1[0-9][0-9] " "$T2" | sed 's/^vmach> //' >"$TEST_TMP/$1.typed"
	grep "^$1[0-9][0-9] " "$T2" >"$TEST_TMP/$1.printed"
	{ sed 's/^echo //' "$want" | diff -u - "$TEST_TMP/$1.printed" \
		&& diff -u "$want" "$TEST_TMP/$1.typed"; } | head -n 30 | sed 's/^/#   /' >&2
	return "${PIPESTATUS[0]}"
}

show() { sed 's/^/#   /' "$T2" | grep -v '^#   \[' | tail -n 40 >&2; }

for m in pc q35; do
	session $m
	tap_check $((STATUS != 0)) "$m: poweroff after the pastes ends QEMU with status 0 (got $STATUS)"
	same A
	tap_check $? "$m: 24 pasted lines of 80 characters reach the monitor whole and in order"
	same B
	tap_check $? "$m: 72 lines pasted while the monitor sleeps arrive whole and in order"
	! grep -q '^error:' "$T2"
	tap_check $? "$m: no line was cut or merged into an unknown command" || show
	stats=$(grep -E '^input: ring [0-9]+ bytes' "$T2")
	[[ $stats =~ ", 0 dropped, "([0-9]+)" waits for room" ]] && [ "${BASH_REMATCH[1]}" -ge 1 ]
	tap_check $? "$m: the ring filled and the UART waited; nothing dropped ($stats)" || show
done
qemu_done
