#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The LAPIC timer's ticks agree with the TSC clock, on both machine types.
source "$(dirname "$0")/lib.sh"

qemu_test "timer ticks agree with the TSC (pc)" 30 "test=timer" -M pc
qemu_test "timer ticks agree with the TSC (q35)" 30 "test=timer" -M q35
qemu_test "idle accounting ends at the interrupt that wakes the CPU" 30 "test=idle"
qemu_done
