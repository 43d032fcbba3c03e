// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host routines of mach_host.defs (kern/ipc_kobject.h): information,
 * the kernel's version, time and reboot, over kern/host.h. A port that is
 * no host port: KERN_INVALID_HOST (KERN_INVALID_ARGUMENT for host_info,
 * as GNU Mach answers); setting the time and rebooting take the
 * privileged host port.
 */
#include <mach/machine.h>

#include "kern/clock.h"
#include "kern/host.h"
#include "kern/page_alloc.h"
#include "kern/processor.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "mig/mach_host_server.h"
#include "x86_64/machine.h"

/* <sys/reboot.h>'s bit, which GNU Mach's host_reboot reads: halt rather than restart. */
#define RB_HALT 0x08

#define NS_PER_SEC 1000000000ULL

static void
basic_info(struct host_basic_info *bi)
{
	struct page_stats st;

	page_alloc_stats(&st);
	bi->max_cpus = 1;
	bi->avail_cpus = 1;
	bi->memory_size = st.total_pages * PAGE_SIZE;
	bi->cpu_type = CPU_TYPE_X86_64;
	bi->cpu_subtype = CPU_SUBTYPE_AT386;
}

kern_return_t
S_host_info(host_t host, int flavor, host_info_t out, mach_msg_type_number_t *count)
{
	if (!host)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case HOST_BASIC_INFO:
		if (*count < HOST_BASIC_INFO_COUNT)
			return KERN_FAILURE;
		basic_info((struct host_basic_info *)out);
		*count = HOST_BASIC_INFO_COUNT;
		return KERN_SUCCESS;
	case HOST_PROCESSOR_SLOTS:
		/* The slot numbers of the processors: one, slot 0. */
		if (*count < 1)
			return KERN_FAILURE;
		out[0] = processor_boot.pr_slot;
		*count = 1;
		return KERN_SUCCESS;
	case HOST_SCHED_INFO: {
		struct host_sched_info *si = (struct host_sched_info *)out;
		if (*count < HOST_SCHED_INFO_COUNT)
			return KERN_FAILURE;
		si->min_timeout = 1000 / CLOCK_TICK_HZ;
		si->min_quantum = 1000 / CLOCK_TICK_HZ;
		*count = HOST_SCHED_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case HOST_LOAD_INFO:
		/* No load average is kept yet: zeros, as an idle machine. */
		if (*count < HOST_LOAD_INFO_COUNT)
			return KERN_FAILURE;
		memset(out, 0, sizeof(struct host_load_info));
		*count = HOST_LOAD_INFO_COUNT;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t
S_host_get_kernel_version(host_t host, kernel_version_t version)
{
	return host_kernel_version(host, version);
}

kern_return_t
S_host_get_time(host_t host, time_value_t *current_time)
{
	return host_get_time(host, current_time);
}

kern_return_t
S_host_get_time64(host_t host, time_value64_t *current_time)
{
	return host_get_time64(host, current_time);
}

kern_return_t
S_host_set_time(host_t host_priv, time_value_t new_time)
{
	return host_set_time(host_priv, new_time);
}

/* The .defs take a plain host_t here; vmach still asks for the privileged port, as host_set_time
 * does. */
kern_return_t
S_host_set_time64(host_t host, time_value64_t new_time)
{
	time_value_t t = {.seconds = new_time.seconds,
	                  .microseconds = (integer_t)(new_time.nanoseconds / 1000)};

	if (new_time.nanoseconds < 0 || (uint64_t)new_time.nanoseconds >= NS_PER_SEC)
		return KERN_INVALID_ARGUMENT;
	return host_set_time(host, t);
}

kern_return_t
S_host_adjust_time(host_t host_priv, time_value_t new_adjustment, time_value_t *old_adjustment)
{
	return host_adjust_time(host_priv, new_adjustment, old_adjustment);
}

kern_return_t
S_host_adjust_time64(host_t host_priv, time_value64_t new_adjustment,
                     time_value64_t *old_adjustment)
{
	time_value_t n = {.seconds = new_adjustment.seconds,
	                  .microseconds = (integer_t)(new_adjustment.nanoseconds / 1000)};
	time_value_t o = {0, 0};
	kern_return_t kr = host_adjust_time(host_priv, n, &o);

	if (kr == KERN_SUCCESS) {
		old_adjustment->seconds = o.seconds;
		old_adjustment->nanoseconds = (int64_t)o.microseconds * 1000;
	}
	return kr;
}

kern_return_t
S_host_get_uptime64(host_t host, time_value64_t *uptime)
{
	uint64_t ns = clock_monotonic_ns();

	if (!host)
		return KERN_INVALID_HOST;
	uptime->seconds = (int64_t)(ns / NS_PER_SEC);
	uptime->nanoseconds = (int64_t)(ns % NS_PER_SEC);
	return KERN_SUCCESS;
}

kern_return_t
S_host_reboot(host_t host_priv, int options)
{
	if (!host_priv)
		return KERN_INVALID_HOST;
	if (options & RB_HALT)
		machine_poweroff();
	machine_reboot();
}
