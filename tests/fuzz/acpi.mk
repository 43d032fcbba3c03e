# SPDX-License-Identifier: GPL-2.0-or-later
FUZZ_TARGETS += fuzz_acpi
fuzz_acpi_SRCS := tests/fuzz/fuzz_acpi.c x86_64/acpi.c kern/printf.c
