// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Port sets: members moved in and out, receiving from the set (the message
 * names its member in msgh_local_port), get_set_status, a port in one set
 * at a time, a member's queued messages when it moves or dies, and
 * destroying the set. Checked on GNU Mach 2025 (tests/gnumach/ipc.t).
 */
#include "ipc-util.h"

#define UNUSED_NAME 0x4321

static mach_msg_return_t
recv_from(mach_msg_header_t *h, mach_port_t from)
{
	memset(h, 0, sizeof(*h));
	return msg_recv(h, sizeof(*h), from);
}

/* The members of a set as a bit mask of the given names (bit i: names[i]); -1 on error. */
static int
members(mach_port_t set, const mach_port_t *names, int n)
{
	mach_port_array_t arr = 0;
	mach_msg_type_number_t count = 0;
	kern_return_t kr = mach_port_get_set_status(self, set, &arr, &count);
	if (kr != KERN_SUCCESS) {
		tap_diag("get_set_status(%u): %#x", set, kr);
		return -1;
	}
	int mask = 0, unknown = 0;
	for (unsigned i = 0; i < count; i++) {
		int found = 0;
		for (int j = 0; j < n; j++)
			if (arr[i] == names[j]) {
				mask |= 1 << j;
				found = 1;
			}
		unknown |= !found;
	}
	if (count)
		vm_deallocate(self, (vm_address_t)arr, count * sizeof(*arr));
	return unknown ? -1 : mask;
}

int
main(void)
{
	ipc_init();
	tap_plan(38);
	mach_msg_header_t h;
	mach_port_t s = MACH_PORT_NULL, s2 = MACH_PORT_NULL;
	mach_port_t a = new_receive(), b = new_receive(), c = new_receive();
	mach_port_t ports[] = {a, b, c};

	is_kr(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s), KERN_SUCCESS,
	      "allocate a port set");
	tap_is_int(ptype(s), MACH_PORT_TYPE_PORT_SET, "its type is PORT_SET");
	tap_is_int(urefs(s, MACH_PORT_RIGHT_PORT_SET), 1, "with 1 uref");
	tap_is_int(members(s, ports, 3), 0, "a new set has no members");
	is_kr(mach_port_move_member(self, a, s) | mach_port_move_member(self, b, s), KERN_SUCCESS,
	      "move a and b in");
	tap_is_int(members(s, ports, 3), 3, "get_set_status: a and b");
	tap_ok(pstatus(a).mps_pset == s && pstatus(c).mps_pset == MACH_PORT_NULL,
	       "receive status: a's pset is the set, c's NULL");
	is_kr(mach_port_move_member(self, a, s), KERN_SUCCESS, "moving a member in again is fine");

	is_kr(msg_send_id(b, 1), MACH_MSG_SUCCESS, "send to b");
	is_kr(recv_from(&h, s), MACH_MSG_SUCCESS, "receive from the set");
	show_header("received from the set", &h);
	tap_ok(h.msgh_local_port == b && h.msgh_id == 1 && h.msgh_seqno == 0,
	       "msgh_local_port names the member b (%u)", h.msgh_local_port);
	msg_send_id(a, 2);
	msg_send_id(b, 3);
	msg_send_id(a, 4);
	int got[3];
	mach_port_t from[3];
	for (int i = 0; i < 3; i++) {
		got[i] = recv_from(&h, s) == MACH_MSG_SUCCESS ? h.msgh_id : -1;
		from[i] = h.msgh_local_port;
	}
	tap_ok(got[0] == 2 && got[1] == 3 && got[2] == 4 && from[0] == a && from[1] == b &&
	           from[2] == a,
	       "three messages to a, b, a come out in send order (%d %d %d)", got[0], got[1],
	       got[2]);
	tap_ok(pstatus(a).mps_seqno == 2 && pstatus(b).mps_seqno == 2,
	       "each member counts its own seqnos");
	msg_send_id(a, 5);
	is_kr(recv_from(&h, a), MACH_RCV_IN_SET, "a receive from a member: MACH_RCV_IN_SET");
	tap_ok(recv_from(&h, s) == MACH_MSG_SUCCESS && h.msgh_id == 5,
	       "the message stayed queued for the set");
	is_kr(recv_from(&h, s), MACH_RCV_TIMED_OUT, "an empty set: MACH_RCV_TIMED_OUT");
	is_kr(mach_port_move_member(self, c, UNUSED_NAME), KERN_INVALID_NAME,
	      "move into an unused name: KERN_INVALID_NAME");
	is_kr(mach_port_move_member(self, c, self), KERN_INVALID_RIGHT,
	      "move into a send right: KERN_INVALID_RIGHT");
	is_kr(mach_port_move_member(self, self, s), KERN_INVALID_RIGHT,
	      "move a send right in: KERN_INVALID_RIGHT");
	is_kr(mach_port_move_member(self, UNUSED_NAME, s), KERN_INVALID_NAME,
	      "move an unused name in: KERN_INVALID_NAME");
	is_kr(msg_send_id(s, 6), MACH_SEND_INVALID_DEST, "a set as a destination: INVALID_DEST");

	/* One set at a time: moving b into s2 takes it out of s, with its queue. */
	mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s2);
	msg_send_id(b, 7);
	is_kr(mach_port_move_member(self, b, s2), KERN_SUCCESS, "move b into a second set");
	tap_ok(members(s, ports, 3) == 1 && members(s2, ports, 3) == 2 && pstatus(b).mps_pset == s2,
	       "b left the first set for the second");
	is_kr(recv_from(&h, s), MACH_RCV_TIMED_OUT, "b's queued message left the first set");
	is_kr(recv_from(&h, s2), MACH_MSG_SUCCESS, "and comes from the second");
	tap_ok(h.msgh_id == 7 && h.msgh_local_port == b, "id 7, from b");
	msg_send_id(b, 8);
	is_kr(mach_port_move_member(self, b, MACH_PORT_NULL), KERN_SUCCESS,
	      "move b out (to MACH_PORT_NULL)");
	tap_ok(members(s2, ports, 3) == 0 && pstatus(b).mps_pset == MACH_PORT_NULL &&
	           recv_from(&h, s2) == MACH_RCV_TIMED_OUT,
	       "the second set is empty");
	tap_ok(recv_from(&h, b) == MACH_MSG_SUCCESS && h.msgh_id == 8, "b's message stayed with b");
	is_kr(mach_port_move_member(self, b, MACH_PORT_NULL), KERN_NOT_IN_SET,
	      "move out a port in no set: KERN_NOT_IN_SET");

	/* A member dies with a message queued: the set forgets both. */
	msg_send_id(a, 9);
	is_kr(mach_port_mod_refs(self, a, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	      "destroy member a, a message queued on it");
	tap_is_int(members(s, ports, 3), 0, "the set has no members");
	is_kr(recv_from(&h, s), MACH_RCV_TIMED_OUT, "its message went with it");

	/* Destroying a set leaves its members as plain ports. */
	mach_port_move_member(self, c, s);
	msg_send_id(c, 10);
	is_kr(mach_port_destroy(self, s), KERN_SUCCESS, "destroy the set with c in it");
	tap_is_int(ptype(s), 0x80000000 | KERN_INVALID_NAME, "the set's name is gone");
	tap_ok(pstatus(c).mps_pset == MACH_PORT_NULL && ptype(c) == MACH_PORT_TYPE_RECEIVE,
	       "c is in no set");
	tap_ok(recv_from(&h, c) == MACH_MSG_SUCCESS && h.msgh_id == 10,
	       "c kept its queued message");
	is_kr(mach_port_mod_refs(self, s2, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS,
	      "a set is also freed by mod_refs(PORT_SET, -1)");
	return tap_done();
}
