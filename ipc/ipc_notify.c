// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications as notify.defs messages (ipc/ipc_notify.h), built in
 * kernel form and queued on the send-once right the request gave:
 *
 *	port deleted (65), dead name (72): a MACH_MSG_TYPE_PORT_NAME, 48 bytes
 *	port destroyed (69): the receive right, complex, 48 bytes
 *	no senders (70): the make-send count, a MACH_MSG_TYPE_INTEGER_32, 48 bytes
 *	send once (71): the header alone, 32 bytes
 *
 * The hook runs under space locks (ipc/ipc_right.h): it only allocates
 * and queues, which takes a port's lock.
 */
#include "ipc/ipc_notify.h"

#include "ipc/ipc_mqueue.h"
#include "kern/string.h"

struct notify_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	uint64_t body; /* the name or count (low 4 bytes), or the port pointer */
};

static void
drop_rights(struct ipc_port *notify, struct ipc_port *port)
{
	ipc_port_sonce_release(notify);
	if (port)
		ipc_port_destroy(port);
}

static void
notify_send(enum ipc_notify_kind kind, struct ipc_port *notify, mach_port_name_t name,
            struct ipc_port *port, mach_port_mscount_t mscount)
{
	bool has_body = kind != IPC_NOTIFY_SEND_ONCE;
	mach_msg_size_t size = has_body ? sizeof(struct notify_msg) : sizeof(mach_msg_header_t);
	struct ipc_kmsg km;

	if (!ipc_kmsg_alloc(&ipc_kernel_msg_ops, size, &km)) {
		drop_rights(notify, port);
		return;
	}
	struct notify_msg *m = (struct notify_msg *)km.buf; /* room for the body either way */
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	m->head.msgh_size = size;
	m->head.msgh_id = kind;
	memcpy((uint8_t *)m + 8, &notify, sizeof notify); /* the 8-byte remote slot */
	m->type.msgt_size = 32;
	m->type.msgt_number = 1;
	m->type.msgt_inline = 1;
	switch (kind) {
	case IPC_NOTIFY_PORT_DESTROYED:
		m->head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		m->type.msgt_name = MACH_MSG_TYPE_PORT_RECEIVE;
		m->type.msgt_size = 64;
		memcpy(&m->body, &port, sizeof port);
		break;
	case IPC_NOTIFY_NO_SENDERS:
		m->type.msgt_name = MACH_MSG_TYPE_INTEGER_32;
		m->body = mscount;
		break;
	case IPC_NOTIFY_SEND_ONCE:
		break;
	default:
		m->type.msgt_name = MACH_MSG_TYPE_PORT_NAME;
		m->body = name;
		break;
	}
	ipc_mqueue_send_kernel(&km);
}

void
ipc_notify_init(void)
{
	ipc_notify_hook = notify_send;
}
