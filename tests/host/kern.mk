# SPDX-License-Identifier: GPL-2.0-or-later
HOST_TESTS += test_printf test_cmdline test_parse_u64 test_console_input
test_printf_SRCS := tests/host/test_printf.c kern/printf.c
test_cmdline_SRCS := tests/host/test_cmdline.c kern/cmdline.c tests/host/kern_string_host.c
test_parse_u64_SRCS := tests/host/test_parse_u64.c tests/host/kern_string_host.c
test_console_input_SRCS := tests/host/test_console_input.c kern/console.c kern/printf.c
# kern/console.c reaches GNU Mach's headers (kern/wait.h: <mach/kern_return.h>).
$(BUILD)/host/test_console_input: HOSTCFLAGS += -isystem $(SYSROOT)/include
$(BUILD)/host/test_console_input: | $(SYSROOT)/.complete
