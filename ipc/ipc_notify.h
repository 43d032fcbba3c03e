/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notifications as messages (<mach/notify.h>): what ipc_notify_hook
 * delivers once set (kern/ipc_kobject.c sets it at boot).
 */
#ifndef IPC_IPC_NOTIFY_H
#define IPC_IPC_NOTIFY_H

#include "ipc/ipc_port.h"

/*
 * Queues notification kind on notify (a send-once right, consumed):
 * port-deleted and dead-name carry name, no-senders mscount,
 * port-destroyed the receive right port (consumed); send-once carries
 * nothing. Never blocks. A notification to a kernel port (which serves no
 * notifications) or one that cannot be built is dropped: its rights are
 * released, port destroyed.
 */
void ipc_notify_send(enum ipc_notify_kind kind, struct ipc_port *notify, mach_port_name_t name,
                     struct ipc_port *port, mach_port_mscount_t mscount);

#endif
