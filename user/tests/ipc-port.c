// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mach_port.defs through the MIG user stubs (mig/mig.mk): names, rights,
 * references, port sets and receive status, with GNU Mach's exact return
 * codes. Checked on GNU Mach first (tests/gnumach/ipc.t), the oracle for
 * vmach (tests/qemu/ipc-programs.t).
 */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <tap.h>
#include <traps.h>

/* GNU Mach keeps it in ipc/ipc_entry.h, not in the ABI headers: 2^16 - 1. */
#define MACH_PORT_UREFS_MAX 0xffffu

static mach_port_t self;

static mach_port_t
new_receive(void)
{
	mach_port_t n = MACH_PORT_NULL;
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &n);
	if (kr != KERN_SUCCESS)
		tap_diag("mach_port_allocate: %d", kr);
	return n;
}

static mach_port_urefs_t
refs(mach_port_t n, mach_port_right_t r)
{
	mach_port_urefs_t u = 0xdead;
	kern_return_t kr = mach_port_get_refs(self, n, r, &u);
	return kr == KERN_SUCCESS ? u : (mach_port_urefs_t)-kr;
}

static mach_port_type_t
type_of(mach_port_t n, kern_return_t *kr)
{
	mach_port_type_t t = 0;
	*kr = mach_port_type(self, n, &t);
	return t;
}

int
main(void)
{
	kern_return_t kr;
	self = mach_task_self(); /* each call adds a uref: call it once */
	tap_plan(35);

	/* The first RPC makes the stubs' reply port, so later names are ours alone. */
	mach_port_type_t t = type_of(self, &kr);
	tap_ok(kr == KERN_SUCCESS && (t & MACH_PORT_TYPE_SEND),
	       "the task port is a send right (type %#x)", t);

	mach_port_t a = new_receive(), b = new_receive(), c = new_receive();
	tap_ok(a != MACH_PORT_NULL && b == a + 1 && c == b + 1, "names lowest-first: %u %u %u", a,
	       b, c);
	/* No boot ports: the task port is name 1, the stubs' reply port 2. */
	tap_is_int(a, 3, "the first allocated name is 3");
	tap_is_int(mach_port_deallocate(self, b), KERN_INVALID_RIGHT,
	           "deallocate of a receive right: KERN_INVALID_RIGHT");
	tap_is_int(mach_port_mod_refs(self, b, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	           "mod_refs receive -1 frees the name");
	tap_is_int(mach_port_destroy(self, c), KERN_SUCCESS, "destroy frees the name");
	mach_port_t d = new_receive(), e = new_receive();
	tap_ok(d != MACH_PORT_NULL && d == c && e == b,
	       "freed names reused last-freed-first: %u %u (freed %u then %u)", d, e, b, c);

	t = type_of(a, &kr);
	tap_ok(kr == KERN_SUCCESS && t == MACH_PORT_TYPE_RECEIVE, "type of a receive right (%#x)",
	       t);
	tap_is_int(mach_port_insert_right(self, a, a, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS,
	           "insert_right MAKE_SEND under the receive right's name");
	t = type_of(a, &kr);
	tap_ok(t == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE), "type send+receive (%#x)", t);
	tap_is_int(refs(a, MACH_PORT_RIGHT_SEND), 1, "one send uref");
	/* A send-once right never merges with an entry, so only the name can clash. */
	tap_is_int(mach_port_insert_right(self, e, d, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	           KERN_NAME_EXISTS, "insert_right under a name in use: KERN_NAME_EXISTS");
	/* GNU Mach checks the port's existing name before the target name. */
	tap_is_int(mach_port_insert_right(self, d, a, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS,
	           "insert_right of a named port under a used name: KERN_RIGHT_EXISTS first");
	tap_is_int(mach_port_insert_right(self, 500, a, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS,
	           "insert_right of a port the task names elsewhere: KERN_RIGHT_EXISTS");
	tap_is_int(mach_port_mod_refs(self, a, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS,
	           "mod_refs +2");
	tap_is_int(refs(a, MACH_PORT_RIGHT_SEND), 3, "three send urefs");
	tap_is_int(mach_port_mod_refs(self, a, MACH_PORT_RIGHT_SEND, -4), KERN_INVALID_VALUE,
	           "mod_refs below zero: KERN_INVALID_VALUE");
	tap_is_int(mach_port_mod_refs(self, a, MACH_PORT_RIGHT_SEND, MACH_PORT_UREFS_MAX),
	           KERN_UREFS_OVERFLOW, "mod_refs past MACH_PORT_UREFS_MAX: KERN_UREFS_OVERFLOW");
	tap_is_int(mach_port_mod_refs(self, a, MACH_PORT_RIGHT_SEND, -2), KERN_SUCCESS,
	           "mod_refs -2");
	tap_is_int(mach_port_mod_refs(self, 0x7777, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_NAME,
	           "mod_refs of an unused name: KERN_INVALID_NAME");

	tap_is_int(mach_port_rename(self, a, 300), KERN_SUCCESS, "rename to 300");
	type_of(a, &kr);
	tap_is_int(kr, KERN_INVALID_NAME, "the old name is gone");
	tap_is_int(mach_port_rename(self, 300, d), KERN_NAME_EXISTS, "rename onto a used name");
	a = 300;

	mach_port_t dead = MACH_PORT_NULL;
	tap_is_int(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS,
	           "allocate a dead name");
	t = type_of(dead, &kr);
	tap_ok(kr == KERN_SUCCESS && t == MACH_PORT_TYPE_DEAD_NAME, "its type is DEAD_NAME (%#x)",
	       t);
	tap_is_int(mach_port_deallocate(self, dead), KERN_SUCCESS, "deallocate the dead name");

	mach_port_t set = MACH_PORT_NULL;
	tap_is_int(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS,
	           "allocate a port set");
	tap_is_int(mach_port_move_member(self, a, set), KERN_SUCCESS, "move a port into it");
	mach_port_array_t members = 0;
	mach_msg_type_number_t count = 0;
	kr = mach_port_get_set_status(self, set, &members, &count);
	tap_ok(kr == KERN_SUCCESS && count == 1 && members[0] == a,
	       "get_set_status: one member, the port (kr %d count %u)", kr, count);
	if (kr == KERN_SUCCESS)
		vm_deallocate(self, (vm_address_t)members, count * sizeof(*members));

	tap_is_int(mach_port_set_qlimit(self, d, MACH_PORT_QLIMIT_MAX + 1), KERN_INVALID_VALUE,
	           "set_qlimit above the maximum: KERN_INVALID_VALUE");
	tap_is_int(mach_port_set_qlimit(self, d, 2), KERN_SUCCESS, "set_qlimit 2");
	tap_is_int(mach_port_set_mscount(self, d, 7), KERN_SUCCESS, "set_mscount 7");
	/*
	 * The failed insert_right of a MAKE_SEND_ONCE above destroyed the
	 * send-once right it made, which sends d a send-once notification.
	 */
	union {
		mach_msg_header_t h;
		char buf[128];
	} n;
	mach_msg_return_t mr =
	    mach_msg(&n.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(n), d, 0, MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && n.h.msgh_id == MACH_NOTIFY_SEND_ONCE,
	       "the dropped send-once right sent a send-once notification (%#x, id %d)", mr,
	       n.h.msgh_id);
	mach_port_status_t st;
	kr = mach_port_get_receive_status(self, d, &st);
	tap_ok(kr == KERN_SUCCESS && st.mps_qlimit == 2 && st.mps_mscount == 7 &&
	           st.mps_msgcount == 0 && st.mps_pset == MACH_PORT_NULL,
	       "receive status: qlimit %u mscount %u msgcount %u pset %u", st.mps_qlimit,
	       st.mps_mscount, st.mps_msgcount, st.mps_pset);
	kr = mach_port_get_receive_status(self, a, &st);
	tap_ok(kr == KERN_SUCCESS && st.mps_pset == set, "a member's status names its set (%u)",
	       st.mps_pset);
	return tap_done();
}
