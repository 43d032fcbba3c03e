#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Emits an assembly file holding the kernel's text symbols, sorted by
# address, for kern/ksyms.c. Argument: the ELF to read (/dev/null: empty).
set -e
elf=$1
echo '	.section .ksyms, "a"'
echo '	.balign 8'
echo '	.global ksyms_table, ksyms_count'
echo 'ksyms_table:'
if [ "$elf" != /dev/null ]; then
	nm -n "$elf" | awk '$2 ~ /^[tT]$/ { printf "\t.quad 0x%s, ksym_%d\n", $1, n++ } END { }' 
fi
echo '	.quad 0, 0'
echo 'ksyms_count:'
if [ "$elf" != /dev/null ]; then
	n=$(nm -n "$elf" | awk '$2 ~ /^[tT]$/' | wc -l)
else
	n=0
fi
echo "	.quad $n"
echo '	.section .ksyms, "a"'
if [ "$elf" != /dev/null ]; then
	nm -n "$elf" | awk '$2 ~ /^[tT]$/ { printf "ksym_%d: .asciz \"%s\"\n", n++, $3 }'
fi
