// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trap table's edges and the registers a trap keeps. An unused number
 * inside the table (-31, -100) returns KERN_INVALID_ARGUMENT (MACH-ABI.md);
 * rbx, rbp and r12-r15 survive a trap, valid or not.
 */
#include <mach/kern_return.h>
#include <stdint.h>
#include <mach/thread_switch.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

/* A trap by number, with no arguments. */
static long
raw_trap(long number)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(number) : "rcx", "r11", "memory");
	return ret;
}

/*
 * Sets rbx, rbp and r12-r15 to known values, traps, and stores what they
 * hold afterwards in out[0..5]. rbp cannot be named as an asm operand, so
 * it is saved and restored by hand. The pushes first step over the red
 * zone, where gcc may keep this leaf function's locals.
 */
static long
trap_keeping(long number, uint64_t out[6])
{
	long ret;

	__asm__ volatile("subq $128, %%rsp\n\t"
	                 "pushq %%rbp\n\t"
	                 "pushq %%rbx\n\t"
	                 "pushq %%r12\n\t"
	                 "pushq %%r13\n\t"
	                 "pushq %%r14\n\t"
	                 "pushq %%r15\n\t"
	                 "pushq %%rdi\n\t"
	                 "movabsq $0x1111111111111111, %%rbx\n\t"
	                 "movabsq $0x2222222222222222, %%rbp\n\t"
	                 "movabsq $0x3333333333333333, %%r12\n\t"
	                 "movabsq $0x4444444444444444, %%r13\n\t"
	                 "movabsq $0x5555555555555555, %%r14\n\t"
	                 "movabsq $0x6666666666666666, %%r15\n\t"
	                 "syscall\n\t"
	                 "popq %%rdi\n\t"
	                 "movq %%rbx, 0(%%rdi)\n\t"
	                 "movq %%rbp, 8(%%rdi)\n\t"
	                 "movq %%r12, 16(%%rdi)\n\t"
	                 "movq %%r13, 24(%%rdi)\n\t"
	                 "movq %%r14, 32(%%rdi)\n\t"
	                 "movq %%r15, 40(%%rdi)\n\t"
	                 "popq %%r15\n\t"
	                 "popq %%r14\n\t"
	                 "popq %%r13\n\t"
	                 "popq %%r12\n\t"
	                 "popq %%rbx\n\t"
	                 "popq %%rbp\n\t"
	                 "addq $128, %%rsp"
	                 : "=a"(ret)
	                 : "a"(number), "D"(out)
	                 : "rcx", "r11", "memory");
	return ret;
}

static int
kept(const uint64_t out[6])
{
	static const uint64_t want[6] = {0x1111111111111111, 0x2222222222222222,
	                                 0x3333333333333333, 0x4444444444444444,
	                                 0x5555555555555555, 0x6666666666666666};
	int ok = 1;

	for (int i = 0; i < 6; i++)
		if (out[i] != want[i]) {
			tap_diag("register %d: %#lx, expected %#lx", i, (unsigned long)out[i],
			         (unsigned long)want[i]);
			ok = 0;
		}
	return ok;
}

/*
 * syscall leaves the return address in rcx, and the kernel returns it
 * there: true when rcx holds the address after the syscall instruction.
 */
static int
rcx_is_return_address(long number)
{
	unsigned long rcx, want;
	long trap = number;

	__asm__ volatile("lea 1f(%%rip), %%r12\n\t"
	                 "syscall\n"
	                 "1:\n\t"
	                 "mov %%r12, %1"
	                 : "=c"(rcx), "=r"(want), "+a"(number)
	                 :
	                 : "r11", "r12", "memory");
	if (rcx != want)
		tap_diag("trap %ld: rcx %#lx, return address %#lx", trap, rcx, want);
	return rcx == want;
}

int
main(int argc, char **argv)
{
	uint64_t out[6];

	tap_plan(12);
	tap_is_int(raw_trap(-31), KERN_INVALID_ARGUMENT, "unused trap -31: KERN_INVALID_ARGUMENT");
	tap_is_int(raw_trap(-100), KERN_INVALID_ARGUMENT,
	           "unused trap -100: KERN_INVALID_ARGUMENT");

	tap_is_int(trap_keeping(-31, out), KERN_INVALID_ARGUMENT, "unused trap -31 again");
	tap_ok(kept(out), "rbx, rbp, r12-r15 survive an unused trap");
	/* swtch (-60) is a real trap that may switch to another task and back. */
	trap_keeping(-60, out);
	tap_ok(kept(out), "rbx, rbp, r12-r15 survive swtch");
	boolean_t b = swtch_pri(0);
	tap_ok(b == 0 || b == 1, "swtch_pri returns a boolean (%d)", b);
	tap_is_int(thread_switch(MACH_PORT_NULL, 99, 0), KERN_INVALID_ARGUMENT,
	           "thread_switch with an unknown option: KERN_INVALID_ARGUMENT");
	tap_is_int(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0), KERN_SUCCESS,
	           "thread_switch, no option, no hint: KERN_SUCCESS");
	tap_is_int(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_DEPRESS, 1), KERN_SUCCESS,
	           "thread_switch depressing for 1 ms: KERN_SUCCESS");
	tap_is_int(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1), KERN_SUCCESS,
	           "thread_switch waiting 1 ms: KERN_SUCCESS");
	/*
	 * vmach returns rip in rcx, as the syscall instruction leaves it; GNU
	 * Mach guarantees only rbx, rbp, r12-r15 and leaves a kernel value in
	 * rcx after a trap that switched (tests/gnumach/user.t passes "gnumach").
	 */
	if (argc > 1 && !strcmp(argv[1], "gnumach")) {
		tap_ok(1, "# skip rcx after a trap: not kept by GNU Mach");
		tap_ok(1, "# skip rcx after a trap: not kept by GNU Mach");
	} else {
		tap_ok(rcx_is_return_address(-31),
		       "after an unused trap rcx holds the return address");
		tap_ok(rcx_is_return_address(-60), "after swtch rcx holds the return address");
	}
	return tap_done();
}
