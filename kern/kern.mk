# SPDX-License-Identifier: GPL-2.0-or-later
# kern/: start-up, log and panic, locks, pages and heap, interrupts' vector
# table, clock, console multiplexer, command line, symbols for backtraces,
# waiting for events, ELF boot modules and the boot-script language.
KERNEL_SRCS += kern/main.c kern/boot_info.c kern/cmdline.c kern/console.c \
	kern/cpu.c kern/clock.c kern/initcall.c kern/irq.c kern/ksyms.c kern/log.c \
	kern/mem_init.c kern/panic.c kern/printf.c kern/string.c kern/page_alloc.c \
	kern/kmalloc.c kern/spinlock.c kern/wait.c kern/elf_load.c kern/boot_script.c \
	kern/boot_script_parse.c
