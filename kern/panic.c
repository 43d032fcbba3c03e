// SPDX-License-Identifier: GPL-2.0-or-later
/* panic(): report, backtrace, then leave with EXIT_PANIC. */
#include "kern/panic.h"

#include <stdarg.h>

#include "kern/exit.h"
#include "kern/ksyms.h"
#include "kern/printf.h"
#include "x86_64/machine.h"

static int panicking;

static void __attribute__((noreturn)) panic_finish(void)
{
	kprintf("--- end of panic ---\n");
	machine_debug_exit(EXIT_PANIC);
}

static void
panic_header(const char *fmt, va_list ap)
{
	irq_disable();
	if (panicking++) {
		kprintf("\npanic while panicking\n");
		machine_debug_exit(EXIT_PANIC);
	}
	kprintf("\npanic: ");
	kvprintf(fmt, ap);
	kprintf("\n");
}

void
panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t fp = machine_frame_pointer();

	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	ksyms_backtrace((uint64_t)__builtin_return_address(0), ((uint64_t *)fp)[0]);
	panic_finish();
}

void
panic_frame(const struct trap_frame *tf, const char *fmt, ...)
{
	va_list ap;
	uint64_t pc, fp;

	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	machine_trap_dump(tf);
	machine_trap_where(tf, &pc, &fp);
	ksyms_backtrace(pc, fp);
	panic_finish();
}
