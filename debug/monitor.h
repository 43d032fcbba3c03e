/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel monitor: the `vmach> ` prompt on the console. Commands are
 * registered where they are implemented, with MONITOR_COMMAND; a command
 * returns 0, or prints a one-line error (monitor_error) and returns -1.
 */
#ifndef DEBUG_MONITOR_H
#define DEBUG_MONITOR_H

#define MONITOR_MAX_ARGS 16

struct monitor_cmd {
	const char *mc_name;
	const char *mc_usage; /* arguments, e.g. "vdN SECTOR [COUNT]" */
	const char *mc_help;  /* one line */
	int (*mc_fn)(int argc, char **argv);
};

#define MONITOR_COMMAND(name, usage, help, fn)                                                     \
	static const struct monitor_cmd monitor_cmd_##fn                                           \
	    __attribute__((section(".monitor_cmds"), used, aligned(8))) = {name, usage, help, fn}

/* Prints "error: <message>" as one line; returns -1 for the command to return. */
int monitor_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs one command line (used by the prompt and by tests). */
void monitor_execute(char *line);

#endif
