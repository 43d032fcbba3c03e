// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of ipc/ right transfer (copyin, copyout and their undo),
 * insert/extract, notifications, port sets and receive status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "host/ipc_host.h"
#include "host/kmalloc_host.h"
#include "kern/kmalloc.h"

/* Everything an undo must restore: the space's names and the port's counts. */
struct snap {
	mach_port_name_t next, free, count;
	struct ipc_entry table[64];
	unsigned srights, sorights, refs;
	mach_port_mscount_t mscount;
	struct ipc_space *receiver;
	mach_port_name_t rname;
	struct ipc_pset *pset;
};

static void
snap(struct snap *sn, struct ipc_space *s, struct ipc_port *p)
{
	memset(sn, 0, sizeof(*sn));
	sn->next = s->is_next;
	sn->free = s->is_free;
	sn->count = s->is_count;
	assert_true(s->is_next <= 64);
	memcpy(sn->table, s->is_table, s->is_next * sizeof(struct ipc_entry));
	sn->srights = p->ip_srights;
	sn->sorights = p->ip_sorights;
	sn->refs = p->ip_refs;
	sn->mscount = p->ip_mscount;
	sn->receiver = p->ip_receiver;
	sn->rname = p->ip_receiver_name;
	sn->pset = p->ip_pset;
}

static void
assert_same(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->next, b->next);
	assert_int_equal(a->free, b->free);
	assert_int_equal(a->count, b->count);
	for (mach_port_name_t n = 1; n < a->next; n++) {
		assert_int_equal(a->table[n].ie_type, b->table[n].ie_type);
		assert_int_equal(a->table[n].ie_urefs, b->table[n].ie_urefs);
		assert_ptr_equal(a->table[n].ie_object, b->table[n].ie_object);
		assert_int_equal(a->table[n].ie_dnrequest, b->table[n].ie_dnrequest);
		if (!a->table[n].ie_type)
			assert_int_equal(a->table[n].ie_next_free, b->table[n].ie_next_free);
	}
	assert_int_equal(a->srights, b->srights);
	assert_int_equal(a->sorights, b->sorights);
	assert_int_equal(a->refs, b->refs);
	assert_int_equal(a->mscount, b->mscount);
	assert_ptr_equal(a->receiver, b->receiver);
	assert_int_equal(a->rname, b->rname);
	assert_ptr_equal(a->pset, b->pset);
}

/* Every disposition's copyin, its result, and an exact undo. */
static void
test_copyin_undo(void **state)
{
	static const struct {
		mach_msg_type_name_t disp, type;
		mach_port_type_t holds; /* what the name must hold */
	} cases[] = {
	    {MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_PORT_SEND, MACH_PORT_TYPE_RECEIVE},
	    {MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_PORT_TYPE_RECEIVE},
	    {MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_PORT_RECEIVE, MACH_PORT_TYPE_RECEIVE},
	    {MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_PORT_SEND, MACH_PORT_TYPE_SEND},
	    {MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_PORT_SEND, MACH_PORT_TYPE_SEND},
	    {MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_PORT_TYPE_SEND_ONCE},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (unsigned urefs = 1; urefs <= 2; urefs++) {
			struct ipc_space *s = ipc_space_create(), *o = ipc_space_create();
			mach_port_name_t r = ipc_host_alloc(o, MACH_PORT_RIGHT_RECEIVE), n, filler;
			mach_port_name_t ps = ipc_host_alloc(o, MACH_PORT_RIGHT_PORT_SET);
			struct ipc_port *p = ipc_host_port(o, r), *got;
			struct ipc_copyin_undo u;
			mach_msg_type_name_t type;
			struct snap before, after;

			assert_int_equal(ipc_mach_port_move_member(o, r, ps), KERN_SUCCESS);
			filler = ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
			if (cases[i].holds == MACH_PORT_TYPE_RECEIVE) {
				/* Put the receive right in s, in a set there too. */
				struct ipc_port *q;
				assert_int_equal(ipc_mach_port_extract_right(
				                     o, r, MACH_MSG_TYPE_MOVE_RECEIVE, &q, &type),
				                 KERN_SUCCESS);
				assert_int_equal(ipc_mach_port_insert_right(s, 5, q, type),
				                 KERN_SUCCESS);
				n = 5;
			} else {
				n = 9;
				assert_int_equal(ipc_mach_port_insert_right_from(
				                     s, n, o, r,
				                     cases[i].holds == MACH_PORT_TYPE_SEND
				                         ? MACH_MSG_TYPE_MAKE_SEND
				                         : MACH_MSG_TYPE_MAKE_SEND_ONCE),
				                 KERN_SUCCESS);
				if (urefs == 2 && cases[i].holds == MACH_PORT_TYPE_SEND)
					assert_int_equal(
					    ipc_mach_port_mod_refs(s, n, MACH_PORT_RIGHT_SEND, 1),
					    KERN_SUCCESS);
			}
			/* Free a name first, so the free list has an order to keep. */
			assert_int_equal(ipc_mach_port_destroy(s, filler), KERN_SUCCESS);
			snap(&before, s, p);
			assert_int_equal(ipc_right_copyin(s, n, cases[i].disp, &got, &type, &u),
			                 KERN_SUCCESS);
			assert_ptr_equal(got, p);
			assert_int_equal(type, cases[i].type);
			if (cases[i].disp == MACH_MSG_TYPE_MOVE_RECEIVE)
				assert_null(p->ip_receiver);
			if (cases[i].disp == MACH_MSG_TYPE_MAKE_SEND)
				assert_int_equal(p->ip_mscount, before.mscount + 1);
			snap(&after, s, p);
			ipc_right_copyin_undo(s, n, &u);
			snap(&after, s, p);
			assert_same(&before, &after);
			/* And once more, committed: the right is the caller's to drop. */
			assert_int_equal(ipc_right_copyin(s, n, cases[i].disp, &got, &type, &u),
			                 KERN_SUCCESS);
			ipc_right_copyin_commit(&u);
			ipc_right_release(got, type);
			ipc_space_destroy(s);
			ipc_space_destroy(o);
		}
	}
}

static void
test_copyin_errors(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t ps = ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET);
	mach_port_name_t d = ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
	struct ipc_copyin_undo u;
	struct ipc_port *p;
	mach_msg_type_name_t t;

	assert_int_equal(ipc_right_copyin(s, 44, MACH_MSG_TYPE_COPY_SEND, &p, &t, &u),
	                 KERN_INVALID_NAME);
	assert_int_equal(ipc_right_copyin(s, r, MACH_MSG_TYPE_COPY_SEND, &p, &t, &u),
	                 KERN_INVALID_RIGHT);
	assert_int_equal(ipc_right_copyin(s, r, MACH_MSG_TYPE_MOVE_SEND_ONCE, &p, &t, &u),
	                 KERN_INVALID_RIGHT);
	assert_int_equal(ipc_right_copyin(s, ps, MACH_MSG_TYPE_MAKE_SEND, &p, &t, &u),
	                 KERN_INVALID_RIGHT);
	assert_int_equal(ipc_right_copyin(s, r, MACH_MSG_TYPE_PORT_NAME, &p, &t, &u),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_right_copyin(s, d, MACH_MSG_TYPE_MAKE_SEND, &p, &t, &u),
	                 KERN_INVALID_RIGHT);
	/* A dead name gives a dead right; a move costs a reference. */
	assert_int_equal(ipc_right_copyin(s, d, MACH_MSG_TYPE_COPY_SEND, &p, &t, &u), KERN_SUCCESS);
	assert_ptr_equal(p, IPC_PORT_DEAD);
	assert_int_equal(ipc_host_type(s, d), MACH_PORT_TYPE_DEAD_NAME);
	assert_int_equal(ipc_right_copyin(s, d, MACH_MSG_TYPE_MOVE_SEND, &p, &t, &u), KERN_SUCCESS);
	assert_ptr_equal(p, IPC_PORT_DEAD);
	assert_int_equal(ipc_mach_port_type(s, d, &t), KERN_INVALID_NAME);
	ipc_right_copyin_undo(s, d, &u);
	assert_int_equal(ipc_host_type(s, d), MACH_PORT_TYPE_DEAD_NAME);
	ipc_space_destroy(s);
}

/* Copyout: lowest free name, or the name the space already has for the port. */
static void
test_copyout(void **state)
{
	struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(a, MACH_PORT_RIGHT_RECEIVE), n1, n2, n3;
	struct ipc_port *p = ipc_host_port(a, r), *got;
	struct ipc_copyin_undo ui;
	struct ipc_copyout_undo uo;
	mach_msg_type_name_t t;
	mach_port_urefs_t u;
	struct snap before, after;

	ipc_host_alloc(b, MACH_PORT_RIGHT_DEAD_NAME); /* 1 */
	assert_int_equal(ipc_right_copyin(a, r, MACH_MSG_TYPE_MAKE_SEND, &got, &t, &ui),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_right_copyout(b, got, t, &n1, &uo), KERN_SUCCESS);
	assert_int_equal(n1, 2);
	/* A second send right folds into the first name. */
	assert_int_equal(ipc_right_copyin(a, r, MACH_MSG_TYPE_MAKE_SEND, &got, &t, &ui),
	                 KERN_SUCCESS);
	snap(&before, b, p);
	assert_int_equal(ipc_right_copyout(b, got, t, &n2, &uo), KERN_SUCCESS);
	assert_int_equal(n2, n1);
	assert_int_equal(ipc_mach_port_get_refs(b, n1, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	assert_int_equal(u, 2);
	assert_int_equal(p->ip_srights, 1);
	ipc_right_copyout_undo(b, got, t, &uo);
	snap(&after, b, p);
	assert_same(&before, &after);
	assert_int_equal(ipc_mach_port_get_refs(b, n1, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	assert_int_equal(u, 1);
	/* A send-once right always gets a new name; undo gives the name back. */
	ipc_right_release(got, t);
	assert_int_equal(ipc_right_copyin(a, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &got, &t, &ui),
	                 KERN_SUCCESS);
	snap(&before, b, p);
	assert_int_equal(ipc_right_copyout(b, got, t, &n3, &uo), KERN_SUCCESS);
	assert_int_equal(n3, 3);
	ipc_right_copyout_undo(b, got, t, &uo);
	snap(&after, b, p);
	assert_same(&before, &after);
	assert_int_equal(ipc_right_copyout(b, got, t, &n3, &uo), KERN_SUCCESS);
	assert_int_equal(n3, 3);
	/* The receive right joins b's send right under its name. */
	assert_int_equal(ipc_right_copyin(a, r, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &t, &ui),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_right_copyout(b, got, t, &n2, &uo), KERN_SUCCESS);
	assert_int_equal(n2, n1);
	assert_int_equal(ipc_host_type(b, n1), MACH_PORT_TYPE_SEND_RECEIVE);
	assert_ptr_equal(p->ip_receiver, b);
	assert_int_equal(p->ip_receiver_name, n1);
	/* Null and dead rights come out as names only. */
	assert_int_equal(ipc_right_copyout(b, NULL, MACH_MSG_TYPE_PORT_SEND, &n2, &uo),
	                 KERN_SUCCESS);
	assert_int_equal(n2, MACH_PORT_NULL);
	assert_int_equal(ipc_right_copyout(b, IPC_PORT_DEAD, MACH_MSG_TYPE_PORT_SEND, &n2, &uo),
	                 KERN_SUCCESS);
	assert_int_equal(n2, MACH_PORT_DEAD);
	ipc_space_destroy(a);
	ipc_space_destroy(b);
}

static void
test_insert_errors(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t r2 = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);

	/* GNU Mach (user/tests/ipc-port.c): the port's own name is checked first. */
	assert_int_equal(ipc_mach_port_insert_right_from(s, r2, s, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_RIGHT_EXISTS);
	assert_int_equal(ipc_mach_port_insert_right_from(s, 8, s, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_RIGHT_EXISTS);
	assert_int_equal(
	    ipc_mach_port_insert_right_from(s, MACH_PORT_NULL, s, r, MACH_MSG_TYPE_MAKE_SEND),
	    KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_insert_right_from(s, 8, s, r, MACH_MSG_TYPE_PORT_NAME),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_insert_right_from(s, 8, s, 30, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_INVALID_NAME);
	/* Nothing of the failures stayed behind. */
	assert_int_equal(ipc_host_port(s, r)->ip_srights, 0);
	assert_int_equal(ipc_host_port(s, r)->ip_mscount, 0);
	assert_int_equal(s->is_count, 2);
	/* Moving the receive right to a new name in the same space. */
	assert_int_equal(ipc_mach_port_insert_right_from(s, 8, s, r, MACH_MSG_TYPE_MOVE_RECEIVE),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_host_type(s, 8), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(ipc_host_port(s, 8)->ip_receiver_name, 8);
	ipc_space_destroy(s);
}

static unsigned
notes_of(enum ipc_notify_kind kind)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ipc_host_nnotes; i++)
		n += ipc_host_notes[i].kind == kind;
	return n;
}

/* A send-once right to a fresh port in s, for notifications: the port's name in s. */
static struct ipc_port *
notify_port(struct ipc_space *s, mach_port_name_t *name)
{
	struct ipc_copyin_undo u;
	struct ipc_port *p;
	mach_msg_type_name_t t;

	*name = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	assert_int_equal(ipc_right_copyin(s, *name, MACH_MSG_TYPE_MAKE_SEND_ONCE, &p, &t, &u),
	                 KERN_SUCCESS);
	return p;
}

static void
test_no_senders(void **state)
{
	struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(a, MACH_PORT_RIGHT_RECEIVE), nn;
	struct ipc_port *n1 = notify_port(a, &nn), *n2, *prev;

	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev),
	    KERN_SUCCESS);
	/* No senders and sync 0 <= mscount 0: at once. */
	assert_null(prev);
	assert_int_equal(notes_of(IPC_NOTIFY_NO_SENDERS), 1);
	assert_int_equal(ipc_host_notes[0].mscount, 0);
	n1 = notify_port(a, &nn);
	assert_int_equal(ipc_mach_port_insert_right_from(b, 4, a, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_SUCCESS);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_NO_SENDERS, 1, n1, &prev),
	    KERN_SUCCESS);
	assert_null(prev);
	/* The previous request comes back when replaced. */
	n2 = notify_port(a, &nn);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_NO_SENDERS, 1, n2, &prev),
	    KERN_SUCCESS);
	assert_ptr_equal(prev, n1);
	ipc_port_sonce_release(prev);
	assert_int_equal(ipc_mach_port_mod_refs(b, 4, MACH_PORT_RIGHT_SEND, 3), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_deallocate(b, 4), KERN_SUCCESS);
	assert_int_equal(notes_of(IPC_NOTIFY_NO_SENDERS), 1);
	assert_int_equal(ipc_mach_port_mod_refs(b, 4, MACH_PORT_RIGHT_SEND, -3), KERN_SUCCESS);
	assert_int_equal(notes_of(IPC_NOTIFY_NO_SENDERS), 2);
	assert_ptr_equal(ipc_host_notes[1].notify, n2);
	assert_int_equal(ipc_host_notes[1].mscount, 1);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, 77, MACH_NOTIFY_NO_SENDERS, 0, NULL, &prev),
	    KERN_INVALID_NAME);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_SEND_ONCE, 0, NULL, &prev),
	    KERN_INVALID_VALUE);
	ipc_space_destroy(a);
	ipc_space_destroy(b);
}

static void
test_dead_name_and_deleted(void **state)
{
	struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(a, MACH_PORT_RIGHT_RECEIVE), nn;
	struct ipc_port *n1, *prev;
	mach_port_urefs_t u;

	assert_int_equal(ipc_mach_port_insert_right_from(b, 4, a, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_insert_right_from(b, 6, a, r, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	                 KERN_SUCCESS);
	/* Port-deleted when the right under the name goes while the port lives. */
	n1 = notify_port(b, &nn);
	assert_int_equal(
	    ipc_mach_port_request_notification(b, 6, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev),
	    KERN_SUCCESS);
	assert_true(ipc_host_type(b, 6) & MACH_PORT_TYPE_DNREQUEST);
	assert_int_equal(ipc_mach_port_deallocate(b, 6), KERN_SUCCESS);
	assert_int_equal(notes_of(IPC_NOTIFY_PORT_DELETED), 1);
	assert_int_equal(notes_of(IPC_NOTIFY_SEND_ONCE), 1);
	assert_int_equal(ipc_host_notes[0].name, 6);
	/* Dead-name when the port dies; the name gets one more reference. */
	n1 = notify_port(b, &nn);
	assert_int_equal(
	    ipc_mach_port_request_notification(b, 4, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev),
	    KERN_SUCCESS);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_DEAD_NAME, 0, NULL, &prev),
	    KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_destroy(a, r), KERN_SUCCESS);
	assert_int_equal(notes_of(IPC_NOTIFY_DEAD_NAME), 1);
	assert_int_equal(ipc_host_notes[ipc_host_nnotes - 1].name, 4);
	assert_int_equal(ipc_host_type(b, 4), MACH_PORT_TYPE_DEAD_NAME);
	assert_int_equal(ipc_mach_port_get_refs(b, 4, MACH_PORT_RIGHT_DEAD_NAME, &u), KERN_SUCCESS);
	assert_int_equal(u, 2);
	/* On a dead name: only with sync, at once, for another reference. */
	n1 = notify_port(b, &nn);
	assert_int_equal(
	    ipc_mach_port_request_notification(b, 4, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev),
	    KERN_INVALID_ARGUMENT);
	assert_int_equal(
	    ipc_mach_port_request_notification(b, 4, MACH_NOTIFY_DEAD_NAME, 1, n1, &prev),
	    KERN_SUCCESS);
	assert_int_equal(notes_of(IPC_NOTIFY_DEAD_NAME), 2);
	assert_int_equal(ipc_mach_port_get_refs(b, 4, MACH_PORT_RIGHT_DEAD_NAME, &u), KERN_SUCCESS);
	assert_int_equal(u, 3);
	ipc_space_destroy(a);
	ipc_space_destroy(b);
}

/* A dead-name request on a receive right: destroying the right deletes the name. */
static void
test_receive_dnrequest(void **state)
{
	struct ipc_space *a = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(a, MACH_PORT_RIGHT_RECEIVE), nn;
	struct ipc_port *n1 = notify_port(a, &nn), *prev;

	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev),
	    KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_destroy(a, r), KERN_SUCCESS);
	assert_int_equal(notes_of(IPC_NOTIFY_PORT_DELETED), 1);
	assert_int_equal(notes_of(IPC_NOTIFY_DEAD_NAME), 0);
	assert_int_equal(ipc_host_notes[0].name, r);
	ipc_space_destroy(a);
}

static void
test_port_destroyed(void **state)
{
	struct ipc_space *a = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(a, MACH_PORT_RIGHT_RECEIVE), nn;
	struct ipc_port *p = ipc_host_port(a, r), *n1 = notify_port(a, &nn), *prev;

	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_PORT_DESTROYED, 1, n1, &prev),
	    KERN_INVALID_VALUE);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, nn, MACH_NOTIFY_PORT_DESTROYED, 0, n1, &prev),
	    KERN_SUCCESS);
	ipc_port_sonce_release(n1); /* not used after all: cancel below */
	assert_int_equal(
	    ipc_mach_port_request_notification(a, nn, MACH_NOTIFY_PORT_DESTROYED, 0, NULL, &prev),
	    KERN_SUCCESS);
	assert_ptr_equal(prev, n1);
	n1 = notify_port(a, &nn);
	assert_int_equal(
	    ipc_mach_port_request_notification(a, r, MACH_NOTIFY_PORT_DESTROYED, 0, n1, &prev),
	    KERN_SUCCESS);
	assert_null(prev);
	assert_int_equal(ipc_mach_port_destroy(a, r), KERN_SUCCESS);
	/* The receive right went to the notification, alive. */
	assert_int_equal(notes_of(IPC_NOTIFY_PORT_DESTROYED), 1);
	assert_ptr_equal(ipc_host_notes[0].port, p);
	ipc_space_destroy(a);
}

static void
test_port_sets(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t ps = ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET);
	mach_port_name_t ps2 = ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET);
	mach_port_name_t r1 = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t r2 = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t d = ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
	mach_port_name_t *m;
	mach_port_status_t st;
	unsigned count;
	struct ipc_msg_head *msg;
	struct ipc_port *p2 = ipc_host_port(s, r2);

	assert_int_equal(ipc_mach_port_move_member(s, r1, MACH_PORT_NULL), KERN_NOT_IN_SET);
	assert_int_equal(ipc_mach_port_move_member(s, r1, d), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_move_member(s, ps, ps2), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_move_member(s, r1, 50), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_move_member(s, r1, ps), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_move_member(s, r2, ps), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_get_set_status(s, ps, &m, &count), KERN_SUCCESS);
	assert_int_equal(count, 2);
	assert_int_equal(m[0], r1);
	assert_int_equal(m[1], r2);
	kfree(m);
	assert_int_equal(ipc_mach_port_get_set_status(s, r1, &m, &count), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_get_receive_status(s, r2, &st), KERN_SUCCESS);
	assert_int_equal(st.mps_pset, ps);
	/* Receive from any member: the one with a message. */
	assert_null(ipc_pset_ready(
	    ipc_host_port(s, ps) ? (struct ipc_pset *)s->is_table[ps].ie_object : NULL));
	msg = kzalloc(sizeof(*msg));
	list_append(&p2->ip_messages, &msg->mh_link);
	p2->ip_msgcount = 1;
	assert_ptr_equal(ipc_pset_ready(s->is_table[ps].ie_object), p2);
	/* Moving to another set leaves the first. */
	assert_int_equal(ipc_mach_port_move_member(s, r2, ps2), KERN_SUCCESS);
	assert_null(ipc_pset_ready(s->is_table[ps].ie_object));
	assert_int_equal(ipc_mach_port_get_receive_status(s, r2, &st), KERN_SUCCESS);
	assert_int_equal(st.mps_pset, ps2);
	assert_int_equal(st.mps_msgcount, 1);
	/* A member's death takes it out; the set's death frees its members of it. */
	assert_int_equal(ipc_mach_port_destroy(s, r2), KERN_SUCCESS);
	assert_int_equal(ipc_host_msgs_freed, 1);
	assert_int_equal(ipc_mach_port_get_set_status(s, ps2, &m, &count), KERN_SUCCESS);
	assert_int_equal(count, 0);
	kfree(m);
	assert_int_equal(ipc_mach_port_destroy(s, ps), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_get_receive_status(s, r1, &st), KERN_SUCCESS);
	assert_int_equal(st.mps_pset, MACH_PORT_NULL);
	ipc_space_destroy(s);
}

static void
test_receive_status_setters(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t d = ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
	struct ipc_port *p = ipc_host_port(s, r);
	mach_port_status_t st;

	assert_int_equal(ipc_mach_port_get_receive_status(s, r, &st), KERN_SUCCESS);
	assert_int_equal(st.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
	assert_int_equal(st.mps_seqno, 0);
	assert_int_equal(st.mps_srights, 0);
	assert_int_equal(ipc_mach_port_set_qlimit(s, r, MACH_PORT_QLIMIT_MAX + 1),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_set_qlimit(s, r, MACH_PORT_QLIMIT_MAX), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_set_seqno(s, r, 42), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_set_mscount(s, r, 7), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_insert_right_from(s, r, s, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_insert_right_from(s, 9, s, r, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_get_receive_status(s, r, &st), KERN_SUCCESS);
	assert_int_equal(st.mps_qlimit, MACH_PORT_QLIMIT_MAX);
	assert_int_equal(st.mps_seqno, 42);
	assert_int_equal(st.mps_mscount, 8);
	assert_int_equal(st.mps_srights, 1);
	assert_int_equal(st.mps_sorights, 1);
	assert_int_equal(ipc_mach_port_set_protected_payload(s, r, 0xfeed), KERN_SUCCESS);
	assert_true(p->ip_has_payload);
	assert_int_equal(p->ip_payload, 0xfeed);
	assert_int_equal(ipc_mach_port_clear_protected_payload(s, r), KERN_SUCCESS);
	assert_false(p->ip_has_payload);
	assert_int_equal(ipc_mach_port_set_seqno(s, d, 1), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_set_qlimit(s, 40, 1), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_get_receive_status(s, 9, &st), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_set_protected_payload(s, 9, 1), KERN_INVALID_RIGHT);
	ipc_space_destroy(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_copyin_undo, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_copyin_errors, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_copyout, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_insert_errors, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_no_senders, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_dead_name_and_deleted, ipc_host_setup,
	                                    ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_receive_dnrequest, ipc_host_setup,
	                                    ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_port_destroyed, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_port_sets, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_receive_status_setters, ipc_host_setup,
	                                    ipc_host_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
