// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mach_msg between two ports of one task, an RPC to the kernel, a bad
 * msgh_id to a kernel port, host_get_time and vm_* through mach.defs.
 * Checked on GNU Mach first (tests/gnumach/ipc.t).
 */
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

struct int_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t value;
};

static mach_port_t self;

static void
make_int_msg(struct int_msg *m, mach_port_t dest, int64_t v)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = 1234;
	m->type.msgt_name = MACH_MSG_TYPE_INTEGER_64;
	m->type.msgt_size = 64;
	m->type.msgt_number = 1;
	m->type.msgt_inline = 1;
	m->value = v;
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(20);
	mach_port_t p = MACH_PORT_NULL, q = MACH_PORT_NULL;
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &q);

	tap_is_int(sizeof(struct int_msg), 48, "header 32 + type 8 + data 8");
	struct int_msg m, r;
	make_int_msg(&m, p, 0x1122334455667788);
	tap_is_int(
	    mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	    MACH_MSG_SUCCESS, "send inline data to p");
	memset(&r, 0, sizeof(r));
	tap_is_int(mach_msg(&r.head, MACH_RCV_MSG, 0, sizeof(r), p, 0, MACH_PORT_NULL),
	           MACH_MSG_SUCCESS, "receive it");
	tap_ok(r.head.msgh_size == 48 && r.head.msgh_id == 1234 && r.value == 0x1122334455667788 &&
	           r.head.msgh_local_port == p,
	       "same size, id, data; local port p (size %u id %d local %u)", r.head.msgh_size,
	       r.head.msgh_id, r.head.msgh_local_port);

	tap_is_int(mach_msg(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 0, q, 10, MACH_PORT_NULL),
	           MACH_RCV_TIMED_OUT, "receive on an empty port, NULL buffer: MACH_RCV_TIMED_OUT");

	make_int_msg(&m, q, 5);
	mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	memset(&r, 0, sizeof(r));
	tap_is_int(mach_msg(&r.head, MACH_RCV_MSG, 0, 32, q, 0, MACH_PORT_NULL), MACH_RCV_TOO_LARGE,
	           "receive into 32 bytes: MACH_RCV_TOO_LARGE");
	tap_is_int(r.head.msgh_size, 48, "the too-large receive reports the size needed");
	/*
	 * GNU Mach has no MACH_RCV_LARGE: the too-large message is dequeued and
	 * destroyed, so the queue is empty after it.
	 */
	tap_is_int(
	    mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), q, 0, MACH_PORT_NULL),
	    MACH_RCV_TIMED_OUT, "the too-large message was dropped: the queue is empty");
	mach_port_status_t st;
	kern_return_t skr = mach_port_get_receive_status(self, q, &st);
	tap_ok(skr == KERN_SUCCESS && st.mps_msgcount == 0, "its msgcount is 0 (kr %d, %u)", skr,
	       st.mps_msgcount);

	make_int_msg(&m, 0x4321, 1);
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	tap_is_int(
	    mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	    MACH_SEND_INVALID_DEST, "send to an unused name: MACH_SEND_INVALID_DEST");

	/* An RPC to the kernel through a stub. */
	mach_port_type_t t = 0;
	tap_is_int(mach_port_type(self, p, &t), KERN_SUCCESS, "mach_port_type RPC");
	tap_is_int(t, MACH_PORT_TYPE_RECEIVE, "p is a receive right");

	/* A kernel port and an id no server knows: a 48-byte MIG_BAD_ID reply. */
	mach_msg_header_t req = {
	    .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	    .msgh_size = sizeof(req),
	    .msgh_remote_port = self,
	    .msgh_local_port = q,
	    .msgh_id = 77777,
	};
	union {
		mig_reply_header_t rep;
		char buf[256];
	} u;
	tap_is_int(mach_msg(&req, MACH_SEND_MSG, sizeof(req), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	           MACH_MSG_SUCCESS, "send an unknown id to the task port");
	memset(&u, 0, sizeof(u));
	tap_is_int(mach_msg(&u.rep.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), q, 1000,
	                    MACH_PORT_NULL),
	           MACH_MSG_SUCCESS, "a reply comes");
	tap_ok(u.rep.Head.msgh_size == 48 && u.rep.Head.msgh_id == 77877 &&
	           u.rep.RetCode == MIG_BAD_ID &&
	           __builtin_offsetof(mig_reply_header_t, RetCode) == 40,
	       "48 bytes, id+100, MIG_BAD_ID at 40 (size %u id %d ret %d)", u.rep.Head.msgh_size,
	       u.rep.Head.msgh_id, u.rep.RetCode);

	time_value_t tv = {0, 0};
	kern_return_t kr = host_get_time(mach_host_self(), &tv);
	tap_ok(kr == KERN_SUCCESS && tv.seconds > 0 && tv.microseconds >= 0 &&
	           tv.microseconds < 1000000,
	       "host_get_time (kr %d, %ld.%06d)", kr, (long)tv.seconds, (int)tv.microseconds);

	vm_address_t addr = 0;
	kr = vm_allocate(self, &addr, 4 * 4096, TRUE);
	tap_ok(kr == KERN_SUCCESS && addr != 0 && (addr & 4095) == 0,
	       "vm_allocate anywhere (%d, %#lx)", kr, (unsigned long)addr);
	int zero = 1;
	for (int i = 0; kr == KERN_SUCCESS && i < 4 * 4096; i++)
		zero &= ((volatile char *)addr)[i] == 0;
	tap_ok(kr == KERN_SUCCESS && zero, "the memory reads zero");
	tap_is_int(vm_protect(self, addr, 4096, FALSE, VM_PROT_READ), KERN_SUCCESS,
	           "vm_protect read-only");
	tap_is_int(vm_deallocate(self, addr, 4 * 4096), KERN_SUCCESS, "vm_deallocate");
	return tap_done();
}
