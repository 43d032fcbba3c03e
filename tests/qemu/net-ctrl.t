#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-net beyond the data path, loopback only:
#  - the control queue's receive filter (ktest net_filter) against
#    build/net-peer in respond mode: promiscuous off filters other MACs,
#    the MAC table accepts a second unicast address, all-multicast;
#  - the link state: QMP set_link down and up, seen by the driver and in
#    `net info` (ktest net_link);
#  - `net info` on the monitor: MAC, MTU 9000, link, features, queues;
#  - MQ negotiated with one pair in use (mq=on).
source "$(dirname "$0")/lib.sh"

PEER=$TOP/build/net-peer
GMAC=52:54:00:12:34:56
[ -x "$PEER" ] || { echo "1..0 # SKIP build/net-peer missing (make host-tests)"; exit 0; }

free_ports() {
	local a b
	while :; do
		a=$((30000 + RANDOM % 10000))
		b=$((a + 1))
		ss -Huan "( sport = :$a or sport = :$b )" 2>/dev/null | grep -q . || break
	done
	PORT_A=$a PORT_B=$b
}

# Control queue filter, on a modern and a legacy device.
for dev in "virtio-net-pci" "virtio-net-pci,disable-modern=on"; do
	free_ports
	"$PEER" respond "$PORT_A" "$PORT_B" 90 >"$TEST_TMP/peer.out" 2>&1 &
	ppid=$!
	qemu_test "control queue filter ($dev)" 90 "test=net_filter" \
		-netdev "socket,id=n0,udp=127.0.0.1:$PORT_A,localaddr=127.0.0.1:$PORT_B" \
		-device "$dev,netdev=n0,mac=$GMAC,romfile="
	kill "$ppid" 2>/dev/null
	wait "$ppid" 2>/dev/null
done

# Link state through QMP.
qmp() { # qmp SOCKET JSON...: capabilities, then each command
	perl -MIO::Socket::UNIX -e '
		my $s = IO::Socket::UNIX->new(Peer => shift @ARGV) or die "qmp: $!";
		my $greet = <$s>;
		for my $c (q({"execute":"qmp_capabilities"}), @ARGV) {
			print $s "$c\n";
			while (my $l = <$s>) { last if $l =~ /"return"|"error"/; }
		}' "$@"
}
wait_log() { # wait_log REGEX SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ -f "$QEMU_LOG" ] && tr -d "\r" <"$QEMU_LOG" | grep -qE "$1" && return 0
		sleep 0.1
	done
	return 1
}
QMP=$TEST_TMP/qmp.sock
QEMU_LOG=$TEST_TMP/serial.link.log
timeout -k 5 90 "$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial "file:$QEMU_LOG" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-qmp "unix:$QMP,server=on,wait=off" \
	-netdev "user,id=n0,restrict=on" -device "virtio-net-pci,netdev=n0,mac=$GMAC,romfile=" \
	-kernel "$KERNEL" -append "test=net_link" >"$TEST_TMP/qemu.out" 2>&1 &
qpid=$!
wait_log 'waiting for link down' 60 &&
	qmp "$QMP" '{"execute":"set_link","arguments":{"name":"n0","up":false}}' &&
	wait_log 'waiting for link up' 40 &&
	qmp "$QMP" '{"execute":"set_link","arguments":{"name":"n0","up":true}}'
wait "$qpid"
QEMU_STATUS=$?
tr -d '\r' <"$QEMU_LOG" | grep -E '^(not )?ok |^# ' | sed 's/^/#   guest: /'
if qemu_verdict; then tap_ok "link state follows QMP set_link"; else
	tap_not_ok "link state follows QMP set_link ($VERDICT_WHY)"
	show_log "link" 40
fi
tr -d '\r' <"$QEMU_LOG" | grep -q '^eth0: mac 52:54:00:12:34:56 mtu 1500 link down$'
tap_check $? "net info shows 'link down' after set_link down"
tr -d '\r' <"$QEMU_LOG" | grep -q '^eth0: mac 52:54:00:12:34:56 mtu 1500 link up$'
tap_check $? "net info shows 'link up' after set_link up"

# net info and net stats on the monitor, jumbo MTU, MQ with one pair.
T=$TEST_TMP/info.log
perl "$TOP/tests/qemu/monitor-session.pl" --log "$T" --timeout 60 -- \
	"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-netdev user,id=n0,restrict=on \
	-device "virtio-net-pci,netdev=n0,mac=52:54:00:12:34:57,host_mtu=9000,mq=on,romfile=" \
	-kernel "$KERNEL" -append "" \
	::: "net info eth0" "net send eth0 ff:ff:ff:ff:ff:ff 0x88b5 9014" "net stats eth0" \
	"net info eth9" "net send eth0 zz 0x88b5 60" "net echo eth0 on" "net info eth0" poweroff
STATUS=$?
tr -d '\r' <"$T" >"$T.clean"
has() { grep -qE "$1" "$T.clean"; }
tap_check "$STATUS" "monitor session ends with poweroff (status $STATUS)"
has '^eth0: mac 52:54:00:12:34:57 mtu 9000 link up$'
tap_check $? "net info: MAC, MTU 9000, link"
has '^eth0: device virtio[0-9]+ \(pci-modern\), features .*MTU.*MAC.*STATUS.*CTRL_VQ.*MQ.*VERSION_1'
tap_check $? "net info: negotiated features by name (MTU, MAC, STATUS, CTRL_VQ, MQ)"
has '^eth0: queues rx [0-9]+ tx [0-9]+ ctrl [0-9]+, split ring, event index, pairs 1 of [0-9]+$'
tap_check $? "net info: queue sizes, ring kind, one pair in use"
has '^eth0: tx frames 1 bytes 9014 full 0 errors 0$'
tap_check $? "net send: a 9014-byte frame counted in net stats"
has "^error: no interface 'eth9'" && has "^error: bad MAC 'zz'"
tap_check $? "bad interface and bad MAC get one-line errors"
has '^eth0: echo on$' && has 'echo on$'
tap_check $? "net echo eth0 on"
[ $tap_failed = 0 ] || sed 's/^/#   /' "$T.clean" | tail -n 40
qemu_done
