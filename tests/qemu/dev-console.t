#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The console device (user/tests/dev-console.c) over the serial line,
# driven by tests/qemu/console-feed.pl: the program's write reaches the
# host; while it holds the device, 3,000 bytes the host sends at full
# speed (more than the 2 KiB input ring: the UART holds the rest back) go
# to the program whole and in order, and none to the monitor; after
# device_close the monitor reads the console again.
source "$(dirname "$0")/lib.sh"

COUNT=3000
user_parse "dev-console '\${device-port}' $COUNT $USER_START"
QEMU_LOG=$TEST_TMP/console.log
perl "$TOP/tests/qemu/console-feed.pl" --log "$QEMU_LOG" --timeout 60 -- \
	"$QEMU" -M pc -m 256M "${QEMU_SMP[@]}" -nodefaults -display none -no-reboot -monitor none \
	-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$KERNEL" -append "monitor=on" -initrd "$user_initrd" ::: \
	"wait=dev-console: # ready for $COUNT bytes" "pattern=$COUNT" "wait=dev-console: # done" \
	'send=echo monitor-again\r' 'wait=\nmonitor-again\r?\n' 'send=poweroff\r'
STATUS=$?
user_verdicts "console device"
tap_check $((STATUS != 0)) "the session ends with poweroff (status $STATUS)"
clean=$(tr -d '\r' <"$QEMU_LOG")
grep -q '^dev-console: hello through the console device$' <<<"$clean"
tap_check $? "the program's device_write_inband reached the serial line"
grep -q '^monitor-again$' <<<"$clean" && ! grep -q '^error:' <<<"$clean"
tap_check $? "the monitor got none of the program's input, and reads again after device_close" ||
	{ tr -d "\r" <"$QEMU_LOG" | grep -v "^\[" | tail -n 30 | sed "s/^/#   /"; }
qemu_done
