/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Formatted output for user test programs. printf collects a line in a
 * buffer and hands it to mach_print (trap -30) at each newline, when the
 * buffer is full, and at print_flush() (exit() flushes). The formats: flags
 * - 0 + space #, width and precision (numbers or *), lengths hh h l ll z t j,
 * conversions d i u o x X c s p %. No floating point.
 */
#ifndef USER_STDIO_H
#define USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);
int putchar(int c);
/* Prints what printf holds that has no newline yet. */
void print_flush(void);
/* The characters printf has handed to mach_print so far (for tests). */
extern size_t print_total;
/* vprintf's formatter with each character given to emit; returns the count. */
int vformat_emit(void (*emit)(char c), const char *restrict fmt, va_list ap);

#endif
