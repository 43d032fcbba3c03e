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

#endif
