/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mach_msg's kernel RPC path (docs/ipc.md "The kernel RPC path"), for
 * ipc/mach_msg.c: a request to a kernel object whose reply comes back to
 * the caller, served and answered without kernel messages in between.
 */
#ifndef IPC_MACH_MSG_KOBJECT_H
#define IPC_MACH_MSG_KOBJECT_H

#include "ipc/ipc_mqueue.h"

/*
 * km: a request without a body in kernel form (read from the caller,
 * consumed here), to a send right of a kernel object's port, with a
 * send-once right made from the receive right rcv_name names as its reply
 * port; the caller receives on rcv_name next, into msg (rcv_size bytes),
 * with no option. Serves it (ipc_kobject_serve_hook) and, when the reply
 * can be written straight to the caller, writes it: true, *mr the
 * receive's result. Otherwise false, with the reply in kernel form in
 * *reply (buf NULL: none) for the caller's general receive
 * (ipc/mach_msg.c's rpc_receive).
 */
bool ipc_kobject_rpc(struct ipc_space *space, struct ipc_kmsg *km, uint64_t msg,
                     mach_msg_size_t rcv_size, mach_port_name_t rcv_name, struct ipc_kmsg *reply,
                     mach_msg_return_t *mr);

#endif
