#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The `virtio` and `blk` monitor commands, typed over the serial line as a
# user would, with their exact syntax and one-line errors; the host checks
# the image afterwards. vd0: 4 MiB, random; vd1: read-only, 4096-byte
# blocks. The errors must send nothing: the queue counters shown by
# `virtio` before and after them are identical.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/blk-lib.sh"

IMG0=$TEST_TMP/m0.img IMG1=$TEST_TMP/m1.img
head -c 4M /dev/urandom >"$IMG0"
truncate -s 1M "$IMG1"
HOST_CRC=$($BLK_CHECK crc "$IMG0" 0 2048)
BEFORE_REST=$($BLK_CHECK crc "$IMG0" 24 8168)
BEFORE_HEAD=$($BLK_CHECK crc "$IMG0" 0 16)
T=$TEST_TMP/monitor.log
perl "$TOP/tests/qemu/monitor-session.pl" --log "$T" --timeout 90 -- \
	"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive file="$IMG0",if=none,format=raw,id=d0 \
	-device virtio-blk-pci,drive=d0,serial=SN-MON-1 \
	-drive file="$IMG1",if=none,format=raw,id=d1,readonly=on \
	-device virtio-blk-pci,drive=d1,logical_block_size=4096,physical_block_size=4096 \
	-kernel "$KERNEL" -append "" \
	::: "blk info vd0" "blk info vd1" "blk crc vd0 0 2048" "blk write vd0 16 8 0xa5" \
	"blk read vd0 16 1" "blk flush vd0" virtio \
	"blk read vd0 8192" "blk crc vd0 8000 193" "blk read vd9 0" "blk write vd0 0 1 256" \
	"blk crc vd0 0" "blk frob vd0" "blk write vd1 0 8 0" "blk read vd1 1" "blk read vd0 x" \
	"blk write vd0 0 0 1" virtio poweroff
STATUS=$?
T2=$TEST_TMP/monitor.clean
tr -d '\r' <"$T" >"$T2"
has() { grep -qE -- "$1" "$T2"; }

tap_check $((STATUS != 0)) "the session ends with poweroff (status $STATUS)"
has '^vd0: capacity 8192 sectors \(4194304 bytes\)$' && has '^  logical block: 512 bytes$' \
	&& has '^  read-only: no$' && has '^  serial: SN-MON-1$' && has '^  features: .*VERSION_1'
tap_check $? "blk info vd0: capacity, block size, read-only, serial, features"
has '^vd1: capacity 2048 sectors \(1048576 bytes\)$' && has '^  logical block: 4096 bytes$' \
	&& has '^  read-only: yes$'
tap_check $? "blk info vd1: 4096-byte blocks, read-only"
grep -qx "$HOST_CRC" "$T2"
tap_check $? "blk crc vd0 0 2048 prints the host's CRC-32 ($HOST_CRC)"
has '^vd0: wrote 8 sectors at 16$' && has '^00002000  (a5 ){16} \|\.{16}\|$'
tap_check $? "blk write, then blk read shows the bytes at byte offset 0x2000"
has '^vd0: flush done$'
tap_check $? "blk flush vd0"
has '^virtio0: blk \(id 2\), transport pci-modern, driver vioblk' \
	&& has '^  queue 0 req0: size [0-9]+ (split|packed).*added [0-9]+ kicks [0-9]+ interrupts [0-9]+ completions [0-9]+$'
tap_check $? "virtio lists the devices, features and queue counters"
has '^error: sectors 8192\.\.8192 are outside vd0 \(8192 sectors\)$' \
	&& has '^error: sectors 8000\.\.8192 are outside vd0'
tap_check $? "out-of-range requests: one-line error"
has "^error: no disk 'vd9'"
tap_check $? "unknown disk: one-line error"
has "^error: bad byte '256'" && has '^error: usage: blk crc vdN SECTOR COUNT$' \
	&& has "^error: unknown blk command 'frob'" && has "^error: bad sector 'x'$" \
	&& has '^error: count must be'
tap_check $? "bad arguments: one-line errors"
has '^error: vd1 is read-only$'
tap_check $? "write to the read-only disk: one-line error"
has '^error: vd1 has 4096-byte blocks: SECTOR and COUNT must be multiples of 8$'
tap_check $? "unaligned request on the 4096-byte disk: one-line error"
q=$(grep -E "^  queue 0 req0" "$T2")
[ "$(echo "$q" | wc -l)" = 4 ] && [ "$(echo "$q" | sed -n 1,2p)" = "$(echo "$q" | sed -n 3,4p)" ]
tap_check $? "the refused commands sent nothing (queue counters unchanged)"
out=$(perl -e 'open F, $ARGV[0] or die; binmode F; seek F, 16*512, 0; read F, $d, 4096;
	print $d eq ("\xa5" x 4096) ? "ok" : "bad"' "$IMG0")
[ "$out" = ok ] && [ "$($BLK_CHECK crc "$IMG0" 24 8168)" = "$BEFORE_REST" ] \
	&& [ "$($BLK_CHECK crc "$IMG0" 0 16)" = "$BEFORE_HEAD" ]
tap_check $? "host: sectors 16-23 hold 0xa5, the rest is unchanged"
[ $tap_failed = 0 ] || sed 's/^/#   /' "$T2" | grep -v '^#   0000' | tail -n 80 >&2
qemu_done
