# SPDX-License-Identifier: GPL-2.0-or-later
HOST_TESTS += test_printf test_cmdline test_parse_u64
test_printf_SRCS := tests/host/test_printf.c kern/printf.c
test_cmdline_SRCS := tests/host/test_cmdline.c kern/cmdline.c
test_parse_u64_SRCS := tests/host/test_parse_u64.c tests/host/kern_string_host.c
