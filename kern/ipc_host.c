// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's ports (kern/ipc_host.h), made once at boot; they never die. */
#include "kern/ipc_host.h"

#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_notify.h"
#include "ipc/ipc_space.h"
#include "kern/initcall.h"
#include "kern/page_alloc.h"
#include "x86_64/machine.h"
#include "kern/panic.h"

static struct ipc_port *host_port, *host_priv_port, *device_master_port;
static char device_master_object; /* the device interface's (issue 11) stand-in */

static struct ipc_port *
make_kernel_port(enum ipc_kobject_type kind, void *object)
{
	struct ipc_port *p = ipc_port_alloc();

	if (!p)
		panic("ipc_host: no memory for the host ports");
	ipc_port_set_kobject(p, kind, object);
	return p;
}

/*
 * What IPC may hold of the machine's memory, so that a task allocating
 * ports or names, or queueing messages, without end is refused
 * (KERN_RESOURCE_SHORTAGE, MACH_SEND_NO_BUFFER) while the kernel still
 * has memory for everything else: ports and queued messages an eighth of
 * memory each, one space's table a sixteenth.
 */
static void
ipc_size_limits(void)
{
	struct page_stats st;
	uint64_t bytes;

	page_alloc_stats(&st);
	bytes = st.total_pages * PAGE_SIZE;
	ipc_port_max = (long)(bytes / 8 / sizeof(struct ipc_port));
	ipc_kmsg_max_bytes = bytes / 8;
	uint64_t names = bytes / 16 / sizeof(struct ipc_entry);
	ipc_space_max_names =
	    names < IPC_SPACE_MAX_NAMES ? (mach_port_name_t)names : IPC_SPACE_MAX_NAMES;
}

/* IPC's start: its limits and the message queues' hooks, then the host's ports. */
static void
ipc_host_init(void)
{
	ipc_size_limits();
	ipc_mqueue_init();
	ipc_notify_init();
	host_port = make_kernel_port(IKOT_HOST, &host_plain);
	host_priv_port = make_kernel_port(IKOT_HOST_PRIV, &host_priv);
	device_master_port = make_kernel_port(IKOT_MASTER_DEVICE, &device_master_object);
}
INITCALL(INIT_BUS, "ipc", ipc_host_init);

static struct ipc_port *
make_send(struct ipc_port *p)
{
	return p ? ipc_port_make_send(p) : NULL;
}

struct ipc_port *
host_port_make_send(void)
{
	return make_send(host_port);
}

struct ipc_port *
host_priv_port_make_send(void)
{
	return make_send(host_priv_port);
}

struct ipc_port *
device_master_make_send(void)
{
	return make_send(device_master_port);
}

struct host *
ipc_port_to_host(struct ipc_port *p)
{
	return ipc_port_kobject(p, IKOT_HOST, IKOT_HOST_PRIV);
}

struct host *
ipc_port_to_host_priv(struct ipc_port *p)
{
	return ipc_port_kobject(p, IKOT_HOST_PRIV, IKOT_HOST_PRIV);
}

bool
ipc_port_is_device_master(struct ipc_port *p)
{
	return ipc_port_kobject(p, IKOT_MASTER_DEVICE, IKOT_MASTER_DEVICE) != NULL;
}
