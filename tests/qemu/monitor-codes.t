#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Monitor commands return kern_return_t / io_return_t codes, and the monitor
# prints each failure once, as the command's own message
# (tests/ktest/monitor_test.c).
source "$(dirname "$0")/lib.sh"

truncate -s 1M "$TEST_TMP/ro.img"
qemu_test "monitor commands return GNU Mach codes" 30 "test=monitor_codes" \
	-drive file="$TEST_TMP/ro.img",if=none,format=raw,id=d0,readonly=on \
	-device virtio-blk-pci,drive=d0
log=$(tr -d '\r' <"$QEMU_LOG")
ok=0
for line in "error: unknown command 'no-such-command' (try 'help')" \
	"error: too many arguments (at most 15)" \
	"error: usage: sleep MS (0-60000)" \
	"error: no disk 'vd9' (see 'blk info vd0', 'virtio')" \
	"error: no interface 'eth9'" \
	"error: vd0 is read-only" \
	"error: bad sector 'x'"; do
	n=$(grep -cxF "$line" <<<"$log")
	[ "$n" = 1 ] || [ "$line" = "error: usage: sleep MS (0-60000)" -a "$n" = 2 ] ||
		{ echo "# '$line' printed $n times"; ok=1; }
done
# Successful commands print no error line: 9 failures, 9 lines.
n=$(grep -c '^error: ' <<<"$log")
[ "$n" = 9 ] || { echo "# $n error lines, expected 9"; ok=1; }
tap_check $ok "each failure printed once as 'error: <message>'"
qemu_done
