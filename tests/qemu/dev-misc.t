#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The small devices of the device interface from user tasks: the mapped
# `time` page (user/tests/dev-time.c, which GNU Mach 2025 passes too:
# tests/gnumach/devices.t) and `random` over virtio-rng
# (user/tests/dev-random.c), then `random` absent without virtio-rng.
source "$(dirname "$0")/lib.sh"

USER_QEMU=(-device virtio-rng-pci)
user_test "time and random" 60 "" \
	"dev-time '\${device-port}' '\${host-port}' $USER_START" \
	"dev-random '\${device-port}' $USER_START"
USER_QEMU=()
user_test "no random without virtio-rng" 60 "" \
	"dev-random '\${device-port}' none $USER_START"
qemu_done
