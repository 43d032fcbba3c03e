// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications as GNU Mach sends them (notify.defs): dead name, no
 * senders, send-once, port deleted and port destroyed, each requested with
 * mach_port_request_notification (or, for send-once, inherent in the right)
 * and received on a notify port of the task. The exact layouts are printed
 * as TAP comments and checked field by field. Checked on GNU Mach 2025
 * (tests/gnumach/ipc.t), the oracle.
 */
#include "ipc-util.h"

/* Big enough for every notification, so that a wrong size shows. */
union note {
	mach_msg_header_t h;
	mach_dead_name_notification_t dead;
	mach_port_deleted_notification_t deleted;
	mach_port_destroyed_notification_t destroyed;
	mach_no_senders_notification_t nosenders;
	char buf[256];
};

static mach_port_t n; /* the notify port */

static kern_return_t
request(mach_port_t name, mach_msg_id_t id, mach_port_mscount_t sync, mach_port_t *prev)
{
	*prev = 0xbad;
	return mach_port_request_notification(self, name, id, sync, n, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	                                      prev);
}

/* Receives one notification from `from`; prints its layout. */
static mach_msg_return_t
get_note(union note *u, mach_port_t from, const char *what)
{
	memset(u, 0, sizeof(*u));
	mach_msg_return_t mr = msg_recv(u, sizeof(*u), from);
	if (mr != MACH_MSG_SUCCESS) {
		tap_diag("%s: receive %#x", what, mr);
		return mr;
	}
	show_header(what, &u->h);
	if (u->h.msgh_size > sizeof(mach_msg_header_t)) {
		const mach_msg_type_t *t = (const mach_msg_type_t *)(u->buf + 32);
		show_type(what, t);
		tap_diag("%s: word at 40: %u (%#x)", what, *(const unsigned *)(u->buf + 40),
		         *(const unsigned *)(u->buf + 40));
	}
	return mr;
}

/* The header a notification must have: sent to a send-once right, no reply. */
static int
note_header(const union note *u, mach_msg_id_t id, mach_msg_size_t size, int complex)
{
	return u->h.msgh_id == id && u->h.msgh_size == size && u->h.msgh_local_port == n &&
	       u->h.msgh_remote_port == MACH_PORT_NULL &&
	       u->h.msgh_bits == (MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) |
	                          (complex ? MACH_MSGH_BITS_COMPLEX : 0));
}

/*
 * GNU Mach destroys the send-once right made for a refused request, which
 * sends the notify port a send-once notification: take it off the queue.
 */
static void
refused_note(const char *what)
{
	union note u;
	tap_ok(get_note(&u, n, what) == MACH_MSG_SUCCESS &&
	           note_header(&u, MACH_NOTIFY_SEND_ONCE, 32, 0),
	       "GNU Mach: %s: its notify right sent a send-once notification", what);
}

static int
name_type(const mach_msg_type_t *t, unsigned name, unsigned size)
{
	return t->msgt_name == name && t->msgt_size == size && t->msgt_number == 1 &&
	       t->msgt_inline && !t->msgt_longform && !t->msgt_deallocate;
}

static void
dead_name(void)
{
	union note u;
	mach_port_t prev;
	mach_port_t p = new_receive_send(), q = new_receive();
	is_kr(request(p, MACH_NOTIFY_DEAD_NAME, 0, &prev), KERN_SUCCESS,
	      "request a dead-name "
	      "notification on p");
	tap_ok(prev == MACH_PORT_NULL && (ptype(p) & MACH_PORT_TYPE_DNREQUEST),
	       "no previous request; p's type shows DNREQUEST (%#x)", ptype(p));
	/* Park p's receive right in a message on q, then destroy q: p dies. */
	struct {
		mach_msg_header_t h;
		mach_msg_type_t t;
		mach_port_name_inlined_t p;
	} m;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = q;
	set_type(&m.t, MACH_MSG_TYPE_MOVE_RECEIVE, 64, 1, 1);
	m.p.name = p;
	is_kr(msg_send(&m, sizeof(m)), MACH_MSG_SUCCESS, "p's receive right sent to q");
	tap_is_int(pstatus(n).mps_msgcount, 0, "no notification yet");
	is_kr(mach_port_mod_refs(self, q, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	      "destroy q, and with its queued message p's receive right");
	is_kr(get_note(&u, n, "dead name"), MACH_MSG_SUCCESS, "a notification arrives");
	tap_ok(note_header(&u, MACH_NOTIFY_DEAD_NAME, 48, 0), "dead name: id %d, size 48, bits %#x",
	       u.h.msgh_id, u.h.msgh_bits);
	tap_ok(name_type(&u.dead.not_type, MACH_MSG_TYPE_PORT_NAME, 32) && u.dead.not_port == p,
	       "a PORT_NAME (size 32) naming p (%u)", u.dead.not_port);
	tap_ok(ptype(p) == MACH_PORT_TYPE_DEAD_NAME && urefs(p, MACH_PORT_RIGHT_DEAD_NAME) == 2,
	       "p is a dead name with 2 urefs: its send right's, and the notification's");

	/* On a name already dead: answered at once with sync, refused without. */
	is_kr(request(p, MACH_NOTIFY_DEAD_NAME, 0, &prev), KERN_INVALID_ARGUMENT,
	      "a request on a dead name without sync: KERN_INVALID_ARGUMENT");
	refused_note("refused on a dead name");
	is_kr(request(p, MACH_NOTIFY_DEAD_NAME, 1, &prev), KERN_SUCCESS,
	      "with sync 1: KERN_SUCCESS");
	mach_msg_return_t mr = get_note(&u, n, "dead name, immediate");
	tap_ok(mr == MACH_MSG_SUCCESS && note_header(&u, MACH_NOTIFY_DEAD_NAME, 48, 0) &&
	           u.dead.not_port == p && urefs(p, MACH_PORT_RIGHT_DEAD_NAME) == 3,
	       "answered at once, one more uref (%u)", urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	mach_port_mod_refs(self, p, MACH_PORT_RIGHT_DEAD_NAME, -3);
}

static void
no_senders(void)
{
	union note u;
	mach_port_t prev, prev2;
	mach_port_t p = new_receive_send();
	is_kr(request(p, MACH_NOTIFY_NO_SENDERS, 1, &prev), KERN_SUCCESS,
	      "request no-senders, sync 1 (mscount 1, one send right)");
	tap_ok(prev == MACH_PORT_NULL && pstatus(p).mps_nsrequest && pstatus(n).mps_msgcount == 0,
	       "none previous; status shows the request; nothing sent yet");
	is_kr(mach_port_deallocate(self, p), KERN_SUCCESS, "deallocate the send right");
	is_kr(get_note(&u, n, "no senders"), MACH_MSG_SUCCESS, "a notification arrives");
	tap_ok(note_header(&u, MACH_NOTIFY_NO_SENDERS, 48, 0) &&
	           name_type(&u.nosenders.not_type, MACH_MSG_TYPE_INTEGER_32, 32) &&
	           u.nosenders.not_count == 1,
	       "no senders: id %d, size %u, INTEGER_32 count %u", u.h.msgh_id, u.h.msgh_size,
	       u.nosenders.not_count);
	tap_ok(!pstatus(p).mps_nsrequest, "the request was used up");

	is_kr(request(p, MACH_NOTIFY_NO_SENDERS, 1, &prev), KERN_SUCCESS,
	      "sync 1 with no senders and mscount 1");
	mach_msg_return_t mr = get_note(&u, n, "no senders, immediate");
	tap_ok(mr == MACH_MSG_SUCCESS && u.h.msgh_id == MACH_NOTIFY_NO_SENDERS &&
	           u.nosenders.not_count == 1,
	       "fires at once, count %u", u.nosenders.not_count);

	is_kr(request(p, MACH_NOTIFY_NO_SENDERS, 2, &prev), KERN_SUCCESS, "sync 2 above mscount 1");
	tap_is_int(pstatus(n).mps_msgcount, 0, "does not fire");
	is_kr(request(p, MACH_NOTIFY_NO_SENDERS, 2, &prev2), KERN_SUCCESS, "request again");
	tap_ok(MACH_PORT_VALID(prev2) && ptype(prev2) == MACH_PORT_TYPE_SEND_ONCE,
	       "the previous notify right comes back as a send-once right (%u)", prev2);
	mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_deallocate(self, p);
	mr = get_note(&u, n, "no senders, mscount 2");
	tap_ok(mr == MACH_MSG_SUCCESS && u.h.msgh_id == MACH_NOTIFY_NO_SENDERS &&
	           u.nosenders.not_count == 2,
	       "a send right made and dropped: fires, count = mscount %u", u.nosenders.not_count);

	/* The returned right, destroyed unused: a send-once notification. */
	is_kr(mach_port_deallocate(self, prev2), KERN_SUCCESS, "deallocate that send-once right");
	is_kr(get_note(&u, n, "send once"), MACH_MSG_SUCCESS, "a notification arrives");
	tap_ok(note_header(&u, MACH_NOTIFY_SEND_ONCE, 32, 0), "send once: id %d, size %u, bits %#x",
	       u.h.msgh_id, u.h.msgh_size, u.h.msgh_bits);
}

static void
port_deleted(void)
{
	union note u;
	mach_port_t prev;
	mach_port_t p = new_receive(), so = 801;
	mach_port_insert_right(self, so, p, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	is_kr(request(so, MACH_NOTIFY_DEAD_NAME, 0, &prev), KERN_SUCCESS,
	      "a dead-name request on a send-once right");
	is_kr(mach_port_deallocate(self, so), KERN_SUCCESS, "deallocate the send-once right");
	is_kr(get_note(&u, n, "port deleted"), MACH_MSG_SUCCESS, "a notification arrives on n");
	tap_ok(note_header(&u, MACH_NOTIFY_PORT_DELETED, 48, 0) &&
	           name_type(&u.deleted.not_type, MACH_MSG_TYPE_PORT_NAME, 32) &&
	           u.deleted.not_port == so,
	       "port deleted: id %d, size %u, PORT_NAME %u", u.h.msgh_id, u.h.msgh_size,
	       u.deleted.not_port);
	tap_ok(get_note(&u, p, "send once to p") == MACH_MSG_SUCCESS &&
	           u.h.msgh_id == MACH_NOTIFY_SEND_ONCE && u.h.msgh_local_port == p,
	       "and the right itself sent p a send-once notification");

	/* Destroying the receive right under a send+receive name with a request on it. */
	mach_port_t q = new_receive_send();
	request(q, MACH_NOTIFY_DEAD_NAME, 0, &prev);
	is_kr(mach_port_mod_refs(self, q, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	      "destroy the receive right of a send+receive name with a dead-name request");
	tap_is_int(ptype(q), MACH_PORT_TYPE_DEAD_NAME, "the name is left a dead name");
	get_note(&u, n, "own receive right destroyed");
	/* The send right died with the port: a dead name, not a deleted right. */
	tap_ok(note_header(&u, MACH_NOTIFY_DEAD_NAME, 48, 0) && u.dead.not_port == q &&
	           urefs(q, MACH_PORT_RIGHT_DEAD_NAME) == 2,
	       "GNU Mach: a dead-name notification (id %d) naming it; %u urefs", u.h.msgh_id,
	       urefs(q, MACH_PORT_RIGHT_DEAD_NAME));
}

static void
port_destroyed(void)
{
	union note u;
	mach_port_t prev;
	mach_port_t p = new_receive();
	mach_msg_header_t m = {
	    .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
	    .msgh_size = sizeof(m),
	    .msgh_remote_port = p,
	    .msgh_id = 555,
	};
	msg_send(&m, sizeof(m));
	is_kr(request(self, MACH_NOTIFY_PORT_DESTROYED, 0, &prev), KERN_INVALID_RIGHT,
	      "a port-destroyed request on a send right: KERN_INVALID_RIGHT");
	refused_note("refused on a send right");
	is_kr(request(p, MACH_NOTIFY_PORT_DESTROYED, 0, &prev), KERN_SUCCESS,
	      "request port-destroyed on p, a message queued on it");
	tap_ok(prev == MACH_PORT_NULL && pstatus(p).mps_pdrequest, "status shows the request");
	is_kr(mach_port_mod_refs(self, p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	      "destroy p's receive right");
	tap_is_int(ptype(p), 0x80000000 | KERN_INVALID_NAME, "the name p is gone");
	is_kr(get_note(&u, n, "port destroyed"), MACH_MSG_SUCCESS, "a notification arrives");
	mach_port_t back = u.destroyed.not_port;
	tap_ok(note_header(&u, MACH_NOTIFY_PORT_DESTROYED, 48, 1) &&
	           name_type(&u.destroyed.not_type, MACH_MSG_TYPE_PORT_RECEIVE, 64),
	       "port destroyed: id %d, size %u, complex, a PORT_RECEIVE of size 64", u.h.msgh_id,
	       u.h.msgh_size);
	mach_port_status_t st = pstatus(back);
	tap_ok(ptype(back) == MACH_PORT_TYPE_RECEIVE && st.mps_msgcount == 1 && !st.mps_pdrequest,
	       "the receive right came back as %u with its message, the request used up", back);
	memset(&m, 0, sizeof(m));
	tap_ok(msg_recv(&m, sizeof(m), back) == MACH_MSG_SUCCESS && m.msgh_id == 555,
	       "the queued message is received from it");
}

int
main(void)
{
	ipc_init();
	tap_plan(51);
	n = new_receive();
	tap_ok(MACH_PORT_VALID(n), "a notify port (%u)", n);
	is_kr(mach_port_request_notification(self, n, 12345, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	                                     &(mach_port_t){0}),
	      KERN_INVALID_VALUE, "an unknown notification id: KERN_INVALID_VALUE");
	refused_note("refused request");
	dead_name();
	no_senders();
	port_deleted();
	port_destroyed();
	tap_is_int(pstatus(n).mps_msgcount, 0, "no notification left unread");
	return tap_done();
}
