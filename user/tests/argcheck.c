// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks the argv a boot script gave it (tests/qemu/bootscript.t):
 *   argcheck COUNT 'two words' --t=${later} ...
 * argv[1] is how many arguments follow it; argv[2] must be "two words"
 * (single quotes group and are removed); argv[3] must be "--t=" and a
 * decimal port name (a forward reference to a task a later line creates).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <tap.h>

int
main(int argc, char **argv)
{
	int want = argc > 1 ? (int)strtoul(argv[1], NULL, 10) : -1;
	int digits = 0;

	tap_plan(3);
	for (int i = 0; i < argc; i++)
		tap_diag("argv[%d] = '%s'", i, argv[i]);
	tap_is_int(argc, want + 2, "argc is the count it was given, plus argv[0] and argv[1]");
	tap_is(argc > 2 ? argv[2] : "", "two words", "a quoted word with a blank is one argument");
	if (argc > 3 && !strncmp(argv[3], "--t=", 4)) {
		const char *p = argv[3] + 4;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
		digits = *p ? 0 : digits;
	}
	tap_ok(digits > 0, "a forward reference became a decimal name (%s)",
	       argc > 3 ? argv[3] : "");
	return tap_done();
}
