# SPDX-License-Identifier: GPL-2.0-or-later
# The QEMU test harness, sourced by tests/qemu/*.t.
#
#   qemu_test "description" TIMEOUT "kernel options" [QEMU options...]
#
# boots build/vmach with the kernel options (usually test=NAME) and the QEMU
# options (-nodefaults: a test adds the devices it wants; -M and -m may be
# given, else pc and 128M). The guest prints TAP on COM1 and leaves through
# isa-debug-exit. The boot passes when QEMU's status is 33 (EXIT_PASS), the
# guest printed a plan and no "not ok". It fails on a timeout, a panic
# (status 37), a failure (35), a missing plan or any "not ok", and then the
# serial log is shown. Each boot is one TAP line of the .t script; the
# guest's own TAP lines are shown as comments.
#
#   expect_panic "description" TEST PATTERN...
#                  boots with test=TEST, which must end in a panic (status 37)
#                  whose log matches every extended regex PATTERN.
#   qemu_done      prints the plan; call it last.
#
# After each boot, $QEMU_LOG is the serial log and $QEMU_STATUS QEMU's status.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KERNEL=${KERNEL:-$TOP/build/vmach-test}
QEMU=${QEMU:-qemu-system-x86_64}
# One CPU, but a machine that may have two. QEMU before 8.1 (qemu commit
# c914d46d0a64) emits no host fence for the guest's barriers (mfence, lock
# or) when the machine can only ever have one CPU (TCG without
# CF_PARALLEL), yet its virtio devices run in the main-loop thread at the
# same time as the CPU thread. The driver's store->load pairs
# (vq_split_kick_prepare: avail->idx before avail_event; vq_split_enable_cb:
# used_event before used->idx) then order nothing on the host: both sides
# read the other's old value and a kick or an interrupt is lost, with
# EVENT_IDX for good (the event is then behind the index). maxcpus=2 makes
# TCG keep the barriers; the guest still sees one CPU.
QEMU_SMP=(-smp 1,maxcpus=2)
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmach-test.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT
tap_n=0
tap_failed=0

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
tap_not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
tap_check() { # tap_check CONDITION-STATUS description
	if [ "$1" = 0 ]; then tap_ok "$2"; else tap_not_ok "$2"; fi
}
qemu_done() { echo "1..$tap_n"; [ "$tap_failed" = 0 ]; }

# Diagnostics go to stderr, which prove shows even when not verbose.
show_log() {
	{
		echo "# ---- serial log ($1) ----"
		sed 's/^/#   /' "$QEMU_LOG" | tail -n "${2:-80}"
		echo "# ---- end of log ----"
	} >&2
}

# qemu_boot TIMEOUT "kernel options" [QEMU options...]: runs QEMU, sets QEMU_STATUS and QEMU_LOG.
qemu_boot() {
	local timeout=$1 append=$2
	shift 2
	local machine=() memory=() smp=()
	case " $* " in *" -M "* | *" -machine "*) ;; *) machine=(-M pc) ;; esac
	case " $* " in *" -m "*) ;; *) memory=(-m 128M) ;; esac
	case " $* " in *" -smp "*) smp=() ;; *) smp=("${QEMU_SMP[@]}") ;; esac
	QEMU_LOG=$TEST_TMP/serial.$((tap_n + 1)).log
	timeout --foreground -k 5 "$timeout" "$QEMU" "${machine[@]}" "${memory[@]}" "${smp[@]}" \
		-nodefaults -display none -no-reboot -monitor none \
		-serial "file:$QEMU_LOG" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$KERNEL" -append "$append" "$@" </dev/null >"$TEST_TMP/qemu.out" 2>&1
	QEMU_STATUS=$?
	[ -f "$QEMU_LOG" ] || : >"$QEMU_LOG"
	if [ -s "$TEST_TMP/qemu.out" ]; then
		cat "$TEST_TMP/qemu.out" >>"$QEMU_LOG"
	fi
}

# The verdict of the last boot: 0 when it passed.
qemu_verdict() {
	local why=""
	case $QEMU_STATUS in
	33) ;;
	35) why="the guest reported a failure" ;;
	37) why="the guest panicked" ;;
	124 | 137) why="timeout" ;;
	*) why="QEMU exited with status $QEMU_STATUS" ;;
	esac
	if [ -z "$why" ]; then
		tr -d '\r' <"$QEMU_LOG" | grep -q '^1\.\.[0-9]' || why="no TAP plan in the serial log"
		tr -d '\r' <"$QEMU_LOG" | grep -q '^not ok' && why="a guest test failed"
	fi
	VERDICT_WHY=$why
	[ -z "$why" ]
}

qemu_test() {
	local desc=$1 timeout=$2 append=$3
	shift 3
	qemu_boot "$timeout" "$append" "$@"
	tr -d '\r' <"$QEMU_LOG" | grep -E '^(not )?ok |^# ' | sed 's/^/#   guest: /'
	if qemu_verdict; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc ($VERDICT_WHY)"
		show_log "$desc"
	fi
}

# expect_panic DESC TEST PATTERN...: the boot must end in a panic whose log matches every pattern.
expect_panic() {
	local desc=$1 test=$2
	shift 2
	qemu_boot 30 "test=$test"
	local ok=0
	[ "$QEMU_STATUS" = 37 ] || { echo "# status $QEMU_STATUS, expected 37 (panic)"; ok=1; }
	for p in "$@"; do
		tr -d '\r' <"$QEMU_LOG" | grep -qE "$p" || { echo "# missing in log: $p"; ok=1; }
	done
	tap_check $ok "$desc"
	[ $ok = 0 ] || show_log "$desc"
}

# ---- User programs as boot modules (docs/user.md) ----
#
#   user_test "description" TIMEOUT "kernel options" "PROG ARGS" ["PROG ARGS"...]
#
# boots build/vmach-test with each PROG (build/user/PROG) as a Multiboot
# module through QEMU's -initrd. Each "PROG ARGS" is the module's boot-script
# line with the program's name as its first word, e.g.
#   "hello '\${host-port}' $USER_START"    ($USER_START: task-create, task-resume)
# The harness puts the file's path in place of the name (QEMU passes the
# whole line, path included, as the module's command line, so argv[0] is
# that path) and joins the lines with commas; QEMU's -initrd splits at a
# comma, and ",," stands for a comma inside a line: the harness doubles any
# comma in ARGS, so write them plainly. The kernel gets "boot_exit=on" and
# the options: it ends QEMU through isa-debug-exit when the last boot task
# has ended, after printing "vmach: all boot tasks ended", with status 33,
# or 35 when the kernel killed a task.
#
# A PROG written "!PROG" is expected to die: it must have started (its
# "ok 1") and must not print its "# done" line, and QEMU's status is then
# 35. expect_log PATTERN (before user_test) adds an extended regex that the
# serial log must match, e.g. the kernel's line about the killed task;
# reject_log PATTERN one that it must not match.
# USER_QEMU=(...) adds QEMU options to the next boots (default memory 256M).
# ramdisk_module FILE (before user_test or gnumach_test) adds FILE as a
# module ahead of the programs, with the boot-script line
# "FILE '$(ramdisk-create)'": both kernels make it a RAM disk (rd0, rd1...
# in call order) that the programs can open; the list is emptied after
# each boot.
#
# The verdict, from the serial log: one TAP line per program, passed when
# its lines ("NAME: 1..N", "NAME: ok K - ...", user/test/tap.h) hold a plan,
# an ok for each of 1..N, no "not ok" and "NAME: # done pass"; and one for
# the boot (status, the end line, every expect_log pattern).
#
#   gnumach_test "description" TIMEOUT "kernel options" "PROG ARGS"...
#
# boots the same programs on GNU Mach 2025 ($GNUMACH, scripts/gnumach-image)
# through a GRUB ISO (scripts/mkiso; the kernel options should hold
# console=com0 so that its console is the serial port). GNU Mach cannot end
# QEMU, so the harness stops QEMU once every program has printed its done
# line (or at the timeout) and judges the programs as user_test does.

USER_BIN=${USER_BIN:-$TOP/build/user}
GNUMACH=${GNUMACH:-$TOP/build/gnumach/gnumach.gz}
USER_START="'\$(task-create)' '\$(task-resume)'"
USER_QEMU=()
user_expect_logs=()
user_reject_logs=()
user_ramdisks=()

ramdisk_module() { user_ramdisks+=("$1"); }

expect_log() { user_expect_logs+=("$1"); }
reject_log() { user_reject_logs+=("$1"); }

# user_parse "PROG ARGS"...: sets user_names, user_dying (names), user_lines
# (each "PATH ARGS") and user_initrd (the -initrd string).
user_parse() {
	user_names=() user_dying=() user_lines=() user_initrd=""
	local spec name args
	for spec in "${user_ramdisks[@]}"; do
		spec="$spec '\$(ramdisk-create)'"
		user_lines+=("$spec")
		user_initrd+=${user_initrd:+,}$(printf '%s' "$spec" | sed 's/,/,,/g')
	done
	for spec in "$@"; do
		name=${spec%%[[:space:]]*}
		args=${spec#"$name"}
		if [ "${name#!}" != "$name" ]; then
			name=${name#!}
			user_dying+=("$name")
		fi
		user_names+=("$name")
		user_lines+=("$USER_BIN/$name$args")
		user_initrd+=${user_initrd:+,}$(printf '%s' "$USER_BIN/$name$args" | sed 's/,/,,/g')
	done
}

# user_stream NAME: the program's own lines from the serial log, "NAME: " taken off.
# A line may start mid-way: GNU Mach prints "start NAME: " with no newline,
# so "start zero-fill: hello: 1..4" is hello's plan, not zero-fill's line.
user_stream() {
	tr -d '\r' <"$QEMU_LOG" |
		N="$1" perl -ne 'print "$1\n" if /(?:^|[^\w.-])(?<!start )\Q$ENV{N}\E: (.*)$/'
}

# user_judge NAME: 0 when the program passed; USER_WHY says why not.
user_judge() {
	local s plan oks
	s=$(user_stream "$1")
	USER_WHY=""
	plan=$(printf '%s\n' "$s" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p')
	if [ -z "$s" ]; then
		USER_WHY="no output"
	elif [ "$(printf '%s\n' "$plan" | grep -c .)" != 1 ]; then
		USER_WHY="no plan, or more than one"
	elif printf '%s\n' "$s" | grep -q '^not ok'; then
		USER_WHY="$(printf '%s\n' "$s" | grep -c '^not ok') not ok"
	else
		# The numbers of the ok lines must be exactly 1..plan.
		oks=$(printf '%s\n' "$s" | sed -n 's/^ok \([0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p' | sort -n | tr '\n' ' ')
		if [ "$oks" != "$(seq -s ' ' 1 "$plan") " ]; then
			USER_WHY="ran ${oks:-none}of a plan of $plan"
		elif ! printf '%s\n' "$s" | grep -qx '# done pass'; then
			USER_WHY="no '# done pass' line"
		fi
	fi
	[ -z "$USER_WHY" ]
}

# user_judge_dead NAME: 0 when the program started and did not finish.
user_judge_dead() {
	local s
	s=$(user_stream "$1")
	USER_WHY=""
	if ! printf '%s\n' "$s" | grep -q '^ok 1\( \|$\)'; then
		USER_WHY="it did not start (no ok 1)"
	elif printf '%s\n' "$s" | grep -q '^# done'; then
		USER_WHY="it ran to its end"
	fi
	[ -z "$USER_WHY" ]
}

# user_verdicts DESC: one TAP line per program; returns non-zero if any failed.
user_verdicts() {
	local desc=$1 name d bad=0 dying
	for name in "${user_names[@]}"; do
		dying=0
		for d in "${user_dying[@]}"; do [ "$d" = "$name" ] && dying=1; done
		if [ $dying = 1 ]; then
			if user_judge_dead "$name"; then tap_ok "$desc: $name dies"; else
				tap_not_ok "$desc: $name dies ($USER_WHY)"
				bad=1
			fi
		elif user_judge "$name"; then
			tap_ok "$desc: $name"
		else
			tap_not_ok "$desc: $name ($USER_WHY)"
			bad=1
		fi
	done
	return $bad
}

# user_show_guest: the programs' lines, as comments.
user_show_guest() {
	local name
	for name in "${user_names[@]}"; do
		user_stream "$name" | sed "s/^/#   $name: /"
	done
}

# user_log_patterns: every expect_log pattern matches and no reject_log
# pattern does; USER_WHY names the first that fails. Both lists are emptied.
user_log_patterns() {
	local p
	USER_WHY=""
	for p in "${user_expect_logs[@]}"; do
		tr -d '\r' <"$QEMU_LOG" | grep -qiE -- "$p" || { USER_WHY="no log line matches: $p"; break; }
	done
	for p in "${user_reject_logs[@]}"; do
		[ -z "$USER_WHY" ] || break
		tr -d '\r' <"$QEMU_LOG" | grep -qiE -- "$p" && USER_WHY="the log holds: $p"
	done
	user_expect_logs=() user_reject_logs=()
	[ -z "$USER_WHY" ]
}

user_test() {
	local desc=$1 timeout=$2 append=$3 want=33 why=""
	shift 3
	user_parse "$@"
	[ ${#user_dying[@]} = 0 ] || want=35
	local memory=(-m 256M)
	case " ${USER_QEMU[*]} " in *" -m "*) memory=() ;; esac
	qemu_boot "$timeout" "boot_exit=on${append:+ $append}" "${memory[@]}" "${USER_QEMU[@]}" \
		-initrd "$user_initrd"
	user_show_guest
	local bad=0
	user_verdicts "$desc" || bad=1
	if [ "$QEMU_STATUS" != "$want" ]; then
		case $QEMU_STATUS in
		124 | 137) why="timeout" ;;
		*) why="QEMU status $QEMU_STATUS, expected $want" ;;
		esac
	elif ! tr -d '\r' <"$QEMU_LOG" | grep -q 'vmach: all boot tasks ended'; then
		why="no 'vmach: all boot tasks ended' line"
	elif ! user_log_patterns; then
		why=$USER_WHY
	fi
	if [ -z "$why" ]; then tap_ok "$desc: the boot ends (status $want)"; else
		tap_not_ok "$desc: the boot ends ($why)"
		bad=1
	fi
	[ $bad = 0 ] || show_log "$desc" 120
	user_expect_logs=() user_reject_logs=() user_ramdisks=()
}

# user_all_done: every program printed its done line, or its "ok 1" if it is expected to die.
user_all_done() {
	local name d dying
	for name in "${user_names[@]}"; do
		dying=0
		for d in "${user_dying[@]}"; do [ "$d" = "$name" ] && dying=1; done
		if [ $dying = 1 ]; then
			user_stream "$name" | grep -q '^ok 1\( \|$\)' || return 1
		else
			user_stream "$name" | grep -q '^# done' || return 1
		fi
	done
}

gnumach_test() {
	local desc=$1 timeout=$2 append=$3
	shift 3
	user_parse "$@"
	local iso=$TEST_TMP/gnumach.$((tap_n + 1)).iso mods="" line
	for line in "${user_lines[@]}"; do
		mods+=${mods:+,}$(printf '%s' "$line" | sed 's/,/,,/g')
	done
	if ! "$TOP/scripts/mkiso" "$iso" "$GNUMACH" "$append" "$mods" 2>"$TEST_TMP/mkiso.err"; then
		tap_not_ok "$desc: ISO ($(head -n 1 "$TEST_TMP/mkiso.err"))"
		return
	fi
	QEMU_LOG=$TEST_TMP/serial.$((tap_n + 1)).log
	: >"$QEMU_LOG"
	local memory=(-m 512M)
	case " ${USER_QEMU[*]} " in *" -m "*) memory=() ;; esac
	timeout -k 5 "$timeout" "$QEMU" -M pc "${memory[@]}" "${USER_QEMU[@]}" -nodefaults \
		-display none -no-reboot -monitor none -serial "file:$QEMU_LOG" \
		-cdrom "$iso" -boot d </dev/null >"$TEST_TMP/qemu.out" 2>&1 &
	local pid=$! waited=0
	# Until every program is done; a program expected to die has a second more.
	while kill -0 "$pid" 2>/dev/null && ! user_all_done; do
		sleep 1
		waited=$((waited + 1))
	done
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	QEMU_STATUS=$?
	user_show_guest
	local bad=0
	user_verdicts "$desc" || bad=1
	if user_all_done; then tap_ok "$desc: every program ended within ${timeout}s"; else
		tap_not_ok "$desc: every program ended within ${timeout}s (timeout)"
		bad=1
	fi
	if ! user_log_patterns; then
		tap_not_ok "$desc: log ($USER_WHY)"
		bad=1
	fi
	[ $bad = 0 ] || show_log "$desc" 120
	user_expect_logs=() user_reject_logs=() user_ramdisks=()
}
