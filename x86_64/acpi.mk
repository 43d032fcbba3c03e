# SPDX-License-Identifier: GPL-2.0-or-later
# ACPI: the portable table parser and the kernel's poweroff/reboot glue.
KERNEL_SRCS += x86_64/acpi.c x86_64/acpi_power.c
