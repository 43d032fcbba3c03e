#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot scripts on the module lines (kern/boot_script.c, kern/bootstrap.c):
# quoting, a reference to a task that a later line creates, a line with an
# unknown variable, and a module that is not an ELF program. The lines in
# error get no task, say why in one log line, and the others run.
source "$(dirname "$0")/lib.sh"

check_log() { # check_log PATTERN DESCRIPTION
	tr -d '\r' <"$QEMU_LOG" | grep -qE -- "$1"
	tap_check $? "$2"
}

initrd="$USER_BIN/argcheck 2 'two words' --t='\${later}' $USER_START"
initrd+=",$USER_BIN/template '\$(later=task-create)' '\$(task-resume)'"
initrd+=",$USER_BIN/libc '\${nope}' $USER_START"
initrd+=",$TOP/user/tests/hello.c $USER_START"
initrd+=",$USER_BIN/hello $USER_START"
qemu_boot 120 "boot_exit=on" -m 128M -initrd "$initrd"
for name in argcheck template hello; do
	user_judge "$name"
	tap_check $? "$name runs with the arguments its line gave${USER_WHY:+ ($USER_WHY)}"
done
[ -z "$(user_stream libc)" ]
tap_check $? "the line with an unknown variable gets no task: libc never runs"
check_log "module 2 .*unknown variable 'nope'" "the error names the module and the variable"
check_log "module 3 \(hello\.c\).*refused: .*(magic|ELF)" "a module that is not ELF is refused with its name and the reason"
check_log "vmach: all boot tasks ended" "the boot tasks end"
check_log "monitor: not started, the console belongs to the boot modules" \
	"with boot modules the monitor leaves the console to them"
[ "$QEMU_STATUS" = 35 ]
tap_check $? "the boot reports the failed lines (QEMU status $QEMU_STATUS, expected 35)"
[ "$tap_failed" = 0 ] || show_log "boot scripts" 60

# monitor=on starts it beside the boot tasks: the prompt comes, and the
# kernel still ends the boot when the task (spinning a while) is done.
qemu_boot 60 "boot_exit=on monitor=on" -m 128M -initrd "$USER_BIN/spin 50000000 $USER_START"
check_log "vmach> " "monitor=on: the monitor starts beside the boot modules"
user_judge spin
tap_check $? "monitor=on: the boot task still runs${USER_WHY:+ ($USER_WHY)}"
qemu_done
