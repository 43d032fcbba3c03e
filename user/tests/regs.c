// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a boot task starts with (MACH-ABI.md): all registers zero, rflags
 * 0x202, rsp 16-byte aligned in the top 128 KiB of the user half, pointing
 * at argc, the argv pointers, NULL, the envp pointers (none), NULL, then
 * the strings. The boot line describes itself so that argv can be checked
 * against it: `regs N arg2 arg3 ...` with N = argc (argv[0] included) and
 * argv[i] = "argI" for i >= 2, e.g. `regs 4 arg2 arg3` (the script's
 * '$(task-create)' and '$(task-resume)' add no words).
 */
#include <start.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>

#define USER_TOP 0x800000000000ul

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A small decimal number, or -1. */
static long
decimal(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* The registers crt0 saw, but rsp: all zero? */
static int
regs_zero(void)
{
	const uint64_t *r = &crt0_start_state.rax;
	static const char *names[16] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	                                "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
	int ok = 1;

	for (int i = 0; i < 16; i++)
		if (i != 7 && r[i]) {
			tap_diag("%s = %#lx", names[i], (unsigned long)r[i]);
			ok = 0;
		}
	return ok;
}

/* argv[i] for i >= 2 must read "argI". */
static int
args_match(int argc, char **argv)
{
	char want[16];

	for (int i = 2; i < argc; i++) {
		snprintf(want, sizeof(want), "arg%d", i);
		if (!argv[i] || strcmp(argv[i], want)) {
			tap_diag("argv[%d] = \"%s\", expected \"%s\"", i,
			         argv[i] ? argv[i] : "(null)", want);
			return 0;
		}
	}
	return 1;
}

/* Every string lies above the pointer arrays and below the top of the user half. */
static int
strings_placed(int argc, char **argv, char **envp_end)
{
	for (int i = 0; i < argc; i++) {
		uintptr_t s = (uintptr_t)argv[i];
		if (s <= (uintptr_t)envp_end || s + strlen(argv[i]) >= USER_TOP) {
			tap_diag("argv[%d] at %#lx, pointers end at %p", i, (unsigned long)s,
			         (void *)envp_end);
			return 0;
		}
	}
	return 1;
}

int
main(int argc, char **argv, char **envp)
{
	uint64_t sp = crt0_start_state.rsp;
	const uint64_t *stack = (const uint64_t *)sp;

	tap_plan(12);
	tap_is_int(sp & 15, 0, "rsp is 16-byte aligned at entry (%#lx)", (unsigned long)sp);
	tap_ok(sp < USER_TOP && sp >= USER_TOP - 128 * 1024,
	       "rsp is in the top 128 KiB of the user half");
	tap_ok(regs_zero(), "all general registers but rsp are zero at entry");
	tap_is_int(crt0_start_state.rflags, 0x202, "rflags is 0x202 at entry");
	tap_is_int((long)stack[0], argc, "argc is the first word of the stack");
	tap_is_int(argc, argc >= 2 ? decimal(argv[1]) : -1, "argc is what the boot line says");
	tap_ok(argv[argc] == NULL, "argv[argc] is NULL");
	int nenv = 0;
	while (envp[nenv])
		nenv++;
	tap_is_int(nenv, 0, "no environment strings");
	tap_ok(args_match(argc, argv), "argv[2..] are the boot line's words");
	tap_is(argc >= 1 ? base_name(argv[0]) : NULL, "regs", "argv[0] names the program");
	tap_ok(strings_placed(argc, argv, envp + nenv),
	       "the strings lie above the pointers, below the top");

	/* 96 KiB of the stack below the start: a 128 KiB stack has them. */
	volatile char deep[96 * 1024];
	for (unsigned i = 0; i < sizeof(deep); i += 4096)
		deep[i] = (char)i;
	int kept = 1;
	for (unsigned i = 0; i < sizeof(deep); i += 4096)
		kept &= deep[i] == (char)i;
	tap_ok(kept, "96 KiB of stack below the start are usable");
	return tap_done();
}
