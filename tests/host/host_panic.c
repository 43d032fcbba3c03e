// SPDX-License-Identifier: GPL-2.0-or-later
/* Host stand-ins for panic() and klog() (see host_panic.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "host/host_panic.h"
#include "kern/log.h"
#include "kern/panic.h"

jmp_buf host_panic_env;
volatile int host_panic_expected;
char host_panic_msg[256];

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (!host_panic_expected) {
		fail_msg("unexpected panic: %s", host_panic_msg);
		abort();
	}
	host_panic_expected = 0;
	longjmp(host_panic_env, 1);
}

void
klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "klog %d: ", (int)level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
