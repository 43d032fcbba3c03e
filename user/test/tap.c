// SPDX-License-Identifier: GPL-2.0-or-later
/* TAP lines with the program's name in front (the format: user/test/tap.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

extern const char user_prog_name[]; /* user/libc/progname.c */

static const char *prog = user_prog_name;
static int planned = -1, ran, failed;

void
tap_name(const char *name)
{
	prog = name;
}

/* One whole line, "NAME: " + text + "\n", in one mach_print. */
static void
line(const char *fmt, va_list ap)
{
	char buf[512];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s: ", prog);

	if (n < sizeof(buf))
		vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	n = strlen(buf);
	if (n == sizeof(buf) - 1) /* cut short: still end the line */
		n--;
	buf[n] = '\n';
	buf[n + 1] = '\0';
	print_flush(); /* anything printf holds comes first */
	mach_print(buf);
}

static void linef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
linef(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(fmt, ap);
	va_end(ap);
}

void
tap_plan(int n)
{
	planned = n;
	linef("1..%d", n);
}

void
tap_diag(const char *fmt, ...)
{
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	linef("# %s", text);
}

static int
result(int cond, const char *fmt, va_list ap)
{
	char desc[400];

	vsnprintf(desc, sizeof(desc), fmt, ap);
	ran++;
	if (!cond)
		failed++;
	linef("%sok %d - %s", cond ? "" : "not ", ran, desc);
	return cond;
}

int
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(cond, fmt, ap);
	va_end(ap);
	return cond;
}

int
tap_is_int(long got, long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int cond = result(got == want, fmt, ap);
	va_end(ap);
	if (!cond)
		tap_diag("got %ld (%#lx), expected %ld (%#lx)", got, got, want, want);
	return cond;
}

int
tap_is(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int same = got && want ? strcmp(got, want) == 0 : got == want;

	va_start(ap, fmt);
	int cond = result(same, fmt, ap);
	va_end(ap);
	if (!cond)
		tap_diag("got \"%s\", expected \"%s\"", got ? got : "(null)",
		         want ? want : "(null)");
	return cond;
}

int
tap_done(void)
{
	if (planned >= 0 && ran == planned && failed == 0) {
		linef("# done pass");
		return 0;
	}
	if (planned < 0)
		linef("# done fail (no plan; ran %d, %d failed)", ran, failed);
	else
		linef("# done fail (ran %d of %d, %d failed)", ran, planned, failed);
	return 1;
}
