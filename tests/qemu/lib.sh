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
	local machine=() memory=()
	case " $* " in *" -M "* | *" -machine "*) ;; *) machine=(-M pc) ;; esac
	case " $* " in *" -m "*) ;; *) memory=(-m 128M) ;; esac
	QEMU_LOG=$TEST_TMP/serial.$((tap_n + 1)).log
	timeout --foreground -k 5 "$timeout" "$QEMU" "${machine[@]}" "${memory[@]}" \
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
