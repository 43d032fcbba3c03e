// SPDX-License-Identifier: GPL-2.0-or-later
/* Command-line parsing into key=value options. */
#include "kern/cmdline.h"

#include "kern/string.h"

struct cmdline kernel_cmdline;

/* Copies one word (quotes removed) from *s up to a space into dst; returns its length. */
static size_t
take_until(const char **s, char *dst, size_t max, char stop)
{
	const char *p = *s;
	size_t n = 0;
	int quoted = 0;

	for (; *p && (quoted || (*p != ' ' && *p != stop)); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < max)
			dst[n] = *p;
		n++;
	}
	dst[n < max ? n : max - 1] = 0;
	*s = p;
	return n;
}

static struct cmdline_opt *
find(struct cmdline *cl, const char *key)
{
	for (unsigned i = 0; i < cl->count; i++)
		if (!strcmp(cl->opts[i].key, key))
			return &cl->opts[i];
	return NULL;
}

static void
add(struct cmdline *cl, const char *key, const char *value)
{
	struct cmdline_opt *o = find(cl, key);

	if (!o) {
		if (cl->count == CMDLINE_MAX_OPTS) {
			cl->dropped++;
			return;
		}
		o = &cl->opts[cl->count++];
		strlcpy(o->key, key, sizeof(o->key));
	}
	strlcpy(o->value, value, sizeof(o->value));
}

void
cmdline_parse(struct cmdline *cl, const char *s)
{
	char key[CMDLINE_KEY_MAX], value[CMDLINE_VALUE_MAX];

	memset(cl, 0, sizeof(*cl));
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		size_t klen = take_until(&s, key, sizeof(key), '=');
		value[0] = 0;
		if (*s == '=') {
			s++;
			take_until(&s, value, sizeof(value), ' ');
		}
		if (klen == 0 || klen >= sizeof(key))
			cl->dropped++;
		else
			add(cl, key, value);
	}
}

const char *
cmdline_get(const struct cmdline *cl, const char *key)
{
	for (unsigned i = 0; i < cl->count; i++)
		if (!strcmp(cl->opts[i].key, key))
			return cl->opts[i].value;
	return NULL;
}

const char *
kernel_cmdline_options(const char *s)
{
	const char *p = s;

	while (*p == ' ')
		p++;
	const char *word = p;
	while (*p && *p != ' ')
		p++;
	/* A first word with '=' is an option already (GRUB 2 gives no path). */
	for (const char *q = word; q < p; q++)
		if (*q == '=')
			return s;
	return p;
}
