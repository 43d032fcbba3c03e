/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host stand-ins for the kernel's panic() and klog(), for host tests of
 * kernel code (page allocator, heap): klog prints to stderr; panic() fails
 * the test unless assert_panics() expects it, then returns there through
 * longjmp. Include after <cmocka.h>.
 */
#ifndef TESTS_HOST_HOST_PANIC_H
#define TESTS_HOST_HOST_PANIC_H

#include <setjmp.h>
#include <string.h>

extern jmp_buf host_panic_env;
extern volatile int host_panic_expected;
extern char host_panic_msg[256];

/* Runs call, which must panic with a message containing substr. */
#define assert_panics(call, substr)                                                                \
	do {                                                                                       \
		host_panic_expected = 1;                                                           \
		if (setjmp(host_panic_env) == 0) {                                                 \
			call;                                                                      \
			host_panic_expected = 0;                                                   \
			fail_msg("no panic from %s", #call);                                       \
		}                                                                                  \
		assert_non_null(strstr(host_panic_msg, substr));                                   \
	} while (0)

#endif
