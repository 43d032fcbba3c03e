// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A write to the program's own read-only memory must kill it: `ro-write
 * rodata` writes into .rodata, `ro-write text` into .text. The program
 * announces the address, writes, and reports a failure if it is still
 * alive; the harness expects the kernel's log line and no "done" from it
 * (tests/qemu/user.t).
 */
#include <stdint.h>
#include <string.h>
#include <tap.h>

const uint64_t ro_target = 0x0123456789abcdef;

__attribute__((noinline)) int
ro_target_fn(void)
{
	return 7;
}

int
main(int argc, char **argv)
{
	int text = argc >= 2 && strcmp(argv[1], "text") == 0;
	volatile uint8_t *p = text ? (volatile uint8_t *)(uintptr_t)ro_target_fn
	                           : (volatile uint8_t *)(uintptr_t)&ro_target;

	tap_plan(2);
	tap_ok(1, "writing to %s at %p", text ? "text" : "rodata", (void *)p);
	*p = 0xcc;
	tap_ok(0, "the write to read-only %s killed the task", text ? "text" : "rodata");
	return tap_done();
}
