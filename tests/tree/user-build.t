#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The user programs as built (make user, which make check runs first): the
# trap stubs carry exactly the numbers of <mach/syscall_sw.h>, and every
# program is a static ET_EXEC whose PT_LOAD segments are page-aligned, with
# text r-x, rodata r--, data rw-, and none writable and executable.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
n=0
failed=0
check() { # check STATUS description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
U=$TOP/build/user

# The header's table (name number), and the stubs' (from the preprocessed
# source: "name: movq $ NUMBER, %rax"), outside #if UNIXOID_TRAPS.
want=$(sed -n '/#if[[:space:]]*UNIXOID_TRAPS/,/#endif/d; s/^kernel_trap(\([a-z_]*\),\(-[0-9]*\),[0-9]*).*/\1 \2/p' \
	"$TOP/build/sysroot/include/mach/syscall_sw.h" | sort)
got=$(sed -n 's/.* \([a-z_]*\): movq \$ *\(-[0-9]*\), %rax;.*/\1 \2/p' "$U/traps.s" | sort)
[ -n "$want" ] && [ "$want" = "$got" ]
check $? "build/user/traps.s has a stub for each trap of <mach/syscall_sw.h>, with its number"
[ $failed = 0 ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /' >&2

# Each stub is movq, movq %rcx->%r10, syscall, ret: nothing pushed, so a
# 7th argument stays at [rsp+8] for the kernel. mach_msg (the trap with
# glibc's retries, also in user/traps.S) is checked apart below.
bad=$(objdump -d --no-show-raw-insn "$U/traps.o" | awk '
	/^[0-9a-f]+ <mach_msg>:$/ { if (name != "" && seq != want) print name; name = ""; skip = 1; next }
	/^[0-9a-f]+ <.*>:$/ { if (name != "" && seq != want) print name; name = $2; seq = ""; skip = 0; next }
	skip { next }
	/^ +[0-9a-f]+:/ { sub(/^ +[0-9a-f]+:[ \t]+/, ""); split($0, w, /[ \t]+/); seq = seq w[1] " " }
	END { if (name != "" && seq != want) print name }' want="mov mov syscall ret ")
[ -z "$bad" ]
check $? "every stub is mov, mov %rcx to %r10, syscall, ret${bad:+ (not: $bad)}"

# mach_msg traps with the stack as its caller left it: up to its first
# syscall, only moves (the arguments to the red zone, the number, rcx to r10).
first=$(objdump -d --no-show-raw-insn "$U/traps.o" | awk '
	/^[0-9a-f]+ <mach_msg>:$/ { on = 1; next }
	/^[0-9a-f]+ <.*>:$/ { on = 0 }
	on && /^ +[0-9a-f]+:/ { sub(/^ +[0-9a-f]+:[ \t]+/, ""); split($0, w, /[ \t]+/); printf "%s ", w[1]; if (w[1] == "syscall") exit }')
case "$first" in
*syscall*) echo "$first" | sed 's/ syscall.*//' | tr ' ' '\n' | grep -qv '^mov$'; [ $? = 1 ] ;;
*) false ;;
esac
check $? "mach_msg moves its arguments and traps, nothing pushed before its syscall (${first% })"

for p in "$U"/*; do
	[ -f "$p" ] && [ -x "$p" ] || continue
	name=$(basename "$p")
	why=""
	readelf -hW "$p" | grep -q 'Type:[[:space:]]*EXEC' || why="not ET_EXEC"
	# Each LOAD line: offset, address, then the flags (R, R E, RW...), then the alignment.
	segs=$(readelf -lW "$p" | awk '$1 == "LOAD" { f = ""; for (i = 7; i < NF; i++) f = f $i; print $2, $3, f }')
	[ -n "$segs" ] || why="no PT_LOAD"
	while read -r off vaddr flags; do
		[ $((off % 4096)) = 0 ] && [ $((vaddr % 4096)) = 0 ] || why="segment at $vaddr not page-aligned"
		case $flags in *W*E*) why="segment at $vaddr is writable and executable" ;; esac
	done <<<"$segs"
	flagset=$(echo "$segs" | awk '{ printf "%s ", $3 }')
	[ "$flagset" = "RE R RW " ] || why="${why:-segments $flagset, expected RE R RW}"
	readelf -lW "$p" | grep -q INTERP && why="has an interpreter"
	check "$([ -z "$why" ] && echo 0 || echo 1)" "build/user/$name: static ET_EXEC, page-aligned r-x, r--, rw- segments${why:+ ($why)}"
done
echo "1..$n"
exit $failed
