#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The mapped `time` device from a user task (user/tests/dev-time.c): the
# same program tests/gnumach/devices.t passes on GNU Mach 2025.
source "$(dirname "$0")/lib.sh"

user_test "the time device" 60 "" \
	"dev-time '\${device-port}' '\${host-port}' $USER_START"
qemu_done
