// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hostile test's echo server, a MIG-style loop in a child task: it
 * receives on its port, answers HOSTILE_ECHO_ID (value * 7 + 1) as a MIG
 * routine does, answers anything else MIG_BAD_ID (a malformed echo
 * MIG_BAD_ARGUMENTS) when the request has a reply right, and destroys
 * every request's body. Traps and raw mach_msg only (user/libc/thread.h).
 * hostile_discard is here too: the driver uses it on what it receives.
 */
#include <mach/mig_errors.h>
#include <string.h>
#include <traps.h>

#include "ipc-hostile.h"

mach_msg_return_t
hostile_discard(mach_msg_header_t *m, mach_port_t task)
{
	mach_port_t reply = m->msgh_remote_port;

	if (MACH_MSGH_BITS_REMOTE(m->msgh_bits) && MACH_PORT_VALID(reply))
		syscall_mach_port_deallocate(task, reply);
	if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return MACH_MSG_SUCCESS;
	/*
	 * A received body's type names are the rights' types in transit
	 * (PORT_RECEIVE 16, PORT_SEND 17, PORT_SEND_ONCE 18), the same numbers
	 * as the MOVE dispositions, and its out-of-line regions come with
	 * msgt_deallocate set: sent as it is, the body moves everything it
	 * brought. A kernel server that does not know the id destroys it.
	 */
	m->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m->msgh_remote_port = task;
	m->msgh_local_port = MACH_PORT_NULL;
	m->msgh_id = HOSTILE_BOGUS_ID;
	return mach_msg_trap(m, MACH_SEND_MSG, m->msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* Whether m is a well-formed echo request. */
static int
is_echo(const mach_msg_header_t *m)
{
	const struct hostile_echo_req *r = (const void *)m;

	return !(m->msgh_bits & MACH_MSGH_BITS_COMPLEX) && m->msgh_size == sizeof(*r) &&
	       r->type.msgt_name == MACH_MSG_TYPE_INTEGER_64 && r->type.msgt_size == 64 &&
	       r->type.msgt_number == 1 && r->type.msgt_inline && !r->type.msgt_longform;
}

/* Sends the reply, never blocking; a reply right that could not be used is dropped. */
static void
reply(struct hostile_echo_reply *r, mach_msg_size_t size, mach_port_t task)
{
	mach_port_t dest = r->head.msgh_remote_port;
	mach_msg_return_t mr = mach_msg_trap(&r->head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
	                                     MACH_PORT_NULL, 0, MACH_PORT_NULL);

	/* A timed-out send gives the right back (pseudo-receive); a dead one stays a dead name. */
	if (mr != MACH_MSG_SUCCESS)
		syscall_mach_port_deallocate(task, dest);
}

void
hostile_serve(void *arg)
{
	static union {
		mach_msg_header_t head;
		struct hostile_echo_req req;
		uint8_t bytes[HOSTILE_BUF];
	} m;
	struct hostile_echo_reply r;
	mach_port_t port = (mach_port_t)(uintptr_t)arg, task = mach_task_self();

	for (;;) {
		if (mach_msg_trap(&m.head, MACH_RCV_MSG, 0, sizeof(m), port, 0, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS)
			continue;
		mach_msg_type_name_t rtype = MACH_MSGH_BITS_REMOTE(m.head.msgh_bits);
		memset(&r, 0, sizeof(r));
		r.head.msgh_bits = MACH_MSGH_BITS(rtype, 0);
		r.head.msgh_remote_port = m.head.msgh_remote_port;
		r.head.msgh_id = m.head.msgh_id + 100;
		r.ret_type.msgt_name = MACH_MSG_TYPE_INTEGER_32;
		r.ret_type.msgt_size = 32;
		r.ret_type.msgt_number = 1;
		r.ret_type.msgt_inline = 1;
		mach_msg_size_t size = sizeof(mig_reply_header_t);
		if (m.head.msgh_id != HOSTILE_ECHO_ID) {
			r.ret = MIG_BAD_ID;
		} else if (!is_echo(&m.head)) {
			r.ret = MIG_BAD_ARGUMENTS;
		} else {
			r.ret = KERN_SUCCESS;
			r.type = m.req.type;
			r.value = m.req.value * 7 + 1;
			size = sizeof(r);
		}
		if (rtype && MACH_PORT_VALID(r.head.msgh_remote_port))
			reply(&r, size, task);
		/* The reply right went with the reply: only the body is left to destroy. */
		m.head.msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
		hostile_discard(&m.head, task);
	}
}
