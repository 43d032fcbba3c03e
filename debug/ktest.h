/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-kernel tests for QEMU runs, linked into the test image only
 * (build/vmach-test). A test is chosen with the kernel option test=NAME
 * and runs at INIT_TEST (kern/initcall.h); it prints TAP on the consoles
 * and the kernel leaves through isa-debug-exit: EXIT_PASS when every check
 * passed and the plan was met, EXIT_FAIL otherwise (a panic gives
 * EXIT_PANIC).
 *
 *   KTEST(timer, "the tick count agrees with the TSC") { ktap_plan(1); ktap_ok(x, "..."); }
 */
#ifndef DEBUG_KTEST_H
#define DEBUG_KTEST_H

#include <stdbool.h>

struct ktest {
	const char *kt_name;
	const char *kt_title;
	void (*kt_fn)(void);
};

#define KTEST(name, title)                                                                         \
	static void ktest_fn_##name(void);                                                         \
	static const struct ktest ktest_##name                                                     \
	    __attribute__((section(".ktest"), used, aligned(8))) = {#name, title,                  \
	                                                            ktest_fn_##name};              \
	static void ktest_fn_##name(void)

void ktap_plan(int count);
/* Prints "ok N - what" or "not ok N - what"; returns cond. */
bool ktap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A diagnostic line ("# ..."). */
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
