/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log: leveled messages with a microsecond timestamp, kept in a
 * ring buffer (the monitor's `log`) and written to the consoles.
 */
#ifndef KERN_LOG_H
#define KERN_LOG_H

#include <stddef.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* Messages above this level are kept in the ring but not printed. */
extern enum log_level log_console_level;

/* Logs one message; a trailing newline is added if missing. Any context. */
void klog(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) klog(LOG_ERR, __VA_ARGS__)
#define log_warn(...) klog(LOG_WARN, __VA_ARGS__)
#define log_info(...) klog(LOG_INFO, __VA_ARGS__)
#define log_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* Calls fn for each line in the ring, oldest first. */
void log_ring_foreach(void (*fn)(const char *line, void *arg), void *arg);

#endif
