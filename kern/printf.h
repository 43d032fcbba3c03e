/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's formatter: a freestanding vsnprintf. Portable (host-tested).
 * Supports %d %i %u %x %X %o %p %s %c %%, the flags '-', '0', '+', ' ', '#',
 * a width and a precision (both may be '*'), and the length modifiers
 * hh h l ll z j t. %pV takes a struct va_format: a wrapper's own format
 * and arguments, formatted in place (so wrappers need no buffer of their
 * own).
 */
#ifndef KERN_PRINTF_H
#define KERN_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

struct va_format {
	const char *fmt;
	va_list *va;
};

/*
 * Formats into buf, never writing more than size bytes, always
 * NUL-terminated when size > 0. Returns the length the full output would
 * have had (as C99 vsnprintf).
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Console output (kernel only): formats and writes to every console. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#endif
