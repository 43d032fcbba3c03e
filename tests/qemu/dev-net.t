#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A user-space frame echo through the device interface
# (user/tests/dev-net-echo.c: device_set_filter, net_rcv_msg,
# device_write) against build/net-peer over QEMU's UDP socket netdev on
# 127.0.0.1: every frame of 60 to 1514 bytes comes back whole, none lost
# or duplicated (the peer checks every byte); then filters of every kind
# against the peer's respond mode (user/tests/dev-net-filter.c). The window, 16 frames,
# is the port's largest queue (MACH_PORT_QLIMIT_MAX): a frame that finds
# the queue full is dropped, as on GNU Mach. DEV_NET_FRAMES scales it.
source "$(dirname "$0")/lib.sh"

PEER=$TOP/build/net-peer
FRAMES=${DEV_NET_FRAMES:-100000}
GMAC=52:54:00:12:34:56
[ -x "$PEER" ] || { echo "1..0 # SKIP build/net-peer missing (make host-tests)"; exit 0; }

while :; do
	PORT_A=$((20000 + RANDOM % 10000)) PORT_B=$((PORT_A + 1))
	ss -Huan "( sport = :$PORT_A or sport = :$PORT_B )" 2>/dev/null | grep -q . || break
done
user_parse "dev-net-echo '\${device-port}' eth0 ${GMAC//:/} $USER_START"
QEMU_LOG=$TEST_TMP/serial.log
timeout -k 5 600 "$QEMU" -M pc -m 256M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot \
	-monitor none -serial "file:$QEMU_LOG" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-netdev "socket,id=n0,udp=127.0.0.1:$PORT_A,localaddr=127.0.0.1:$PORT_B" \
	-device "virtio-net-pci,netdev=n0,mac=$GMAC,romfile=" \
	-kernel "$KERNEL" -append "boot_exit=on" -initrd "$user_initrd" >"$TEST_TMP/qemu.out" 2>&1 &
qpid=$!
"$PEER" echo "$PORT_A" "$PORT_B" "$GMAC" "$FRAMES" 60 1514 16 >"$TEST_TMP/peer.out" 2>&1
prc=$?
wait "$qpid"
QEMU_STATUS=$?
sed 's/^/#   /' "$TEST_TMP/peer.out"
tap_check $prc "the peer got $FRAMES frames of 60..1514 bytes back, none lost, corrupt or duplicated"
user_show_guest
user_verdicts "user-space echo"
tap_check $((QEMU_STATUS != 33)) "the boot ends (status $QEMU_STATUS)" || show_log "dev-net" 40
grep -E '^result ' "$TEST_TMP/peer.out" | sed 's/^result /# result user-space echo: /'

# Filters against the peer's respond mode (user/tests/dev-net-filter.c).
user_parse "dev-net-filter '\${device-port}' eth0 $USER_START"
QEMU_LOG=$TEST_TMP/serial-filter.log
timeout -k 5 120 "$QEMU" -M pc -m 256M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot \
	-monitor none -serial "file:$QEMU_LOG" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-netdev "socket,id=n0,udp=127.0.0.1:$PORT_A,localaddr=127.0.0.1:$PORT_B" \
	-device "virtio-net-pci,netdev=n0,mac=$GMAC,romfile=" \
	-kernel "$KERNEL" -append "boot_exit=on" -initrd "$user_initrd" >"$TEST_TMP/qemu.out" 2>&1 &
qpid=$!
"$PEER" respond "$PORT_A" "$PORT_B" 100 >"$TEST_TMP/peer.out" 2>&1
wait "$qpid"
QEMU_STATUS=$?
user_show_guest
user_verdicts "filters"
tap_check $((QEMU_STATUS != 33)) "the filter boot ends (status $QEMU_STATUS)" || show_log "dev-net" 40
qemu_done
