# SPDX-License-Identifier: GPL-2.0-or-later
KERNEL_SRCS += x86_64/boot.S x86_64/trap_entry.S x86_64/gdt.c x86_64/trap.c \
	x86_64/paging.c x86_64/serial.c x86_64/apic.c x86_64/clock.c
