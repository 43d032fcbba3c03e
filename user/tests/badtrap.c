// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A trap number outside GNU Mach's table (0x123456) is a bad instruction:
 * with no exception port the task dies (MACH-ABI.md), and vmach logs it.
 * It starts its plan and must never finish it.
 */
#include <tap.h>

int
main(void)
{
	long ret;

	tap_plan(2);
	tap_ok(1, "about to trap with number 0x123456");
	__asm__ volatile("syscall" : "=a"(ret) : "a"(0x123456L) : "rcx", "r11", "memory");
	tap_ok(0, "the trap returned %ld: should have died", ret);
	return tap_done();
}
