// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log. Each message becomes one line "[   12.345678] text",
 * stored in a ring of fixed-size lines and printed on the consoles when its
 * level is at or below log_console_level.
 */
#include "kern/log.h"

#include <stdarg.h>

#include "kern/clock.h"
#include "kern/console.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/string.h"

#define LOG_LINES 256
#define LOG_LINE_MAX 160

enum log_level log_console_level = LOG_INFO;

static char log_ring[LOG_LINES][LOG_LINE_MAX];
static unsigned log_next; /* total lines ever logged */
static struct spinlock log_lock = SPINLOCK_INIT("log", LOCK_RANK_LOG);

static const char *const level_tags[] = {"error: ", "warning: ", "", "debug: "};

void
klog(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	uint64_t us = clock_monotonic_ns() / 1000;
	va_list ap;

	int n = ksnprintf(line, sizeof(line), "[%5lu.%06lu] %s", us / 1000000, us % 1000000,
	                  level_tags[level & 3]);
	va_start(ap, fmt);
	kvsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[--n] = 0;

	uint64_t f = spin_lock_irqsave(&log_lock);
	strlcpy(log_ring[log_next % LOG_LINES], line, LOG_LINE_MAX);
	log_next++;
	spin_unlock_irqrestore(&log_lock, f);

	if (level <= log_console_level) {
		line[n] = '\n';
		console_write(line, n + 1);
	}
}

void
log_ring_foreach(void (*fn)(const char *line, void *arg), void *arg)
{
	char line[LOG_LINE_MAX];
	uint64_t f = spin_lock_irqsave(&log_lock);
	unsigned first = log_next > LOG_LINES ? log_next - LOG_LINES : 0, end = log_next;

	spin_unlock_irqrestore(&log_lock, f);
	/* Each line is copied under the lock and handed over without it: fn prints. */
	for (unsigned i = first; i < end; i++) {
		f = spin_lock_irqsave(&log_lock);
		if (log_next - i <= LOG_LINES)
			strlcpy(line, log_ring[i % LOG_LINES], sizeof(line));
		else
			line[0] = '\0'; /* overwritten meanwhile */
		spin_unlock_irqrestore(&log_lock, f);
		if (line[0])
			fn(line, arg);
	}
}
