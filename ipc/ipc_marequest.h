/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Msg-accepted requests (MACH_SEND_NOTIFY), as GNU Mach 2025 keeps them:
 * a send to a full queue with MACH_SEND_NOTIFY waits as MACH_SEND_TIMEOUT
 * asks (not at all without it), then queues the message past the limit,
 * returns MACH_SEND_WILL_NOTIFY and, once that message is received or
 * destroyed, sends a msg-accepted notification (notify.defs, id 66, the
 * sender's name for the port) to a send-once right made from the notify
 * receive right. One request per port and sending space at a time
 * (MACH_SEND_NOTIFY_IN_PROGRESS). docs/ipc.md "Queues".
 *
 * A request is keyed by the queue entry of its message; the queue code
 * calls the hooks below only while a request exists (ipc_marequest_count).
 */
#ifndef IPC_IPC_MAREQUEST_H
#define IPC_IPC_MAREQUEST_H

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_space.h"

/* Requests alive (the queue's cheap check). */
extern unsigned ipc_marequest_count;

/*
 * Sends km (copied in, consumed unless an error says otherwise) for
 * mach_msg with MACH_SEND_NOTIFY: MACH_MSG_SUCCESS, MACH_SEND_WILL_NOTIFY
 * (queued past the limit), or an error with km still the caller's:
 * MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED, MACH_SEND_INVALID_NOTIFY (a
 * null notify name, or not a receive right), MACH_SEND_NOTIFY_IN_PROGRESS,
 * MACH_SEND_NO_NOTIFY (no memory, or past the bound on queued bytes).
 */
mach_msg_return_t ipc_marequest_send(struct ipc_space *s, struct ipc_kmsg *km,
                                     mach_msg_option_t option, uint64_t timeout_ns,
                                     mach_port_name_t notify);

/* m left its queue, received or destroyed (no port lock held): its notification, if any, goes now.
 */
void ipc_marequest_gone(struct ipc_msg_head *m);
/* s is dying: its pending requests will name MACH_PORT_NULL, as GNU Mach's do. */
void ipc_marequest_space_gone(struct ipc_space *s);

#endif
