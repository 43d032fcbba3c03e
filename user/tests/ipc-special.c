// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Special ports and the self traps: mach_task_self, mach_thread_self and
 * mach_host_self give the same name each time and (on GNU Mach) one more
 * user reference per call; task_get/set_special_port for the kernel,
 * exception and bootstrap ports; thread_get_special_port; mach_reply_port
 * gives a fresh receive right each time; an unknown msgh_id to the thread
 * and host ports gets a MIG_BAD_ID reply. Checked on GNU Mach first
 * (tests/gnumach/ipc-tasks.t).
 */
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

static mach_port_t self;

static mach_port_urefs_t
refs(mach_port_t n, mach_port_right_t r)
{
	mach_port_urefs_t u = 0;
	kern_return_t kr = mach_port_get_refs(self, n, r, &u);
	return kr == KERN_SUCCESS ? u : (mach_port_urefs_t)-kr;
}

static mach_port_type_t
type_of(mach_port_t n)
{
	mach_port_type_t t = 0;
	mach_port_type(self, n, &t);
	return t;
}

/* Sends an unknown id to a kernel port; checks the 48-byte MIG_BAD_ID reply. */
static int
bad_id(mach_port_t dest, mach_port_t reply, int id)
{
	mach_msg_header_t req = {
	    .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	    .msgh_size = sizeof(req),
	    .msgh_remote_port = dest,
	    .msgh_local_port = reply,
	    .msgh_id = id,
	};
	union {
		mig_reply_header_t rep;
		char buf[256];
	} u;
	memset(&u, 0, sizeof(u));
	mach_msg_return_t mr = mach_msg(&req, MACH_SEND_MSG, sizeof(req), 0, 0, 0, 0);
	if (mr == MACH_MSG_SUCCESS)
		mr = mach_msg(&u.rep.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), reply,
		              1000, 0);
	if (mr != MACH_MSG_SUCCESS || u.rep.Head.msgh_size != 48 ||
	    u.rep.Head.msgh_id != id + 100 || u.rep.RetCode != MIG_BAD_ID) {
		tap_diag("mr %#x size %u id %d ret %d", mr, u.rep.Head.msgh_size,
		         u.rep.Head.msgh_id, u.rep.RetCode);
		return 0;
	}
	return 1;
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(23);

	/* The first RPC makes the stubs' reply port: before counting anything. */
	mach_port_urefs_t r0 = refs(self, MACH_PORT_RIGHT_SEND);
	mach_port_t a = mach_task_self(), b = mach_task_self();
	mach_port_urefs_t r2 = refs(self, MACH_PORT_RIGHT_SEND);
	tap_ok(a == self && b == self, "mach_task_self: the same name each time (%u %u %u)", self,
	       a, b);
	tap_is_int(r2 - r0, 2, "each mach_task_self adds a uref (%u then %u)", r0, r2);
	mach_port_mod_refs(self, self, MACH_PORT_RIGHT_SEND, -2);

	mach_port_t th = mach_thread_self();
	mach_port_urefs_t t1 = refs(th, MACH_PORT_RIGHT_SEND);
	mach_port_t th2 = mach_thread_self();
	mach_port_urefs_t t2 = refs(th, MACH_PORT_RIGHT_SEND);
	tap_ok(th2 == th && th != self && type_of(th) == MACH_PORT_TYPE_SEND,
	       "mach_thread_self: the same send right each time (%u %u)", th, th2);
	tap_ok(t1 == 1 && t2 == 2, "one uref per mach_thread_self (%u then %u)", t1, t2);

	mach_port_t host = mach_host_self();
	mach_port_urefs_t h1 = refs(host, MACH_PORT_RIGHT_SEND);
	mach_port_t host2 = mach_host_self();
	mach_port_urefs_t h2 = refs(host, MACH_PORT_RIGHT_SEND);
	tap_ok(host2 == host && type_of(host) == MACH_PORT_TYPE_SEND,
	       "mach_host_self: the same send right each time (%u %u)", host, host2);
	tap_ok(h1 == 1 && h2 == 2, "one uref per mach_host_self (%u then %u)", h1, h2);

	mach_port_t r1 = mach_reply_port(), rr2 = mach_reply_port();
	tap_ok(r1 != rr2 && r1 != MACH_PORT_NULL && type_of(r1) == MACH_PORT_TYPE_RECEIVE &&
	           type_of(rr2) == MACH_PORT_TYPE_RECEIVE,
	       "mach_reply_port: a fresh receive right each time (%u %u)", r1, rr2);
	tap_is_int(refs(r1, MACH_PORT_RIGHT_SEND), 0, "with no send right");

	mach_port_t got = MACH_PORT_NULL;
	mach_port_urefs_t before = refs(self, MACH_PORT_RIGHT_SEND);
	kern_return_t kr = task_get_special_port(self, TASK_KERNEL_PORT, &got);
	mach_port_urefs_t after = refs(self, MACH_PORT_RIGHT_SEND);
	tap_ok(kr == KERN_SUCCESS && got == self && after == before + 1,
	       "TASK_KERNEL_PORT: the task's own name, one more uref (kr %d, %u, %u -> %u)", kr,
	       got, before, after);
	mach_port_deallocate(self, got);
	got = MACH_PORT_NULL;
	kr = thread_get_special_port(th, THREAD_KERNEL_PORT, &got);
	tap_ok(kr == KERN_SUCCESS && got == th, "THREAD_KERNEL_PORT: mach_thread_self's name (%u)",
	       got);
	mach_port_deallocate(self, got);

	got = 1234;
	kr = task_get_special_port(self, TASK_BOOTSTRAP_PORT, &got);
	tap_ok(kr == KERN_SUCCESS && got == MACH_PORT_NULL,
	       "a boot task's TASK_BOOTSTRAP_PORT is null (kr %d, %u)", kr, got);
	got = 1234;
	kr = task_get_special_port(self, TASK_EXCEPTION_PORT, &got);
	tap_ok(kr == KERN_SUCCESS && got == MACH_PORT_NULL,
	       "and so is its TASK_EXCEPTION_PORT (kr %d, %u)", kr, got);
	kern_return_t unknown = task_get_special_port(self, 99, &got);
	tap_ok(kr == KERN_SUCCESS && unknown == KERN_INVALID_ARGUMENT,
	       "an unknown special port: KERN_INVALID_ARGUMENT (%d)", unknown);

	mach_port_t p = MACH_PORT_NULL;
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
	mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND);
	tap_is_int(task_set_special_port(self, TASK_BOOTSTRAP_PORT, p), KERN_SUCCESS,
	           "task_set_special_port TASK_BOOTSTRAP_PORT");
	/* The kernel keeps its own send right: the caller's stays as it was. */
	tap_is_int(refs(p, MACH_PORT_RIGHT_SEND), 1,
	           "the caller's send right is copied, not moved");
	got = MACH_PORT_NULL;
	kr = task_get_special_port(self, TASK_BOOTSTRAP_PORT, &got);
	tap_ok(kr == KERN_SUCCESS && got == p && refs(p, MACH_PORT_RIGHT_SEND) == 2,
	       "task_get_special_port gives it back under its name, one more uref (%u)", got);
	mach_port_deallocate(self, got);
	tap_is_int(task_set_special_port(self, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL), KERN_SUCCESS,
	           "set it back to null");

	/* The kernel port too: mach_task_self follows it. */
	tap_is_int(task_set_special_port(self, TASK_KERNEL_PORT, p), KERN_SUCCESS,
	           "task_set_special_port TASK_KERNEL_PORT to a port of ours");
	mach_port_t now = mach_task_self();
	int followed = now == p && p != MACH_PORT_NULL;
	tap_ok(followed, "mach_task_self now names that port (%u)", now);
	/* RPCs still go through the real port's name, which stays valid. */
	tap_is_int(task_set_special_port(self, TASK_KERNEL_PORT, self), KERN_SUCCESS,
	           "put the task's own port back");
	now = mach_task_self();
	tap_ok(followed && now == self, "mach_task_self names the task port again (%u)", now);

	tap_ok(bad_id(th, r1, 88888) && bad_id(host, r1, 99999),
	       "unknown ids to the thread and host ports: 48-byte MIG_BAD_ID replies, id+100");

	/*
	 * The task's name goes with its last uref, and a new port takes that
	 * name (the last freed); mach_task_self then names the task anew,
	 * once, not the port that took the old name.
	 */
	mach_port_t old = self;
	mach_port_urefs_t all = refs(self, MACH_PORT_RIGHT_SEND);
	mach_port_mod_refs(self, self, MACH_PORT_RIGHT_SEND, -(mach_port_delta_t)all);
	mach_port_t squat = mach_reply_port();
	self = mach_task_self();
	tap_ok(squat == old && self != old && self != MACH_PORT_NULL &&
	           refs(self, MACH_PORT_RIGHT_SEND) == 1 &&
	           type_of(squat) == MACH_PORT_TYPE_RECEIVE,
	       "with its name gone and reused, mach_task_self names the task anew (%u urefs: %u -> "
	       "%u, reused by %u)",
	       all, old, self, squat);
	return tap_done();
}
