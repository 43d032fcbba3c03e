#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Partitions and RAM disks (tests/ktest/blkdevs_test.c, test=blkdevs),
# checked from the host:
# - virtio disks with host-made tables (tests/qemu/mkpart.pl): an MBR with
#   an extended partition holding two logical ones, a GPT with 3 entries
#   (512- and 4096-byte blocks), the MBR again read-only. Every partition
#   must be found with its start and size, no other; the CRC-32 of its
#   first and last block must be the host's at those offsets; the tags the
#   guest wrote at its first and last block must be in the image there,
#   and nothing else in the image may change (nothing on the read-only
#   disk); I/O past each end is refused (the guest's TAP lines); 32 reads
#   in flight on each partition of a 4-entry queue wait for room and all
#   complete right.
# - RAM disks from boot modules with '$(ramdisk-create)': a module of
#   100000 random bytes must be rd0 of 200 sectors (a page multiple, zeros
#   after the module) whose CRC-32 is the host's; an MBR image module is
#   rd1 with its partition rd1s1; writes read back; in place, and copied
#   with ramdisk_copy=on; and through the harness's ramdisk_module, with a
#   program booted after it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/blk-lib.sh"

MKPART="perl $TOP/tests/qemu/mkpart.pl"

# The guest's "# disk NAME ..." line for NAME.
guest_disk() { tr -d '\r' <"$QEMU_LOG" | grep -E "^# disk $1 " | head -n 1; }
# The guest's CRC for NAME: guest_crc NAME first|last|all
guest_crc() {
	tr -d '\r' <"$QEMU_LOG" | sed -n "s/^# crc $1 .*$2=\([0-9a-f]\{8\}\).*/\1/p" | head -n 1
}

# check_parts DISK IMG ORIG PER RO "sN START SECTORS"...: the partitions of DISK.
check_parts() {
	local disk=$1 img=$2 orig=$3 per=$4 ro=$5
	shift 5
	local line n s c name ok ranges=() want="" got
	for line in "$@"; do
		read -r n s c <<<"$line"
		name=$disk$n
		want+="$name "
		guest_disk "$name" | grep -qx "# disk $name parent=$disk start=$s sectors=$c bs=$((per * 512)) ro=$ro"
		tap_check $? "$disk: $name found at sector $s, $c sectors$([ "$ro" = 1 ] && echo ', read-only')"
		ok=0
		[ "$(guest_crc "$name" first)" = "$($BLK_CHECK crc "$orig" "$s" "$per")" ] || ok=1
		[ "$(guest_crc "$name" last)" = "$($BLK_CHECK crc "$orig" $((s + c - per)) "$per")" ] || ok=1
		tap_check $ok "$name: CRC-32 of its first and last block are the host's at sectors $s and $((s + c - per))"
		if [ "$ro" = 0 ]; then
			$MKPART tag "$img" "$s" "VMACHPART $name first" &&
				$MKPART tag "$img" $((s + c - per)) "VMACHPART $name last"
			tap_check $? "$name: host finds the guest's tags at sectors $s and $((s + c - per))"
			ranges+=("$s:$per" "$((s + c - per)):$per")
		fi
	done
	got=$(tr -d '\r' <"$QEMU_LOG" | sed -n "s/^# disk \($disk[s][0-9]*\) parent=.*/\1/p" | tr '\n' ' ')
	[ "$got" = "$want" ]
	tap_check $? "$disk: exactly these partitions: ${got:-none}"
	$MKPART same "$img" "$orig" "${ranges[@]}"
	tap_check $? "$disk: nothing else in the image changed"
}

# ---- virtio disks with partition tables ----
M=$TEST_TMP/mbr.img G=$TEST_TMP/gpt.img G4=$TEST_TMP/gpt4k.img R=$TEST_TMP/ro.img
mapfile -t MBR_PARTS < <($MKPART mbr-ext "$M")
mapfile -t GPT_PARTS < <($MKPART gpt "$G" 512)
mapfile -t GPT4_PARTS < <($MKPART gpt "$G4" 4096)
cp "$M" "$R"
for f in "$M" "$G" "$G4" "$R"; do cp "$f" "$f.orig"; done
drive() { echo "file=$1,if=none,format=raw,id=$2${3:+,$3}"; }
qemu_test "partitions: MBR with logical partitions, GPT (512 and 4096-byte blocks), read-only" 90 \
	"test=blkdevs" \
	-drive "$(drive "$M" d0)" -device virtio-blk-pci,drive=d0,queue-size=4,indirect_desc=off \
	-drive "$(drive "$G" d1)" -device virtio-blk-pci,drive=d1 \
	-drive "$(drive "$R" d2 readonly=on)" -device virtio-blk-pci,drive=d2 \
	-drive "$(drive "$G4" d3)" \
	-device virtio-blk-pci,drive=d3,logical_block_size=4096,physical_block_size=4096
check_parts vd0 "$M" "$M.orig" 1 0 "${MBR_PARTS[@]}"
rq=$(tr -d '\r' <"$QEMU_LOG" | sed -n 's/^# requeued vd0 \([0-9]*\)$/\1/p' | tail -n 1)
[ "${rq:-0}" -gt 0 ]
tap_check $? "vd0 (a 4-entry queue): its partitions' requests waited for room (${rq:-0} times)"
check_parts vd1 "$G" "$G.orig" 1 0 "${GPT_PARTS[@]}"
check_parts vd2 "$R" "$R.orig" 1 1 "${MBR_PARTS[@]}"
check_parts vd3 "$G4" "$G4.orig" 8 0 "${GPT4_PARTS[@]}"
tr -d '\r' <"$QEMU_LOG" | grep -q '^.*vd0: MBR partition table, 3 partition(s)' &&
	tr -d '\r' <"$QEMU_LOG" | grep -q '^.*vd1: GPT partition table, 3 partition(s)'
tap_check $? "the kernel log names each table and its partition count"

# ---- RAM disks from boot modules ----
A=$TEST_TMP/rd-a.bin B=$TEST_TMP/rd-b.img
head -c 100000 /dev/urandom >"$A"
mapfile -t ONE_PARTS < <($MKPART mbr-one "$B")
cp "$B" "$B.orig"
PADDED=$TEST_TMP/rd-a.padded
cp "$A" "$PADDED"
truncate -s 102400 "$PADDED"
for mode in "in place" copied; do
	opt=""
	[ "$mode" = copied ] && opt="ramdisk_copy=on"
	qemu_test "RAM disks ($mode): a 100000-byte module and an MBR image" 60 \
		"test=blkdevs $opt" -initrd "$A \$(ramdisk-create),$B \$(ramdisk-create)"
	guest_disk rd0 | grep -qx "# disk rd0 parent=- start=0 sectors=200 bs=512 ro=0"
	tap_check $? "$mode: rd0 is the first module rounded up to a page: 200 sectors"
	[ "$(guest_crc rd0 all)" = "$($BLK_CHECK crc "$PADDED" 0 200)" ]
	tap_check $? "$mode: rd0's CRC-32 is the module's, zeros after it ($(guest_crc rd0 all))"
	guest_disk rd1 | grep -qx "# disk rd1 parent=- start=0 sectors=2048 bs=512 ro=0" &&
		[ "$(guest_crc rd1 all)" = "$($BLK_CHECK crc "$B" 0 2048)" ]
	tap_check $? "$mode: rd1 is the second module, same CRC-32"
	read -r n s c <<<"${ONE_PARTS[0]}"
	guest_disk rd1s1 | grep -qx "# disk rd1s1 parent=rd1 start=$s sectors=$c bs=512 ro=0" &&
		[ "$(guest_crc rd1s1 first)" = "$($BLK_CHECK crc "$B" "$s" 1)" ] &&
		[ "$(guest_crc rd1s1 last)" = "$($BLK_CHECK crc "$B" $((s + c - 1)) 1)" ]
	tap_check $? "$mode: rd1s1, the RAM disk's own partition, at sector $s with $c sectors"
	tr -d '\r' <"$QEMU_LOG" | grep -qE "rd0: boot module 0, 102400 bytes \(100000 of the module\), $mode"
	tap_check $? "$mode: the kernel says how rd0 was made"
	! tr -d '\r' <"$QEMU_LOG" | grep -qE 'bootstrap: .*(task|fail|error)'
	tap_check $? "$mode: the RAM disk lines make no task and no error"
	$MKPART same "$B" "$B.orig"
	tap_check $? "$mode: the module file on the host is untouched"
done

# The harness's ramdisk_module (tests/qemu/lib.sh), as tests/gnumach/ramdisk.t
# uses it on GNU Mach: a RAM disk module ahead of a program that still runs.
ramdisk_module "$A"
expect_log 'rd0: boot module 0, 102400 bytes \(100000 of the module\)'
reject_log 'bootstrap: .*(fail|error)'
user_test "a RAM disk module ahead of a program" 60 "" "hello '\${host-port}' $USER_START"
qemu_done
