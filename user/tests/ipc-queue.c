// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A port's message queue: sequence numbers (msgh_seqno, set_seqno), the
 * queue limit and a send timing out on a full port, receive status,
 * too-large receives with and without MACH_RCV_LARGE, receive timeouts,
 * send and receive in one call, bad receive names, and messages too small
 * for what they claim. Checked on GNU Mach 2025 (tests/gnumach/ipc.t).
 */
#include "ipc-util.h"

#define UNUSED_NAME 0x4321

struct int_msg {
	mach_msg_header_t h;
	mach_msg_type_t t;
	int64_t v;
};

static void
make(struct int_msg *m, mach_port_t dest, unsigned disp, int id)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(disp, 0);
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = dest;
	m->h.msgh_id = id;
	set_type(&m->t, MACH_MSG_TYPE_INTEGER_64, 64, 1, 1);
	m->v = 1000 + id;
}

static mach_msg_return_t
send_int(mach_port_t dest, unsigned disp, int id, mach_msg_option_t opt, mach_msg_timeout_t to)
{
	struct int_msg m;
	make(&m, dest, disp, id);
	return mach_msg(&m.h, MACH_SEND_MSG | opt, sizeof(m), 0, MACH_PORT_NULL, to,
	                MACH_PORT_NULL);
}

static mach_msg_return_t
recv_int(struct int_msg *r, mach_port_t from)
{
	memset(r, 0, sizeof(*r));
	return msg_recv(r, sizeof(*r), from);
}

static void
seqnos(void)
{
	struct int_msg r;
	mach_port_t p = new_receive();
	tap_is_int(pstatus(p).mps_seqno, 0, "a new port's seqno is 0");
	for (int i = 0; i < 3; i++)
		send_int(p, MACH_MSG_TYPE_MAKE_SEND, i, 0, 0);
	mach_port_status_t st = pstatus(p);
	tap_ok(st.mps_msgcount == 3 && st.mps_seqno == 0, "3 queued, seqno still 0 (%u, %u)",
	       st.mps_msgcount, st.mps_seqno);
	int order = 1;
	for (int i = 0; i < 3; i++) {
		mach_msg_return_t mr = recv_int(&r, p);
		order &= mr == MACH_MSG_SUCCESS && r.h.msgh_seqno == (unsigned)i &&
		         r.h.msgh_id == i && r.v == 1000 + i;
	}
	tap_ok(order, "received in order with seqnos 0, 1, 2");
	tap_is_int(pstatus(p).mps_seqno, 3, "the port's seqno is then 3");
	is_kr(mach_port_set_seqno(self, p, 10), KERN_SUCCESS, "set_seqno 10");
	send_int(p, MACH_MSG_TYPE_MAKE_SEND, 7, 0, 0);
	recv_int(&r, p);
	tap_ok(r.h.msgh_seqno == 10 && pstatus(p).mps_seqno == 11,
	       "the next message has seqno 10, the port 11 after (%u)", r.h.msgh_seqno);
	is_kr(mach_port_set_seqno(self, self, 1), KERN_INVALID_RIGHT,
	      "set_seqno on a send right: KERN_INVALID_RIGHT");
	is_kr(mach_port_set_seqno(self, UNUSED_NAME, 1), KERN_INVALID_NAME,
	      "set_seqno on an unused name: KERN_INVALID_NAME");
}

static void
qlimits(void)
{
	struct int_msg r, m;
	mach_port_t q = new_receive();
	tap_is_int(pstatus(q).mps_qlimit, MACH_PORT_QLIMIT_DEFAULT, "the default qlimit is %d",
	           MACH_PORT_QLIMIT_DEFAULT);
	is_kr(mach_port_set_qlimit(self, q, 2), KERN_SUCCESS, "set_qlimit 2");
	mach_msg_return_t mr = send_int(q, MACH_MSG_TYPE_MAKE_SEND, 1, MACH_SEND_TIMEOUT, 0);
	mr |= send_int(q, MACH_MSG_TYPE_MAKE_SEND, 2, MACH_SEND_TIMEOUT, 0);
	is_kr(mr, MACH_MSG_SUCCESS, "two sends fill the queue");
	unsigned ms = pstatus(q).mps_mscount;
	make(&m, q, MACH_MSG_TYPE_MAKE_SEND, 3);
	is_kr(mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
	               MACH_PORT_NULL),
	      MACH_SEND_TIMED_OUT, "a third, with MACH_SEND_TIMEOUT 0: MACH_SEND_TIMED_OUT");
	show_header("the timed-out message's buffer after", &m.h);
	mach_port_status_t st = pstatus(q);
	tap_ok(st.mps_msgcount == 2 && st.mps_qlimit == 2 && st.mps_seqno == 0,
	       "receive status: msgcount %u qlimit %u seqno %u", st.mps_msgcount, st.mps_qlimit,
	       st.mps_seqno);
	/*
	 * GNU Mach gives a timed-out message back (a pseudo-receive): the
	 * destination's send right, made for it, comes back to the sender.
	 */
	tap_ok(st.mps_mscount == ms + 1 && st.mps_srights &&
	           ptype(q) == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE) &&
	           urefs(q, MACH_PORT_RIGHT_SEND) == 1,
	       "GNU Mach: the timed-out message's made send right is left in the task (%#x)",
	       ptype(q));
	tap_ok(m.h.msgh_remote_port == q &&
	           MACH_MSGH_BITS_REMOTE(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND,
	       "GNU Mach: the buffer holds the header as it left, dest now a PORT_SEND (%#x)",
	       m.h.msgh_bits);
	mach_port_mod_refs(self, q, MACH_PORT_RIGHT_SEND, -1);
	is_kr(send_int(q, MACH_MSG_TYPE_MAKE_SEND, 4, MACH_SEND_TIMEOUT, 20), MACH_SEND_TIMED_OUT,
	      "a 20 ms send timeout on a full port: MACH_SEND_TIMED_OUT");
	/* A send-once right always gets through: its sender cannot retry. */
	is_kr(send_int(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, 5, MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS,
	      "a send-once message passes a full queue");
	tap_is_int(pstatus(q).mps_msgcount, 3, "3 queued over a qlimit of 2");
	recv_int(&r, q);
	is_kr(send_int(q, MACH_MSG_TYPE_MAKE_SEND, 6, MACH_SEND_TIMEOUT, 0), MACH_SEND_TIMED_OUT,
	      "one received: 2 left, still full");
	recv_int(&r, q);
	is_kr(send_int(q, MACH_MSG_TYPE_MAKE_SEND, 7, MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS,
	      "two received: a send fits again");
	int ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = recv_int(&r, q) == MACH_MSG_SUCCESS ? r.h.msgh_id : -1;
	tap_ok(ids[0] == 5 && ids[1] == 7 && ids[2] == -1, "then 5 and 7 queued (%d %d %d)", ids[0],
	       ids[1], ids[2]);
}

static void
too_large(void)
{
	struct int_msg r;
	mach_port_t q = new_receive(), rp = new_receive();
	struct int_msg m;
	make(&m, q, MACH_MSG_TYPE_MAKE_SEND, 21);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_local_port = rp;
	msg_send(&m, sizeof(m));
	memset(&r, 0, sizeof(r));
	is_kr(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, 32, q, 0,
	               MACH_PORT_NULL),
	      MACH_RCV_TOO_LARGE, "MACH_RCV_LARGE into 32 bytes: MACH_RCV_TOO_LARGE");
	show_header("MACH_RCV_LARGE, too large", &r.h);
	tap_is_int(r.h.msgh_size, sizeof(m), "msgh_size holds the size needed");
	tap_is_int(pstatus(q).mps_msgcount, 1, "MACH_RCV_LARGE: the message stays queued");
	tap_ok(pstatus(rp).mps_sorights == 1 && r.h.msgh_remote_port == MACH_PORT_NULL,
	       "its reply right stays in it (remote %u)", r.h.msgh_remote_port);
	is_kr(recv_int(&r, q), MACH_MSG_SUCCESS, "a large enough receive gets it");
	tap_ok(r.h.msgh_id == 21 && r.v == 1021 && r.h.msgh_seqno == 0 &&
	           ptype(r.h.msgh_remote_port) == MACH_PORT_TYPE_SEND_ONCE,
	       "whole, seqno 0, with its reply right");

	make(&m, q, MACH_MSG_TYPE_MAKE_SEND, 22);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_local_port = rp;
	msg_send(&m, sizeof(m));
	memset(&r, 0, sizeof(r));
	is_kr(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 32, q, 0, MACH_PORT_NULL),
	      MACH_RCV_TOO_LARGE, "without MACH_RCV_LARGE: MACH_RCV_TOO_LARGE");
	show_header("too large, no MACH_RCV_LARGE", &r.h);
	mach_port_status_t st = pstatus(q);
	tap_ok(r.h.msgh_size == sizeof(m) && st.mps_msgcount == 0 && st.mps_seqno == 2,
	       "size %u reported, the message dequeued (msgcount %u), seqno %u", r.h.msgh_size,
	       st.mps_msgcount, st.mps_seqno);
	/*
	 * GNU Mach writes the header (bits, size, local = the port, seqno, id)
	 * but not the reply right: remote is MACH_PORT_NULL and the reply
	 * send-once right is destroyed, which sends rp a send-once notification.
	 */
	tap_ok(r.h.msgh_local_port == q && r.h.msgh_id == 22 && r.h.msgh_seqno == 1 &&
	           r.h.msgh_remote_port == MACH_PORT_NULL &&
	           r.h.msgh_bits ==
	               MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
	       "GNU Mach: the header is written, its remote port NULL (bits %#x)", r.h.msgh_bits);
	tap_is_int(pstatus(rp).mps_msgcount, 1, "GNU Mach: a message on rp");
	memset(&r, 0, sizeof(r));
	/* The first message's reply right is still named in the task: 1 left. */
	tap_ok(msg_recv(&r, sizeof(r), rp) == MACH_MSG_SUCCESS &&
	           r.h.msgh_id == MACH_NOTIFY_SEND_ONCE && pstatus(rp).mps_sorights == 1,
	       "GNU Mach: the reply right was destroyed: a send-once notification on rp");
}

static void
timeouts_and_combined(void)
{
	struct int_msg r, m;
	mach_port_t p = new_receive();
	is_kr(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 0, MACH_PORT_NULL),
	      MACH_RCV_TIMED_OUT, "receive on an empty port, timeout 0: MACH_RCV_TIMED_OUT");
	is_kr(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 20, MACH_PORT_NULL),
	      MACH_RCV_TIMED_OUT, "timeout 20 ms: MACH_RCV_TIMED_OUT");

	make(&m, p, MACH_MSG_TYPE_MAKE_SEND, 31);
	is_kr(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m), sizeof(m),
	               p, 100, MACH_PORT_NULL),
	      MACH_MSG_SUCCESS, "send and receive in one call, to and from the same port");
	tap_ok(m.h.msgh_id == 31 && m.v == 1031 && m.h.msgh_local_port == p &&
	           m.h.msgh_size == sizeof(m) &&
	           m.h.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND),
	       "the buffer holds the message received (bits %#x)", m.h.msgh_bits);

	make(&m, UNUSED_NAME, MACH_MSG_TYPE_COPY_SEND, 32);
	is_kr(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m), sizeof(m),
	               p, 0, MACH_PORT_NULL),
	      MACH_SEND_INVALID_DEST, "a failing send: its error, and no receive");
	make(&m, p, MACH_MSG_TYPE_MAKE_SEND, 33);
	is_kr(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m), sizeof(m),
	               UNUSED_NAME, 0, MACH_PORT_NULL),
	      MACH_RCV_INVALID_NAME, "a good send, a bad receive name: MACH_RCV_INVALID_NAME");
	tap_is_int(pstatus(p).mps_msgcount, 1, "the send happened");
	recv_int(&r, p);

	mach_port_t so = 900, dead = MACH_PORT_NULL, set = MACH_PORT_NULL;
	mach_port_insert_right(self, so, p, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead);
	mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &set);
	is_kr(msg_recv(&r, sizeof(r), UNUSED_NAME), MACH_RCV_INVALID_NAME,
	      "receive on an unused name: MACH_RCV_INVALID_NAME");
	is_kr(msg_recv(&r, sizeof(r), MACH_PORT_NULL), MACH_RCV_INVALID_NAME,
	      "receive on MACH_PORT_NULL: MACH_RCV_INVALID_NAME");
	is_kr(msg_recv(&r, sizeof(r), MACH_PORT_DEAD), MACH_RCV_INVALID_NAME,
	      "receive on MACH_PORT_DEAD: MACH_RCV_INVALID_NAME");
	is_kr(msg_recv(&r, sizeof(r), self), MACH_RCV_INVALID_NAME,
	      "receive on a send right: MACH_RCV_INVALID_NAME");
	is_kr(msg_recv(&r, sizeof(r), so), MACH_RCV_INVALID_NAME,
	      "receive on a send-once right: MACH_RCV_INVALID_NAME");
	is_kr(msg_recv(&r, sizeof(r), dead), MACH_RCV_INVALID_NAME,
	      "receive on a dead name: MACH_RCV_INVALID_NAME");
	is_kr(msg_recv(&r, sizeof(r), set), MACH_RCV_TIMED_OUT,
	      "receive on an empty port set: MACH_RCV_TIMED_OUT");
}

static void
too_small(void)
{
	struct int_msg m, r;
	mach_port_t p = new_receive();
	make(&m, p, MACH_MSG_TYPE_MAKE_SEND, 41);
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 24, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_SEND_MSG_TOO_SMALL, "send size 24 (< header): MACH_SEND_MSG_TOO_SMALL");
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 0, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_SEND_MSG_TOO_SMALL, "send size 0: MACH_SEND_MSG_TOO_SMALL");
	/* x86_64 messages are 8-aligned (MACH_MSG_USER_ALIGNMENT), not 4. */
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 34, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_SEND_MSG_TOO_SMALL, "send size 34: MACH_SEND_MSG_TOO_SMALL");
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 36, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_SEND_MSG_TOO_SMALL, "send size 36 (4- but not 8-aligned): MSG_TOO_SMALL");
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 44, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_SEND_MSG_TOO_SMALL, "send size 44: MACH_SEND_MSG_TOO_SMALL");
	tap_ok(pstatus(p).mps_msgcount == 0 && pstatus(p).mps_mscount == 0,
	       "nothing queued, no send right made");

	/* msgh_size is ignored on send: send_size is the size. */
	m.h.msgh_size = 1000;
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 40, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_MSG_SUCCESS, "send size 40, msgh_size 1000, not complex");
	is_kr(recv_int(&r, p), MACH_MSG_SUCCESS, "received");
	tap_is_int(r.h.msgh_size, 40, "it is 40 bytes: send_size wins, the body is not parsed");

	/* A descriptor claiming more data than the message holds. */
	make(&m, p, MACH_MSG_TYPE_MAKE_SEND, 42);
	m.t.msgt_number = 2;
	is_kr(msg_send(&m, sizeof(m)), MACH_MSG_SUCCESS,
	      "2 integers in room for 1, not complex: sent (the body is not parsed)");
	recv_int(&r, p);
	m.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	is_kr(msg_send(&m, sizeof(m)), MACH_SEND_MSG_TOO_SMALL,
	      "the same, complex: MACH_SEND_MSG_TOO_SMALL");
	make(&m, p, MACH_MSG_TYPE_MAKE_SEND, 43);
	m.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 40, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_SEND_MSG_TOO_SMALL, "complex, a descriptor without its data: MSG_TOO_SMALL");
	m.t.msgt_number = 0;
	is_kr(mach_msg(&m.h, MACH_SEND_MSG, 40, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
	      MACH_MSG_SUCCESS, "complex, a descriptor of 0 items ending the message: sent");
	recv_int(&r, p);
	tap_ok(r.h.msgh_size == 40 && r.h.msgh_id == 43, "received, 40 bytes");
	mach_port_status_t st = pstatus(p);
	tap_ok(st.mps_msgcount == 0, "nothing else queued (%u)", st.mps_msgcount);
	/*
	 * GNU Mach copies the header in before it parses the body, so the two
	 * sends rejected for their body still counted their made send right
	 * (3 sent + 2); the sends rejected for their size did not.
	 */
	tap_is_int(st.mps_mscount, 5, "GNU Mach: mscount 5, body rejections counted");
}

int
main(void)
{
	ipc_init();
	tap_plan(62);
	seqnos();
	qlimits();
	too_large();
	timeouts_and_combined();
	too_small();
	return tap_done();
}
