// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test=monitor_codes: monitor commands return GNU Mach's codes, and the
 * monitor prints each failure as one "error: ..." line (which
 * tests/qemu/monitor-codes.t looks for in the serial log). Boot with one
 * read-only virtio disk of 1 MiB (vd0).
 */
#include <device/device_types.h>
#include <mach/kern_return.h>

#include "debug/ktest.h"
#include "debug/monitor.h"
#include "kern/string.h"

#define LINE_MAX 200

/* Runs a copy of line (the monitor splits its argument in place). */
static kern_return_t
run(const char *line)
{
	char buf[LINE_MAX];

	strlcpy(buf, line, sizeof(buf));
	return monitor_execute(buf);
}

static void
expect(const char *line, kern_return_t want)
{
	kern_return_t kr = run(line);

	ktap_ok(kr == want, "'%s' returns %s (got %s, %d)", line, monitor_code_name(want),
	        monitor_code_name(kr), kr);
}

KTEST(monitor_codes, "monitor commands return KERN_* and D_* codes")
{
	ktap_plan(16);
	expect("echo fine", KERN_SUCCESS);
	expect("", KERN_SUCCESS);
	expect("blk info vd0", KERN_SUCCESS);
	expect("no-such-command", KERN_INVALID_ARGUMENT);
	expect("a b c d e f g h i j k l m n o p q", KERN_INVALID_ARGUMENT);
	expect("sleep soon", KERN_INVALID_ARGUMENT);
	expect("sleep 18446744073709551616", KERN_INVALID_ARGUMENT);
	expect("blk info vd9", D_NO_SUCH_DEVICE);
	expect("net info eth9", D_NO_SUCH_DEVICE);
	expect("blk read vd0 2048", D_INVALID_RECNUM);
	expect("blk read vd0 x", KERN_INVALID_ARGUMENT);
	expect("blk write vd0 0 1 0x5a", D_READ_ONLY);
	ktap_ok(!strcmp(monitor_code_name(KERN_TIMEDOUT), "KERN_TIMEDOUT"),
	        "KERN_TIMEDOUT is named");
	ktap_ok(!strcmp(monitor_code_name(D_READ_ONLY), "D_READ_ONLY"), "D_READ_ONLY is named");
	ktap_ok(!strcmp(monitor_code_name(D_IO_ERROR - 1), "unknown error") &&
	            !strcmp(monitor_code_name(-5), "unknown error"),
	        "codes outside the tables are unknown");
	ktap_ok(!strcmp(monitor_code_name(KERN_INVALID_ARGUMENT), "KERN_INVALID_ARGUMENT"),
	        "KERN_INVALID_ARGUMENT is named");
}
