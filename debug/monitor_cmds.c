// SPDX-License-Identifier: GPL-2.0-or-later
/* The monitor's system commands: mem, irq, uptime, log, reboot, poweroff. */
#include "kern/clock.h"
#include "kern/cpu.h"
#include "kern/irq.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "debug/monitor.h"
#include "kern/page_alloc.h"
#include "kern/printf.h"
#include "x86_64/machine.h"

static int
cmd_mem(int argc, char **argv)
{
	struct page_stats ps;
	struct kmalloc_stats ks;

	if (argc != 1)
		return monitor_error("usage: mem");
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
	return 0;
}
MONITOR_COMMAND("mem", "", "physical memory and kernel heap use", cmd_mem);

static int
cmd_irq(int argc, char **argv)
{
	struct irq_stat st[64];

	if (argc != 1)
		return monitor_error("usage: irq");
	int n = irq_stats(st, 64);
	kprintf("vector  count       name\n");
	for (int i = 0; i < n; i++)
		kprintf("%6d  %-10lu  %s\n", st[i].vector, st[i].count, st[i].name);
	return 0;
}
MONITOR_COMMAND("irq", "", "interrupt counts per vector", cmd_irq);

static void
print_seconds(const char *what, uint64_t ns)
{
	kprintf("%s %lu.%06lu s", what, ns / 1000000000, (ns / 1000) % 1000000);
}

static int
cmd_uptime(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error("usage: uptime");
	uint64_t up = clock_monotonic_ns();
	print_seconds("up", up);
	for (unsigned i = 0; i < cpu_count; i++) {
		uint64_t idle = cpu_idle_ns(&cpus[i]);
		kprintf(", cpu%u", i);
		print_seconds(" idle", idle);
		print_seconds(" busy", up > idle ? up - idle : 0);
	}
	kprintf(", %lu timer ticks\n", clock_ticks());
	return 0;
}
MONITOR_COMMAND("uptime", "", "time since boot, idle and busy time per CPU", cmd_uptime);

static void
print_line(const char *line, void *arg)
{
	kprintf("%s\n", line);
}

static int
cmd_log(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error("usage: log");
	log_ring_foreach(print_line, NULL);
	return 0;
}
MONITOR_COMMAND("log", "", "the kernel log", cmd_log);

static int
cmd_reboot(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error("usage: reboot");
	machine_reboot();
}
MONITOR_COMMAND("reboot", "", "restart the machine", cmd_reboot);

static int
cmd_poweroff(int argc, char **argv)
{
	if (argc != 1)
		return monitor_error("usage: poweroff");
	machine_poweroff();
}
MONITOR_COMMAND("poweroff", "", "turn the machine off (QEMU exits with status 0)", cmd_poweroff);
