#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-net frame echo with a real peer (tests/net-peer), loopback only:
# QEMU's -netdev socket,udp=127.0.0.1:A,localaddr=127.0.0.1:B carries one
# frame per datagram between the guest (kernel option net_echo=eth0) and
# build/net-peer, which sends frames of varied sizes with a bounded window
# and checks every echoed byte: nothing lost, corrupted or duplicated.
# The configurations: transitional (modern used), modern-only, legacy-only,
# packed ring, mrg_rxbuf=off, event_idx=off and on, jumbo (host_mtu=9000)
# with and without merged buffers, q35, INTx (vectors=0) with mq=on.
# The window (64 frames, 8 jumbo frames) is bounded so that everything in
# flight fits QEMU's socket receive buffer (rmem_default, 208 KiB counted
# in kernel truesize): when a loaded host stalls QEMU's main loop, a
# larger window makes the host kernel, not the guest, drop datagrams. NET_FRAMES scales the count
# (default 100000 per configuration).
source "$(dirname "$0")/lib.sh"

PEER=$TOP/build/net-peer
FRAMES=${NET_FRAMES:-100000}
GMAC=52:54:00:12:34:56

# Two free UDP ports on 127.0.0.1.
free_ports() {
	local a b
	while :; do
		a=$((20000 + RANDOM % 10000))
		b=$((a + 1))
		ss -Huan "( sport = :$a or sport = :$b )" 2>/dev/null | grep -q . || break
	done
	PORT_A=$a PORT_B=$b
}

# net_echo DESC FRAMES MIN MAX WINDOW DEVICE-OPTS [QEMU args...]
net_echo() {
	local desc=$1 frames=$2 min=$3 max=$4 win=$5 dopts=$6 qpid rc
	shift 6
	free_ports
	QEMU_LOG=$TEST_TMP/serial.$((tap_n + 1)).log
	timeout -k 5 300 "$QEMU" -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
		-serial "file:$QEMU_LOG" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-netdev "socket,id=n0,udp=127.0.0.1:$PORT_A,localaddr=127.0.0.1:$PORT_B" \
		-device "virtio-net-pci,netdev=n0,mac=$GMAC,romfile=$dopts" "$@" \
		-kernel "$KERNEL" -append "net_echo=eth0" >"$TEST_TMP/qemu.out" 2>&1 &
	qpid=$!
	"$PEER" echo "$PORT_A" "$PORT_B" "$GMAC" "$frames" "$min" "$max" "$win" \
		>"$TEST_TMP/peer.out" 2>&1
	rc=$?
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	sed 's/^/#   /' "$TEST_TMP/peer.out"
	if grep -q 'device broken' "$QEMU_LOG"; then
		rc=1
		echo "#   the guest marked the device broken"
	fi
	if [ "$rc" = 0 ]; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc (peer status $rc)"
		cat "$TEST_TMP/qemu.out" >>"$QEMU_LOG"
		show_log "$desc" 30
	fi
	grep -E '^result ' "$TEST_TMP/peer.out" | sed "s/^result /# result $desc: /"
}

[ -x "$PEER" ] || { echo "1..0 # SKIP build/net-peer missing (make host-tests)"; exit 0; }

net_echo "transitional device (modern transport), 60..1514" "$FRAMES" 60 1514 64 ""
net_echo "modern-only (disable-legacy=on)" "$FRAMES" 60 1514 64 ",disable-legacy=on"
net_echo "legacy-only (disable-modern=on)" "$FRAMES" 60 1514 64 ",disable-modern=on"
net_echo "packed ring (packed=on)" "$FRAMES" 60 1514 64 ",disable-legacy=on,packed=on"
net_echo "no merged buffers (mrg_rxbuf=off)" "$FRAMES" 60 1514 64 ",mrg_rxbuf=off"
net_echo "event index off (event_idx=off)" "$FRAMES" 60 1514 64 ",event_idx=off"
net_echo "event index on (event_idx=on)" "$FRAMES" 60 1514 64 ",event_idx=on"
net_echo "jumbo host_mtu=9000, merged buffers, 60..9014" "$FRAMES" 60 9014 8 ",host_mtu=9000"
net_echo "jumbo host_mtu=9000, mrg_rxbuf=off, 60..9014" "$FRAMES" 60 9014 8 \
	",host_mtu=9000,mrg_rxbuf=off"
net_echo "jumbo, packed ring, legacy interrupts off: q35" "$FRAMES" 60 9014 8 \
	",host_mtu=9000,packed=on,disable-legacy=on" -M q35
net_echo "legacy-only, mrg_rxbuf=off, event_idx=off" "$FRAMES" 60 1514 64 \
	",disable-modern=on,mrg_rxbuf=off,event_idx=off"
net_echo "INTx instead of MSI-X (vectors=0), multiqueue offered (mq=on)" "$FRAMES" 60 1514 64 \
	",vectors=0,mq=on"
qemu_done
