# SPDX-License-Identifier: GPL-2.0-or-later
# x86_64/: the machine, reached by the rest of the kernel through machine.h.
KERNEL_SRCS += x86_64/boot.S x86_64/trap_entry.S x86_64/machine.c x86_64/gdt.c \
	x86_64/trap.c x86_64/paging.c x86_64/serial.c x86_64/apic.c x86_64/tsc.c x86_64/tsc_cpuid.c x86_64/rtc.c \
	x86_64/pci_cfg.c x86_64/acpi.c x86_64/acpi_power.c x86_64/pmap.c \
	x86_64/fpu.c x86_64/thread.c x86_64/thread_state.c x86_64/switch.S \
	x86_64/syscall_entry.S x86_64/user_copy_asm.S x86_64/user_copy.c \
	x86_64/first_user.c x86_64/hpet.c
