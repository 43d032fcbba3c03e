// SPDX-License-Identifier: GPL-2.0-or-later
/* The in-kernel test runner and its TAP output. */
#include "debug/ktest.h"

#include <stdarg.h>

#include "kern/cmdline.h"
#include "kern/exit.h"
#include "kern/initcall.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "x86_64/machine.h"

extern const struct ktest ktest_start[], ktest_end[];

static int ktap_planned = -1, ktap_run, ktap_failed;

void
ktap_plan(int count)
{
	ktap_planned = count;
	kprintf("1..%d\n", count);
}

bool
ktap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_run++;
	if (!cond)
		ktap_failed++;
	kprintf("%sok %d - %pV\n", cond ? "" : "not ", ktap_run, &(struct va_format){fmt, &ap});
	va_end(ap);
	return cond;
}

void
ktap_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kprintf("# %pV\n", &(struct va_format){fmt, &ap});
	va_end(ap);
}

static void
ktest_run(const char *name)
{
	for (const struct ktest *t = ktest_start; t < ktest_end; t++) {
		if (strcmp(t->kt_name, name))
			continue;
		kprintf("# ktest %s: %s\n", t->kt_name, t->kt_title);
		t->kt_fn();
		bool pass = ktap_failed == 0 && ktap_planned == ktap_run;
		if (ktap_planned != ktap_run)
			kprintf("# planned %d tests but ran %d\n", ktap_planned, ktap_run);
		machine_debug_exit(pass ? EXIT_PASS : EXIT_FAIL);
	}
}

/* test=NAME: run that test and leave QEMU with its verdict. */
static void
ktest_start_chosen(void)
{
	const char *name = kernel_option("test");

	if (!name)
		return;
	ktest_run(name);
	panic("no test named '%s'", name);
}
INITCALL(INIT_TEST, "ktest", ktest_start_chosen);
