/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot script's inside, shared by its parser (kern/boot_script_parse.c)
 * and its runner (kern/boot_script.c); nothing else includes it.
 *
 * A line is GNU Mach's "command": a program name and a list of arguments,
 * each made of literal text (quotes removed) optionally followed by one
 * variable reference, which is GNU Mach's shape: "--x=${host-port}" is
 * one argument ("--x=" then host-port); text after a "}" starts another.
 */
#ifndef KERN_BOOT_SCRIPT_IMPL_H
#define KERN_BOOT_SCRIPT_IMPL_H

#include <stdint.h>

#include "kern/boot_script.h"

/* The functions $(...) may call. */
enum bs_func {
	BS_FN_TASK_CREATE,
	BS_FN_TASK_RESUME,
	BS_FN_PROMPT_TASK_RESUME,
	BS_FN_RAMDISK_CREATE,
};

#define BS_DEFERRED_MAX 8  /* deferred function calls on one line */
#define BS_CALLER_VAR (-1) /* bv_line of the caller's variables */
#define BS_UNBOUND (-2)    /* bv_line of a name only referenced so far */

struct bs_arg {
	const char *ba_text; /* literal text, "" when the argument is only ${...} */
	int ba_var;          /* index into bs_vars, or -1 */
	uint16_t ba_word;    /* word number in the line, argv[0] being word 0 */
	uint16_t ba_raw_off; /* where that word starts in bl_raw (for messages) */
};

struct bs_line {
	bool bl_used;         /* not empty or a comment */
	bool bl_failed;       /* bl_error says why; no task, no argv */
	bool bl_creates_task; /* has $(task-create) */
	char *bl_pool;        /* one block: bl_raw, then every text */
	const char *bl_raw;   /* the line as given */
	const char *bl_path;  /* argv[0] */
	struct bs_arg bl_args[BOOT_SCRIPT_ARGS_MAX - 1];
	unsigned bl_nargs;
	uint8_t bl_deferred[BS_DEFERRED_MAX]; /* enum bs_func, in written order */
	unsigned bl_ndeferred;
	void *bl_task;  /* from task_create, until terminated */
	char **bl_argv; /* built by boot_script_prepare, until taken */
	unsigned bl_argc;
	char bl_error[BOOT_SCRIPT_ERROR_MAX];
};

struct bs_var {
	char bv_name[BOOT_SCRIPT_NAME_MAX + 1];
	int bv_line;                   /* binding line, BS_CALLER_VAR or BS_UNBOUND */
	enum boot_script_kind bv_kind; /* for the caller's; bound ones are tasks */
	const char *bv_string;
	void *bv_object;
};

struct boot_script {
	struct bs_line bs_lines[BOOT_MODULES_MAX];
	unsigned bs_nlines;
	struct bs_var bs_vars[BOOT_SCRIPT_VARS_MAX];
	unsigned bs_nvars;
	bool bs_prepared, bs_started;
};

/*
 * Marks line i failed with a message "module I (PATH): " + fmt, unless it
 * has already failed (the first reason is kept).
 */
void bs_line_fail(struct boot_script *bs, unsigned i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the word that starts at raw[off] as written, shortened, into buf. */
void bs_word_text(const char *raw, unsigned off, char *buf, size_t size);

#endif
