/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bench programs' boot-line count. */
#ifndef USER_BENCH_BENCH_ARGS_H
#define USER_BENCH_BENCH_ARGS_H

#include <stdint.h>
#include <stdlib.h>

/* A decimal count from the boot line; 0 when it is not one. */
static inline uint64_t
decimal(const char *s)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtoul(s, &end, 10);
	return *end ? 0 : v;
}

#endif
