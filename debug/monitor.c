// SPDX-License-Identifier: GPL-2.0-or-later
/* The monitor's prompt, line editing and command dispatch. */
#include "debug/monitor.h"

#include <stdarg.h>
#include <device/device_types.h>
#include <stdbool.h>

#include "kern/boot_info.h"
#include "kern/cmdline.h"
#include "kern/console.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "kern/thread.h"

extern const struct monitor_cmd monitor_cmds_start[], monitor_cmds_end[];

#define LINE_MAX 256
#define MONITOR_MSG_MAX 256

/*
 * The running command's error message. The monitor runs one command at a
 * time, from the prompt or a test, so one buffer serves.
 */
static char monitor_msg[MONITOR_MSG_MAX];

kern_return_t
monitor_error(kern_return_t kr, const char *fmt, ...)
{
	va_list ap;

	assert(kr != KERN_SUCCESS);
	va_start(ap, fmt);
	ksnprintf(monitor_msg, sizeof(monitor_msg), "%pV", &(struct va_format){fmt, &ap});
	va_end(ap);
	return kr;
}

const char *
monitor_code_name(kern_return_t kr)
{
	static const char *const kern_names[] = {
	    [KERN_SUCCESS] = "KERN_SUCCESS",
	    [KERN_INVALID_ADDRESS] = "KERN_INVALID_ADDRESS",
	    [KERN_PROTECTION_FAILURE] = "KERN_PROTECTION_FAILURE",
	    [KERN_NO_SPACE] = "KERN_NO_SPACE",
	    [KERN_INVALID_ARGUMENT] = "KERN_INVALID_ARGUMENT",
	    [KERN_FAILURE] = "KERN_FAILURE",
	    [KERN_RESOURCE_SHORTAGE] = "KERN_RESOURCE_SHORTAGE",
	    [KERN_NOT_RECEIVER] = "KERN_NOT_RECEIVER",
	    [KERN_NO_ACCESS] = "KERN_NO_ACCESS",
	    [KERN_MEMORY_FAILURE] = "KERN_MEMORY_FAILURE",
	    [KERN_MEMORY_ERROR] = "KERN_MEMORY_ERROR",
	    [KERN_NOT_IN_SET] = "KERN_NOT_IN_SET",
	    [KERN_NAME_EXISTS] = "KERN_NAME_EXISTS",
	    [KERN_ABORTED] = "KERN_ABORTED",
	    [KERN_INVALID_NAME] = "KERN_INVALID_NAME",
	    [KERN_INVALID_TASK] = "KERN_INVALID_TASK",
	    [KERN_INVALID_RIGHT] = "KERN_INVALID_RIGHT",
	    [KERN_INVALID_VALUE] = "KERN_INVALID_VALUE",
	    [KERN_UREFS_OVERFLOW] = "KERN_UREFS_OVERFLOW",
	    [KERN_INVALID_CAPABILITY] = "KERN_INVALID_CAPABILITY",
	    [KERN_RIGHT_EXISTS] = "KERN_RIGHT_EXISTS",
	    [KERN_INVALID_HOST] = "KERN_INVALID_HOST",
	    [KERN_MEMORY_PRESENT] = "KERN_MEMORY_PRESENT",
	    [KERN_WRITE_PROTECTION_FAILURE] = "KERN_WRITE_PROTECTION_FAILURE",
	    [KERN_TERMINATED] = "KERN_TERMINATED",
	    [KERN_TIMEDOUT] = "KERN_TIMEDOUT",
	    [KERN_INTERRUPTED] = "KERN_INTERRUPTED",
	};
	static const char *const dev_names[] = {
	    [D_IO_ERROR - D_IO_ERROR] = "D_IO_ERROR",
	    [D_WOULD_BLOCK - D_IO_ERROR] = "D_WOULD_BLOCK",
	    [D_NO_SUCH_DEVICE - D_IO_ERROR] = "D_NO_SUCH_DEVICE",
	    [D_ALREADY_OPEN - D_IO_ERROR] = "D_ALREADY_OPEN",
	    [D_DEVICE_DOWN - D_IO_ERROR] = "D_DEVICE_DOWN",
	    [D_INVALID_OPERATION - D_IO_ERROR] = "D_INVALID_OPERATION",
	    [D_INVALID_RECNUM - D_IO_ERROR] = "D_INVALID_RECNUM",
	    [D_INVALID_SIZE - D_IO_ERROR] = "D_INVALID_SIZE",
	    [D_NO_MEMORY - D_IO_ERROR] = "D_NO_MEMORY",
	    [D_READ_ONLY - D_IO_ERROR] = "D_READ_ONLY",
	};
	const char *name = NULL;

	if (kr >= 0 && (unsigned)kr < sizeof(kern_names) / sizeof(kern_names[0]))
		name = kern_names[kr];
	else if (kr >= D_IO_ERROR &&
	         (unsigned)(kr - D_IO_ERROR) < sizeof(dev_names) / sizeof(dev_names[0]))
		name = dev_names[kr - D_IO_ERROR];
	return name ? name : "unknown error";
}

static int
split_args(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		if (argc == MONITOR_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

static const struct monitor_cmd *
find_cmd(const char *name)
{
	for (const struct monitor_cmd *c = monitor_cmds_start; c < monitor_cmds_end; c++)
		if (!strcmp(c->mc_name, name))
			return c;
	return NULL;
}

kern_return_t
monitor_execute(char *line)
{
	char *argv[MONITOR_MAX_ARGS];
	int argc = split_args(line, argv);
	const struct monitor_cmd *c;
	kern_return_t kr;

	monitor_msg[0] = 0;
	if (argc == 0)
		return KERN_SUCCESS;
	if (argc < 0)
		kr = monitor_error(KERN_INVALID_ARGUMENT, "too many arguments (at most %d)",
		                   MONITOR_MAX_ARGS - 1);
	else if (!(c = find_cmd(argv[0])))
		kr = monitor_error(KERN_INVALID_ARGUMENT, "unknown command '%s' (try 'help')",
		                   argv[0]);
	else
		kr = c->mc_fn(argc, argv);
	if (kr != KERN_SUCCESS)
		kprintf("error: %s\n", monitor_msg[0] ? monitor_msg : monitor_code_name(kr));
	return kr;
}

/*
 * Reads one line with backspace editing; returns its length. A line ends
 * at CR, LF or CR LF (a pasted CR LF is one line end, not an empty line).
 */
static int
read_line(char *buf, int max)
{
	static bool after_cr; /* the last line ended with CR */
	int n = 0;

	for (;;) {
		int c = console_getc();
		bool lf_of_crlf = c == '\n' && after_cr && n == 0;
		after_cr = false;
		if (lf_of_crlf)
			continue;
		if (c == '\r' || c == '\n') {
			after_cr = c == '\r';
			console_write("\n", 1);
			buf[n] = 0;
			return n;
		}
		if (c == 0x7f || c == 0x08) {
			if (n > 0) {
				n--;
				console_write("\b \b", 3);
			}
			continue;
		}
		if (c == 0x15) { /* ^U: erase the line */
			while (n > 0) {
				n--;
				console_write("\b \b", 3);
			}
			continue;
		}
		if (c < 0x20 || c > 0x7e || n == max - 1)
			continue; /* other control bytes, or the line is full */
		buf[n++] = (char)c;
		char ch = (char)c;
		console_write(&ch, 1);
	}
}

static void __attribute__((noreturn)) monitor_loop(void)
{
	char line[LINE_MAX];

	kprintf("vmach monitor: type 'help' for the commands.\n");
	for (;;) {
		kprintf("vmach> ");
		read_line(line, sizeof(line));
		monitor_execute(line);
	}
}

static void
monitor_thread(void *arg)
{
	(void)arg;
	monitor_loop();
}

/*
 * The last start-up hook: the prompt, in its own kernel thread, unless
 * monitor=off. When boot modules run, the console is theirs: the monitor
 * starts only with monitor=on. A test image has run test=NAME before this
 * (INIT_TEST); an image without tests says so.
 */
static void
monitor_start(void)
{
	const char *mon = kernel_option("monitor");
	const char *test = kernel_option("test");
	kern_return_t kr;

	if (test)
		panic("test=%s: this image has no in-kernel tests "
		      "(make check builds build/vmach-test)",
		      test);
	if (mon && !strcmp(mon, "off")) {
		log_info("monitor=off");
		return;
	}
	if (boot_info.module_count && !(mon && !strcmp(mon, "on"))) {
		log_info("monitor: not started, the console belongs to the boot modules "
		         "(monitor=on starts it)");
		return;
	}
	kr = kthread_create(monitor_thread, NULL, "monitor", BASEPRI_USER, NULL);
	if (kr != KERN_SUCCESS)
		log_err("monitor: no thread (%d)", kr);
}
INITCALL(INIT_RUN, "monitor", monitor_start);

static kern_return_t
cmd_help(int argc, char **argv)
{
	for (const struct monitor_cmd *c = monitor_cmds_start; c < monitor_cmds_end; c++) {
		char left[48];
		ksnprintf(left, sizeof(left), "%s %s", c->mc_name, c->mc_usage);
		kprintf("  %-34s %s\n", left, c->mc_help);
	}
	return KERN_SUCCESS;
}
MONITOR_COMMAND("help", "", "list the commands", cmd_help);
