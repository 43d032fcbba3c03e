/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GNU Mach's boot-script language, over the command lines of the Multiboot
 * modules (one line per module, in module order). docs/boot.md describes
 * the language; in short:
 *
 *   ext2fs --host-priv-port=${host-port} --exec-server-task=${exec-task}
 *          -T typed ${root} $(task-create) $(task-resume)
 *   exec /hurd/exec $(exec-task=task-create)
 *
 * The first word is argv[0]. ${name} is replaced by a variable's value: a
 * string as text, a port or a task as the decimal name of a send right
 * inserted into the line's own task. $(function) runs a function and adds
 * no argument; $(name=function) also binds its result to ${name}, which
 * any line may use, before or after the binding one. Quotes ('...' and
 * "...") group words and are removed.
 *
 * Use, as kern/bootstrap.c does:
 *   boot_script_parse()    all lines: syntax, functions, bindings; no callback
 *   boot_script_prepare()  checks every ${name} against all lines, creates
 *                          the tasks (task_create, in line order) and builds
 *                          each task's argv, inserting send rights
 *                          (insert_send_right, in line and argument order)
 *   boot_script_take_argv() each task's argv, to load its program with
 *   boot_script_start()    the deferred functions, in line order:
 *                          task-resume, prompt-task-resume, ramdisk-create
 *   boot_script_free()
 * This is GNU Mach's order: tasks are created while lines are read, every
 * task's program is loaded with its argv, then the tasks are resumed.
 *
 * Errors are per line: a line with an error (syntax, unknown function,
 * unknown variable, a variable bound by a line that failed, a callback's
 * error) gets no task, or has its task terminated before any right is
 * inserted into it; the other lines go on. boot_script_error() says why,
 * naming the module, the word and the name.
 *
 * Memory from kmalloc(); every error path frees what it took. No locks:
 * one thread runs the boot script. May block only in the callbacks.
 */
#ifndef KERN_BOOT_SCRIPT_H
#define KERN_BOOT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include <mach/kern_return.h>
#include <mach/port.h>

#include "kern/boot_info.h" /* BOOT_MODULES_MAX, BOOT_MODULE_CMDLINE_MAX */

/* Limits, each refused with an error when passed. */
#define BOOT_SCRIPT_LINE_MAX 1024 /* bytes in one line, NUL excluded */
#define BOOT_SCRIPT_ARGS_MAX 64   /* argv entries of one line, argv[0] included */
#define BOOT_SCRIPT_VARS_MAX 48   /* the caller's variables plus the bound names */
#define BOOT_SCRIPT_NAME_MAX 63   /* bytes in a variable or function name */
#define BOOT_SCRIPT_ERROR_MAX 160 /* bytes of an error message, NUL included */

enum boot_script_kind {
	BOOT_SCRIPT_STRING = 1, /* substituted as text */
	BOOT_SCRIPT_PORT = 2,   /* a port object: a send right in the new task */
	BOOT_SCRIPT_TASK = 3,   /* a task a line created: a send right to its port */
};

/*
 * A variable the caller defines: host-port and device-port (ports),
 * kernel-command-line and root (strings), and whatever else it wants
 * (GNU Mach adds every NAME=VALUE word of the kernel command line).
 * bv_kind is BOOT_SCRIPT_STRING (bv_string) or BOOT_SCRIPT_PORT
 * (bv_object, handed back to insert_send_right). The strings must live
 * until boot_script_free().
 */
struct boot_script_var {
	const char *bv_name;
	enum boot_script_kind bv_kind;
	const char *bv_string;
	void *bv_object;
};

/* What the script does, through the caller. ctx is passed to each. */
struct boot_script_ops {
	void *ctx;
	/* A new, suspended task for module number module, in *task (not NULL). */
	kern_return_t (*task_create)(void *ctx, unsigned module, void **task);
	/* Ends a task whose line failed after task_create (none of its rights given). */
	void (*task_terminate)(void *ctx, void *task);
	/*
	 * Inserts into task a send right to object (a BOOT_SCRIPT_PORT's
	 * bv_object, or a task from task_create for BOOT_SCRIPT_TASK) and
	 * returns its name; MACH_PORT_NULL (substituted as "0") when it
	 * cannot, having logged why.
	 */
	mach_port_name_t (*insert_send_right)(void *ctx, void *task, enum boot_script_kind kind,
	                                      void *object);
	/* Lets task run. */
	kern_return_t (*task_resume)(void *ctx, void *task);
	/* Makes module number module a RAM disk (GNU Mach: rd0, rd1...). */
	kern_return_t (*ramdisk_create)(void *ctx, unsigned module);
};

struct boot_script;

/*
 * Parses lines[0..count) (module i's command line is lines[i]; NULL or
 * empty, blank and '#' lines are ignored) with the caller's variables
 * vars[0..nvars), which are copied (not their strings). Per-line errors do
 * not fail the call: see boot_script_error(). Returns KERN_SUCCESS with
 * *out set, KERN_INVALID_ARGUMENT (count > BOOT_MODULES_MAX, nvars too
 * large, a NULL pointer, a variable with a bad name, kind or value, or
 * named twice), or KERN_RESOURCE_SHORTAGE.
 */
kern_return_t boot_script_parse(const char *const lines[], unsigned count,
                                const struct boot_script_var vars[], unsigned nvars,
                                struct boot_script **out);

/*
 * Resolves every ${name}, creates the tasks and builds their argv (see
 * above). Call once. KERN_SUCCESS when every line that was not ignored
 * succeeded so far, KERN_FAILURE when some line failed (the others are
 * ready), KERN_INVALID_ARGUMENT for missing callbacks or a second call.
 */
kern_return_t boot_script_prepare(struct boot_script *bs, const struct boot_script_ops *ops);

/*
 * Hands over module's argv: argc entries and a NULL, strings included, in
 * one block the caller frees with kfree(). NULL when the module has no
 * task (ignored, no $(task-create), failed, or already taken).
 */
char **boot_script_take_argv(struct boot_script *bs, unsigned module, unsigned *argc);

/* Module's task from task_create, or NULL (none, or terminated). */
void *boot_script_task(const struct boot_script *bs, unsigned module);

/*
 * Marks module's line failed with why (e.g. its program would not load),
 * so boot_script_start() skips it. The caller ends the task itself.
 */
void boot_script_fail(struct boot_script *bs, unsigned module, const char *why);

/*
 * Runs the deferred functions of every line that has not failed, in line
 * order and, within a line, in the order written. A failing callback
 * fails its line (its task is left to the caller). KERN_SUCCESS, or
 * KERN_FAILURE when some line failed here.
 */
kern_return_t boot_script_start(struct boot_script *bs, const struct boot_script_ops *ops);

/*
 * Why module's line failed ("module 1 (ext2fs): word 6 '${exec-tsk}':
 * unknown variable 'exec-tsk'"), or NULL when it has not.
 */
const char *boot_script_error(const struct boot_script *bs, unsigned module);

/* Frees the script and any argv not taken. Tasks are the caller's. */
void boot_script_free(struct boot_script *bs);

_Static_assert(BOOT_MODULE_CMDLINE_MAX == BOOT_SCRIPT_LINE_MAX + 1,
               "a Multiboot module line holds exactly one boot-script line");

#endif
