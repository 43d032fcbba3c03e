// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every port-right disposition in a message, header and body, sent to a port
 * of the task itself and received back: the type in transit (msgt_name and
 * msgh_bits after receive), the names the rights get (a send right the task
 * already holds comes back under the same name with one more user
 * reference; a send-once right gets a name of its own), the types and
 * references left behind, MACH_PORT_NULL and MACH_PORT_DEAD in body slots,
 * and the errors of bad dispositions and names with what a failed send
 * leaves. Checked on GNU Mach 2025 (tests/gnumach/ipc.t), the oracle.
 */
#include "ipc-util.h"

#define MAX_RIGHTS 4
#define UNUSED_NAME 0x4321

/* A message of up to MAX_RIGHTS rights, each with its own descriptor. */
struct rmsg {
	mach_msg_header_t h;
	struct {
		mach_msg_type_t t;
		mach_port_name_inlined_t p;
	} r[MAX_RIGHTS];
};

static mach_port_t dst; /* the receive right every message goes to */

static void
build(struct rmsg *m, mach_port_t dest, unsigned dest_disp, mach_port_t reply, unsigned reply_disp,
      int n, const mach_port_t *names, const unsigned *disps)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(dest_disp, reply_disp) | (n ? MACH_MSGH_BITS_COMPLEX : 0);
	m->h.msgh_size = sizeof(m->h) + n * sizeof(m->r[0]);
	m->h.msgh_remote_port = dest;
	m->h.msgh_local_port = reply;
	m->h.msgh_id = 4242;
	for (int i = 0; i < n; i++) {
		set_type(&m->r[i].t, disps[i], 64, 1, 1);
		m->r[i].p.name = names[i];
	}
}

static mach_msg_return_t
send_rights(mach_port_t dest, unsigned dest_disp, mach_port_t reply, unsigned reply_disp, int n,
            const mach_port_t *names, const unsigned *disps)
{
	struct rmsg m;
	build(&m, dest, dest_disp, reply, reply_disp, n, names, disps);
	return msg_send(&m, m.h.msgh_size);
}

static mach_msg_return_t
receive_dst(struct rmsg *r)
{
	memset(r, 0, sizeof(*r));
	return msg_recv(r, sizeof(*r), dst);
}

/* A send's result, then (if it succeeded) the receive's: in that order. */
static mach_msg_return_t
then_receive(mach_msg_return_t sent, struct rmsg *r)
{
	return sent != MACH_MSG_SUCCESS ? sent : receive_dst(r);
}

/* One body right to dst (made send), received into *r; returns both results or-ed. */
static mach_msg_return_t
round_trip(struct rmsg *r, mach_port_t name, unsigned disp)
{
	return then_receive(
	    send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, &name, &disp), r);
}

/* Header dispositions: what msgh_bits and the names look like after receive. */
static void
header_rights(void)
{
	struct rmsg r;
	mach_port_t rp = new_receive_send();

	is_kr(
	    then_receive(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 0, 0, 0), &r),
	    MACH_MSG_SUCCESS, "dest MAKE_SEND: sent and received");
	show_header("dest MAKE_SEND, received", &r.h);
	tap_ok(r.h.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) &&
	           r.h.msgh_local_port == dst && r.h.msgh_remote_port == MACH_PORT_NULL &&
	           r.h.msgh_size == sizeof(r.h) && r.h.msgh_id == 4242,
	       "received: bits local PORT_SEND, local = the receive right's name, remote NULL");
	tap_ok(ptype(dst) == MACH_PORT_TYPE_RECEIVE && pstatus(dst).mps_mscount == 1 &&
	           !pstatus(dst).mps_srights,
	       "the made send right was consumed at the destination; mscount 1 (type %#x)",
	       ptype(dst));

	is_kr(then_receive(
	          send_rights(dst, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 0, 0, 0), &r),
	      MACH_MSG_SUCCESS, "dest MAKE_SEND_ONCE");
	tap_ok(r.h.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) &&
	           r.h.msgh_local_port == dst && pstatus(dst).mps_sorights == 0,
	       "received bits %#x: local PORT_SEND_ONCE; no send-once right left", r.h.msgh_bits);

	mach_port_insert_right(self, dst, dst, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_mod_refs(self, dst, MACH_PORT_RIGHT_SEND, 1);
	is_kr(send_rights(dst, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_MSG_SUCCESS, "dest COPY_SEND");
	tap_is_int(urefs(dst, MACH_PORT_RIGHT_SEND), 2, "COPY_SEND left the 2 urefs");
	is_kr(receive_dst(&r), MACH_MSG_SUCCESS, "received");
	tap_ok(r.h.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) &&
	           urefs(dst, MACH_PORT_RIGHT_SEND) == 2,
	       "bits %#x, still 2 urefs: the copy was consumed at the destination", r.h.msgh_bits);
	is_kr(send_rights(dst, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_MSG_SUCCESS, "dest MOVE_SEND");
	tap_is_int(urefs(dst, MACH_PORT_RIGHT_SEND), 1, "MOVE_SEND took one uref");
	receive_dst(&r);
	tap_is_int(urefs(dst, MACH_PORT_RIGHT_SEND), 1, "and it does not come back on receive");
	send_rights(dst, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 0, 0, 0);
	tap_ok(ptype(dst) == MACH_PORT_TYPE_RECEIVE,
	       "MOVE_SEND of the last uref leaves the receive right alone (%#x)", ptype(dst));
	receive_dst(&r);

	mach_port_t so = 1000;
	is_kr(mach_port_insert_right(self, so, dst, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_SUCCESS,
	      "a send-once right under name 1000");
	is_kr(send_rights(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_MSG_SUCCESS, "dest MOVE_SEND_ONCE");
	tap_is_int(ptype(so), 0x80000000 | KERN_INVALID_NAME, "the send-once name is gone");
	receive_dst(&r);
	tap_ok(r.h.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) &&
	           r.h.msgh_local_port == dst,
	       "received bits %#x local %u", r.h.msgh_bits, r.h.msgh_local_port);

	/* Reply rights: the receiver gets them in msgh_remote_port. */
	unsigned before = urefs(rp, MACH_PORT_RIGHT_SEND);
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, rp, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
	receive_dst(&r);
	tap_ok(r.h.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND) &&
	           r.h.msgh_remote_port == rp && urefs(rp, MACH_PORT_RIGHT_SEND) == before + 1,
	       "reply MAKE_SEND: bits %#x, remote = the same name %u, one more uref", r.h.msgh_bits,
	       r.h.msgh_remote_port);
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, rp, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0);
	receive_dst(&r);
	tap_ok(r.h.msgh_remote_port == rp && urefs(rp, MACH_PORT_RIGHT_SEND) == before + 2 &&
	           MACH_MSGH_BITS_REMOTE(r.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND,
	       "reply COPY_SEND: same name, one more uref (%u)", urefs(rp, MACH_PORT_RIGHT_SEND));
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, rp, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 0);
	tap_is_int(urefs(rp, MACH_PORT_RIGHT_SEND), before + 1,
	           "reply MOVE_SEND: one uref in transit");
	receive_dst(&r);
	tap_ok(r.h.msgh_remote_port == rp && urefs(rp, MACH_PORT_RIGHT_SEND) == before + 2,
	       "and back under the same name on receive");
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 0);
	receive_dst(&r);
	mach_port_t got = r.h.msgh_remote_port;
	tap_ok(MACH_MSGH_BITS_REMOTE(r.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE && got != rp &&
	           MACH_PORT_VALID(got) && ptype(got) == MACH_PORT_TYPE_SEND_ONCE &&
	           pstatus(rp).mps_sorights == 1,
	       "reply MAKE_SEND_ONCE: bits %#x, a name of its own (%u), one send-once right",
	       r.h.msgh_bits, got);
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, got, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 0);
	tap_is_int(ptype(got), 0x80000000 | KERN_INVALID_NAME,
	           "reply MOVE_SEND_ONCE: the name is gone in transit");
	receive_dst(&r);
	tap_ok(MACH_MSGH_BITS_REMOTE(r.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	           ptype(r.h.msgh_remote_port) == MACH_PORT_TYPE_SEND_ONCE,
	       "and comes back as a send-once right named %u", r.h.msgh_remote_port);
	/* Use it up: a message to rp, which consumes the send-once right. */
	send_rights(r.h.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 0, 0, 0);
	memset(&r, 0, sizeof(r));
	is_kr(msg_recv(&r, sizeof(r), rp), MACH_MSG_SUCCESS, "the send-once right reaches rp");
	tap_is_int(pstatus(rp).mps_sorights, 0, "no send-once right left");
}

/* Body rights, to a port p that the task holds receive and send rights to. */
static void
body_rights(void)
{
	struct rmsg r;
	mach_port_t p = new_receive_send();

	is_kr(round_trip(&r, p, MACH_MSG_TYPE_COPY_SEND), MACH_MSG_SUCCESS, "body COPY_SEND");
	show_type("body COPY_SEND, received", &r.r[0].t);
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND && r.r[0].t.msgt_size == 64 &&
	           r.r[0].t.msgt_number == 1 && r.r[0].t.msgt_inline &&
	           (r.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) && r.r[0].p.name == p &&
	           urefs(p, MACH_PORT_RIGHT_SEND) == 2,
	       "received PORT_SEND under the same name %u, 2 urefs", r.r[0].p.name);

	mach_port_t names[] = {p};
	unsigned disps[] = {MACH_MSG_TYPE_MOVE_SEND};
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, names, disps);
	tap_is_int(urefs(p, MACH_PORT_RIGHT_SEND), 1, "body MOVE_SEND: one uref in transit");
	receive_dst(&r);
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND && r.r[0].p.name == p &&
	           urefs(p, MACH_PORT_RIGHT_SEND) == 2,
	       "received PORT_SEND under the same name, 2 urefs again");

	unsigned ms = pstatus(p).mps_mscount;
	is_kr(round_trip(&r, p, MACH_MSG_TYPE_MAKE_SEND), MACH_MSG_SUCCESS, "body MAKE_SEND");
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND && r.r[0].p.name == p &&
	           urefs(p, MACH_PORT_RIGHT_SEND) == 3 && pstatus(p).mps_mscount == ms + 1,
	       "received PORT_SEND, same name, 3 urefs, mscount %u -> %u", ms,
	       pstatus(p).mps_mscount);

	is_kr(round_trip(&r, p, MACH_MSG_TYPE_MAKE_SEND_ONCE), MACH_MSG_SUCCESS,
	      "body MAKE_SEND_ONCE");
	mach_port_t so = r.r[0].p.name;
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND_ONCE && MACH_PORT_VALID(so) &&
	           so != p && ptype(so) == MACH_PORT_TYPE_SEND_ONCE && pstatus(p).mps_sorights == 1,
	       "received PORT_SEND_ONCE under a name of its own (%u)", so);
	tap_is_int(urefs(so, MACH_PORT_RIGHT_SEND_ONCE), 1, "a send-once right has 1 uref");

	names[0] = so;
	disps[0] = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, names, disps);
	tap_is_int(ptype(so), 0x80000000 | KERN_INVALID_NAME,
	           "body MOVE_SEND_ONCE: the name is gone in transit");
	receive_dst(&r);
	so = r.r[0].p.name;
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	           ptype(so) == MACH_PORT_TYPE_SEND_ONCE && pstatus(p).mps_sorights == 1,
	       "received PORT_SEND_ONCE named %u; still one send-once right", so);

	/* A receive right alone, with a message queued on it that travels along. */
	mach_port_t q = new_receive();
	send_rights(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 0, 0, 0);
	is_kr(mach_port_set_seqno(self, q, 5), KERN_SUCCESS, "set_seqno 5");
	tap_is_int(pstatus(q).mps_seqno, 5, "the seqno is 5 before the move");
	names[0] = q;
	disps[0] = MACH_MSG_TYPE_MOVE_RECEIVE;
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, names, disps),
	      MACH_MSG_SUCCESS, "body MOVE_RECEIVE of a receive-only name");
	tap_is_int(ptype(q), 0x80000000 | KERN_INVALID_NAME, "the name is gone in transit");
	receive_dst(&r);
	mach_port_t q2 = r.r[0].p.name;
	show_type("body MOVE_RECEIVE, received", &r.r[0].t);
	mach_port_status_t st = pstatus(q2);
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_RECEIVE &&
	           ptype(q2) == MACH_PORT_TYPE_RECEIVE && st.mps_msgcount == 1,
	       "received PORT_RECEIVE named %u (was %u), its queued message kept (%u)", q2, q,
	       st.mps_msgcount);
	/* GNU Mach: a receive right that moves starts its sequence numbers again. */
	tap_is_int(st.mps_seqno, 0, "GNU Mach: the moved receive right's seqno is reset to 0");

	/* The receive right of p, whose send right stays under the name meanwhile. */
	names[0] = p;
	send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, names, disps);
	tap_ok(ptype(p) == MACH_PORT_TYPE_SEND && urefs(p, MACH_PORT_RIGHT_SEND) == 3,
	       "MOVE_RECEIVE of a send+receive name leaves the send right (%#x, %u urefs)",
	       ptype(p), urefs(p, MACH_PORT_RIGHT_SEND));
	receive_dst(&r);
	tap_ok(r.r[0].p.name == p && ptype(p) == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE) &&
	           urefs(p, MACH_PORT_RIGHT_SEND) == 3,
	       "the receive right comes back under the same name (%u, %#x)", r.r[0].p.name,
	       ptype(p));

	/* Several rights, NULL and DEAD among them. */
	mach_port_t four[] = {p, p, MACH_PORT_NULL, MACH_PORT_DEAD};
	unsigned fdisp[] = {MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	                    MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND};
	is_kr(then_receive(
	          send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 4, four, fdisp), &r),
	      MACH_MSG_SUCCESS, "four rights: COPY_SEND, MAKE_SEND_ONCE, NULL, DEAD");
	tap_ok(r.h.msgh_size == sizeof(r) && r.r[0].p.name == p && r.r[1].p.name != p &&
	           ptype(r.r[1].p.name) == MACH_PORT_TYPE_SEND_ONCE &&
	           r.r[2].p.name == MACH_PORT_NULL && r.r[3].p.name == MACH_PORT_DEAD,
	       "received names %u %u %u %#x", r.r[0].p.name, r.r[1].p.name, r.r[2].p.name,
	       r.r[3].p.name);
	tap_ok(r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND &&
	           r.r[1].t.msgt_name == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	           r.r[2].t.msgt_name == MACH_MSG_TYPE_PORT_SEND &&
	           r.r[3].t.msgt_name == MACH_MSG_TYPE_PORT_SEND,
	       "their msgt_names %u %u %u %u", r.r[0].t.msgt_name, r.r[1].t.msgt_name,
	       r.r[2].t.msgt_name, r.r[3].t.msgt_name);

	/* A dead name in a body slot travels as MACH_PORT_DEAD. */
	mach_port_t dead = MACH_PORT_NULL;
	mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead);
	mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, 1);
	mach_port_t dn[] = {dead, dead};
	unsigned ddisp[] = {MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND};
	is_kr(then_receive(
	          send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 2, dn, ddisp), &r),
	      MACH_MSG_SUCCESS, "a dead name as COPY_SEND and MOVE_SEND");
	tap_ok(r.r[0].p.name == MACH_PORT_DEAD && r.r[1].p.name == MACH_PORT_DEAD &&
	           r.r[0].t.msgt_name == MACH_MSG_TYPE_PORT_SEND,
	       "both arrive as MACH_PORT_DEAD (%#x %#x)", r.r[0].p.name, r.r[1].p.name);
	tap_is_int(urefs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1,
	           "COPY_SEND kept the dead name's uref, MOVE_SEND took one");
}

/* Each bad header: its code, and the rights unchanged after. */
static void
header_errors(void)
{
	mach_port_t p = new_receive_send();
	mach_port_t rcv_only = new_receive();
	unsigned ms = pstatus(dst).mps_mscount;

	is_kr(send_rights(UNUSED_NAME, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_SEND_INVALID_DEST, "dest an unused name: MACH_SEND_INVALID_DEST");
	is_kr(send_rights(MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_SEND_INVALID_DEST, "dest MACH_PORT_NULL: MACH_SEND_INVALID_DEST");
	is_kr(send_rights(MACH_PORT_DEAD, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_SEND_INVALID_DEST, "dest MACH_PORT_DEAD: MACH_SEND_INVALID_DEST");
	is_kr(send_rights(rcv_only, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_SEND_INVALID_DEST, "dest COPY_SEND of a receive-only name: INVALID_DEST");
	is_kr(send_rights(p, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_SEND_INVALID_DEST, "dest MOVE_SEND_ONCE of a send right: INVALID_DEST");
	is_kr(send_rights(dst, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_PORT_NULL, 0, 0, 0, 0),
	      MACH_SEND_INVALID_HEADER, "dest MOVE_RECEIVE: MACH_SEND_INVALID_HEADER");
	is_kr(send_rights(dst, 0, MACH_PORT_NULL, 0, 0, 0, 0), MACH_SEND_INVALID_HEADER,
	      "dest disposition 0: MACH_SEND_INVALID_HEADER");
	is_kr(send_rights(dst, 99, MACH_PORT_NULL, 0, 0, 0, 0), MACH_SEND_INVALID_HEADER,
	      "dest disposition 99: MACH_SEND_INVALID_HEADER");
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, UNUSED_NAME, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	                  0, 0, 0),
	      MACH_SEND_INVALID_REPLY, "reply an unused name: MACH_SEND_INVALID_REPLY");
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, rcv_only, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0),
	      MACH_SEND_INVALID_REPLY, "reply COPY_SEND of a receive-only name: INVALID_REPLY");
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, p, MACH_MSG_TYPE_MOVE_RECEIVE, 0, 0, 0),
	      MACH_SEND_INVALID_HEADER, "reply MOVE_RECEIVE: MACH_SEND_INVALID_HEADER");
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, p, 0, 0, 0, 0), MACH_SEND_INVALID_HEADER,
	      "a reply name without a disposition: MACH_SEND_INVALID_HEADER");
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, p, 99, 0, 0, 0), MACH_SEND_INVALID_HEADER,
	      "reply disposition 99: MACH_SEND_INVALID_HEADER");
	/* A valid destination moved, a bad reply: the destination right must stay. */
	is_kr(send_rights(p, MACH_MSG_TYPE_MOVE_SEND, UNUSED_NAME, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0,
	                  0, 0),
	      MACH_SEND_INVALID_REPLY, "dest MOVE_SEND with a bad reply: INVALID_REPLY");
	tap_ok(urefs(p, MACH_PORT_RIGHT_SEND) == 1 && ptype(dst) == MACH_PORT_TYPE_RECEIVE &&
	           pstatus(dst).mps_mscount == ms && pstatus(dst).mps_msgcount == 0,
	       "nothing moved, made or queued: p %u uref(s), dst type %#x mscount %u",
	       urefs(p, MACH_PORT_RIGHT_SEND), ptype(dst), pstatus(dst).mps_mscount);
	is_kr(send_rights(MACH_PORT_DEAD, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_DEAD,
	                  MACH_MSG_TYPE_COPY_SEND, 0, 0, 0),
	      MACH_SEND_INVALID_DEST, "a dead destination is checked before the reply");
}

/* Bad body rights, and what a body failure does to the rights before it. */
static void
body_errors(void)
{
	mach_port_t p = new_receive_send();
	mach_port_t rcv_only = new_receive();
	mach_port_t rp = new_receive();
	mach_port_t n[2] = {rcv_only};
	unsigned d[2] = {MACH_MSG_TYPE_COPY_SEND};

	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, n, d),
	      MACH_SEND_INVALID_RIGHT, "body COPY_SEND of a receive-only name: INVALID_RIGHT");
	n[0] = self;
	d[0] = MACH_MSG_TYPE_MOVE_RECEIVE;
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, n, d),
	      MACH_SEND_INVALID_RIGHT, "body MOVE_RECEIVE of a send right: INVALID_RIGHT");
	n[0] = UNUSED_NAME;
	d[0] = MACH_MSG_TYPE_COPY_SEND;
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, n, d),
	      MACH_SEND_INVALID_RIGHT, "body COPY_SEND of an unused name: INVALID_RIGHT");
	n[0] = p;
	d[0] = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, n, d),
	      MACH_SEND_INVALID_RIGHT, "body MOVE_SEND_ONCE of a send right: INVALID_RIGHT");
	struct rmsg m;
	n[0] = p;
	d[0] = MACH_MSG_TYPE_COPY_SEND;
	build(&m, dst, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1, n, d);
	m.r[0].t.msgt_size = 32;
	is_kr(msg_send(&m, m.h.msgh_size), MACH_SEND_INVALID_TYPE,
	      "an inline right of msgt_size 32: MACH_SEND_INVALID_TYPE");
	tap_ok(ptype(dst) == MACH_PORT_TYPE_RECEIVE && pstatus(dst).mps_msgcount == 0,
	       "nothing queued, no send right left to dst (%#x)", ptype(dst));

	/* A good right first, then a bad one: what happens to the first? */
	unsigned ms_dst = pstatus(dst).mps_mscount;
	n[0] = p;
	d[0] = MACH_MSG_TYPE_MOVE_SEND;
	n[1] = UNUSED_NAME;
	d[1] = MACH_MSG_TYPE_COPY_SEND;
	mach_port_mod_refs(self, p, MACH_PORT_RIGHT_SEND, 1);
	is_kr(send_rights(dst, MACH_MSG_TYPE_MAKE_SEND, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2, n, d),
	      MACH_SEND_INVALID_RIGHT, "MOVE_SEND then a bad name: INVALID_RIGHT");
	mach_port_urefs_t left = urefs(p, MACH_PORT_RIGHT_SEND);
	mach_port_status_t st = pstatus(dst), rst = pstatus(rp);
	tap_diag("after the failed send: p %u urefs (had 2), dst mscount %u (was %u) srights %d, "
	         "rp sorights %u msgcount %u",
	         left, st.mps_mscount, ms_dst, st.mps_srights, rst.mps_sorights, rst.mps_msgcount);
	/*
	 * GNU Mach copies the header in first and the body right by right; on
	 * a body error it destroys what was copied in (ipc_kmsg_clean_partial),
	 * so the moved uref is lost, the made send right to dst is released and
	 * the made send-once reply right is destroyed, which sends rp a
	 * send-once notification. The make-send count of dst stays counted.
	 */
	tap_is_int(left, 1, "GNU Mach: the MOVE_SEND uref before the bad right is lost");
	tap_ok(ptype(dst) == MACH_PORT_TYPE_RECEIVE && st.mps_msgcount == 0 && !st.mps_srights,
	       "no message queued, no send right to dst left");
	tap_is_int(st.mps_mscount, ms_dst + 1,
	           "GNU Mach: dst's mscount counts the made send right");
	struct rmsg r;
	memset(&r, 0, sizeof(r));
	is_kr(msg_recv(&r, sizeof(r), rp), MACH_MSG_SUCCESS,
	      "GNU Mach: the reply send-once right was used for a notification on rp");
	tap_ok(r.h.msgh_id == MACH_NOTIFY_SEND_ONCE && pstatus(rp).mps_sorights == 0,
	       "a send-once notification (id %d); no send-once right left", r.h.msgh_id);
}

int
main(void)
{
	ipc_init();
	tap_plan(80);
	dst = new_receive();
	tap_ok(MACH_PORT_VALID(dst), "a receive right for the messages (%u)", dst);
	header_rights();
	body_rights();
	header_errors();
	body_errors();
	return tap_done();
}
