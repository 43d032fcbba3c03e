#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Disks through the Mach device interface from a user task
# (user/tests/dev-disk.c, docs/devices.md), checked from the host: the
# program's CRC-32 of records [0, 2048), read with device_read, must equal
# the host's of the random data it put there; the pattern the program
# writes over [4096, 5120) by every write path is checked record by record
# in the image after the run, on disks of 512-byte, 4 KiB and 16 KiB blocks
# (partial blocks read around); a read-only disk (readonly=on) refuses
# writes and its image comes back unchanged.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/blk-lib.sh"

SECTORS=32768 # blk_image's 16 MiB
run=$((RANDOM * 32768 + RANDOM))
img=$TEST_TMP/dev0.img
blk_image "$img"
USER_QEMU=(-drive "file=$img,if=none,format=raw,id=d0" -device "virtio-blk-pci,drive=d0")
user_test "device_read/write on vd0" 180 "" \
	"dev-disk '\${device-port}' vd0 rw $SECTORS $run $USER_START"
host=$($BLK_CHECK crc "$img" 0 2048)
guest=$(tr -d '\r\0' <"$QEMU_LOG" | sed -n 's/^dev-disk: # crc = \([0-9a-f]\{8\}\)$/\1/p' | head -n 1)
[ -n "$guest" ] && [ "$host" = "$guest" ]
tap_check $? "CRC-32 of records [0, 2048) through device_read: guest ${guest:-none}, host $host"
out=$($BLK_CHECK check "$img" 4096 1024 $run 0)
tap_check $? "the host checks every record the program wrote: $out"

# Disks of 4 KiB and 16 KiB logical blocks: records stay 512 bytes; reads
# and writes not on a block boundary go through the blocks around them,
# and blocks larger than a page always bounce.
for bs in 4096 16384; do
	run=$((RANDOM * 32768 + RANDOM))
	blk_image "$img"
	USER_QEMU=(-drive "file=$img,if=none,format=raw,id=d0"
		-device "virtio-blk-pci,drive=d0,logical_block_size=$bs,physical_block_size=$bs")
	user_test "device_read/write on vd0, $bs-byte blocks" 180 "" \
		"dev-disk '\${device-port}' vd0 rw $SECTORS $run $USER_START"
	host=$($BLK_CHECK crc "$img" 0 2048)
	guest=$(tr -d '\r\0' <"$QEMU_LOG" | sed -n 's/^dev-disk: # crc = \([0-9a-f]\{8\}\)$/\1/p' | head -n 1)
	[ -n "$guest" ] && [ "$host" = "$guest" ]
	tap_check $? "$bs-byte blocks: CRC-32 through device_read: guest ${guest:-none}, host $host"
	out=$($BLK_CHECK check "$img" 4096 1024 $run 0)
	tap_check $? "$bs-byte blocks: the host checks every record the program wrote: $out"
done

# Read-only: writes refused, the image unchanged.
blk_image "$img"
before=$($BLK_CHECK crc "$img" 0 $SECTORS)
USER_QEMU=(-drive "file=$img,if=none,format=raw,id=d0,readonly=on"
	-device "virtio-blk-pci,drive=d0")
user_test "read-only vd0" 120 "" "dev-disk '\${device-port}' vd0 ro $SECTORS $USER_START"
[ "$($BLK_CHECK crc "$img" 0 $SECTORS)" = "$before" ]
tap_check $? "the read-only image is unchanged"
qemu_done
