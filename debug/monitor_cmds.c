// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monitor's system commands: mem, irq, uptime, log, input, echo,
 * sleep, reboot, poweroff.
 */
#include "kern/clock.h"
#include "kern/console.h"
#include "kern/cpu.h"
#include "kern/irq.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "debug/monitor.h"
#include "kern/page_alloc.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "kern/wait.h"
#include "x86_64/machine.h"

#define SLEEP_MAX_MS 60000

static kern_return_t
cmd_mem(int argc, char **argv)
{
	struct page_stats ps;
	struct kmalloc_stats ks;

	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: mem");
	page_alloc_stats(&ps);
	kmalloc_stats(&ks);
	kprintf("physical: %lu KiB total, %lu KiB free, %lu KiB used (below 4 GiB %lu KiB free, "
	        "above %lu KiB free)\n",
	        ps.total_pages * 4, ps.free_pages * 4, (ps.total_pages - ps.free_pages) * 4,
	        ps.zone_free[PAGE_ZONE_LOW] * 4, ps.zone_free[PAGE_ZONE_HIGH] * 4);
	uint64_t bytes = 0, objects = 0, pages = 0;
	for (int i = 0; i < KMALLOC_NCLASSES; i++) {
		bytes += ks.ks_class[i].kcs_in_use * ks.ks_class[i].kcs_size;
		objects += ks.ks_class[i].kcs_in_use;
		pages += ks.ks_class[i].kcs_pages;
	}
	kprintf("heap: %lu objects (%lu bytes) in %lu KiB of slab pages; %lu large allocations "
	        "(%lu KiB); %lu failed requests\n",
	        objects, bytes, pages * 4, ks.ks_large_allocs, ks.ks_large_bytes >> 10,
	        ks.ks_failures);
	for (int i = 0; i < KMALLOC_NCLASSES; i++)
		if (ks.ks_class[i].kcs_pages)
			kprintf("  %5lu-byte class: %lu in use, %lu free\n",
			        ks.ks_class[i].kcs_size, ks.ks_class[i].kcs_in_use,
			        ks.ks_class[i].kcs_free);
	return KERN_SUCCESS;
}
MONITOR_COMMAND("mem", "", "physical memory and kernel heap use", cmd_mem);

static kern_return_t
cmd_irq(int argc, char **argv)
{
	struct irq_stat st[64];

	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: irq");
	int n = irq_stats(st, 64);
	kprintf("vector  count       name\n");
	for (int i = 0; i < n; i++)
		kprintf("%6d  %-10lu  %s\n", st[i].vector, st[i].count, st[i].name);
	return KERN_SUCCESS;
}
MONITOR_COMMAND("irq", "", "interrupt counts per vector", cmd_irq);

static void
print_seconds(const char *what, uint64_t ns)
{
	kprintf("%s %lu.%06lu s", what, ns / 1000000000, (ns / 1000) % 1000000);
}

static kern_return_t
cmd_uptime(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: uptime");
	uint64_t up = clock_monotonic_ns();
	print_seconds("up", up);
	for (unsigned i = 0; i < cpu_count; i++) {
		uint64_t idle = cpu_idle_ns(&cpus[i]);
		kprintf(", cpu%u", i);
		print_seconds(" idle", idle);
		print_seconds(" busy", up > idle ? up - idle : 0);
	}
	kprintf(", %lu timer ticks\n", clock_ticks());
	return KERN_SUCCESS;
}
MONITOR_COMMAND("uptime", "", "time since boot, idle and busy time per CPU", cmd_uptime);

static void
print_line(const char *line, void *arg)
{
	kprintf("%s\n", line);
}

static kern_return_t
cmd_log(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: log");
	log_ring_foreach(print_line, NULL);
	return KERN_SUCCESS;
}
MONITOR_COMMAND("log", "", "the kernel log", cmd_log);

static kern_return_t
cmd_input(int argc, char **argv)
{
	struct console_input_stats st;

	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: input");
	console_input_stats(&st);
	kprintf("input: ring %u bytes, %u queued, %lu received, %lu dropped, %lu waits for room\n",
	        st.cis_size, st.cis_queued, st.cis_bytes, st.cis_dropped, st.cis_waits);
	return KERN_SUCCESS;
}
MONITOR_COMMAND("input", "", "console input: ring size, bytes received, dropped", cmd_input);

static kern_return_t
cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		kprintf("%s%s", argv[i], i == argc - 1 ? "" : " ");
	kprintf("\n");
	return KERN_SUCCESS;
}
MONITOR_COMMAND("echo", "[WORD...]", "print the words, one space apart", cmd_echo);

static bool
never(void *arg)
{
	return false;
}

/* Scripts use it to keep the monitor from reading input for a while. */
static kern_return_t
cmd_sleep(int argc, char **argv)
{
	static struct wait_event sleep_event = WAIT_EVENT_INIT("monitor sleep");
	uint64_t ms;

	if (argc != 2 || parse_u64(argv[1], &ms) != KERN_SUCCESS || ms > SLEEP_MAX_MS)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: sleep MS (0-%d)", SLEEP_MAX_MS);
	wait_until(&sleep_event, never, NULL, ms * 1000000);
	return KERN_SUCCESS;
}
MONITOR_COMMAND("sleep", "MS", "wait MS milliseconds without reading input", cmd_sleep);

static kern_return_t
cmd_reboot(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: reboot");
	machine_reboot();
}
MONITOR_COMMAND("reboot", "", "restart the machine", cmd_reboot);

static kern_return_t
cmd_poweroff(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: poweroff");
	machine_poweroff();
}
MONITOR_COMMAND("poweroff", "", "turn the machine off (QEMU exits with status 0)", cmd_poweroff);
