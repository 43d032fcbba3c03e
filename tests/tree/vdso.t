#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The vDSO image (build/vdso/vdso.so, user/vdso.mk; docs/vdso.md) as
# readelf sees it: a shared object with one read+execute PT_LOAD and no
# writable segment, no relocation of any kind, no undefined or needed
# symbol, every entry point exported under VMACH_1.0, small enough for
# VDSO_SIZE_MAX, and the one the kernel embeds.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SO=${VDSO_SO:-$TOP/build/vdso/vdso.so}
n=0
failed=0
check() { # check STATUS description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
if [ ! -f "$SO" ]; then
	echo "1..1"
	echo "not ok 1 - $SO is built (make build/vdso/vdso.so)"
	exit 1
fi
hdr=$(readelf -hW "$SO")
ph=$(readelf -lW "$SO")
dyn=$(readelf -dW "$SO")
syms=$(readelf --dyn-syms -W "$SO")
vers=$(readelf -VW "$SO")
rel=$(readelf -rW "$SO")

echo "$hdr" | grep -q 'Type:.*DYN' && echo "$hdr" | grep -q 'Machine:.*X86-64'
check $? "an x86-64 shared object (ET_DYN)"
loads=$(echo "$ph" | awk '$1 == "LOAD"')
[ "$(echo "$loads" | wc -l)" = 1 ] && echo "$loads" | awk '{ exit !($7 == "R" && $8 == "E") }'
check $? "one PT_LOAD, read and execute: $(echo "$loads" | awk '{print $7 $8}')"
! echo "$ph" | awk '$1 ~ /^(LOAD|GNU_RELRO|TLS|INTERP)$/' | grep -q 'RW\|TLS\|INTERP'
check $? "no writable, TLS or interpreter segment"
echo "$rel" | grep -q 'There are no relocations in this file' &&
	! echo "$dyn" | grep -qE '\((RELA?|RELA?SZ|JMPREL|TEXTREL|NEEDED|PLTGOT)\)'
check $? "no relocations, no needed library, no PLT or GOT"
! echo "$syms" | awk 'NR > 3 && $7 == "UND" && $8 != ""' | grep -q .
check $? "no undefined symbol"
for s in __vdso_clock_gettime __vdso_gettimeofday __vdso_time __vdso_getcpu \
	clock_gettime gettimeofday time getcpu; do
	echo "$syms" | grep -qE " FUNC .* $s@@VMACH_1\.0\$"
	check $? "exports $s@@VMACH_1.0"
done
echo "$vers" | grep -q 'Name: VMACH_1.0'
check $? "defines version VMACH_1.0"
[ "$(stat -c %s "$SO")" -le 8192 ]
check $? "at most VDSO_SIZE_MAX (8 KiB): $(stat -c %s "$SO") bytes"
vmach=$TOP/build/vmach
if [ -f "$vmach" ]; then
	start=$(nm "$vmach" | awk '$3 == "vdso_image_start" { print $1 }')
	end=$(nm "$vmach" | awk '$3 == "vdso_image_end" { print $1 }')
	[ -n "$start" ] && [ $((0x$end - 0x$start)) = "$(stat -c %s "$SO")" ]
	check $? "build/vmach embeds an image of that size"
fi
echo "1..$n"
exit $failed
