/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command line: words separated by spaces, each `key=value` or a
 * bare `key` (value ""). Values may be quoted with double quotes to hold
 * spaces. Portable (host-tested).
 */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include <stddef.h>

#define CMDLINE_MAX_OPTS 32
#define CMDLINE_KEY_MAX 32
#define CMDLINE_VALUE_MAX 128

struct cmdline_opt {
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
};

struct cmdline {
	struct cmdline_opt opts[CMDLINE_MAX_OPTS];
	unsigned count;
	unsigned dropped; /* words that did not fit (too many, key too long) */
};

/* Parses s into cl; a later word with the same key replaces the earlier value. */
void cmdline_parse(struct cmdline *cl, const char *s);
/* The value of key, or NULL when absent. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/*
 * The options part of the kernel's Multiboot command line: QEMU (and GRUB
 * legacy) put the kernel's path first, which is skipped; a first word that
 * holds '=' is kept, as GRUB 2 passes the options alone.
 */
const char *kernel_cmdline_options(const char *s);

/* The kernel's own command line, parsed at boot. */
extern struct cmdline kernel_cmdline;
static inline const char *
kernel_option(const char *key)
{
	return cmdline_get(&kernel_cmdline, key);
}

#endif
