// SPDX-License-Identifier: GPL-2.0-or-later
/* kvsnprintf: the formatting core, with no dependency beyond <stdarg.h>. */
#include "kern/printf.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, written or not */
};

static void
out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; /* -1 when absent */
};

static void
out_str(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	if (!sp->left)
		out_pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - n);
}

static void
out_num(struct out *o, const struct spec *sp, uint64_t v, bool neg, unsigned base, bool upper,
        const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = 0, zeros = 0;
	char sign = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (neg)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	while (prefix && prefix[plen])
		plen++;
	if (sp->prec > n)
		zeros = sp->prec - n;
	int total = n + zeros + plen + (sign != 0);
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		out_pad(o, ' ', sp->width - total);
	if (sign)
		out_char(o, sign);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', sp->width - total);
}

/* Parses flags, width and precision at *fmt; advances it. */
static void
parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
	const char *f = *fmt;

	*sp = (struct spec){.prec = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	*fmt = f;
}

/* Length modifier: returns the size in bytes of the integer argument. */
static int
parse_length(const char **fmt)
{
	const char *f = *fmt;
	int size = 4;

	if (f[0] == 'h' && f[1] == 'h') {
		size = 1;
		f += 2;
	} else if (f[0] == 'h') {
		size = 2;
		f++;
	} else if (f[0] == 'l' && f[1] == 'l') {
		size = 8;
		f += 2;
	} else if (f[0] == 'l' || f[0] == 'z' || f[0] == 'j' || f[0] == 't') {
		size = 8;
		f++;
	}
	*fmt = f;
	return size;
}

static uint64_t
arg_unsigned(va_list *ap, int size)
{
	uint64_t v = size == 8 ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);

	if (size == 1)
		v = (uint8_t)v;
	else if (size == 2)
		v = (uint16_t)v;
	return v;
}

static int64_t
arg_signed(va_list *ap, int size)
{
	int64_t v = size == 8 ? va_arg(*ap, int64_t) : va_arg(*ap, int);

	if (size == 1)
		v = (int8_t)v;
	else if (size == 2)
		v = (int16_t)v;
	return v;
}

static void format_all(struct out *o, const char *fmt, va_list *ap);

/* %pV: a caller's own format and arguments, formatted in place. */
static void
out_nested(struct out *o, const struct va_format *vf)
{
	va_list aq;

	va_copy(aq, *vf->va);
	format_all(o, vf->fmt, &aq);
	va_end(aq);
}

static void
format_one(struct out *o, const char **fmt, va_list *ap)
{
	struct spec sp;
	parse_spec(fmt, ap, &sp);
	int size = parse_length(fmt);
	char c = *(*fmt)++;

	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, size);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		out_num(o, &sp, mag, v < 0, 10, false, NULL);
		break;
	}
	case 'u':
		out_num(o, &sp, arg_unsigned(ap, size), false, 10, false, NULL);
		break;
	case 'x':
	case 'X': {
		uint64_t v = arg_unsigned(ap, size);
		const char *prefix = sp.alt && v ? (c == 'X' ? "0X" : "0x") : NULL;
		out_num(o, &sp, v, false, 16, c == 'X', prefix);
		break;
	}
	case 'o':
		out_num(o, &sp, arg_unsigned(ap, size), false, 8, false, NULL);
		break;
	case 'p':
		if (**fmt == 'V') {
			(*fmt)++;
			out_nested(o, va_arg(*ap, const struct va_format *));
			break;
		}
		out_num(o, &sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
		break;
	case 'c': {
		char s[2] = {(char)va_arg(*ap, int), 0};
		sp.prec = 1;
		out_str(o, &sp, s);
		break;
	}
	case 's':
		out_str(o, &sp, va_arg(*ap, const char *));
		break;
	case '%':
		out_char(o, '%');
		break;
	case '\0':
		(*fmt)--; /* a lone '%' at the end: print nothing more */
		break;
	default:
		out_char(o, '%');
		out_char(o, c);
		break;
	}
}

static void
format_all(struct out *o, const char *fmt, va_list *ap)
{
	while (*fmt) {
		if (*fmt != '%') {
			out_char(o, *fmt++);
			continue;
		}
		fmt++;
		format_one(o, &fmt, ap);
	}
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list aq;

	va_copy(aq, ap);
	format_all(&o, fmt, &aq);
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
