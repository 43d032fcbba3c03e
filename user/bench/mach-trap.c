// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mach bench family's user-mode trap figures (bench/mach,
 * docs/bench.md): the invalid-trap round trip (syscall with rax = -31,
 * which answers KERN_INVALID_ARGUMENT) and swtch_pri(0) with nothing else
 * runnable (it answers FALSE). Each is the cycle counter over N calls in a
 * loop, less the same loop without the syscall, best of three runs (a timer
 * tick may land in one). Prints, besides its TAP:
 *
 *   mach-trap: # bench mach.user.trap ops=N cycles=C loop_cycles=E
 *
 * bench/mach converts cycles with the kernel's "clock: TSC ... MHz" line.
 * Usage: mach-trap [N] (default 20000; swtch_pri runs N / 4 times). Run it
 * as the only task: swtch_pri gives the CPU to any other runnable thread.
 */
#include <stdint.h>
#include <tap.h>
#include "bench-args.h"

#define OPS_DEFAULT 20000
#define TRAP_INVALID (-31)
#define TRAP_SWTCH_PRI (-59)

/*
 * mt_loop(n, number, &answer): n syscalls with rax = number and rdi = 0;
 * returns the cycles, stores the last answer. mt_empty: the same
 * instructions without the syscall. rbx and r12-r14 are the callee-saved
 * registers the kernel keeps across a syscall; rcx and r11 it does not.
 */
uint64_t mt_loop(uint64_t n, int64_t number, uint64_t *answer);
uint64_t mt_empty(uint64_t n, int64_t number, uint64_t *answer);
#define MT_LOOP(name, insn)                                                                        \
	".text\n"                                                                                  \
	".globl " name "\n" name ":\n"                                                             \
	"	push %rbx\n"                                                                             \
	"	push %r12\n"                                                                             \
	"	push %r13\n"                                                                             \
	"	push %r14\n"                                                                             \
	"	mov %rdi, %r12\n"                                                                        \
	"	mov %rsi, %r13\n"                                                                        \
	"	mov %rdx, %rbx\n"                                                                        \
	"	rdtsc\n"                                                                                 \
	"	shl $32, %rdx\n"                                                                         \
	"	or %rdx, %rax\n"                                                                         \
	"	mov %rax, %r14\n"                                                                        \
	"1:	mov %r13, %rax\n"                                                                      \
	"	xor %edi, %edi\n"                                                                        \
	"	" insn "\n"                                                                        \
	"	dec %r12\n"                                                                              \
	"	jnz 1b\n"                                                                                \
	"	mov %rax, (%rbx)\n"                                                                      \
	"	rdtsc\n"                                                                                 \
	"	shl $32, %rdx\n"                                                                         \
	"	or %rdx, %rax\n"                                                                         \
	"	sub %r14, %rax\n"                                                                        \
	"	pop %r14\n"                                                                              \
	"	pop %r13\n"                                                                              \
	"	pop %r12\n"                                                                              \
	"	pop %rbx\n"                                                                              \
	"	ret\n"
__asm__(MT_LOOP("mt_loop", "syscall") MT_LOOP("mt_empty", ""));

static void
figure(const char *name, int64_t number, uint64_t ops, uint64_t want)
{
	uint64_t with = UINT64_MAX, without = UINT64_MAX, answer = ~want, a;
	int ok = 1;

	mt_loop(16, number, &a); /* warm-up */
	for (int i = 0; i < 3; i++) {
		uint64_t c = mt_loop(ops, number, &answer);
		ok &= answer == want;
		with = c < with ? c : with;
		c = mt_empty(ops, number, &a);
		without = c < without ? c : without;
	}
	if (tap_ok(ok && with > without, "%s: %lu calls answered %lu (want %lu)", name,
	           (unsigned long)ops, (unsigned long)answer, (unsigned long)want))
		tap_diag("bench mach.user.%s ops=%lu cycles=%lu loop_cycles=%lu", name,
		         (unsigned long)ops, (unsigned long)(with - without),
		         (unsigned long)without);
}

int
main(int argc, char **argv)
{
	uint64_t ops = argc > 1 ? decimal(argv[1]) : OPS_DEFAULT;

	if (!ops)
		ops = OPS_DEFAULT;
	tap_plan(2);
	figure("trap", TRAP_INVALID, ops, 4 /* KERN_INVALID_ARGUMENT */);
	figure("swtch_pri", TRAP_SWTCH_PRI, ops / 4 ? ops / 4 : 1, 0 /* FALSE: no one else */);
	return tap_done();
}
