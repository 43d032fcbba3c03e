// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running a parsed boot script (kern/boot_script.h): checking every
 * ${name} against all lines, creating the tasks, building argv, and the
 * deferred functions, in GNU Mach's order.
 *
 * boot_script_prepare() validates, then reserves, then commits: every
 * step that can fail (an unknown variable, no memory for an argv, a
 * task_create error) happens before any send right is inserted, and a
 * line that fails takes with it every line that names its variables (a
 * fixed point over at most BOOT_MODULES_MAX lines, no recursion). Only
 * then are rights inserted and argv filled, which cannot fail.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kern/boot_script_impl.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/string.h"

/* A send right's name as decimal: at most 10 digits for 32 bits. */
#define NAME_DIGITS_MAX 10
/* The most an argv block may take (the kernel command line is 512 bytes). */
#define ARGV_BYTES_MAX (64 * 1024)

static bool
line_ready(const struct bs_line *l)
{
	return l->bl_used && !l->bl_failed;
}

/* The reason var cannot be given to a line, or NULL when it can. */
static const char *
var_problem(const struct boot_script *bs, const struct bs_var *var, int *from)
{
	*from = var->bv_line;
	if (var->bv_line == BS_UNBOUND)
		return "unknown variable";
	if (var->bv_line >= 0 && !line_ready(&bs->bs_lines[var->bv_line]))
		return "variable from a failed line";
	return NULL;
}

/* Fails line i if one of its variables cannot be had; true if it did. */
static bool
check_line_vars(struct boot_script *bs, unsigned i)
{
	struct bs_line *l = &bs->bs_lines[i];

	for (unsigned a = 0; a < l->bl_nargs; a++) {
		const struct bs_arg *arg = &l->bl_args[a];
		const struct bs_var *var;
		const char *why;
		char word[48];
		int from;

		if (arg->ba_var < 0)
			continue;
		var = &bs->bs_vars[arg->ba_var];
		why = var_problem(bs, var, &from);
		if (!why)
			continue;
		bs_word_text(l->bl_raw, arg->ba_raw_off, word, sizeof(word));
		if (from >= 0)
			bs_line_fail(bs, i,
			             "word %u '%s': '%s' is bound by module %d, which failed",
			             arg->ba_word, word, var->bv_name, from);
		else
			bs_line_fail(bs, i, "word %u '%s': %s '%s'", arg->ba_word, word, why,
			             var->bv_name);
		return true;
	}
	return false;
}

/* Undoes what a failed line holds: its task (no right given yet), its argv. */
static void
release_line(struct boot_script *bs, struct bs_line *l, const struct boot_script_ops *ops)
{
	if (l->bl_task)
		ops->task_terminate(ops->ctx, l->bl_task);
	l->bl_task = NULL;
	kfree(l->bl_argv);
	l->bl_argv = NULL;
}

/*
 * Fails every task line whose variables cannot be had, until nothing
 * changes (each pass fails a line or stops: at most bs_nlines + 1 passes),
 * then releases what the failed lines hold.
 */
static void
settle(struct boot_script *bs, const struct boot_script_ops *ops)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (unsigned i = 0; i < bs->bs_nlines; i++)
			if (line_ready(&bs->bs_lines[i]) && bs->bs_lines[i].bl_creates_task)
				changed |= check_line_vars(bs, i);
	}
	for (unsigned i = 0; i < bs->bs_nlines; i++)
		if (bs->bs_lines[i].bl_failed)
			release_line(bs, &bs->bs_lines[i], ops);
}

/* Bytes an argument's value may take in argv. */
static size_t
value_size_max(const struct boot_script *bs, const struct bs_arg *arg)
{
	const struct bs_var *var;

	if (arg->ba_var < 0)
		return 0;
	var = &bs->bs_vars[arg->ba_var];
	if (var->bv_line == BS_CALLER_VAR && var->bv_kind == BOOT_SCRIPT_STRING)
		return strnlen(var->bv_string, ARGV_BYTES_MAX);
	return NAME_DIGITS_MAX;
}

/* Allocates line i's argv block at its largest; fails the line if it cannot. */
static void
reserve_argv(struct boot_script *bs, unsigned i)
{
	struct bs_line *l = &bs->bs_lines[i];
	size_t size = (l->bl_nargs + 2) * sizeof(char *) + strlen(l->bl_path) + 1;

	/* Each term is at most ARGV_BYTES_MAX and there are at most 64: no wrap. */
	for (unsigned a = 0; a < l->bl_nargs; a++)
		size += strlen(l->bl_args[a].ba_text) + value_size_max(bs, &l->bl_args[a]) + 1;
	if (size > ARGV_BYTES_MAX) {
		bs_line_fail(bs, i, "arguments longer than %u bytes", ARGV_BYTES_MAX);
		return;
	}
	l->bl_argv = kmalloc(size);
	if (!l->bl_argv) {
		bs_line_fail(bs, i, "no memory for argv");
		return;
	}
}

static void
create_task(struct boot_script *bs, unsigned i, const struct boot_script_ops *ops)
{
	struct bs_line *l = &bs->bs_lines[i];
	void *task = NULL;
	kern_return_t kr;

	kr = ops->task_create(ops->ctx, i, &task);
	if (kr != KERN_SUCCESS || !task) {
		bs_line_fail(bs, i, "task-create failed (kern_return_t %d)",
		             kr != KERN_SUCCESS ? kr : KERN_FAILURE);
		return;
	}
	l->bl_task = task;
}

/* Writes n in decimal at p; returns the end. */
static char *
put_decimal(char *p, uint32_t n)
{
	char digits[NAME_DIGITS_MAX];
	unsigned k = 0;

	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (k)
		*p++ = digits[--k];
	return p;
}

/* Appends arg's value at p (inserting a right for a port or task). */
static char *
put_value(struct boot_script *bs, struct bs_line *l, const struct bs_arg *arg, char *p,
          const struct boot_script_ops *ops)
{
	const struct bs_var *var = &bs->bs_vars[arg->ba_var];
	mach_port_name_t name;

	if (var->bv_line == BS_CALLER_VAR && var->bv_kind == BOOT_SCRIPT_STRING) {
		size_t n = strnlen(var->bv_string, ARGV_BYTES_MAX);
		memcpy(p, var->bv_string, n);
		return p + n;
	}
	if (var->bv_line == BS_CALLER_VAR)
		name =
		    ops->insert_send_right(ops->ctx, l->bl_task, BOOT_SCRIPT_PORT, var->bv_object);
	else
		name = ops->insert_send_right(ops->ctx, l->bl_task, BOOT_SCRIPT_TASK,
		                              bs->bs_lines[var->bv_line].bl_task);
	return put_decimal(p, name);
}

/* Fills line i's reserved argv: pointers first, then the strings. */
static void
fill_argv(struct boot_script *bs, unsigned i, const struct boot_script_ops *ops)
{
	struct bs_line *l = &bs->bs_lines[i];
	char **argv = l->bl_argv;
	char *p = (char *)(argv + l->bl_nargs + 2);
	size_t n = strlen(l->bl_path) + 1;

	argv[0] = memcpy(p, l->bl_path, n);
	p += n;
	for (unsigned a = 0; a < l->bl_nargs; a++) {
		const struct bs_arg *arg = &l->bl_args[a];
		argv[a + 1] = p;
		n = strlen(arg->ba_text);
		memcpy(p, arg->ba_text, n);
		p += n;
		if (arg->ba_var >= 0)
			p = put_value(bs, l, arg, p, ops);
		*p++ = 0;
	}
	argv[l->bl_nargs + 1] = NULL;
	l->bl_argc = l->bl_nargs + 1;
}

static bool
all_ready(const struct boot_script *bs)
{
	for (unsigned i = 0; i < bs->bs_nlines; i++)
		if (bs->bs_lines[i].bl_failed)
			return false;
	return true;
}

kern_return_t
boot_script_prepare(struct boot_script *bs, const struct boot_script_ops *ops)
{
	if (!bs || !ops || !ops->task_create || !ops->task_terminate || !ops->insert_send_right ||
	    bs->bs_prepared)
		return KERN_INVALID_ARGUMENT;
	bs->bs_prepared = true;
	/* Validate: every variable a task line names must be had. */
	settle(bs, ops);
	/* Reserve: argv blocks, then the tasks, in line order (GNU Mach's). */
	for (unsigned i = 0; i < bs->bs_nlines; i++)
		if (line_ready(&bs->bs_lines[i]) && bs->bs_lines[i].bl_creates_task)
			reserve_argv(bs, i);
	settle(bs, ops);
	for (unsigned i = 0; i < bs->bs_nlines; i++)
		if (line_ready(&bs->bs_lines[i]) && bs->bs_lines[i].bl_creates_task)
			create_task(bs, i, ops);
	settle(bs, ops);
	/* Commit: nothing fails from here. */
	for (unsigned i = 0; i < bs->bs_nlines; i++)
		if (line_ready(&bs->bs_lines[i]) && bs->bs_lines[i].bl_creates_task)
			fill_argv(bs, i, ops);
	return all_ready(bs) ? KERN_SUCCESS : KERN_FAILURE;
}

/* One deferred function of line i. */
static kern_return_t
run_deferred(struct boot_script *bs, unsigned i, enum bs_func f, const struct boot_script_ops *ops)
{
	struct bs_line *l = &bs->bs_lines[i];

	switch (f) {
	case BS_FN_PROMPT_TASK_RESUME:
		/* GNU Mach waits for a key on the console; we have no one to ask. */
		log_info("boot script: module %u (%s): prompt-task-resume: resuming without a "
		         "prompt",
		         i, l->bl_path);
		/* fall through */
	case BS_FN_TASK_RESUME:
		if (!ops->task_resume)
			return KERN_INVALID_ARGUMENT;
		return ops->task_resume(ops->ctx, l->bl_task);
	case BS_FN_RAMDISK_CREATE:
		if (!ops->ramdisk_create)
			return KERN_INVALID_ARGUMENT;
		return ops->ramdisk_create(ops->ctx, i);
	case BS_FN_TASK_CREATE:
		break;
	}
	return KERN_FAILURE;
}

static const char *
deferred_name(enum bs_func f)
{
	switch (f) {
	case BS_FN_TASK_RESUME:
		return "task-resume";
	case BS_FN_PROMPT_TASK_RESUME:
		return "prompt-task-resume";
	case BS_FN_RAMDISK_CREATE:
		return "ramdisk-create";
	default:
		return "?";
	}
}

kern_return_t
boot_script_start(struct boot_script *bs, const struct boot_script_ops *ops)
{
	if (!bs || !ops || !bs->bs_prepared || bs->bs_started)
		return KERN_INVALID_ARGUMENT;
	bs->bs_started = true;
	for (unsigned i = 0; i < bs->bs_nlines; i++) {
		struct bs_line *l = &bs->bs_lines[i];

		for (unsigned k = 0; k < l->bl_ndeferred && line_ready(l); k++) {
			enum bs_func f = (enum bs_func)l->bl_deferred[k];
			kern_return_t kr = run_deferred(bs, i, f, ops);
			if (kr != KERN_SUCCESS)
				bs_line_fail(bs, i, "%s failed (kern_return_t %d)",
				             deferred_name(f), kr);
		}
	}
	return all_ready(bs) ? KERN_SUCCESS : KERN_FAILURE;
}

char **
boot_script_take_argv(struct boot_script *bs, unsigned module, unsigned *argc)
{
	struct bs_line *l;
	char **argv;

	if (!bs || module >= bs->bs_nlines)
		return NULL;
	l = &bs->bs_lines[module];
	if (!line_ready(l) || !l->bl_argv)
		return NULL;
	argv = l->bl_argv;
	l->bl_argv = NULL;
	if (argc)
		*argc = l->bl_argc;
	return argv;
}

void *
boot_script_task(const struct boot_script *bs, unsigned module)
{
	if (!bs || module >= bs->bs_nlines)
		return NULL;
	return bs->bs_lines[module].bl_task;
}

void
boot_script_fail(struct boot_script *bs, unsigned module, const char *why)
{
	if (!bs || module >= bs->bs_nlines)
		return;
	bs_line_fail(bs, module, "%s", why ? why : "failed");
}

const char *
boot_script_error(const struct boot_script *bs, unsigned module)
{
	if (!bs || module >= bs->bs_nlines || !bs->bs_lines[module].bl_failed)
		return NULL;
	return bs->bs_lines[module].bl_error;
}
