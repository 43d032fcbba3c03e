#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes compile_commands.json for the kernel sources (clangd, clang-tidy).
# Usage: compile-commands.sh CC "CFLAGS" FILES...
cc=$1
flags=$2
shift 2
top=$(pwd)
echo "["
sep=""
for f in "$@"; do
	case "$f" in *.c) ;; *) continue ;; esac
	printf '%s  {"directory": "%s", "file": "%s", "command": "%s %s -c %s"}' \
		"$sep" "$top" "$f" "$cc" "$(echo "$flags" | sed 's/"/\\"/g')" "$f"
	sep=",
"
done
echo
echo "]"
