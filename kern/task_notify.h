/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The new-task notification (gnumach.defs' register_new_task_notification,
 * task_notify.defs' mach_notify_new_task): one port, registered once per
 * boot through the privileged host port (the Hurd's proc server), hears
 * of every task created from then on (kern/task_notify.c).
 */
#ifndef KERN_TASK_NOTIFY_H
#define KERN_TASK_NOTIFY_H

#include <mach/kern_return.h>

#include "ipc/ipc_port.h"
#include "kern/task.h"

/*
 * Takes port (a send right) as the notification port: KERN_NO_ACCESS
 * when one is set already (port is then the caller's to drop). A null
 * port is accepted and changes nothing, as on GNU Mach.
 */
kern_return_t task_notify_register(struct ipc_port *port);

/* Sends mach_notify_new_task for t, made by parent (NULL: none), if a port is registered. */
void task_notify_new(struct task *t, struct task *parent);

#endif
