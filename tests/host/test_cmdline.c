// SPDX-License-Identifier: GPL-2.0-or-later
/* Host tests of the command-line parser (kern/cmdline.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kern/cmdline.h"

static void
test_basic(void **state)
{
	struct cmdline cl;
	cmdline_parse(&cl, "test=boot  loglevel=3 quiet");
	assert_int_equal(cl.count, 3);
	assert_string_equal(cmdline_get(&cl, "test"), "boot");
	assert_string_equal(cmdline_get(&cl, "loglevel"), "3");
	assert_string_equal(cmdline_get(&cl, "quiet"), "");
	assert_null(cmdline_get(&cl, "missing"));
}

static void
test_quotes_and_repeats(void **state)
{
	struct cmdline cl;
	cmdline_parse(&cl, "name=\"a b c\" x=1 x=2 e= =v");
	assert_string_equal(cmdline_get(&cl, "name"), "a b c");
	assert_string_equal(cmdline_get(&cl, "x"), "2");
	assert_string_equal(cmdline_get(&cl, "e"), "");
	assert_int_equal(cl.dropped, 1); /* "=v" has no key */
}

static void
test_limits(void **state)
{
	struct cmdline cl;
	char big[4096] = "";
	for (int i = 0; i < 40; i++) {
		char w[32];
		snprintf(w, sizeof(w), "k%d=%d ", i, i);
		strcat(big, w);
	}
	cmdline_parse(&cl, big);
	assert_int_equal(cl.count, CMDLINE_MAX_OPTS);
	assert_int_equal(cl.dropped, 40 - CMDLINE_MAX_OPTS);

	char longkey[100];
	memset(longkey, 'k', 60);
	strcpy(longkey + 60, "=1");
	cmdline_parse(&cl, longkey);
	assert_int_equal(cl.count, 0);
	assert_int_equal(cl.dropped, 1);

	char longval[300] = "v=";
	memset(longval + 2, 'x', 250);
	longval[252] = 0;
	cmdline_parse(&cl, longval);
	assert_int_equal(strlen(cmdline_get(&cl, "v")), CMDLINE_VALUE_MAX - 1);
}

static void
test_kernel_path_skipped(void **state)
{
	assert_string_equal(kernel_cmdline_options("/boot/vmach test=x"), " test=x");
	assert_string_equal(kernel_cmdline_options("build/vmach"), "");
	assert_string_equal(kernel_cmdline_options(""), "");
	assert_string_equal(kernel_cmdline_options("test=boot x=1"), "test=boot x=1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_quotes_and_repeats),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_kernel_path_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
