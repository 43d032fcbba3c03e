// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bugs the hostile task (ipc-hostile.c) found, tested directly:
 * - a receive right sent in a message to its own port, or into a loop
 *   (A's receive right queued on B, then B's sent to A), could never be
 *   received again: vmach kept both ports and their queues for ever. As
 *   in GNU Mach, such a message is destroyed at the send, which succeeds,
 *   so the ports die and their send rights turn into dead names;
 * - mach_port_insert_right with a polymorphic argument whose type names
 *   no right (an integer where the port goes): vmach read the integer as
 *   a port and panicked. GNU Mach: KERN_INVALID_VALUE.
 * Checked on GNU Mach first (tests/gnumach/ipc.t).
 */
#include "ipc-util.h"

struct port_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	mach_port_t port; /* the 4-byte name in an 8-byte slot */
	uint32_t pad;
};

/* Sends the receive right r to dest, a send right. */
static mach_msg_return_t
send_receive_right(mach_port_t dest, mach_port_t r)
{
	struct port_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = 1;
	set_type(&m.type, MACH_MSG_TYPE_MOVE_RECEIVE, 64, 1, 1);
	m.port = r;
	return msg_send(&m, sizeof(m));
}

static void
test_self_loop(void)
{
	mach_port_t a = new_receive_send();
	is_kr(send_receive_right(a, a), MACH_MSG_SUCCESS,
	      "a receive right sent to its own port: the send succeeds");
	is_kr(ptype(a), MACH_PORT_TYPE_DEAD_NAME,
	      "the message was destroyed: the port died, its send right is a dead name");
	mach_port_destroy(self, a);
}

static void
test_two_port_loop(void)
{
	mach_port_t a = new_receive_send(), b = new_receive_send();
	is_kr(send_receive_right(a, b), MACH_MSG_SUCCESS, "B's receive right queued on A");
	is_kr(send_receive_right(b, a), MACH_MSG_SUCCESS,
	      "A's receive right sent to B (a loop): the send succeeds");
	is_kr(ptype(a), MACH_PORT_TYPE_DEAD_NAME, "A died");
	is_kr(ptype(b), MACH_PORT_TYPE_DEAD_NAME, "B died with A's queue");
	mach_port_destroy(self, a);
	mach_port_destroy(self, b);
}

/* mach_port_insert_right (3215) by hand, its poly argument an INTEGER_64. */
static void
test_insert_right_integer(void)
{
	union {
		struct {
			mach_msg_header_t head;
			mach_msg_type_t name_type;
			mach_port_t name;
			uint32_t pad;
			mach_msg_type_t poly_type;
			uint64_t poly;
		} m;
		mig_reply_header_t r;
	} u;
	mach_port_t rp = mach_reply_port();

	memset(&u, 0, sizeof(u));
	u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.m.head.msgh_remote_port = self;
	u.m.head.msgh_local_port = rp;
	u.m.head.msgh_id = 3215;
	set_type(&u.m.name_type, MACH_MSG_TYPE_PORT_NAME, 32, 1, 1);
	u.m.name = 0x777;
	set_type(&u.m.poly_type, MACH_MSG_TYPE_INTEGER_64, 64, 1, 1);
	u.m.poly = 6;
	mach_msg_return_t mr = mach_msg(&u.m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
	                                sizeof(u.m), sizeof(u), rp, 1000, MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && u.r.RetCode == KERN_INVALID_VALUE,
	       "insert_right with an integer for the right: KERN_INVALID_VALUE (mr %#x, ret %d)",
	       mr, u.r.RetCode);
	is_kr(ptype(0x777), 0x80000000u | KERN_INVALID_NAME, "nothing was inserted");
	mach_port_destroy(self, rp);
}

int
main(void)
{
	ipc_init();
	tap_plan(8);
	test_self_loop();
	test_two_port_loop();
	test_insert_right_integer();
	return tap_done();
}
