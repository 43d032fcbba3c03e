// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * printf's output path: a line buffer handed to mach_print. mach_print
 * takes a NUL-terminated string, and one call per line keeps a line whole
 * when several programs print at once.
 */
#include <stdio.h>
#include <string.h>
#include <traps.h>

static char line[512];
static size_t line_len;
size_t print_total;

void
print_flush(void)
{
	if (!line_len)
		return;
	line[line_len] = '\0';
	mach_print(line);
	print_total += line_len;
	line_len = 0;
}

int
putchar(int c)
{
	line[line_len++] = (char)c;
	if (c == '\n' || line_len == sizeof(line) - 1)
		print_flush();
	return (unsigned char)c;
}

static void
emit(char c)
{
	putchar(c);
}

int
vprintf(const char *restrict fmt, va_list ap)
{
	return vformat_emit(emit, fmt, ap);
}

int
printf(const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
puts(const char *s)
{
	while (*s)
		putchar(*s++);
	putchar('\n');
	return 0;
}
