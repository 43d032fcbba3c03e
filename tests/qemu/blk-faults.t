#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-blk faults, checked from the host:
# - QEMU's blkdebug fails the read of one sector and the write of another
#   with EIO while many requests are in flight (request-merging=off, so
#   QEMU does not fold neighbours into the failing one): only the request
#   holding the sector fails, the others complete with the right data.
# - After `flush` returns in the guest, QEMU is killed with SIGKILL: the
#   image must hold every sector written before the flush.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/blk-lib.sh"

IMG=$TEST_TMP/eio.img
RUN=$((RANDOM * 32768 + RANDOM))
truncate -s 16M "$IMG"
$BLK_CHECK write "$IMG" $BLK_PAT $BLK_NPAT $RUN 0
RD=$((BLK_PAT + 900 + RANDOM % 1000))
WR=$((BLK_PAT + 5000 + RANDOM % 1000))
cat >"$TEST_TMP/blkdebug.conf" <<EOC
[inject-error]
event = "read_aio"
iotype = "read"
errno = "5"
sector = "$RD"

[inject-error]
event = "write_aio"
iotype = "write"
errno = "5"
sector = "$WR"
EOC
qemu_test "blkdebug EIO on the read of sector $RD and the write of sector $WR" 60 \
	"test=blk_eio blk_run=$RUN blk_pat=$BLK_PAT blk_patn=$BLK_NPAT blk_eio_read=$RD blk_eio_write=$WR" \
	-drive "file=blkdebug:$TEST_TMP/blkdebug.conf:$IMG,if=none,format=raw,id=d0" \
	-device virtio-blk-pci,drive=d0,request-merging=off
failed=$(tr -d '\r' <"$QEMU_LOG" | sed -n 's/^# eio-write-failed \([0-9]*\) \([0-9]*\)$/\1 \2/p')
out=$($BLK_CHECK check "$IMG" $BLK_PAT $BLK_NPAT $((RUN + 1)) 0 ${failed:-0 0})
tap_check $? "blkdebug: host sees every write but the failed one ($failed): $out"

# Flush, then SIGKILL as soon as the guest says the flush completed.
IMG=$TEST_TMP/flush.img
RUN=$((RANDOM * 32768 + RANDOM))
truncate -s 16M "$IMG"
LOG=$TEST_TMP/flush.log
: >"$LOG"
"$QEMU" -M pc -m 128M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial "file:$LOG" -kernel "$KERNEL" \
	-append "test=blk_flush blk_run=$RUN blk_pat=$BLK_PAT blk_patn=$BLK_NPAT" \
	-drive "file=$IMG,if=none,format=raw,id=d0,cache=writeback" \
	-device virtio-blk-pci,drive=d0 </dev/null >/dev/null 2>&1 &
QPID=$!
for ((i = 0; i < 300; i++)); do
	grep -q '^# flush' "$LOG" && break
	sleep 0.1
done
{ kill -KILL $QPID; wait $QPID; } 2>/dev/null
grep -q '^# flush done' "$LOG"
tap_check $? "flush: the guest's flush completed ($(grep -a '^# flush' "$LOG" | tr -d '\r'))"
out=$($BLK_CHECK check "$IMG" $BLK_PAT $BLK_NPAT $RUN 0)
tap_check $? "flush: after SIGKILL the image holds every sector: $out"
qemu_done
