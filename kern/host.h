/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host: the machine as Mach names it (mach_host.defs). These are the
 * kernel functions behind the host RPCs; the IPC issue serves them through
 * the host port (any task) and the privileged host port (the boot tasks
 * given ${host-port}). The privileged calls take the host_priv object.
 */
#ifndef KERN_HOST_H
#define KERN_HOST_H

#include <mach/kern_return.h>
#include <mach/time_value.h>

struct host {
	int h_privileged; /* the host_priv object, not the plain host */
};

extern struct host host_plain, host_priv;

/* The version string of host_kernel_version (kernel_version_t: 512 bytes). */
#define HOST_KERNEL_VERSION_MAX 512

kern_return_t host_get_time(struct host *host, time_value_t *current_time);
kern_return_t host_get_time64(struct host *host, time_value64_t *current_time);
/* KERN_INVALID_HOST unless host is the privileged host. */
kern_return_t host_set_time(struct host *host, time_value_t new_time);
kern_return_t host_adjust_time(struct host *host, time_value_t new_adjustment,
                               time_value_t *old_adjustment);
kern_return_t host_kernel_version(struct host *host, char version[HOST_KERNEL_VERSION_MAX]);

#endif
