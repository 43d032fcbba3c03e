#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The user-program harness (tests/qemu/lib.sh, user_judge) on made-up serial
# logs: it passes a program only with a plan, an ok for each number of it,
# no not ok and "# done pass", and tells a program's lines from another's.
source "$(dirname "$0")/../qemu/lib.sh"

QEMU_LOG=$TEST_TMP/fake.log
judge() { # judge WANT(0 pass, 1 fail) NAME DESCRIPTION (the log is on stdin)
	cat >"$QEMU_LOG"
	user_judge "$2"
	local got=$?
	[ "$got" = 0 ] || got=1
	[ "$got" = "$1" ]
	tap_check $? "$3${USER_WHY:+ ($USER_WHY)}"
}

judge 0 hello "a whole run passes" <<'LOG'
hello: 1..2
hello: ok 1 - a
hello: ok 2 - b
hello: # done pass
LOG
judge 0 hello "interleaved with another program, after GNU Mach's 'start X: '" <<'LOG'
start regs: start hello: hello: 1..2
regs: 1..1
hello: ok 1 - a
regs: not ok 1 - x
hello: ok 2 - b
hello: # done pass
LOG
judge 1 regs "the other program's not ok is its own" <<'LOG'
start regs: start hello: hello: 1..2
regs: 1..1
regs: not ok 1 - x
regs: # done fail (ran 1 of 1, 1 failed)
LOG
judge 1 hello "a not ok fails" <<'LOG'
hello: 1..2
hello: ok 1 - a
hello: not ok 2 - b
hello: # done pass
LOG
judge 1 hello "a missing test fails" <<'LOG'
hello: 1..3
hello: ok 1 - a
hello: ok 3 - c
hello: # done pass
LOG
judge 1 hello "a repeated number fails" <<'LOG'
hello: 1..2
hello: ok 1 - a
hello: ok 1 - a
hello: # done pass
LOG
judge 1 hello "no done line (died at the end) fails" <<'LOG'
hello: 1..1
hello: ok 1 - a
LOG
judge 1 hello "no plan fails" <<'LOG'
hello: ok 1 - a
hello: # done pass
LOG
judge 1 hello "another program's lines do not count" <<'LOG'
othello: 1..1
othello: ok 1 - a
othello: # done pass
LOG
judge 1 hello "no output fails" </dev/null

printf 'ro-write: 1..2\nro-write: ok 1 - writing\n' >"$QEMU_LOG"
user_judge_dead ro-write
tap_check $? "a program that started and stopped counts as dead"
printf 'ro-write: 1..2\nro-write: ok 1 - w\nro-write: not ok 2 - alive\nro-write: # done fail\n' >"$QEMU_LOG"
! user_judge_dead ro-write
tap_check $? "a program that ran to its end did not die"

printf 'task ro-write (3) thread 4: EXC_BAD_ACCESS at 0x402060, pc 0x4000b0: terminated\n' >"$QEMU_LOG"
expect_log "ro-write.*(0x)?0*402060"
reject_log "BADPTR-CROSSING"
user_log_patterns
tap_check $? "expect_log and reject_log: a wanted line is there, an unwanted one is not"
echo "BADPTR-CROSSING!" >>"$QEMU_LOG"
expect_log "ro-write.*(0x)?0*402060"
reject_log "BADPTR-CROSSING"
! user_log_patterns
tap_check $? "reject_log: an unwanted line fails the boot"
expect_log "ro-write.*(0x)?0*402061"
! user_log_patterns
tap_check $? "expect_log: a missing line fails the boot"

user_parse "hello '\${host-port}' $USER_START" "!ro-write a,b"
[ "${user_names[*]}" = "hello ro-write" ] && [ "${user_dying[*]}" = "ro-write" ] &&
	[ "$user_initrd" = "$USER_BIN/hello '\${host-port}' '\$(task-create)' '\$(task-resume)',$USER_BIN/ro-write a,,b" ]
tap_check $? "module lines: names, the dying mark, paths and doubled commas"
qemu_done
