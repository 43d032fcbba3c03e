#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The hostile task (user/tests/ipc-hostile.c): 1,000,000 random mach_msg
# calls and traps (about 35 s under TCG), an echo server answering
# throughout, no leak of names or pages; and ipc-loops, the bugs it found.
# HOSTILE_COUNT and HOSTILE_SEED change the boot line's count and seed.
source "$(dirname "$0")/lib.sh"

user_test "ipc hostile task" 150 "" \
	"ipc-hostile ${HOSTILE_COUNT:-1000000} ${HOSTILE_SEED:-0x5eed1234} $USER_START"
user_test "ipc loops and a polymorphic integer" 60 "" \
	"ipc-loops $USER_START"
qemu_done
