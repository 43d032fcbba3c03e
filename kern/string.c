// SPDX-License-Identifier: GPL-2.0-or-later
/* Byte-wise string and memory functions (the kernel is built without SSE). */
#include "kern/string.h"

#include <stdint.h>

void *(memcpy)(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	/*
	 * As memset: 8 bytes per step (messages, page copies for
	 * copy-on-write); x86 moves unaligned quadwords correctly.
	 */
	if (n >= 8) {
		size_t q = n >> 3;
		__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(q) : : "memory");
		n &= 7;
	}
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	return ret;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *(memset)(void *dst, int c, size_t n)
{
	void *ret = dst;

	/*
	 * Large aligned stretches (zeroed pages, the page metadata at boot)
	 * 8 bytes per step: fewer steps on any CPU, and under icount, which
	 * counts each step of a rep instruction, 8 times less boot time.
	 */
	if (n >= 64 && !((uintptr_t)dst & 7)) {
		uint64_t q = n >> 3, v = 0x0101010101010101ULL * (uint8_t)c;
		__asm__ volatile("rep stosq" : "+D"(dst), "+c"(q) : "a"(v) : "memory");
		n &= 7;
	}
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}

int(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

int
hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

kern_return_t
parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return KERN_INVALID_ARGUMENT;
	for (; *s; s++) {
		int d = hex_digit_value(*s);
		if (d < 0 || (unsigned)d >= base)
			return KERN_INVALID_ARGUMENT;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return KERN_INVALID_ARGUMENT; /* overflow */
		v = v * base + d;
	}
	*out = v;
	return KERN_SUCCESS;
}
