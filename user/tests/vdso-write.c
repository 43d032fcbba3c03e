// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `vdso-write vvar` or `vdso-write text`: stores into the vvar page or the
 * vDSO's text, which are read-only: the task must die there (the test
 * marks it `!`: it must start and must not finish).
 */
#include <string.h>
#include <tap.h>
#include <vdso.h>

int
main(int argc, char **argv)
{
	uint64_t base = auxv_get(AT_SYSINFO_EHDR);
	volatile uint32_t *p = (volatile uint32_t *)(argc > 1 && !strcmp(argv[1], "text")
	                                                 ? base
	                                                 : base - 4096);

	tap_plan(2);
	tap_ok(base != 0, "the vDSO is at %#lx", (unsigned long)base);
	*p = *p; /* must fault */
	tap_ok(0, "the store to %p went through", (void *)p);
	return tap_done();
}
