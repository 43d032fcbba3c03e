// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MACH_SEND_NOTIFY: a send to a full queue is queued past the limit with
 * MACH_SEND_WILL_NOTIFY, and a msg-accepted notification (id 66, the
 * sender's name for the port) comes once that message is received, or
 * destroyed with its port. One such message per port and space at a time
 * (MACH_SEND_NOTIFY_IN_PROGRESS); a null or bad notify port:
 * MACH_SEND_INVALID_NOTIFY, the message given back. Checked on GNU Mach
 * first (tests/gnumach/ipc.t).
 */
#include "ipc-util.h"

struct int_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t value;
};

/* notify.defs' msg-accepted notification: the port's name. */
struct accepted_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	mach_port_t name;
	uint32_t pad;
};

static mach_msg_return_t
send_int(mach_port_t dest, int64_t v, mach_msg_option_t option, mach_port_t notify)
{
	struct int_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = 7000;
	set_type(&m.type, MACH_MSG_TYPE_INTEGER_64, 64, 1, 1);
	m.value = v;
	return mach_msg(&m.head, MACH_SEND_MSG | option, sizeof(m), 0, MACH_PORT_NULL, 0, notify);
}

/* The value of the next message on p, or -1. */
static int64_t
recv_int(mach_port_t p)
{
	struct int_msg m;
	memset(&m, 0, sizeof(m));
	return msg_recv(&m.head, sizeof(m), p) == MACH_MSG_SUCCESS ? m.value : -1;
}

/* The name a msg-accepted notification on n carries, or 0x8000_0000 | mr. */
static mach_port_t
accepted(mach_port_t n, struct accepted_msg *a)
{
	memset(a, 0, sizeof(*a));
	mach_msg_return_t mr = msg_recv(&a->head, sizeof(*a), n);
	if (mr != MACH_MSG_SUCCESS)
		return 0x80000000u | mr;
	show_header("accepted", &a->head);
	return a->head.msgh_id == MACH_NOTIFY_MSG_ACCEPTED ? a->name : 0x40000000u;
}

static unsigned
queued(mach_port_t p)
{
	return pstatus(p).mps_msgcount;
}

int
main(void)
{
	ipc_init();
	tap_plan(22);
	mach_port_t p = new_receive_send(), n = new_receive(), q = new_receive_send();
	mach_port_set_qlimit(self, p, 1);
	mach_port_set_qlimit(self, q, 1);

	is_kr(send_int(p, 1, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS, "fill p (limit 1)");
	is_kr(send_int(p, 2, MACH_SEND_TIMEOUT, MACH_PORT_NULL), MACH_SEND_TIMED_OUT,
	      "a timed send to it: MACH_SEND_TIMED_OUT");
	is_kr(send_int(p, 3, MACH_SEND_NOTIFY, n), MACH_SEND_WILL_NOTIFY,
	      "MACH_SEND_NOTIFY: MACH_SEND_WILL_NOTIFY");
	tap_is_int(queued(p), 2, "queued past the limit");
	is_kr(send_int(p, 4, MACH_SEND_NOTIFY, n), MACH_SEND_NOTIFY_IN_PROGRESS,
	      "again: MACH_SEND_NOTIFY_IN_PROGRESS");
	is_kr(send_int(p, 5, MACH_SEND_NOTIFY, MACH_PORT_NULL), MACH_SEND_INVALID_NOTIFY,
	      "a null notify port: MACH_SEND_INVALID_NOTIFY");
	tap_is_int(queued(p), 2, "neither was queued");

	is_kr(send_int(q, 1, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS, "fill q");
	is_kr(send_int(q, 2, MACH_SEND_NOTIFY, q + 0x100), MACH_SEND_INVALID_NOTIFY,
	      "a notify name that is no right: MACH_SEND_INVALID_NOTIFY");
	mach_port_t host = mach_host_self();
	is_kr(send_int(q, 3, MACH_SEND_NOTIFY, host), MACH_SEND_INVALID_NOTIFY,
	      "a notify name with a send right only: MACH_SEND_INVALID_NOTIFY");
	mach_port_deallocate(self, host);
	tap_is_int(queued(q), 1, "q still holds one");

	tap_is_int(queued(n), 0, "no notification while the message waits");
	tap_ok(recv_int(p) == 1 && queued(n) == 0,
	       "the first message received: still none (it was not the forced one)");
	struct accepted_msg a;
	tap_ok(recv_int(p) == 3, "the forced message is received");
	mach_port_t name = accepted(n, &a);
	tap_ok(name == p, "then a msg-accepted notification names p (%#x)", name);
	tap_ok(a.head.msgh_size == 48 && a.type.msgt_name == MACH_MSG_TYPE_PORT_NAME &&
	           a.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE),
	       "48 bytes, a port name, to a send-once right");

	/* A forced message destroyed with its port: notified too, the name gone with it. */
	send_int(p, 6, 0, MACH_PORT_NULL);
	is_kr(send_int(p, 7, MACH_SEND_NOTIFY, n), MACH_SEND_WILL_NOTIFY,
	      "a new forced message (the request was used up)");
	tap_is_int(mach_port_destroy(self, p), KERN_SUCCESS, "p destroyed with it queued");
	name = accepted(n, &a);
	tap_ok(name == MACH_PORT_NULL, "the notification comes, naming nothing (%#x)", name);

	/* Room in the queue: a plain send, no notification. */
	recv_int(q);
	is_kr(send_int(q, 8, MACH_SEND_NOTIFY, n), MACH_MSG_SUCCESS,
	      "MACH_SEND_NOTIFY with room: MACH_MSG_SUCCESS");
	recv_int(q);
	tap_is_int(queued(n), 0, "and no notification");

	/* Send and receive in one call: WILL_NOTIFY ends it before the receive. */
	send_int(q, 9, 0, MACH_PORT_NULL);
	struct int_msg m;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = q;
	set_type(&m.type, MACH_MSG_TYPE_INTEGER_64, 64, 1, 1);
	m.value = 10;
	is_kr(mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_NOTIFY | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
	               sizeof(m), sizeof(m), q, 0, n),
	      MACH_SEND_WILL_NOTIFY, "send and receive: MACH_SEND_WILL_NOTIFY, no receive");
	return tap_done();
}
