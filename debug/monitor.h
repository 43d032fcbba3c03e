/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel monitor: the `vmach> ` prompt on the console. Commands are
 * registered where they are implemented, with MONITOR_COMMAND. A command
 * returns a kern_return_t: KERN_SUCCESS, a KERN_* code, or the D_* code of
 * the device call that failed (io_return_t is a kern_return_t in GNU Mach).
 * It states what went wrong with monitor_error(); the monitor prints that
 * one line, "error: <message>", once the command has returned (or the
 * code's name when the command gave no message).
 */
#ifndef DEBUG_MONITOR_H
#define DEBUG_MONITOR_H

#include <mach/kern_return.h>

#define MONITOR_MAX_ARGS 16

struct monitor_cmd {
	const char *mc_name;
	const char *mc_usage; /* arguments, e.g. "vdN SECTOR [COUNT]" */
	const char *mc_help;  /* one line */
	kern_return_t (*mc_fn)(int argc, char **argv);
};

#define MONITOR_COMMAND(name, usage, help, fn)                                                     \
	static const struct monitor_cmd monitor_cmd_##fn                                           \
	    __attribute__((section(".monitor_cmds"), used, aligned(8))) = {name, usage, help, fn}

/*
 * Records the message of the running command's error and returns kr (not
 * KERN_SUCCESS), for `return monitor_error(KERN_INVALID_ARGUMENT, ...)`.
 * The monitor prints it when the command returns kr; a later call replaces it.
 */
kern_return_t monitor_error(kern_return_t kr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The name of a KERN_* or D_* code ("KERN_INVALID_ARGUMENT"), or "unknown error". */
const char *monitor_code_name(kern_return_t kr);

/*
 * Runs one command line (used by the prompt and by tests), prints the
 * error line if it failed, and returns the command's code.
 */
kern_return_t monitor_execute(char *line);

#endif
