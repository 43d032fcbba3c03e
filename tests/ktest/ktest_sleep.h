/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For in-kernel tests: blocks the calling thread for ms milliseconds (the
 * tests run on the boot thread, whose priority is above the threads they
 * start: sleeping is how those get the CPU).
 */
#ifndef TESTS_KTEST_KTEST_SLEEP_H
#define TESTS_KTEST_KTEST_SLEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "kern/wait.h"

static inline bool
ktest_never(void *arg)
{
	(void)arg;
	return false;
}

static inline void
ktest_sleep_ms(unsigned ms)
{
	static struct wait_event sleep_ev = WAIT_EVENT_INIT("ktest sleep");

	wait_until(&sleep_ev, ktest_never, NULL, ms * 1000000ULL);
}

#endif
