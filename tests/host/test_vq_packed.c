// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vq_packed.c: packed virtqueues (virtio/vq_packed.c, §2.8)
 * against the simulated device: the shared cases of vq_cases.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "tests/host/vq_cases.h"

static bool packed = true;

int
main(void)
{
	const struct CMUnitTest tests[] = {VQ_CASES(&packed)};

	return cmocka_run_group_tests_name("vq_packed", tests, NULL, NULL);
}
