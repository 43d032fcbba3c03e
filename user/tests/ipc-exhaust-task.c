// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A task that dies holding many rights (issue 10, part 7): a child task
 * (task_create, a thread blocked in a receive) holds CHILD_PORTS receive
 * rights, each with a message queued that carries two touched pages out
 * of line, a made send right to a port of ours (S, no-senders requested)
 * and the receive right of another port of ours (R_i); it also holds a
 * send right to N (no-senders requested) and a send-once right to O. We
 * hold a send right to each of its ports, with a dead-name request. Then
 * task_terminate, and every right the child held must be accounted for:
 *
 * - a dead-name notification (72) for each of our send rights to its ports;
 * - R_i with a port-destroyed request (even i): its receive right comes
 *   back in a port-destroyed notification (69); without (odd i, where we
 *   kept a send right with a dead-name request): the port dies, a dead-name
 *   notification;
 * - the send rights to S in the queued messages are released: S's
 *   no-senders notification (70) with the make-send count CHILD_PORTS;
 * - the child's send right to N: N's no-senders; its send-once right to
 *   O: a send-once notification (71) on O;
 * - once the notifications are taken and our rights freed: our names and
 *   the kernel's free pages back to their start (the scenario runs twice,
 *   the first a warm-up). Every check holds on GNU Mach 2025 too.
 */
#include "ipc-exhaust.h"

#define CHILD_PORTS 32
#define TASK_MSG_ID 7100
#define N_NAME 0x99 /* the child's names for our N and O */
#define O_NAME 0x9a

struct cargo_msg {
	mach_msg_header_t head;
	mach_msg_type_t ool_type;
	void *ool;
	mach_msg_type_t s_type;
	mach_port_t s; /* the 4-byte name in an 8-byte slot */
	uint32_t pad1;
	mach_msg_type_t r_type;
	mach_port_t r;
	uint32_t pad2;
};

/* The child's one thread: blocked in a receive until its task ends. */
static void
child_idle(void *arg)
{
	mach_msg_header_t h;
	mach_port_t p = mach_reply_port();

	(void)arg;
	for (;;)
		mach_msg_trap(&h, MACH_RCV_MSG, 0, sizeof(h), p, 0, MACH_PORT_NULL);
}

struct world {
	mach_port_t child, notify, s_notify, s, n, o;
	mach_port_t to_child[CHILD_PORTS], r[CHILD_PORTS];
	struct uthread thread;
};

static kern_return_t
request(mach_port_t name, mach_msg_id_t kind, mach_port_mscount_t sync, mach_port_t notify)
{
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr = mach_port_request_notification(self, name, kind, sync, notify,
	                                                  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	if (kr != KERN_SUCCESS)
		tap_diag("request_notification(%u, %d): %#x", name, kind, kr);
	return kr;
}

/* Queues on the child's port i: two touched pages, a made send right to S, R_i's receive right. */
static mach_msg_return_t
queue_cargo(struct world *w, int i)
{
	struct cargo_msg m;
	char *pages = NULL;

	vm_allocate(self, (vm_address_t *)&pages, 2 * 4096, TRUE);
	pages[0] = (char)i;
	pages[4096] = (char)i;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_remote_port = w->to_child[i];
	m.head.msgh_id = TASK_MSG_ID;
	set_type(&m.ool_type, MACH_MSG_TYPE_BYTE, 8, 2 * 4096, 0);
	m.ool_type.msgt_deallocate = 1; /* the queue holds the only copy */
	m.ool = pages;
	set_type(&m.s_type, MACH_MSG_TYPE_MAKE_SEND, 64, 1, 1);
	m.s = w->s;
	set_type(&m.r_type, MACH_MSG_TYPE_MOVE_RECEIVE, 64, 1, 1);
	m.r = w->r[i];
	return msg_send(&m, sizeof(m));
}

/* The child and every right described at the top; 1 when all went in. */
static int
world_build(struct world *w)
{
	mach_msg_type_name_t t;
	int ok = task_create(self, TRUE, &w->child) == KERN_SUCCESS;

	ok = ok && uthread_create(w->child, child_idle, NULL, 1, &w->thread) == KERN_SUCCESS;
	w->notify = new_receive();
	w->s_notify = new_receive();
	w->s = new_receive();
	w->n = new_receive();
	w->o = new_receive();
	for (int i = 0; ok && i < CHILD_PORTS; i++) {
		mach_port_t cn = MACH_PORT_NULL;
		ok = mach_port_allocate(w->child, MACH_PORT_RIGHT_RECEIVE, &cn) == KERN_SUCCESS;
		ok = ok && mach_port_extract_right(w->child, cn, MACH_MSG_TYPE_MAKE_SEND,
		                                   &w->to_child[i], &t) == KERN_SUCCESS;
		ok = ok && request(w->to_child[i], MACH_NOTIFY_DEAD_NAME, 0, w->notify) == 0;
		if (i % 2 == 0) {
			w->r[i] = new_receive();
			ok = ok && request(w->r[i], MACH_NOTIFY_PORT_DESTROYED, 0, w->notify) == 0;
		} else {
			w->r[i] = new_receive_send();
			ok = ok && request(w->r[i], MACH_NOTIFY_DEAD_NAME, 0, w->notify) == 0;
		}
		ok = ok && queue_cargo(w, i) == MACH_MSG_SUCCESS;
	}
	ok = ok && request(w->s, MACH_NOTIFY_NO_SENDERS, CHILD_PORTS, w->s_notify) == 0;
	ok = ok && mach_port_insert_right(w->child, N_NAME, w->n, MACH_MSG_TYPE_MAKE_SEND) == 0;
	ok = ok && request(w->n, MACH_NOTIFY_NO_SENDERS, 1, w->notify) == 0;
	ok =
	    ok && mach_port_insert_right(w->child, O_NAME, w->o, MACH_MSG_TYPE_MAKE_SEND_ONCE) == 0;
	return ok;
}

struct tally {
	unsigned dead_child, dead_r, destroyed, destroyed_ok, no_senders, other;
};

/* Takes every notification on w->notify and counts it; frees what they bring. */
static void
take_notifications(struct world *w, struct tally *c)
{
	union {
		mach_msg_header_t head;
		uint8_t bytes[256];
	} m;

	memset(c, 0, sizeof(*c));
	while (msg_recv(&m, sizeof(m), w->notify) == MACH_MSG_SUCCESS) {
		uint32_t name;
		memcpy(&name, m.bytes + 40, sizeof(name));
		switch (m.head.msgh_id) {
		case MACH_NOTIFY_DEAD_NAME:
			for (int i = 0; i < CHILD_PORTS; i++) {
				c->dead_child += name == w->to_child[i];
				c->dead_r += i % 2 && name == w->r[i];
			}
			break;
		case MACH_NOTIFY_PORT_DESTROYED:
			c->destroyed++;
			c->destroyed_ok += ptype(name) == MACH_PORT_TYPE_RECEIVE;
			mach_port_destroy(self, name);
			break;
		case MACH_NOTIFY_NO_SENDERS:
			c->no_senders++;
			break;
		default:
			show_header("unexpected notification", &m.head);
			c->other++;
		}
	}
}

/* Kills the child, checks what comes back, frees everything. */
static void
world_kill(struct world *w, const char *what)
{
	struct tally c;
	union {
		mach_msg_header_t head;
		uint8_t bytes[256];
	} m;

	is_kr(task_terminate(w->child), KERN_SUCCESS, "%s: task_terminate", what);
	take_notifications(w, &c);
	tap_is_int(c.dead_child, CHILD_PORTS, "%s: a dead-name notification for each of its ports",
	           what);
	tap_ok(c.destroyed == CHILD_PORTS / 2 && c.destroyed_ok == c.destroyed,
	       "%s: receive rights in its queues came back in port-destroyed notifications (%u)",
	       what, c.destroyed);
	tap_is_int(c.dead_r, CHILD_PORTS / 2,
	           "%s: receive rights without that request died (dead-name notifications)", what);
	tap_ok(c.no_senders == 1 && c.other == 0, "%s: N's no-senders, nothing else (%u, %u)", what,
	       c.no_senders, c.other);
	mach_msg_return_t mr = msg_recv(&m, sizeof(m), w->s_notify);
	uint32_t mscount = 0;
	memcpy(&mscount, m.bytes + 40, sizeof(mscount));
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == MACH_NOTIFY_NO_SENDERS &&
	           mscount == CHILD_PORTS,
	       "%s: the send rights queued to S were released (no-senders, mscount %u)", what,
	       mscount);
	mr = msg_recv(&m, sizeof(m), w->o);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == MACH_NOTIFY_SEND_ONCE,
	       "%s: its send-once right to O: a send-once notification", what);
	for (int i = 0; i < CHILD_PORTS; i++) {
		mach_port_destroy(self, w->to_child[i]);
		if (i % 2)
			mach_port_destroy(self, w->r[i]);
	}
	mach_port_destroy(self, w->thread.thread);
	mach_port_destroy(self, w->child);
	mach_port_destroy(self, w->notify);
	mach_port_destroy(self, w->s_notify);
	mach_port_destroy(self, w->s);
	mach_port_destroy(self, w->n);
	mach_port_destroy(self, w->o);
}

int
main(void)
{
	static struct world w;

	exhaust_init();
	tap_plan(1 + 2 * 8 + 2);
	tap_ok(1, "started");
	unsigned names0 = name_count();
	/* The first round is the warm-up: it grows the tables the second is measured against. */
	tap_ok(world_build(&w), "warm-up: the child and its rights");
	world_kill(&w, "warm-up");
	long base = settled_free_pages();
	tap_ok(world_build(&w), "child: the child and its rights");
	world_kill(&w, "child");
	is_kr(name_count(), names0, "names back to the start");
	pages_back(base, "dying task");
	return tap_done();
}
