// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications as messages (ipc/ipc_notify.h), built directly in kernel
 * form: GNU Mach's layouts from <mach/notify.h>, sent to the send-once
 * right with MACH_MSGH_BITS(PORT_SEND_ONCE, 0) and msgh_id the kind.
 */
#include "ipc/ipc_notify.h"

#include "ipc/ipc_mqueue.h"
#include "kern/kmalloc.h"
#include "kern/string.h"

static void
drop(struct ipc_port *notify, struct ipc_port *port)
{
	ipc_port_sonce_release(notify);
	if (port)
		ipc_port_destroy(port);
}

static bool
is_kernel_port(struct ipc_port *p)
{
	bool k;

	spin_lock(&p->ip_lock);
	k = p->ip_kotype != IKOT_NONE;
	spin_unlock(&p->ip_lock);
	return k;
}

/* The body's one datum: its type and 8-byte slot (a name, a count or the receive right). */
static void
put_datum(uint8_t *b, unsigned type_name, unsigned size, uint64_t v)
{
	mach_msg_type_t t = {
	    .msgt_name = type_name,
	    .msgt_size = size,
	    .msgt_number = 1,
	    .msgt_inline = 1,
	};
	memcpy(b + sizeof(mach_msg_header_t), &t, sizeof t);
	memcpy(b + sizeof(mach_msg_header_t) + sizeof t, &v, sizeof v);
}

void
ipc_notify_send(enum ipc_notify_kind kind, struct ipc_port *notify, mach_port_name_t name,
                struct ipc_port *port, mach_port_mscount_t mscount)
{
	size_t size = kind == IPC_NOTIFY_SEND_ONCE ? sizeof(mach_send_once_notification_t)
	                                           : sizeof(mach_dead_name_notification_t);
	struct ipc_kmsg km = {.size = (mach_msg_size_t)size};
	mach_msg_header_t h = {0};

	_Static_assert(sizeof(mach_dead_name_notification_t) == 48, "GNU Mach's notification size");
	_Static_assert(sizeof(mach_port_destroyed_notification_t) == 48, "the same size");
	/* A kernel port serves no notifications; one sent there would loop back into the server. */
	if (!IPC_PORT_VALID(notify) || is_kernel_port(notify) || !(km.buf = kzalloc(size))) {
		if (IPC_PORT_VALID(notify))
			drop(notify, port);
		else if (port)
			ipc_port_destroy(port);
		return;
	}
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	h.msgh_size = km.size;
	h.msgh_id = kind;
	switch (kind) {
	case IPC_NOTIFY_PORT_DELETED:
	case IPC_NOTIFY_DEAD_NAME:
		put_datum(km.buf, MACH_MSG_TYPE_PORT_NAME, 32, name);
		break;
	case IPC_NOTIFY_NO_SENDERS:
		put_datum(km.buf, MACH_MSG_TYPE_INTEGER_32, 32, mscount);
		break;
	case IPC_NOTIFY_PORT_DESTROYED:
		h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		put_datum(km.buf, MACH_MSG_TYPE_PORT_RECEIVE, 64, (uint64_t)(uintptr_t)port);
		break;
	case IPC_NOTIFY_SEND_ONCE:
		break;
	}
	memcpy(km.buf, &h, sizeof h);
	memcpy(km.buf + 8, &notify, sizeof notify); /* the remote slot: the send-once right */
	ipc_mqueue_send_kernel(&km);
}
