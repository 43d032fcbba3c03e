/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's RPC server: every message to a port the kernel receives on
 * (ip_kotype != IKOT_NONE) is served here, on the sender's thread, by the
 * MIG KernelServer stubs of mach, mach_port, mach_host, gnumach and mach4
 * (mig/mig.mk) and the S_ routines behind them (kern/server_*.c), as GNU
 * Mach's ipc_kobject_server does (docs/ipc.md "Kernel servers").
 *
 * The contract with the routines (GNU Mach's and MIG's): a routine that
 * returns KERN_SUCCESS (or MIG_NO_REPLY) has consumed the rights and
 * memory its request carried; one that fails has touched none of them,
 * and the server destroys the request. The destination right is always
 * released here; the reply port moves into the reply.
 */
#ifndef KERN_IPC_KOBJECT_H
#define KERN_IPC_KOBJECT_H

#include <mach/mig_errors.h>

#include "ipc/ipc_kmsg.h"

/*
 * Serves req (kernel form, consumed) and gives the reply in kernel form in
 * *reply, or reply->buf NULL for none (no reply port, MIG_NO_REPLY, or no
 * memory). An id no interface knows gets GNU Mach's 48-byte reply: id +
 * 100, MIG_BAD_ID at offset 40. May block (in the routine: gsync_wait).
 */
void ipc_kobject_server(struct ipc_kmsg *req, struct ipc_kmsg *reply);
/*
 * mach_msg's kernel RPC path (ipc/mach_msg_kobject.c) reaches the server
 * as ipc_kobject_serve_hook (ipc/ipc_mqueue.h): a request without a body,
 * its destination right left to the caller, served into a reply buffer;
 * the reply, when it cannot go straight to the caller, as
 * ipc_kobject_reply_hook.
 */

/*
 * A server of a layer above kern/ (device/ serves device.defs): its MIG
 * lookup (NAME_server_routine), tried after the linked interfaces. At
 * start-up only.
 */
typedef mig_routine_t ipc_kobject_lookup_fn(const mach_msg_header_t *in);
void ipc_kobject_add_server(ipc_kobject_lookup_fn *lookup);

/*
 * Notifications to kernel ports of one kind (no-senders on a device port):
 * fn(port, msg) runs on a kernel thread with no lock held, some time
 * after the notification was sent; the message (and the send-once right
 * that keeps port alive) is destroyed after it returns. Notifications to
 * kinds without a handler are dropped.
 */
typedef void ipc_kobject_notify_handler_fn(struct ipc_port *port, const mach_msg_header_t *msg);
void ipc_kobject_set_notify(enum ipc_kobject_type kind, ipc_kobject_notify_handler_fn *fn);
/*
 * Arms the kernel's no-senders request on port, a kernel object's whose
 * receive right the kernel holds (ipc_port_nsrequest_self): the handler
 * of its kind gets the notification. Starts the thread that serves them
 * at the first call. Thread context, no lock held. KERN_SUCCESS, or
 * KERN_RESOURCE_SHORTAGE (no thread: nothing armed).
 */
kern_return_t ipc_kobject_nsrequest(struct ipc_port *port);

#endif
