// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mach bench family's user-to-user switch (bench/mach, docs/bench.md):
 * built twice, as mach-ping and mach-pong, and booted as two tasks (and
 * nothing else). Each calls swtch() (-60) N times in a loop: with the other
 * task runnable at the same priority, every call yields to it, so each of
 * this task's iterations spans two switches between user threads of
 * different address spaces (trap, scheduler, pmap and FPU switch, return)
 * and both loops' own instructions. The figure per switch is
 * (C - 2 E) / 2N, C the cycles over the N calls, E the same loop without
 * the syscall (measured first, on a short run, best of three, so that no
 * switch lands in it). Without IPC a task cannot have a second thread:
 * this is the user thread switch that can be measured now.
 *
 *   mach-ping: # bench mach.user.yield ops=2N cycles=C-2E loop_cycles=2E
 *
 * (mach-pong's line says yield_pong: its span also holds mach-ping's last
 * lines, printed while it makes its last call; the figure is mach-ping's.)
 *
 * swtch answers whether another thread could run: at least N - 2 of the
 * N answers must be TRUE (the other task ends a call or two apart).
 * Usage: mach-ping [N] (default 5000), the same for mach-pong.
 */
#include <stdint.h>
#include <string.h>
#include <tap.h>
#include "bench-args.h"

#define OPS_DEFAULT 5000
#define EMPTY_OPS 1000
#define WARMUP 16

/* my_loop(n, do_syscall): n x (swtch or nothing); returns cycles, *trues the TRUE answers. */
uint64_t my_swtch(uint64_t n, uint64_t *trues);
uint64_t my_empty(uint64_t n, uint64_t *trues);
#define MY_LOOP(name, insn)                                                                        \
	".text\n"                                                                                  \
	".globl " name "\n" name ":\n"                                                             \
	"	push %rbx\n"                                                                             \
	"	push %r12\n"                                                                             \
	"	push %r13\n"                                                                             \
	"	push %r14\n"                                                                             \
	"	mov %rdi, %r12\n"                                                                        \
	"	mov %rsi, %rbx\n"                                                                        \
	"	xor %r13d, %r13d\n"                                                                      \
	"	rdtsc\n"                                                                                 \
	"	shl $32, %rdx\n"                                                                         \
	"	or %rdx, %rax\n"                                                                         \
	"	mov %rax, %r14\n"                                                                        \
	"1:	mov $-60, %rax\n"                                                                      \
	"	" insn "\n"                                                                        \
	"	add %rax, %r13\n"                                                                        \
	"	dec %r12\n"                                                                              \
	"	jnz 1b\n"                                                                                \
	"	mov %r13, (%rbx)\n"                                                                      \
	"	rdtsc\n"                                                                                 \
	"	shl $32, %rdx\n"                                                                         \
	"	or %rdx, %rax\n"                                                                         \
	"	sub %r14, %rax\n"                                                                        \
	"	pop %r14\n"                                                                              \
	"	pop %r13\n"                                                                              \
	"	pop %r12\n"                                                                              \
	"	pop %rbx\n"                                                                              \
	"	ret\n"
__asm__(MY_LOOP("my_swtch", "syscall") MY_LOOP("my_empty", "mov $0, %eax"));

extern const char user_prog_name[]; /* user/libc/progname.c */

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? decimal(argv[1]) : OPS_DEFAULT;
	uint64_t empty = UINT64_MAX, trues, c;

	if (!n)
		n = OPS_DEFAULT;
	tap_plan(1);
	for (int i = 0; i < 3; i++) {
		c = my_empty(EMPTY_OPS, &trues);
		empty = c < empty ? c : empty;
	}
	empty = empty * n / EMPTY_OPS; /* the empty loop over n iterations */
	my_swtch(WARMUP, &trues);      /* both tasks are in their loops from here */
	c = my_swtch(n, &trues);
	if (tap_ok(trues + 2 >= n && c > 2 * empty,
	           "%lu swtch calls, %lu found the other task runnable", (unsigned long)n,
	           (unsigned long)trues))
		tap_diag("bench mach.user.%s ops=%lu cycles=%lu loop_cycles=%lu",
		         strcmp(user_prog_name, "mach-pong") ? "yield" : "yield_pong",
		         (unsigned long)(2 * n), (unsigned long)(c - 2 * empty),
		         (unsigned long)(2 * empty));
	return tap_done();
}
