// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vq_split.c: split virtqueues (virtio/vq_split.c, §2.7)
 * against the simulated device: the shared cases of vq_cases.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "tests/host/vq_cases.h"

static bool split;

int
main(void)
{
	const struct CMUnitTest tests[] = {VQ_CASES(&split)};

	return cmocka_run_group_tests_name("vq_split", tests, NULL, NULL);
}
