// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RPC, a send and a receive in one mach_msg, at its edges: where
 * vmach takes shortcuts (a request handed straight to a waiting server, the
 * caller waiting on its reply port from the same hold of its space, a
 * kernel server's reply written straight to the caller), each case below
 * must end as GNU Mach ends it. Run on both kernels
 * (tests/qemu/ipc-tasks.t, tests/gnumach/ipc-tasks.t).
 *
 * - A server replying and receiving in one call, a thousand rounds, the
 *   data, ids and sequence numbers of both ports checked.
 * - A message queued on the reply port before the call is received first.
 * - A server receiving on a port set; a caller whose reply port is in a
 *   set (MACH_RCV_IN_SET, the reply then taken from the set) or that
 *   receives on the set itself; a caller receiving on another port than
 *   its reply port.
 * - thread_abort of a caller waiting for its reply (MACH_RCV_INTERRUPTED,
 *   the reply queued later); its reply port destroyed meanwhile
 *   (MACH_RCV_PORT_DIED).
 * - A server whose buffer is too small: without MACH_RCV_LARGE the request
 *   is destroyed and the caller gets a send-once notification; with it,
 *   the request waits for a larger buffer.
 * - A full destination: the call waits in its send until the queue drains.
 * - A kernel server's reply behind a message queued first, and to a set.
 * - A bad or dead destination: MACH_SEND_INVALID_DEST, no right made.
 *
 * Only the main thread prints (thread.h); servers leave their results in
 * struct server.
 */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <string.h>
#include <tap.h>
#include <thread.h>
#include <traps.h>

#include "ipc-util.h"

#define WORDS 4
#define REQ_ID 6000
#define STOP_ID 6999
#define FILLER_ID 6500
#define NOTE_ID 6700
#define ROUNDS 1000
#define LOG_MAX 8

struct rpc_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t w[WORDS];
};

/* What a server thread does and saw. */
struct server {
	mach_port_t port;          /* where it receives (a port or a set) */
	mach_msg_size_t rcv_size;  /* its buffer's size given to mach_msg */
	mach_msg_option_t rcv_opt; /* added to MACH_RCV_MSG */
	mach_port_t note;          /* when set, a NOTE_ID message sent there before each reply */
	int requests;              /* it stops after this many receives */
	volatile int hold;         /* while set, it waits before replying */
	volatile int received;     /* receives done */
	volatile int done;
	int errors;
	/* The first LOG_MAX receives: result, id, sequence number, local port, send result. */
	mach_msg_return_t rcv_mr[LOG_MAX], snd_mr[LOG_MAX];
	mach_msg_id_t id[LOG_MAX];
	mach_port_seqno_t seqno[LOG_MAX];
	mach_port_t local[LOG_MAX], remote[LOG_MAX];
	mach_msg_size_t size[LOG_MAX];
};

static void
fill(struct rpc_msg *m, mach_port_t dest, mach_msg_type_name_t dest_type, mach_port_t reply,
     mach_msg_id_t id, int64_t seed)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(dest_type, reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_local_port = reply;
	m->head.msgh_id = id;
	set_type(&m->type, MACH_MSG_TYPE_INTEGER_64, 64, WORDS, 1);
	for (int i = 0; i < WORDS; i++)
		m->w[i] = seed + i * 1000;
}

/* The server's answer to a request of seed: each word times three plus its index. */
static int
answered(const struct rpc_msg *m, mach_msg_id_t id, int64_t seed)
{
	if (m->head.msgh_id != id + 100 || m->head.msgh_size != sizeof(*m))
		return 0;
	for (int i = 0; i < WORDS; i++)
		if (m->w[i] != (seed + i * 1000) * 3 + i)
			return 0;
	return 1;
}

static void
note(mach_port_t to)
{
	struct rpc_msg m;
	fill(&m, to, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, NOTE_ID, 0);
	mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
	         MACH_PORT_NULL);
}

/*
 * Receives s->requests times; answers each request that carries a reply
 * right, through it (a name this task then no longer holds).
 */
static void
serve(void *arg)
{
	struct server *s = arg;
	union {
		struct rpc_msg m;
		char big[256];
	} u;

	for (int n = 0; n < s->requests; n++) {
		memset(&u, 0, sizeof(u));
		mach_msg_return_t mr = mach_msg(&u.m.head, MACH_RCV_MSG | s->rcv_opt, 0,
		                                s->rcv_size, s->port, 0, MACH_PORT_NULL);
		if (n < LOG_MAX) {
			s->rcv_mr[n] = mr;
			s->id[n] = u.m.head.msgh_id;
			s->seqno[n] = u.m.head.msgh_seqno;
			s->local[n] = u.m.head.msgh_local_port;
			s->remote[n] = u.m.head.msgh_remote_port;
			s->size[n] = u.m.head.msgh_size;
		}
		s->received++;
		if (mr == MACH_RCV_TOO_LARGE && (s->rcv_opt & MACH_RCV_LARGE)) {
			s->rcv_size = sizeof(u); /* the request stayed queued: again, larger */
			continue;
		}
		if (mr != MACH_MSG_SUCCESS || u.m.head.msgh_remote_port == MACH_PORT_NULL)
			continue;
		while (s->hold)
			uthread_sleep(10);
		for (int i = 0; i < WORDS; i++)
			u.m.w[i] = u.m.w[i] * 3 + i;
		if (s->note)
			note(s->note);
		mach_port_t reply = u.m.head.msgh_remote_port;
		u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		u.m.head.msgh_local_port = MACH_PORT_NULL;
		u.m.head.msgh_id += 100;
		mr = mach_msg(&u.m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(u.m), 0,
		              MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (n < LOG_MAX)
			s->snd_mr[n] = mr;
		if (mr != MACH_MSG_SUCCESS)
			mach_port_deallocate(self, reply); /* not moved: drop it */
	}
	s->done = 1;
}

static int
start(struct server *s, struct uthread *t)
{
	return uthread_create(self, serve, s, 1, t) == KERN_SUCCESS;
}

/* Ends the server thread (after its work, or cut short) and checks it ended on its own. */
static int
finish(struct server *s, struct uthread *t)
{
	int ended = uthread_wait_flag(&s->done, 2000);
	uthread_destroy(t);
	return ended;
}

/* One call: the request of seed to dest, the reply right made from reply, received on rcv. */
static mach_msg_return_t
call(struct rpc_msg *m, mach_port_t dest, mach_port_t reply, mach_port_t rcv, mach_msg_id_t id,
     int64_t seed)
{
	fill(m, dest, MACH_MSG_TYPE_COPY_SEND, reply, id, seed);
	return mach_msg(&m->head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*m), sizeof(*m), rcv, 0,
	                MACH_PORT_NULL);
}

/* ---- A server that replies and receives in one call ---- */

static struct {
	mach_port_t port;
	mach_port_seqno_t bad_seqno;
	int errors, served;
	volatile int done;
} loop;

static void
loop_server(void *arg)
{
	struct rpc_msg m;
	mach_msg_return_t mr =
	    mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), loop.port, 0, MACH_PORT_NULL);

	for (;;) {
		if (mr != MACH_MSG_SUCCESS) {
			loop.errors++;
			break;
		}
		if (m.head.msgh_seqno != (mach_port_seqno_t)loop.served && !loop.bad_seqno)
			loop.bad_seqno = m.head.msgh_seqno | 0x80000000u;
		loop.served++;
		int stop = m.head.msgh_id == STOP_ID;
		for (int i = 0; i < WORDS; i++)
			m.w[i] = m.w[i] * 3 + i;
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.head.msgh_local_port = MACH_PORT_NULL;
		m.head.msgh_id += 100;
		if (stop) {
			mr = mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
			              MACH_PORT_NULL);
			loop.errors += mr != MACH_MSG_SUCCESS;
			break;
		}
		/* The reply and the next receive in one call. */
		mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m), sizeof(m),
		              loop.port, 0, MACH_PORT_NULL);
	}
	loop.done = 1;
}

static void
test_loop(void)
{
	struct uthread t;
	struct rpc_msg m;
	mach_port_t reply = new_receive();
	int good = 0, seq_ok = 1, local_ok = 1;

	loop.port = new_receive_send();
	tap_ok(uthread_create(self, loop_server, NULL, 1, &t) == KERN_SUCCESS,
	       "loop: the server thread started");
	for (int i = 0; i < ROUNDS; i++) {
		mach_msg_return_t mr = call(&m, loop.port, reply, reply, REQ_ID + (i & 15), i);
		good += mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID + (i & 15), i);
		seq_ok &= m.head.msgh_seqno == (mach_port_seqno_t)i;
		local_ok &= m.head.msgh_local_port == reply &&
		            m.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE);
	}
	tap_is_int(good, ROUNDS,
	           "loop: %d calls to a server replying and receiving in one call, "
	           "data and ids right",
	           ROUNDS);
	tap_ok(seq_ok, "loop: the reply port's sequence numbers count 0, 1, 2...");
	tap_ok(local_ok, "loop: each reply came to the reply port, its right used up");
	is_kr(call(&m, loop.port, reply, reply, STOP_ID, 5), MACH_MSG_SUCCESS,
	      "loop: the last call answered");
	tap_ok(uthread_wait_flag(&loop.done, 2000) && loop.errors == 0 && !loop.bad_seqno,
	       "loop: the server saw sequence numbers 0 to %d, no error (%d, %#x)", ROUNDS,
	       loop.errors, loop.bad_seqno);
	mach_port_status_t st = pstatus(reply);
	tap_ok(st.mps_seqno == ROUNDS + 1 && st.mps_msgcount == 0 && st.mps_sorights == 0,
	       "loop: reply port at seqno %u, nothing queued, no send-once right left (%u, %u)",
	       ROUNDS + 1, st.mps_seqno, st.mps_msgcount);
	uthread_destroy(&t);
	mach_port_destroy(self, reply);
	mach_port_destroy(self, loop.port);
}

/* ---- The reply port's queue ---- */

static void
test_queued_first(void)
{
	struct server s = {.rcv_size = sizeof(struct rpc_msg), .requests = 1};
	struct uthread t;
	struct rpc_msg m;
	mach_port_t reply = new_receive();

	s.port = new_receive_send();
	start(&s, &t);
	/* A message of our own on the reply port first. */
	fill(&m, reply, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, FILLER_ID, 0);
	is_kr(msg_send(&m, sizeof(m)), MACH_MSG_SUCCESS,
	      "queued first: a message on the reply port");
	mach_msg_return_t mr = call(&m, s.port, reply, reply, REQ_ID, 11);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == FILLER_ID && m.head.msgh_seqno == 0,
	       "queued first: the call returns the queued message (%#x, id %d, seqno %u)", mr,
	       m.head.msgh_id, m.head.msgh_seqno);
	memset(&m, 0, sizeof(m));
	mr = msg_recv(&m, sizeof(m), reply);
	tap_ok(mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID, 11) && m.head.msgh_seqno == 1,
	       "queued first: then the reply, seqno 1 (%#x, id %d, seqno %u)", mr, m.head.msgh_id,
	       m.head.msgh_seqno);
	tap_ok(finish(&s, &t) && s.rcv_mr[0] == MACH_MSG_SUCCESS && s.snd_mr[0] == MACH_MSG_SUCCESS,
	       "queued first: the server received and replied");
	mach_port_destroy(self, reply);
	mach_port_destroy(self, s.port);
}

/* ---- Port sets ---- */

static void
test_sets(void)
{
	struct server s = {.rcv_size = sizeof(struct rpc_msg), .requests = 3};
	struct uthread t;
	struct rpc_msg m;
	mach_port_t svc = new_receive_send(), reply = new_receive();
	mach_port_t srv_set = new_set(), rcv_set = new_set();
	int good = 0;

	/* The server receives on a set holding its port. */
	mach_port_move_member(self, svc, srv_set);
	s.port = srv_set;
	start(&s, &t);
	for (int i = 0; i < 2; i++)
		good += call(&m, svc, reply, reply, REQ_ID + i, 100 + i) == MACH_MSG_SUCCESS &&
		        answered(&m, REQ_ID + i, 100 + i);
	tap_ok(good == 2 && s.local[0] == svc && s.local[1] == svc && s.seqno[1] == 1,
	       "sets: a server receiving on a set answers; its requests name the member port "
	       "(%u, seqno %u)",
	       s.local[0], s.seqno[1]);

	/* The caller's reply port in a set: the send goes, the receive on the port does not. */
	mach_port_move_member(self, reply, rcv_set);
	mach_msg_return_t mr = call(&m, svc, reply, reply, REQ_ID + 2, 102);
	is_kr(mr, MACH_RCV_IN_SET, "sets: a call receiving on a port in a set: MACH_RCV_IN_SET");
	tap_ok(uthread_wait_flag(&s.done, 2000), "sets: the request went all the same");
	memset(&m, 0, sizeof(m));
	mr = msg_recv(&m, sizeof(m), rcv_set);
	tap_ok(mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID + 2, 102) &&
	           m.head.msgh_local_port == reply,
	       "sets: its reply taken from the set, named by the member port (%#x, %u)", mr,
	       m.head.msgh_local_port);
	finish(&s, &t);

	/* A call that receives on the set holding its reply port. */
	struct server s2 = {.port = srv_set, .rcv_size = sizeof(struct rpc_msg), .requests = 1};
	start(&s2, &t);
	mr = call(&m, svc, reply, rcv_set, REQ_ID + 3, 103);
	tap_ok(mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID + 3, 103) &&
	           m.head.msgh_local_port == reply,
	       "sets: a call receiving on the set gets its reply (%#x)", mr);
	finish(&s2, &t);
	mach_port_destroy(self, reply);
	mach_port_destroy(self, svc);
	mach_port_destroy(self, srv_set);
	mach_port_destroy(self, rcv_set);
}

/* A call whose reply port is not the port it receives on. */
static void
test_other_port(void)
{
	struct server s = {.rcv_size = sizeof(struct rpc_msg), .requests = 1};
	struct uthread t;
	struct rpc_msg m;
	mach_port_t reply = new_receive(), other = new_receive_send();

	s.port = new_receive_send();
	s.note = other;
	start(&s, &t);
	mach_msg_return_t mr = call(&m, s.port, reply, other, REQ_ID, 21);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == NOTE_ID,
	       "other port: a call receiving elsewhere gets what came there (%#x, id %d)", mr,
	       m.head.msgh_id);
	finish(&s, &t);
	memset(&m, 0, sizeof(m));
	mr = msg_recv(&m, sizeof(m), reply);
	tap_ok(mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID, 21),
	       "other port: the reply waits on the reply port (%#x)", mr);
	mach_port_destroy(self, reply);
	mach_port_destroy(self, other);
	mach_port_destroy(self, s.port);
}

/* ---- A caller cut off while it waits ---- */

struct caller {
	mach_port_t dest, reply;
	mach_msg_option_t extra;
	volatile mach_msg_return_t mr;
	volatile int done;
	struct rpc_msg m;
};

static void
caller_thread(void *arg)
{
	struct caller *c = arg;
	fill(&c->m, c->dest, MACH_MSG_TYPE_COPY_SEND, c->reply, REQ_ID, 31);
	c->mr = mach_msg(&c->m.head, MACH_SEND_MSG | MACH_RCV_MSG | c->extra, sizeof(c->m),
	                 sizeof(c->m), c->reply, 0, MACH_PORT_NULL);
	c->done = 1;
}

static void
test_abort(void)
{
	struct server s = {.rcv_size = sizeof(struct rpc_msg), .requests = 1, .hold = 1};
	struct caller c = {.reply = new_receive(), .extra = MACH_RCV_INTERRUPT};
	struct uthread ts, tc;
	struct rpc_msg m;

	s.port = c.dest = new_receive_send();
	start(&s, &ts);
	uthread_create(self, caller_thread, &c, 1, &tc);
	tap_ok(uthread_wait_flag(&s.received, 2000) && uthread_wait_blocked(tc.thread, 2000),
	       "abort: the server has the request, the caller waits for its reply");
	is_kr(thread_abort(tc.thread), KERN_SUCCESS, "abort: thread_abort of the caller");
	uthread_wait_flag(&c.done, 2000);
	is_kr(c.mr, MACH_RCV_INTERRUPTED, "abort: its call returns MACH_RCV_INTERRUPTED");
	s.hold = 0;
	tap_ok(finish(&s, &ts) && s.snd_mr[0] == MACH_MSG_SUCCESS, "abort: the server replied");
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr = msg_recv(&m, sizeof(m), c.reply);
	tap_ok(mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID, 31) && m.head.msgh_seqno == 0,
	       "abort: the reply waits on the reply port (%#x, seqno %u)", mr, m.head.msgh_seqno);
	uthread_destroy(&tc);
	mach_port_destroy(self, c.reply);
	mach_port_destroy(self, s.port);
}

static void
test_port_died(void)
{
	struct server s = {.rcv_size = sizeof(struct rpc_msg), .requests = 1, .hold = 1};
	struct caller c = {.reply = new_receive()};
	struct uthread ts, tc;

	s.port = c.dest = new_receive_send();
	start(&s, &ts);
	uthread_create(self, caller_thread, &c, 1, &tc);
	tap_ok(uthread_wait_flag(&s.received, 2000) && uthread_wait_blocked(tc.thread, 2000),
	       "port died: the caller waits for its reply");
	is_kr(mach_port_mod_refs(self, c.reply, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS,
	      "port died: another thread destroys the reply port");
	uthread_wait_flag(&c.done, 2000);
	is_kr(c.mr, MACH_RCV_PORT_DIED, "port died: the call returns MACH_RCV_PORT_DIED");
	uthread_destroy(&tc); /* now: its own end would make a name */
	/* The server's send-once right to it is a dead name now; the port's own name is gone. */
	is_kr(ptype(s.remote[0]), MACH_PORT_TYPE_DEAD_NAME,
	      "port died: the server's reply right a dead name");
	s.hold = 0;
	tap_ok(finish(&s, &ts), "port died: the server went on");
	is_kr(s.snd_mr[0], MACH_SEND_INVALID_DEST, "port died: its reply: MACH_SEND_INVALID_DEST");
	/* Its name may be taken again at once (a thread's reply port): not a dead name. */
	tap_ok(ptype(s.remote[0]) != MACH_PORT_TYPE_DEAD_NAME,
	       "port died: the dead name gone once dropped (%#x)", ptype(s.remote[0]));
	mach_port_destroy(self, s.port);
}

/* ---- A server's buffer too small ---- */

static void
test_too_large(void)
{
	struct server s = {.rcv_size = sizeof(mach_msg_header_t), .requests = 1};
	struct uthread t;
	struct rpc_msg m;
	mach_port_t reply = new_receive();
	mach_msg_return_t mr;

	s.port = new_receive_send();
	start(&s, &t);
	mr = call(&m, s.port, reply, reply, REQ_ID, 41);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == MACH_NOTIFY_SEND_ONCE &&
	           m.head.msgh_local_port == reply,
	       "too large: the request destroyed, the caller gets a send-once notification (%#x, "
	       "id %d)",
	       mr, m.head.msgh_id);
	tap_ok(finish(&s, &t) && s.rcv_mr[0] == MACH_RCV_TOO_LARGE,
	       "too large: the server's receive: MACH_RCV_TOO_LARGE (%#x)", s.rcv_mr[0]);
	mach_port_status_t st = pstatus(s.port);
	tap_ok(st.mps_msgcount == 0 && st.mps_seqno == 1,
	       "too large: the request left the queue (count %u, seqno %u)", st.mps_msgcount,
	       st.mps_seqno);

	struct server s2 = {
	    .port = s.port, .rcv_size = 24, .rcv_opt = MACH_RCV_LARGE, .requests = 2};
	start(&s2, &t);
	mr = call(&m, s.port, reply, reply, REQ_ID + 1, 42);
	tap_ok(mr == MACH_MSG_SUCCESS && answered(&m, REQ_ID + 1, 42),
	       "too large: with MACH_RCV_LARGE the server takes it with a larger buffer (%#x)", mr);
	tap_ok(finish(&s2, &t) && s2.rcv_mr[0] == MACH_RCV_TOO_LARGE &&
	           s2.size[0] == sizeof(struct rpc_msg) && s2.rcv_mr[1] == MACH_MSG_SUCCESS,
	       "too large: first MACH_RCV_TOO_LARGE with the size needed (%u), then the request",
	       s2.size[0]);
	mach_port_destroy(self, reply);
	mach_port_destroy(self, s.port);
}

/* ---- A full destination ---- */

static void
test_full(void)
{
	struct server s = {.rcv_size = sizeof(struct rpc_msg), .requests = 2};
	struct caller c = {.reply = new_receive()};
	struct uthread ts, tc;
	struct rpc_msg m;

	s.port = c.dest = new_receive_send();
	mach_port_set_qlimit(self, s.port, 1);
	fill(&m, s.port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, FILLER_ID, 0);
	is_kr(msg_send(&m, sizeof(m)), MACH_MSG_SUCCESS, "full: one message fills a queue of one");
	uthread_create(self, caller_thread, &c, 1, &tc);
	tap_ok(uthread_wait_blocked(tc.thread, 2000) && !c.done,
	       "full: a call to it waits in its send");
	start(&s, &ts);
	uthread_wait_flag(&c.done, 2000);
	tap_ok(c.mr == MACH_MSG_SUCCESS && answered(&c.m, REQ_ID, 31),
	       "full: once the queue drains the call goes and is answered (%#x)", c.mr);
	tap_ok(finish(&s, &ts) && s.id[0] == FILLER_ID && s.id[1] == REQ_ID && s.seqno[1] == 1,
	       "full: the server got the filler, then the request (%d, %d)", s.id[0], s.id[1]);
	uthread_destroy(&tc);
	mach_port_destroy(self, c.reply);
	mach_port_destroy(self, s.port);
}

/* ---- A kernel server ---- */

union kbuf {
	mig_reply_header_t r;
	struct rpc_msg m;
	char big[256];
};

/* A request to the task port that no kernel interface has: a MIG_BAD_ID reply. */
static mach_msg_return_t
kernel_call(union kbuf *b, mach_port_t reply, mach_port_t rcv)
{
	memset(b, 0, sizeof(*b));
	b->r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b->r.Head.msgh_size = sizeof(mach_msg_header_t);
	b->r.Head.msgh_remote_port = self;
	b->r.Head.msgh_local_port = reply;
	b->r.Head.msgh_id = 3999;
	return mach_msg(&b->r.Head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(mach_msg_header_t),
	                sizeof(*b), rcv, 0, MACH_PORT_NULL);
}

static int
bad_id_reply(const union kbuf *b, mach_port_t reply)
{
	return b->r.Head.msgh_id == 4099 && b->r.RetCode == MIG_BAD_ID &&
	       b->r.Head.msgh_local_port == reply;
}

static void
test_kernel(void)
{
	mach_port_t reply = new_receive(), set = new_set();
	union kbuf b;
	struct rpc_msg m;

	fill(&m, reply, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, FILLER_ID, 0);
	msg_send(&m, sizeof(m));
	mach_msg_return_t mr = kernel_call(&b, reply, reply);
	tap_ok(mr == MACH_MSG_SUCCESS && b.r.Head.msgh_id == FILLER_ID && b.r.Head.msgh_seqno == 0,
	       "kernel: behind a queued message, the call returns that first (%#x, id %d)", mr,
	       b.r.Head.msgh_id);
	mr = msg_recv(&b, sizeof(b), reply);
	tap_ok(mr == MACH_MSG_SUCCESS && bad_id_reply(&b, reply) && b.r.Head.msgh_seqno == 1,
	       "kernel: then the kernel's reply, seqno 1 (%#x, id %d, seqno %u)", mr,
	       b.r.Head.msgh_id, b.r.Head.msgh_seqno);
	mr = kernel_call(&b, reply, reply);
	tap_ok(mr == MACH_MSG_SUCCESS && bad_id_reply(&b, reply) && b.r.Head.msgh_seqno == 2,
	       "kernel: with nothing queued, the reply at once, seqno 2 (%#x, seqno %u)", mr,
	       b.r.Head.msgh_seqno);
	mach_port_move_member(self, reply, set);
	mr = kernel_call(&b, reply, set);
	tap_ok(mr == MACH_MSG_SUCCESS && bad_id_reply(&b, reply) && b.r.Head.msgh_seqno == 3,
	       "kernel: a call receiving on the set holding its reply port (%#x, seqno %u)", mr,
	       b.r.Head.msgh_seqno);
	mach_port_status_t st = pstatus(reply);
	tap_ok(st.mps_msgcount == 0 && st.mps_sorights == 0,
	       "kernel: nothing left queued, no send-once right left (%u, %u)", st.mps_msgcount,
	       st.mps_sorights);
	mach_port_destroy(self, reply);
	mach_port_destroy(self, set);
}

/* ---- Bad destinations ---- */

static void
test_bad_dest(void)
{
	mach_port_t reply = new_receive(), gone = new_receive_send();
	struct rpc_msg m;

	is_kr(call(&m, (mach_port_t)0x7777, reply, reply, REQ_ID, 0), MACH_SEND_INVALID_DEST,
	      "bad dest: a name not there: MACH_SEND_INVALID_DEST");
	mach_port_mod_refs(self, gone, MACH_PORT_RIGHT_RECEIVE, -1); /* the send right: dead */
	is_kr(call(&m, gone, reply, reply, REQ_ID, 0), MACH_SEND_INVALID_DEST,
	      "bad dest: a dead name: MACH_SEND_INVALID_DEST");
	tap_ok(ptype(gone) == MACH_PORT_TYPE_DEAD_NAME &&
	           urefs(gone, MACH_PORT_RIGHT_DEAD_NAME) == 1,
	       "bad dest: the dead name kept with its reference (%#x)", ptype(gone));
	mach_port_status_t st = pstatus(reply);
	tap_ok(st.mps_sorights == 0 && st.mps_msgcount == 0 && st.mps_seqno == 0,
	       "bad dest: no reply right made, nothing received");
	mach_port_destroy(self, reply);
	mach_port_destroy(self, gone);
}

int
main(void)
{
	ipc_init();
	uthread_sleep(1); /* uthread_sleep's port, made before any count */
	unsigned names0 = name_count();

	tap_plan(49);
	test_loop();
	test_queued_first();
	test_sets();
	test_other_port();
	test_abort();
	test_port_died();
	test_too_large();
	test_full();
	test_kernel();
	test_bad_dest();
	tap_is_int(name_count(), names0, "names back to the start");
	return tap_done();
}
