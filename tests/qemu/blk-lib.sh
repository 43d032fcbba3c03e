# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by tests/qemu/blk*.t: boots test=blk against QEMU's virtio-blk with
# fresh images and checks the results from the host. Source after lib.sh.
#
#   blk_case "description" NDISKS "kernel options" "drive options" "device options" [QEMU args]
#
# Each image is 16 MiB: sectors [0, BLK_NCRC) random (the guest's CRC-32
# must equal the host's), the guest writes its pattern over
# [BLK_PAT, BLK_PAT + BLK_NPAT) and the host checks every one of those
# sectors; a read-only disk must come back unchanged.

BLK_CHECK="perl $TOP/tests/qemu/blk-check.pl"
BLK_NCRC=2048
BLK_PAT=4096
BLK_NPAT=8192

blk_image() { # blk_image FILE: 16 MiB, random head
	truncate -s 16M "$1"
	head -c $((BLK_NCRC * 512)) /dev/urandom | dd of="$1" conv=notrunc status=none
}

# The guest's "# crc vdN = x" line.
blk_guest_crc() {
	tr -d '\r' <"$QEMU_LOG" | sed -n "s/^# crc vd$1 = \([0-9a-f]\{8\}\)\$/\1/p" | head -n 1
}

blk_case() {
	local desc=$1 ndisks=$2 kopts=$3 dopts=$4 devopts=$5
	shift 5
	local run=$((RANDOM * 32768 + RANDOM)) args=() i img ro=0
	case ",$dopts," in *,readonly=on,*) ro=1 ;; esac
	for ((i = 0; i < ndisks; i++)); do
		img=$TEST_TMP/disk$i.img
		blk_image "$img"
		[ $ro = 1 ] && $BLK_CHECK crc "$img" 0 32768 >"$TEST_TMP/before$i"
		args+=(-drive "file=$img,if=none,format=raw,id=d$i${dopts:+,$dopts}"
			-device "virtio-blk-pci,drive=d$i${devopts:+,$devopts}")
	done
	qemu_test "$desc" 60 "test=blk blk_run=$run blk_crc=$BLK_NCRC blk_pat=$BLK_PAT \
blk_patn=$BLK_NPAT blk_disks=$ndisks $kopts" "${args[@]}" "$@"
	for ((i = 0; i < ndisks; i++)); do
		img=$TEST_TMP/disk$i.img
		local host guest
		host=$($BLK_CHECK crc "$img" 0 $BLK_NCRC)
		guest=$(blk_guest_crc $i)
		[ "$host" = "$guest" ]
		tap_check $? "$desc: vd$i CRC-32 of host data: guest ${guest:-none}, host $host"
		if [ $ro = 1 ]; then
			[ "$($BLK_CHECK crc "$img" 0 32768)" = "$(cat "$TEST_TMP/before$i")" ]
			tap_check $? "$desc: vd$i read-only image unchanged"
		else
			local out
			out=$($BLK_CHECK check "$img" $BLK_PAT $BLK_NPAT $run $i)
			tap_check $? "$desc: vd$i host checks every sector: $out"
		fi
	done
}
