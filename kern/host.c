// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's time and version (kern/host.h). */
#include "kern/host.h"

#include "kern/realtime.h"
#include "kern/string.h"

#define NS_PER_SEC 1000000000LL

struct host host_plain = {.h_privileged = 0};
struct host host_priv = {.h_privileged = 1};

static const char kernel_version[] = "vmach 0.9: a Mach-family microkernel for virtual machines "
                                     "(GNU Mach 1.8 interfaces, x86_64)";

kern_return_t
host_get_time(struct host *host, time_value_t *t)
{
	uint64_t ns;

	if (!host)
		return KERN_INVALID_HOST;
	ns = realtime_ns();
	t->seconds = (long)(ns / NS_PER_SEC);
	t->microseconds = (int)(ns % NS_PER_SEC / 1000);
	return KERN_SUCCESS;
}

kern_return_t
host_get_time64(struct host *host, time_value64_t *t)
{
	uint64_t ns;

	if (!host)
		return KERN_INVALID_HOST;
	ns = realtime_ns();
	t->seconds = (int64_t)(ns / NS_PER_SEC);
	t->nanoseconds = (int64_t)(ns % NS_PER_SEC);
	return KERN_SUCCESS;
}

/* A time value as nanoseconds (microseconds may be out of range, as a caller gives them). */
static int64_t
tv_ns(time_value_t t)
{
	return (int64_t)t.seconds * NS_PER_SEC + (int64_t)t.microseconds * 1000;
}

kern_return_t
host_set_time(struct host *host, time_value_t new_time)
{
	if (!host || !host->h_privileged)
		return KERN_INVALID_HOST;
	realtime_set((uint64_t)tv_ns(new_time));
	return KERN_SUCCESS;
}

kern_return_t
host_adjust_time(struct host *host, time_value_t new_adjustment, time_value_t *old_adjustment)
{
	int64_t old;

	if (!host || !host->h_privileged)
		return KERN_INVALID_HOST;
	old = realtime_adjust(tv_ns(new_adjustment));
	old_adjustment->seconds = (long)(old / NS_PER_SEC);
	old_adjustment->microseconds = (int)(old % NS_PER_SEC / 1000);
	return KERN_SUCCESS;
}

kern_return_t
host_kernel_version(struct host *host, char version[HOST_KERNEL_VERSION_MAX])
{
	if (!host)
		return KERN_INVALID_HOST;
	strlcpy(version, kernel_version, HOST_KERNEL_VERSION_MAX);
	return KERN_SUCCESS;
}
