// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmain: the boot sequence, from the Multiboot hand-over to the start-up
 * hooks (kern/initcall.h), which start the boot tasks, a test or the
 * monitor's thread; then the boot thread ends and the scheduler runs them.
 */
#include "kern/boot_info.h"
#include "kern/boot_phase.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/console.h"
#include "kern/cpu.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/mem_init.h"
#include "kern/printf.h"
#include "kern/realtime.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "x86_64/machine.h"

void kmain(uint32_t magic, uint64_t info_phys);

static void
loglevel_init(void)
{
	const char *opt = kernel_option("loglevel");
	uint64_t lv;

	if (opt && parse_u64(opt, &lv) == KERN_SUCCESS && lv <= LOG_DEBUG)
		log_console_level = (enum log_level)lv;
}

void
kmain(uint32_t magic, uint64_t info_phys)
{
	cpu_init_boot(); /* the console and traps work from here */
	kprintf("\nvmach: a Mach-family microkernel for virtual machines\n");
	boot_phase_end("cpu, console");
	clock_init(); /* first, so every log line has a timestamp */
	realtime_init();
	boot_phase_end("clock (TSC frequency)");
	boot_info_parse(magic, info_phys);
	cmdline_parse(&kernel_cmdline, kernel_cmdline_options(boot_info.cmdline));
	loglevel_init();
	log_info("command line: '%s'", boot_info.cmdline);
	boot_phase_end("boot info, command line");
	mem_init(); /* marks its own phases */
	kmalloc_init();
	boot_phase_end("heap");
	thread_bootstrap(); /* from here on this flow of control is the boot thread */
	machine_interrupts_init(CLOCK_TICK_HZ); /* marks its own phases */
	initcalls_run();                        /* marks each hook, reports the phases */
	log_info("start-up done: the boot thread ends");
	thread_terminate_self();
}
