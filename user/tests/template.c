// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shape of a user test program: copy this file to user/tests/NAME.c,
 * add NAME to USER_PROGS in user/user.mk, and boot it with user_test in a
 * tests/qemu/ .t script (docs/user.md). Every line it prints starts with
 * "NAME: " (user/test/tap.h). Each check must be able to fail.
 */
#include <stdio.h>
#include <string.h>
#include <tap.h>

int
main(int argc, char **argv)
{
	char buf[32];

	tap_plan(3);
	tap_ok(argc >= 1, "argc is at least 1 (%d)", argc);
	tap_is_int(snprintf(buf, sizeof(buf), "%d-%s", 42, "x"), 4, "snprintf returns the length");
	tap_is(buf, "42-x", "snprintf formats");
	return tap_done();
}
