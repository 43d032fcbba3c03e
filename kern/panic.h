/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * panic() and assert(): print the message, a register dump where one is
 * known and a symbolic backtrace, then leave QEMU through isa-debug-exit
 * with EXIT_PANIC (tests tell a panic from a failure by the exit status),
 * or halt when no such device exists.
 */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

struct trap_frame;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* panic() with the registers of a trap. */
void panic_frame(const struct trap_frame *tf, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

#define assert(cond)                                                                               \
	do {                                                                                       \
		if (__builtin_expect(!(cond), 0))                                                  \
			panic("assertion failed: %s (%s:%d, %s)", #cond, __FILE__, __LINE__,       \
			      __func__);                                                           \
	} while (0)

#endif
