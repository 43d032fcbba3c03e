/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's ports (docs/ipc.md "Kernel objects"): the host port
 * (IKOT_HOST, any task gets it from mach_host_self), the privileged host
 * port (IKOT_HOST_PRIV) and the device master port (IKOT_MASTER_DEVICE),
 * which only the boot tasks given ${host-port} and ${device-port} hold.
 */
#ifndef KERN_IPC_HOST_H
#define KERN_IPC_HOST_H

#include "ipc/ipc_port.h"
#include "kern/host.h"

/* New send rights (NULL before the ports exist or without memory). */
struct ipc_port *host_port_make_send(void);
struct ipc_port *host_priv_port_make_send(void);
struct ipc_port *device_master_make_send(void);

/* The host behind a host or privileged host port, or NULL. */
struct host *ipc_port_to_host(struct ipc_port *p);
/* The privileged host behind a privileged host port only, or NULL. */
struct host *ipc_port_to_host_priv(struct ipc_port *p);
/* Whether p is the device master port. */
bool ipc_port_is_device_master(struct ipc_port *p);

#endif
