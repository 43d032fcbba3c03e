#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-rng through the monitor's `rng BYTES`: bytes arrive (modern, packed and
# legacy transports); with the host's rng-random limited to 64 bytes a
# second, a 256-byte read blocks and resumes instead of failing; a host
# source of zeros (/dev/zero) is refused by the health check.
source "$(dirname "$0")/lib.sh"

session() { # session TIMEOUT QEMU-DEVICE-ARGS... ::: STEPS...: transcript in $T2
	local t=$1
	shift
	T=$TEST_TMP/rng.$((tap_n + 1)).log
	local dev=()
	while [ "$1" != ":::" ]; do dev+=("$1"); shift; done
	perl "$TOP/tests/qemu/viomisc-session.pl" --log "$T" --timeout "$t" -- \
		"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
		-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${dev[@]}" \
		-kernel "$KERNEL" -append "" "$@"
	STATUS=$?
	T2=$T.clean
	tr -d '\r' <"$T" >"$T2"
}

# hex_of CMD: the hex lines printed by the first CMD of the transcript, joined.
# The command's output, kernel log lines aside (a log line may come at any
# time: the clock's refinement a second after boot lands in a slow read).
hex_of() {
	awk -v c="vmach> $1" '$0 == c { on = 1; next } on && /^vmach> / { exit }
		on && !/^\[ *[0-9]+\.[0-9]+\]/' "$T2" | tr -d '\n'
}

show() { sed 's/^/#   /' "$T2" | grep -v '^#   \[' | tail -n 40 >&2; }

for mode in modern legacy packed; do
	extra=
	[ $mode = legacy ] && extra=,disable-modern=on
	[ $mode = packed ] && extra=,packed=on
	session 60 -device virtio-rng-pci$extra ::: "rng 16" "rng 4096" "rng 4096 " poweroff
	a=$(hex_of "rng 4096") b=$(hex_of "rng 4096 ")
	[ "$STATUS" = 0 ] && [[ $(hex_of "rng 16") =~ ^[0-9a-f]{32}$ ]] && [ ${#a} = 8192 ] \
		&& [ ${#b} = 8192 ] && [[ $a =~ ^[0-9a-f]+$ ]]
	tap_check $? "$mode: rng 16 and rng 4096 print 16 and 4096 bytes in hex" || show
	# Two reads of random data do not agree, and the bytes are not one value.
	[ -n "$a" ] && [ "$a" != "$b" ] && [ "$(echo "$a" | fold -w2 | sort -u | wc -l)" -gt 200 ]
	tap_check $? "$mode: two 4096-byte reads differ and use more than 200 byte values"
done

# Rate limit: 64 bytes per second; 256 bytes take more than 3 s of guest time.
session 60 -object rng-random,filename=/dev/urandom,id=r0 \
	-device virtio-rng-pci,rng=r0,max-bytes=64,period=1000 ::: uptime "rng 256" uptime poweroff
t0=$(grep -oE '^up [0-9]+\.[0-9]+' "$T2" | sed -n 1p | cut -d' ' -f2)
t1=$(grep -oE '^up [0-9]+\.[0-9]+' "$T2" | sed -n 2p | cut -d' ' -f2)
h=$(hex_of "rng 256")
[ "$STATUS" = 0 ] && [ ${#h} = 512 ] && ! grep -q '^error' "$T2"
tap_check $? "rate-limited host: rng 256 returns all 256 bytes, no error" || show
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 2.5) }'
tap_check $? "rate-limited host: the read waited for the host (${t0:-?} s -> ${t1:-?} s)"

# A broken source: all zeros. The health check refuses it, with a reason.
session 60 -object rng-random,filename=/dev/zero,id=r0 -device virtio-rng-pci,rng=r0 \
	::: "rng 64" "rng 8" poweroff
[ "$STATUS" = 0 ] && grep -q '^error: rng: health check failed (all bytes equal: 0x00)' "$T2" \
	&& [ "$(grep -c '^error: rng: health check failed' "$T2")" = 2 ] \
	&& ! grep -qE '^(00)+$' "$T2"
tap_check $? "/dev/zero source: refused by the health check, no bytes shown" || show
qemu_done
