#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-blk's optional operations and full ring depth against QEMU's
# device, each checked from the host image or from QEMU itself
# (tests/ktest/blk_ops_test.c is the guest side):
# - DISCARD and WRITE_ZEROES: the guest writes the pattern over 4 MiB,
#   zeroes one part and discards another (drive discard=unmap), flushes;
#   the host finds zeroes there, a hole in the file where discarded (the
#   file shrank), the pattern everywhere else. Limits (max-discard-sectors,
#   max-write-zeroes-sectors) with 4096-byte blocks; a device without them
#   refuses both with nothing sent.
# - CONFIG_WCE: the guest switches writethrough/writeback; QEMU, asked over
#   QMP (query-block), must agree on the final mode. config-wce=off: refused.
# - Depth: more requests than the ring holds submitted at once (256 and
#   1024 entries; split, packed, with and without indirect descriptors or
#   event index; legacy with INTx): the ring fills exactly, the block layer
#   queues the rest and sends them as completions free room, interrupts
#   are batched; random host data read at depth (CRC-32) and the pattern
#   written at depth, checked sector by sector from the host.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/blk-lib.sh"

OPS="perl $TOP/tests/qemu/blk-ops-host.pl"
PAT=4096
NPAT=8192

# ---- DISCARD and WRITE_ZEROES ----------------------------------------------

# ops_pattern_between IMG FROM TO RUN DESC: the pattern on [FROM, TO), if not empty.
ops_pattern_between() {
	local out
	[ "$3" -gt "$2" ] || return 0
	out=$($BLK_CHECK check "$1" "$2" $(($3 - $2)) "$4" 0)
	tap_check $? "$5: pattern intact: $out"
}

# ops_dz_case DESC MODE "kernel options" "drive options" "device options" WZ WZN DIS DISN
# MODE: on (both offered), off (not offered), ro (read-only disk).
ops_dz_case() {
	local desc=$1 mode=$2 kopts=$3 dopts=$4 devopts=$5 wz=$6 wzn=$7 dis=$8 disn=$9
	local img=$TEST_TMP/dz.img run=$((RANDOM * 32768 + RANDOM)) before after out hostrun
	rm -f "$img"
	truncate -s 16M "$img"
	# Allocated before the boot, so a hole afterwards is the discard's doing;
	# a read-only disk must keep it, the others are overwritten by the guest.
	hostrun=$((run + 1))
	[ "$mode" = ro ] && hostrun=$run
	$BLK_CHECK write "$img" $PAT $NPAT $hostrun 0
	before=$($OPS blocks "$img")
	qemu_test "$desc" 30 "test=blk_ops ops_run=$run ops_dz=$([ "$mode" = off ] && echo 0 || echo 1) \
ops_ro=$([ "$mode" = ro ] && echo 1 || echo 0) ops_pat=$PAT ops_patn=$NPAT \
ops_wz=$wz ops_wzn=$wzn ops_dis=$dis ops_disn=$disn $kopts" \
		-drive "file=$img,if=none,format=raw,id=d0${dopts:+,$dopts}" \
		-device "virtio-blk-pci,drive=d0${devopts:+,$devopts}"
	if [ "$mode" != on ]; then
		ops_pattern_between "$img" $PAT $((PAT + NPAT)) $run "$desc"
		after=$($OPS blocks "$img")
		[ "$after" = "$before" ]
		tap_check $? "$desc: allocation unchanged: $before -> $after blocks"
		return
	fi
	out=$($OPS zero "$img" $wz $wzn)
	tap_check $? "$desc: write-zeroes range: $out"
	out=$($OPS zero "$img" $dis $disn)
	tap_check $? "$desc: discarded range reads zeroes: $out"
	out=$($OPS hole "$img" $dis $disn)
	tap_check $? "$desc: discarded range punched: $out"
	after=$($OPS blocks "$img")
	[ "$after" -le $((before - disn)) ]
	tap_check $? "$desc: file shrank by the discard: $before -> $after blocks (want <= $((before - disn)))"
	ops_pattern_between "$img" $PAT $wz $run "$desc"
	ops_pattern_between "$img" $((wz + wzn)) $dis $run "$desc"
	ops_pattern_between "$img" $((dis + disn)) $((PAT + NPAT)) $run "$desc"
}

ops_dz_case "discard=unmap: write-zeroes and discard" on "ops_dis_zero=1" "discard=unmap" "" \
	6144 2048 10240 1024
ops_dz_case "max-discard-sectors=256 max-write-zeroes-sectors=128, 4096-byte blocks" on \
	"ops_dis_zero=1 ops_max_dis=256 ops_max_wz=128" "discard=unmap" \
	"max-discard-sectors=256,max-write-zeroes-sectors=128,logical_block_size=4096,physical_block_size=4096" \
	6144 128 10240 256
ops_dz_case "legacy (disable-modern=on), packed=off: write-zeroes and discard" on \
	"ops_dis_zero=1 ops_max_dis=4096 ops_max_wz=2048" "discard=unmap" \
	"disable-modern=on,max-discard-sectors=4096,max-write-zeroes-sectors=2048" \
	7000 1000 9000 2000
ops_dz_case "packed=on: write-zeroes and discard" on "ops_dis_zero=1" "discard=unmap" \
	"packed=on" 4096 8 12000 288
ops_dz_case "discard=off write-zeroes=off: refused" off "" "discard=unmap" \
	"discard=off,write-zeroes=off" 6144 2048 10240 2048
ops_dz_case "readonly=on: refused" ro "" "discard=unmap,readonly=on" "" \
	6144 2048 10240 2048

# ---- CONFIG_WCE ---------------------------------------------------------------

# ops_wce_case DESC "kernel options" "drive options" "device options" WANT MODES
# The guest idles after its checks; QEMU is asked for the drive's cache mode
# (must be WANT) and quit; the guest's `blk info` lines must show MODES.
ops_wce_case() {
	local desc=$1 kopts=$2 dopts=$3 devopts=$4 want=$5 modes=$6
	local img=$TEST_TMP/wce.img sock=$TEST_TMP/qmp.sock log=$TEST_TMP/wce.$((tap_n + 1)).log
	local qpid mode i got out
	rm -f "$img" "$sock"
	truncate -s 16M "$img"
	: >"$log"
	"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
		-qmp "unix:$sock,server=on,wait=off" -serial "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$KERNEL" \
		-append "test=blk_wce $kopts" \
		-drive "file=$img,if=none,format=raw,id=d0${dopts:+,$dopts}" \
		-device "virtio-blk-pci,drive=d0${devopts:+,$devopts}" </dev/null \
		>"$TEST_TMP/wce.out" 2>&1 &
	qpid=$!
	for ((i = 0; i < 200; i++)); do
		grep -q '^# ops ready' "$log" && break
		kill -0 $qpid 2>/dev/null || break
		sleep 0.1
	done
	mode=$(timeout 10 $OPS qmp "$sock" d0 2>&1)
	for ((i = 0; i < 50; i++)); do
		kill -0 $qpid 2>/dev/null || break
		sleep 0.1
	done
	{ kill -KILL $qpid; wait $qpid; } 2>/dev/null
	QEMU_LOG=$log
	tr -d '\r' <"$log" | grep -E '^(not )?ok |^# ' | sed 's/^/#   guest: /'
	if tr -d '\r' <"$log" | grep -q '^# ops ready' &&
		tr -d '\r' <"$log" | grep -q '^1\.\.[0-9]' &&
		! tr -d '\r' <"$log" | grep -q '^not ok'; then
		tap_ok "$desc: guest checks"
	else
		tap_not_ok "$desc: guest checks (no plan, a failure, or no '# ops ready')"
		show_log "$desc"
	fi
	[ "$mode" = "$want" ]
	tap_check $? "$desc: QEMU says the drive is in $want mode (query-block: $mode)"
	got=$(tr -d '\r' <"$log" | sed -n 's/^ *cache: \([a-z]*\),.*/\1/p' | tr '\n' ' ')
	[ "$got" = "$modes " ]
	tap_check $? "$desc: blk info showed: ${got:-nothing}(want $modes)"
	case " $kopts " in
	*" ops_wce=1 "*)
		# The guest's last write (run 12, sectors 4096..4159) reached the image.
		out=$($BLK_CHECK check "$img" 4096 64 12 0 2>&1)
		tap_check $? "$desc: host sees the data written between the switches: $out"
		;;
	esac
}

ops_wce_case "config-wce=on, writeback -> writethrough -> writeback -> writethrough" \
	"ops_wce=1 ops_wce_start=1 ops_wce_final=0" "cache=writeback" "config-wce=on" \
	writethrough "writethrough writeback writethrough"
ops_wce_case "config-wce=on, writethrough -> writeback -> writethrough -> writeback" \
	"ops_wce=1 ops_wce_start=0 ops_wce_final=1" "cache=writethrough" "config-wce=on" \
	writeback "writeback writethrough writeback"
ops_wce_case "legacy, config-wce=on: writeback -> writethrough -> writeback -> writethrough" \
	"ops_wce=1 ops_wce_start=1 ops_wce_final=0" "cache=writeback" \
	"disable-modern=on,config-wce=on" \
	writethrough "writethrough writeback writethrough"
ops_wce_case "config-wce=off: switch refused" "ops_wce=0" "cache=writeback" "config-wce=off" \
	writeback "writeback"

# ---- full ring depth ----------------------------------------------------------

# ops_depth_case DESC NREQ DEPTH "device options": NREQ requests of 8 sectors,
# random host data read from sector 0, the pattern written at 16384.
ops_depth_case() {
	local desc=$1 nreq=$2 depth=$3 devopts=$4
	local img=$TEST_TMP/depth.img run=$((RANDOM * 32768 + RANDOM)) host guest out
	local n=$((nreq * 8)) pat=16384
	rm -f "$img"
	truncate -s 16M "$img"
	head -c $((n * 512)) /dev/urandom | dd of="$img" conv=notrunc status=none
	qemu_test "$desc" 30 "test=blk_depth ops_run=$run ops_nreq=$nreq ops_depth=$depth \
ops_pat=$pat" -drive "file=$img,if=none,format=raw,id=d0" \
		-device "virtio-blk-pci,drive=d0,$devopts"
	host=$($BLK_CHECK crc "$img" 0 $n)
	guest=$(blk_guest_crc 0)
	[ "$host" = "$guest" ]
	tap_check $? "$desc: CRC-32 of the host's data read at depth: guest ${guest:-none}, host $host"
	out=$($BLK_CHECK check "$img" $pat $n $run 0 2>&1)
	tap_check $? "$desc: host checks every sector written at depth: $out"
}

ops_depth_case "queue-size=256 split, indirect: 320 requests, 256 in flight" 320 256 \
	"queue-size=256"
ops_depth_case "queue-size=256 packed, indirect: 320 requests, 256 in flight" 320 256 \
	"queue-size=256,packed=on"
ops_depth_case "queue-size=256 split, indirect_desc=off: 3 descriptors each, 85 in flight" \
	320 85 "queue-size=256,indirect_desc=off"
ops_depth_case "queue-size=256 packed, indirect_desc=off: 85 in flight" 320 85 \
	"queue-size=256,packed=on,indirect_desc=off"
ops_depth_case "queue-size=256 event_idx=off: 256 in flight" 320 256 \
	"queue-size=256,event_idx=off"
ops_depth_case "legacy, INTx, queue-size=256: 256 in flight" 320 256 \
	"queue-size=256,disable-modern=on,vectors=0"
ops_depth_case "queue-size=1024: 1100 requests, 1024 in flight" 1100 1024 "queue-size=1024"
qemu_done
