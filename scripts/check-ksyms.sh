#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The symbol table is generated from the first link and must describe the
# final one: text addresses must not move between the two passes.
set -e
a=$(nm -n "$1" | awk '$2 ~ /^[tT]$/' | md5sum)
b=$(nm -n "$2" | awk '$2 ~ /^[tT]$/' | md5sum)
if [ "$a" != "$b" ]; then
	echo "check-ksyms: text symbols moved between link passes" >&2
	exit 1
fi
