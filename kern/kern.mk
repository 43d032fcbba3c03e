# SPDX-License-Identifier: GPL-2.0-or-later
KERNEL_SRCS += kern/main.c kern/boot_info.c kern/cmdline.c kern/console.c kern/cpu.c \
	kern/initcall.c kern/irq.c kern/ksyms.c kern/ktest.c kern/log.c kern/mem_init.c \
	kern/monitor.c kern/monitor_cmds.c kern/panic.c kern/printf.c kern/string.c
