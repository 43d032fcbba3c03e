// SPDX-License-Identifier: GPL-2.0-or-later
/* kmain: the boot sequence, from the Multiboot hand-over to the monitor or a test. */
#include "kern/boot_info.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/console.h"
#include "kern/cpu.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/ktest.h"
#include "kern/log.h"
#include "kern/mem_init.h"
#include "kern/monitor.h"
#include "kern/panic.h"
#include "kern/pci.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "x86_64/acpi.h"
#include "x86_64/apic.h"
#include "x86_64/cpu.h"
#include "x86_64/serial.h"
#include "x86_64/trap.h"

#define TIMER_HZ 100

void kmain(uint32_t magic, uint64_t info_phys);

static void
interrupts_init(void)
{
	acpi_init();
	pic_disable();
	lapic_init();
	ioapic_init();
	lapic_timer_start(TIMER_HZ);
	irq_enable();
	serial_enable_rx_irq();
}

void
kmain(uint32_t magic, uint64_t info_phys)
{
	serial_init();
	cpu_init_boot();
	trap_init();
	kprintf("\nvmach: a Mach-family microkernel for virtual machines\n");
	clock_init(); /* first, so every log line has a timestamp */
	boot_info_parse(magic, info_phys);
	cmdline_parse(&kernel_cmdline, kernel_cmdline_options(boot_info.cmdline));
	if (kernel_option("loglevel")) {
		unsigned long lv;
		if (!monitor_parse_u64(kernel_option("loglevel"), &lv) && lv <= LOG_DEBUG)
			log_console_level = (enum log_level)lv;
	}
	log_info("command line: '%s'", boot_info.cmdline);
	mem_init();
	kmalloc_init();
	interrupts_init();
	pci_init();
	initcalls_run();

	const char *test = kernel_option("test");
	if (test) {
		ktest_run(test);
		panic("no test named '%s'", test);
	}
	const char *mon = kernel_option("monitor");
	if (mon && !strcmp(mon, "off")) {
		log_info("monitor=off: idling");
		for (;;)
			cpu_idle_wait();
	}
	monitor_run();
}
