// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vsnprintf for user programs: C99's semantics for the formats stdio.h
 * lists. Output beyond the buffer is counted, not written, so the return
 * value is the length the whole result would have.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Where the characters go: a buffer (vsnprintf) or a function (vprintf). */
struct out {
	char *buf;
	size_t size, len;
	void (*emit)(char c);
};

static void
put(struct out *o, char c)
{
	if (o->emit)
		o->emit(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none */
	char conv;
};

/* Digits of v in base, least significant first, into tmp; returns the count. */
static int
digits(char *tmp, uintmax_t v, unsigned base, int upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = set[v % base];
		v /= base;
	} while (v);
	return n;
}

static void
put_int(struct out *o, const struct spec *s, uintmax_t v, int negative)
{
	char tmp[24], sign = 0;
	const char *prefix = "";
	unsigned base = s->conv == 'o'                                         ? 8
	                : (s->conv == 'x' || s->conv == 'X' || s->conv == 'p') ? 16
	                                                                       : 10;
	int n = (v == 0 && s->prec == 0) ? 0 : digits(tmp, v, base, s->conv == 'X');
	int zeros = s->prec > n ? s->prec - n : 0;

	if (negative)
		sign = '-';
	else if (s->plus && (s->conv == 'd' || s->conv == 'i'))
		sign = '+';
	else if (s->space && (s->conv == 'd' || s->conv == 'i'))
		sign = ' ';
	if (s->conv == 'p' || (s->alt && v && (s->conv == 'x' || s->conv == 'X')))
		prefix = s->conv == 'X' ? "0X" : "0x";
	else if (s->alt && s->conv == 'o' && zeros == 0 && (n == 0 || tmp[n - 1] != '0'))
		zeros = 1;

	int body = (sign != 0) + (int)strlen(prefix) + zeros + n;
	int pad = s->width > body ? s->width - body : 0;

	if (!s->left && !(s->zero && s->prec < 0))
		put_n(o, ' ', pad);
	if (sign)
		put(o, sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (!s->left && s->zero && s->prec < 0)
		put_n(o, '0', pad);
	put_n(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (s->left)
		put_n(o, ' ', pad);
}

static void
put_str(struct out *o, const struct spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	int n = (int)(s->prec >= 0 ? strnlen(str, (size_t)s->prec) : strlen(str));
	int pad = s->width > n ? s->width - n : 0;

	if (!s->left)
		put_n(o, ' ', pad);
	for (int i = 0; i < n; i++)
		put(o, str[i]);
	if (s->left)
		put_n(o, ' ', pad);
}

/* Reads a number or '*' at *fmt; returns it (or -1 when none). */
static int
read_count(const char **fmt, va_list *ap)
{
	if (**fmt == '*') {
		(*fmt)++;
		return va_arg(*ap, int);
	}
	if (**fmt < '0' || **fmt > '9')
		return -1;
	int v = 0;
	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

/* The integer argument of length modifier len ('H' hh, 'h', 'l', 'L' ll, 'z', 't', 'j'). */
static uintmax_t
int_arg(va_list *ap, char len, int is_signed, int *negative)
{
	intmax_t sv = 0;
	uintmax_t uv = 0;

	*negative = 0;
	if (is_signed) {
		switch (len) {
		case 'H':
			sv = (signed char)va_arg(*ap, int);
			break;
		case 'h':
			sv = (short)va_arg(*ap, int);
			break;
		case 'l':
			sv = va_arg(*ap, long);
			break;
		case 'L':
			sv = va_arg(*ap, long long);
			break;
		case 'z':
		case 't':
			sv = va_arg(*ap, intptr_t);
			break;
		case 'j':
			sv = va_arg(*ap, intmax_t);
			break;
		default:
			sv = va_arg(*ap, int);
			break;
		}
		*negative = sv < 0;
		/* Negate in unsigned arithmetic: INTMAX_MIN has no positive. */
		return sv < 0 ? -(uintmax_t)sv : (uintmax_t)sv;
	}
	switch (len) {
	case 'H':
		uv = (unsigned char)va_arg(*ap, unsigned);
		break;
	case 'h':
		uv = (unsigned short)va_arg(*ap, unsigned);
		break;
	case 'l':
		uv = va_arg(*ap, unsigned long);
		break;
	case 'L':
		uv = va_arg(*ap, unsigned long long);
		break;
	case 'z':
	case 't':
		uv = va_arg(*ap, size_t);
		break;
	case 'j':
		uv = va_arg(*ap, uintmax_t);
		break;
	default:
		uv = va_arg(*ap, unsigned);
		break;
	}
	return uv;
}

static void
format(struct out *out, const char *fmt, va_list ap_in)
{
	struct out o = *out;
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		struct spec s = {.prec = -1};
		for (;; fmt++) {
			if (*fmt == '-')
				s.left = 1;
			else if (*fmt == '0')
				s.zero = 1;
			else if (*fmt == '+')
				s.plus = 1;
			else if (*fmt == ' ')
				s.space = 1;
			else if (*fmt == '#')
				s.alt = 1;
			else
				break;
		}
		s.width = read_count(&fmt, &ap);
		if (s.width < 0 && fmt[-1] == '*') { /* a negative * width means '-' */
			s.left = 1;
			s.width = -s.width;
		}
		if (*fmt == '.') {
			fmt++;
			s.prec = read_count(&fmt, &ap);
			if (s.prec < 0 && fmt[-1] != '*')
				s.prec = 0; /* "%.d": precision 0 */
		}
		char len = 0;
		if (*fmt == 'h' || *fmt == 'l') {
			len = *fmt++;
			if (*fmt == len) {
				len = len == 'h' ? 'H' : 'L';
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
			len = *fmt++;
		}
		s.conv = *fmt ? *fmt++ : '\0';
		int negative;
		switch (s.conv) {
		case 'd':
		case 'i': {
			uintmax_t v = int_arg(&ap, len, 1, &negative);
			put_int(&o, &s, v, negative);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			put_int(&o, &s, int_arg(&ap, len, 0, &negative), 0);
			break;
		case 'p':
			put_int(&o, &s, (uintptr_t)va_arg(ap, void *), 0);
			break;
		case 'c': {
			int pad = s.width > 1 ? s.width - 1 : 0;
			if (!s.left)
				put_n(&o, ' ', pad);
			put(&o, (char)va_arg(ap, int));
			if (s.left)
				put_n(&o, ' ', pad);
			break;
		}
		case 's':
			put_str(&o, &s, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			goto end;
		default: /* unknown: shown as is, so the mistake is visible */
			put(&o, '%');
			put(&o, s.conv);
			break;
		}
	}
end:
	va_end(ap);
	*out = o;
}

int
vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct out o = {buf, size, 0, NULL};

	format(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int
vformat_emit(void (*emit)(char c), const char *restrict fmt, va_list ap)
{
	struct out o = {NULL, 0, 0, emit};

	format(&o, fmt, ap);
	return (int)o.len;
}

int
snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
