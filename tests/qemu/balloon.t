#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-balloon driven by QMP as a host would: `balloon` to 64 MiB of a
# 128 MiB guest takes 16384 pages out of the page allocator (`mem` shows
# them used, query-balloon shows the guest at 64 MiB), back to 128 MiB
# returns them; the stats queue answers guest-stats polling with free and
# total memory; with DEFLATE_ON_OOM, `balloon oom 100` (the allocator's
# low-memory hook) gives 100 pages back at once and the host sees it.
# Modern and legacy transports, and packed rings.
source "$(dirname "$0")/lib.sh"

show() { sed 's/^/#   /' "$T2" | grep -v '^#   \[' | tail -n 40 >&2; }
# free_kib N: free KiB in the N-th `mem` output.
free_kib() { grep -oE '^physical: [0-9]+ KiB total, [0-9]+ KiB free' "$T2" | sed -n "$1p" | awk '{print $5}'; }

B64='{"execute":"balloon","arguments":{"value":67108864}}'
B128='{"execute":"balloon","arguments":{"value":134217728}}'
QB='{"execute":"query-balloon"}'
POLL='{"execute":"qom-set","arguments":{"path":"/machine/peripheral/b0","property":"guest-stats-polling-interval","value":1}}'
STATS='{"execute":"qom-get","arguments":{"path":"/machine/peripheral/b0","property":"guest-stats"}}'

for mode in modern legacy packed; do
	extra=
	[ $mode = legacy ] && extra=,disable-modern=on
	[ $mode = packed ] && extra=,packed=on
	Q=$TEST_TMP/qmp.$mode.sock
	T=$TEST_TMP/balloon.$mode.log
	perl "$TOP/tests/qemu/viomisc-session.pl" --log "$T" --timeout 90 --qmp "$Q" -- \
		"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
		-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-qmp "unix:$Q,server=on,wait=off" -device virtio-balloon-pci,id=b0,deflate-on-oom=on$extra \
		-kernel "$KERNEL" -append "" ::: balloon mem "qmp:$B64" \
		'until:30:current 16384 pages:balloon' mem "qmp:$QB" "balloon oom 100" balloon "qmp:$QB" "qmp:$POLL" sleep:2.5 "qmp:$STATS" \
		"qmp:$B128" 'until:30:current 0 pages:balloon' mem "qmp:$QB" poweroff
	STATUS=$?
	T2=$T.clean
	tr -d '\r' <"$T" >"$T2"
	tap_check $((STATUS != 0)) "$mode: QEMU ends with status 0 (got $STATUS)"
	grep -qE '^balloon virtio[0-9]+: target 0 pages \(0 MiB\), current 0 pages' "$T2" \
		&& grep -qE '^  .*features .*DEFLATE_ON_OOM' "$T2" && grep -qE '^  .*features .*STATS_VQ' "$T2"
	tap_check $? "$mode: balloon starts empty; STATS_VQ and DEFLATE_ON_OOM negotiated" || show
	grep -qE '^balloon virtio[0-9]+: target 16384 pages \(64 MiB\), current 16384 pages \(64 MiB\)' "$T2"
	tap_check $? "$mode: QMP balloon 64 MiB: the guest inflates to 16384 pages" || show
	f0=$(free_kib 1) f1=$(free_kib 2) f2=$(free_kib 3)
	[ -n "$f0" ] && [ -n "$f1" ] && [ -n "$f2" ] && [ $((f0 - f1)) -ge 65536 ] && [ $((f0 - f1)) -le 66560 ]
	tap_check $? "$mode: mem shows 64 MiB taken from the allocator (free ${f0:-?} -> ${f1:-?} KiB)" || show
	grep -q '^qmp< {"return": {"actual": 67108864}}' "$T2"
	tap_check $? "$mode: query-balloon reports the guest at 64 MiB" || show
	grep -q '^balloon: 100 pages given back' "$T2" \
		&& grep -qE '^balloon virtio[0-9]+: target 16384 pages \(64 MiB\), current 16284 pages .*deflated on OOM' "$T2" \
		&& grep -q '^qmp< {"return": {"actual": 67518464}}' "$T2"
	tap_check $? "$mode: DEFLATE_ON_OOM: 100 pages given back at once, the host sees 64 MiB + 400 KiB" || show
	grep -qE '^qmp< \{"return": \{.*"stat-free-memory": [1-9][0-9]*.*\}' "$T2" \
		&& grep -qE '^qmp< \{"return": \{.*"stat-total-memory": 1[0-9]{8}\b' "$T2"
	tap_check $? "$mode: guest-stats polling gets free and total memory from the stats queue" || show
	grep -qE '^balloon virtio[0-9]+: target 0 pages \(0 MiB\), current 0 pages .*' "$T2" \
		&& grep -qE '^  inflated 16384 deflated 16284 oom 100 ' "$T2" && grep -q '^qmp< {"return": {"actual": 134217728}}' "$T2"
	tap_check $? "$mode: QMP balloon 128 MiB: the rest (16284 pages) deflated" || show
	[ -n "$f2" ] && [ "$f2" -ge $((f0 - 64)) ]
	tap_check $? "$mode: mem shows the pages back in the allocator (free ${f2:-?} KiB)" || show
done
qemu_done
