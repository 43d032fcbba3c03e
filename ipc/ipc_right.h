/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rights under names of a space, and moving them in and out of messages.
 * Every function here is called with the space locked; the notification
 * hook may run under it, so the hook must not take a space lock.
 */
#ifndef IPC_IPC_RIGHT_H
#define IPC_IPC_RIGHT_H

#include "ipc/ipc_space.h"

/* A send or send-once right to a dead port becomes a dead name (true if it did). */
bool ipc_right_check_dead(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e);
/* mach_port_destroy: every right under name goes. */
kern_return_t ipc_right_destroy(struct ipc_space *s, mach_port_name_t name);
/* mach_port_deallocate: one user reference of a send, send-once or dead name. */
kern_return_t ipc_right_dealloc(struct ipc_space *s, mach_port_name_t name);
/* mach_port_mod_refs. */
kern_return_t ipc_right_delta(struct ipc_space *s, mach_port_name_t name, mach_port_right_t right,
                              mach_port_delta_t delta);

/* What a copyin changed, so that ipc_right_copyin_undo() can put it back. */
struct ipc_copyin_undo {
	struct ipc_entry before; /* the entry as it was */
	bool freed;              /* the name was freed */
	struct ipc_port *port;
	int d_srights, d_sorights, d_mscount, d_refs;
	bool receive_moved;
	struct ipc_pset *pset;
	struct ipc_dnrequest *dnrequest; /* held back until commit */
};
/*
 * Takes the right disposition (MACH_MSG_TYPE_MOVE_RECEIVE, MOVE/COPY/MAKE_SEND,
 * MOVE/MAKE_SEND_ONCE) from name: *portp gets a reference owning the right
 * (IPC_PORT_DEAD for a dead name), *typep its MACH_MSG_TYPE_PORT_* type.
 * KERN_INVALID_NAME, KERN_INVALID_RIGHT, KERN_INVALID_VALUE (disposition).
 * Follow with ipc_right_copyin_commit() or ipc_right_copyin_undo().
 */
kern_return_t ipc_right_copyin(struct ipc_space *s, mach_port_name_t name,
                               mach_msg_type_name_t disposition, struct ipc_port **portp,
                               mach_msg_type_name_t *typep, struct ipc_copyin_undo *u);
void ipc_right_copyin_commit(struct ipc_copyin_undo *u);
/*
 * The two rights of a message header in the common cases, checked before
 * either is taken, so that no undo record is needed: the destination
 * (dt) COPY_SEND, MAKE_SEND, MAKE_SEND_ONCE or MOVE_SEND_ONCE, the reply
 * (rt, 0 with no reply name) COPY_SEND, MAKE_SEND or MAKE_SEND_ONCE, each
 * name a live right of that kind. True when both were taken (*dest,
 * *reply as ipc_right_copyin() gives them); false, with nothing taken,
 * for anything else (dead ports, dead-name requests, moves of send
 * rights...): ipc_right_copyin() then has the answer.
 */
bool ipc_right_copyin_header(struct ipc_space *s, mach_port_name_t dn, mach_msg_type_name_t dt,
                             mach_port_name_t rn, mach_msg_type_name_t rt, struct ipc_port **dest,
                             struct ipc_port **reply);
/*
 * The same with the names' entries looked up already (de, re; NULL: no
 * such name); inline, with its two steps, for mach_msg's fast paths.
 */
/* The live port entry e (NULL: no such name) holds a right for disposition (a common kind), or
 * NULL. */
static inline __attribute__((always_inline)) struct ipc_port *
header_right_port(struct ipc_entry *e, mach_msg_type_name_t disp)
{
	mach_port_type_t need;
	struct ipc_port *p;

	if (!e)
		return NULL;
	switch (disp) {
	case MACH_MSG_TYPE_COPY_SEND:
		need = MACH_PORT_TYPE_SEND;
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		need = MACH_PORT_TYPE_RECEIVE;
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		/* A request on the name would have to fire (port-deleted): the general path. */
		if (e->ie_dnrequest)
			return NULL;
		need = MACH_PORT_TYPE_SEND_ONCE;
		break;
	default:
		return NULL;
	}
	if (!(e->ie_type & need))
		return NULL;
	p = e->ie_object;
	return __atomic_load_n(&p->ip_active, __ATOMIC_RELAXED) ? p : NULL;
}

/* Takes the right disposition of p, found under name by header_right_port(). */
static inline __attribute__((always_inline)) void
header_right_take(struct ipc_space *s, mach_port_name_t name, mach_msg_type_name_t disp,
                  struct ipc_port *p)
{
	if (disp == MACH_MSG_TYPE_MOVE_SEND_ONCE) {
		/* The entry's right and its reference move into the message. No reverse-map
		 * note to drop: send-once rights have none. */
		s->is_table[name].ie_object = NULL;
		s->is_table[name].ie_type = 0;
		s->is_table[name].ie_urefs = 0;
		ipc_entry_free(s, name);
		return;
	}
	spin_lock(&p->ip_lock);
	if (disp == MACH_MSG_TYPE_MAKE_SEND_ONCE) {
		p->ip_sorights++;
	} else {
		if (disp == MACH_MSG_TYPE_MAKE_SEND)
			p->ip_mscount++;
		p->ip_srights++;
	}
	p->ip_refs++;
	spin_unlock(&p->ip_lock);
}

static inline __attribute__((always_inline)) bool
ipc_right_copyin_header_at(struct ipc_space *s, mach_port_name_t dn, struct ipc_entry *de,
                           mach_msg_type_name_t dt, mach_port_name_t rn, struct ipc_entry *re,
                           mach_msg_type_name_t rt, struct ipc_port **dest, struct ipc_port **reply)
{
	struct ipc_port *d, *r = NULL;

	d = header_right_port(de, dt);
	if (!d)
		return false;
	if (rt) {
		/* A reply moved out of the destination's own name: the general path's order. */
		if (rt == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
		    (rn == dn && dt == MACH_MSG_TYPE_MOVE_SEND_ONCE))
			return false;
		r = header_right_port(re, rt);
		if (!r)
			return false;
	}
	header_right_take(s, dn, dt, d);
	if (r)
		header_right_take(s, rn, rt, r);
	*dest = d;
	*reply = r;
	return true;
}
/* Puts the right back under its name, exactly as before (the space locked throughout). */
void ipc_right_copyin_undo(struct ipc_space *s, mach_port_name_t name, struct ipc_copyin_undo *u);

struct ipc_copyout_undo {
	mach_port_name_t name;
	bool new_entry, from_next;
	mach_port_name_t old_next, old_free; /* the free names before (from_next) */
	struct ipc_entry before;
};
/*
 * Puts the right port owns (type MACH_MSG_TYPE_PORT_SEND, _SEND_ONCE or
 * _RECEIVE, consuming the reference) into s: under the name s already has
 * for the port's send or receive right, else the lowest free name. A dead
 * or NULL port gives MACH_PORT_DEAD / MACH_PORT_NULL. KERN_UREFS_OVERFLOW,
 * KERN_RESOURCE_SHORTAGE: nothing consumed.
 */
kern_return_t ipc_right_copyout(struct ipc_space *s, struct ipc_port *port,
                                mach_msg_type_name_t type, mach_port_name_t *namep,
                                struct ipc_copyout_undo *u);
/*
 * The common case of ipc_right_copyout(), with no undo record: a live
 * port's send-once right (the reference consumed) under a new name.
 * False, with nothing done, when the port died or no name is free.
 */
bool ipc_right_copyout_sonce(struct ipc_space *s, struct ipc_port *port, mach_port_name_t *namep);
/* The same under a chosen name (mach_port_insert_right): KERN_NAME_EXISTS, KERN_RIGHT_EXISTS. */
kern_return_t ipc_right_copyout_name(struct ipc_space *s, struct ipc_port *port,
                                     mach_msg_type_name_t type, mach_port_name_t name,
                                     struct ipc_copyout_undo *u);
/* Takes the right back out: the caller owns it (and the reference) again. */
void ipc_right_copyout_undo(struct ipc_space *s, struct ipc_port *port, mach_msg_type_name_t type,
                            struct ipc_copyout_undo *u);
/* Drops a right held outside any space (a message destroyed): type as above. */
void ipc_right_release(struct ipc_port *port, mach_msg_type_name_t type);

/* Dead-name request bookkeeping (ipc/mach_port.c). */
struct ipc_dnrequest *ipc_right_dnrequest_take(struct ipc_space *s, mach_port_name_t name,
                                               struct ipc_entry *e);

#endif
