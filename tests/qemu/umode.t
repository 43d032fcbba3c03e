#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The x86_64 side of threads and user mode: machine_switch and per-thread
# FPU state (FXSAVE on core2duo-v1 as in the conformance runs, XSAVE on
# -cpu max), thread state flavours, copyin/copyout/copyinstr against bad
# ranges, and a first round trip through user mode (syscall, traps,
# timer interrupts from user mode, faults that do not bring the kernel down).
source "$(dirname "$0")/lib.sh"

qemu_test "machine_switch ping-pong, registers preserved" 30 "test=switch_pingpong"
qemu_test "FPU state per thread with FXSAVE (core2duo-v1)" 30 "test=switch_fpu" -cpu core2duo-v1
qemu_test "FPU state per thread with XSAVE (-cpu max)" 30 "test=switch_fpu" -cpu max
qemu_test "user mode: syscall, faults, interrupts from user mode" 30 "test=user_mode"
qemu_test "user mode under core2duo-v1 (no XSAVE)" 30 "test=user_mode" -cpu core2duo-v1
qemu_test "copyin, copyout, copyinstr: bad ranges fail, no panic" 30 "test=user_copy"
qemu_test "thread state of a new user thread; copy_user" 30 "test=thread_state"
qemu_test "a fault resolved inside copyin: the copy goes on" 30 "test=user_copy_retry"
qemu_test "null trap round trip under icount (cost in the log)" 60 "test=user_trap_cost" -icount shift=0,align=off,sleep=off
qemu_done
