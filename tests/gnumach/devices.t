#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle for the device interface: the device test programs on GNU
# Mach 2025, as tests/qemu/devices.t boots them on vmach. make
# check-gnumach runs this; make check does not.
source "$(dirname "$0")/../qemu/lib.sh"

gnumach_test "gnumach: time, no random" 60 "console=com0" \
	"dev-time '\${device-port}' '\${host-port}' $USER_START" \
	"dev-random '\${device-port}' none $USER_START"
qemu_done
