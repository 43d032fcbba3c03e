# SPDX-License-Identifier: GPL-2.0-or-later
# Host tests of the ACPI table parser (x86_64/acpi.c) over built fixtures.
HOST_TESTS += test_acpi
test_acpi_SRCS := tests/host/test_acpi.c tests/host/fixtures/acpi/acpi_fx.c \
	x86_64/acpi.c kern/printf.c
