/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The C string and memory functions the kernel uses. */
#ifndef KERN_STRING_H
#define KERN_STRING_H

#include <mach/kern_return.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

#ifdef VMACH_KERNEL
/*
 * The kernel builds with -fno-builtin, which makes every memcpy() a call,
 * even of a pointer slot or a header. Through the builtins, a copy or fill
 * of a size known at compile time is inlined; any other still calls the
 * functions above (kern/string.c defines them as (memcpy) etc.).
 */
#define memcpy(dst, src, n) __builtin_memcpy((dst), (src), (n))
#define memset(dst, c, n) __builtin_memset((dst), (c), (n))
#define memcmp(a, b, n) __builtin_memcmp((a), (b), (n))
#endif
/*
 * The value of a hexadecimal digit (either case), or -1 for any other
 * byte. A lookup, not an operation that fails: the result is the answer
 * itself, as with strchr(), so it stays a value rather than a
 * kern_return_t with an out-parameter (its callers fold digits in loops).
 */
int hex_digit_value(char c);
/*
 * Parses a decimal or 0x-prefixed unsigned number of at most 2^64 - 1:
 * KERN_SUCCESS, or KERN_INVALID_ARGUMENT when it is malformed or too
 * large (*out is then untouched).
 */
kern_return_t parse_u64(const char *s, uint64_t *out);

#endif
