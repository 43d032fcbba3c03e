# SPDX-License-Identifier: GPL-2.0-or-later
# kern/: start-up, log and panic, locks, pages and heap, interrupts' vector
# table, clock, console multiplexer, command line, symbols for backtraces,
# waiting for events; threads, the scheduler, tasks, traps, boot modules
# (ELF loader, boot scripts, bootstrap). Every .c file here is kernel code.
KERNEL_SRCS += $(sort $(wildcard kern/*.c))
