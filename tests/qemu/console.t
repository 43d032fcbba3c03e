#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-console: the monitor used through a QEMU virtconsole on a chardev
# socket (hvc0, port 0 of a multiport virtio-serial device): `help` is
# answered there, kernel output still reaches COM1 too, `console` lists
# port 0 as an open console and an extra named virtserialport as listed.
# On the modern and the legacy transport, and with packed rings.
source "$(dirname "$0")/lib.sh"

show() { sed 's/^/#   /' "$T2" | grep -v '^#   \[' | tail -n 40 >&2; }

for mode in modern legacy packed; do
	extra=
	[ $mode = legacy ] && extra=,disable-modern=on
	[ $mode = packed ] && extra=,packed=on
	S=$TEST_TMP/hvc.$mode.sock S1=$TEST_TMP/port1.$mode.sock
	SERIAL=$TEST_TMP/serial.$mode.log
	T=$TEST_TMP/console.$mode.log
	perl "$TOP/tests/qemu/viomisc-session.pl" --log "$T" --timeout 60 --console "$S" -- \
		"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
		-serial "file:$SERIAL" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-chardev socket,id=c0,path="$S",server=on,wait=off \
		-chardev socket,id=c1,path="$S1",server=on,wait=off \
		-device virtio-serial-pci$extra -device virtconsole,chardev=c0 \
		-device virtserialport,chardev=c1,name=org.vmach.extra \
		-kernel "$KERNEL" -append "" ::: help console "frob nicate" poweroff
	STATUS=$?
	T2=$T.clean
	tr -d '\r' <"$T" >"$T2"
	tap_check $((STATUS != 0)) "$mode: poweroff typed on hvc0 ends QEMU with status 0 (got $STATUS)"
	grep -q '^  help ' "$T2" && grep -q '^  console ' "$T2" && grep -q '^  rng BYTES ' "$T2" \
		&& grep -q '^  balloon ' "$T2"
	tap_check $? "$mode: the monitor answers help over the virtconsole socket" || show
	grep -qE '^hvc0: virtio[0-9]+, multiport, max ports [0-9]+' "$T2" \
		&& grep -qE '^  port 0 console host-open guest-open rx [1-9][0-9]* tx [1-9]' "$T2"
	tap_check $? "$mode: console shows port 0 as the open console with traffic" || show
	grep -qE '^  port 1 name=org\.vmach\.extra' "$T2"
	tap_check $? "$mode: console lists the extra named port" || show
	grep -q "^error: unknown command 'frob'" "$T2"
	tap_check $? "$mode: errors come back on hvc0"
	# Output fans out: COM1 saw the same session.
	tr -d '\r' <"$SERIAL" | grep -q '^  port 0 console'
	tap_check $? "$mode: COM1 shows the same output" || sed 's/^/#   /' "$SERIAL" | tail -n 20 >&2
done
qemu_done
