// SPDX-License-Identifier: GPL-2.0-or-later
/* Rights under names, and their transfer (ipc/ipc_right.h). */
#include "ipc/ipc_right.h"

#include "ipc/ipc_pset.h"
#include "kern/kmalloc.h"
#include "kern/panic.h"

static struct ipc_port *
entry_port(struct ipc_entry *e)
{
	return e->ie_object;
}

struct ipc_dnrequest *
ipc_right_dnrequest_take(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e)
{
	struct ipc_port *p = entry_port(e);
	struct ipc_dnrequest *found = NULL;

	if (!e->ie_dnrequest)
		return NULL;
	e->ie_dnrequest = false;
	spin_lock(&p->ip_lock);
	for (struct list_node *n = p->ip_dnrequests.ln_next; n != &p->ip_dnrequests;
	     n = n->ln_next) {
		struct ipc_dnrequest *d = list_entry(n, struct ipc_dnrequest, dr_link);
		if (d->dr_space == s && d->dr_name == name) {
			list_remove(&d->dr_link);
			found = d;
			break;
		}
	}
	spin_unlock(&p->ip_lock);
	return found;
}

/* The right under name was removed while its port lives: port-deleted. */
static void
dnrequest_deleted(struct ipc_dnrequest *d)
{
	if (!d)
		return;
	ipc_notify(IPC_NOTIFY_PORT_DELETED, d->dr_notify, d->dr_name, NULL, 0);
	kfree(d);
}

bool
ipc_right_check_dead(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e)
{
	struct ipc_port *p = entry_port(e);
	mach_port_urefs_t urefs;

	if (!(e->ie_type & MACH_PORT_TYPE_SEND_RIGHTS) || (e->ie_type & MACH_PORT_TYPE_RECEIVE) ||
	    p->ip_active)
		return false;
	urefs = (e->ie_type & MACH_PORT_TYPE_SEND) ? e->ie_urefs : 1;
	/* The dead-name notification already sent carries one more reference. */
	if (e->ie_dnrequest && urefs < IPC_UREFS_MAX)
		urefs++;
	if (e->ie_type & MACH_PORT_TYPE_SEND)
		ipc_port_send_release(p);
	else
		ipc_port_sonce_release(p);
	ipc_space_reverse_forget(s, p, name);
	e->ie_type = MACH_PORT_TYPE_DEAD_NAME;
	e->ie_object = NULL;
	e->ie_urefs = urefs;
	e->ie_dnrequest = false;
	return true;
}

/* Removes the send right (every uref) from e; frees the name if nothing is left. */
static void
drop_send(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e)
{
	struct ipc_port *p = entry_port(e);
	struct ipc_dnrequest *d = NULL;

	e->ie_type &= ~MACH_PORT_TYPE_SEND;
	e->ie_urefs = 0;
	if (!(e->ie_type & MACH_PORT_TYPE_RECEIVE)) {
		d = ipc_right_dnrequest_take(s, name, e);
		ipc_entry_free(s, name);
	}
	dnrequest_deleted(d);
	ipc_port_send_release(p);
}

/* Destroys the receive right under name; a send right under it stays, as a dead name. */
static void
drop_receive(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e)
{
	struct ipc_port *p = entry_port(e);
	bool send = e->ie_type & MACH_PORT_TYPE_SEND;

	e->ie_type &= ~MACH_PORT_TYPE_RECEIVE;
	spin_lock(&p->ip_lock);
	p->ip_receiver = NULL;
	p->ip_receiver_name = MACH_PORT_NULL;
	spin_unlock(&p->ip_lock);
	struct ipc_dnrequest *d = send ? NULL : ipc_right_dnrequest_take(s, name, e);

	if (!send)
		ipc_entry_free(s, name);
	ipc_port_destroy(p);
	dnrequest_deleted(d); /* the name is gone: port-deleted, as GNU Mach */
	if (send)
		ipc_right_check_dead(s, name, e);
}

static void
drop_sonce(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e)
{
	struct ipc_port *p = entry_port(e);
	struct ipc_dnrequest *d = ipc_right_dnrequest_take(s, name, e);

	ipc_entry_free(s, name);
	dnrequest_deleted(d);
	/* An unused send-once right tells its port (send-once notification). */
	ipc_notify(IPC_NOTIFY_SEND_ONCE, p, MACH_PORT_NULL, NULL, 0);
}

kern_return_t
ipc_right_destroy(struct ipc_space *s, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup_check(s, name);

	if (!e)
		return KERN_INVALID_NAME;
	if (e->ie_type & MACH_PORT_TYPE_DEAD_NAME) {
		ipc_entry_free(s, name);
	} else if (e->ie_type & MACH_PORT_TYPE_PORT_SET) {
		struct ipc_pset *ps = e->ie_object;
		ipc_entry_free(s, name);
		ipc_pset_destroy(ps);
	} else if (e->ie_type & MACH_PORT_TYPE_SEND_ONCE) {
		drop_sonce(s, name, e);
	} else {
		if (e->ie_type & MACH_PORT_TYPE_RECEIVE) {
			struct ipc_port *p = entry_port(e);
			bool send = e->ie_type & MACH_PORT_TYPE_SEND;
			struct ipc_dnrequest *d = ipc_right_dnrequest_take(s, name, e);

			ipc_entry_free(s, name);
			spin_lock(&p->ip_lock);
			p->ip_receiver = NULL;
			p->ip_receiver_name = MACH_PORT_NULL;
			spin_unlock(&p->ip_lock);
			ipc_port_destroy(p);
			dnrequest_deleted(d);
			if (send)
				ipc_port_send_release(p);
		} else {
			drop_send(s, name, e);
		}
	}
	return KERN_SUCCESS;
}

kern_return_t
ipc_right_dealloc(struct ipc_space *s, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup_check(s, name);

	if (!e)
		return KERN_INVALID_NAME;
	if (e->ie_type & MACH_PORT_TYPE_DEAD_NAME) {
		if (--e->ie_urefs == 0)
			ipc_entry_free(s, name);
	} else if (e->ie_type & MACH_PORT_TYPE_SEND_ONCE) {
		drop_sonce(s, name, e);
	} else if (e->ie_type & MACH_PORT_TYPE_SEND) {
		if (e->ie_urefs > 1)
			e->ie_urefs--;
		else
			drop_send(s, name, e);
	} else {
		return KERN_INVALID_RIGHT;
	}
	return KERN_SUCCESS;
}

/* urefs + delta within [0, IPC_UREFS_MAX]: KERN_INVALID_VALUE below, KERN_UREFS_OVERFLOW above. */
static kern_return_t
urefs_add(mach_port_urefs_t urefs, mach_port_delta_t delta, mach_port_urefs_t *out)
{
	int64_t n = (int64_t)urefs + delta;

	if (n < 0)
		return KERN_INVALID_VALUE;
	if (n > IPC_UREFS_MAX)
		return KERN_UREFS_OVERFLOW;
	*out = (mach_port_urefs_t)n;
	return KERN_SUCCESS;
}

kern_return_t
ipc_right_delta(struct ipc_space *s, mach_port_name_t name, mach_port_right_t right,
                mach_port_delta_t delta)
{
	struct ipc_entry *e;
	mach_port_urefs_t urefs;
	kern_return_t kr;

	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	e = ipc_entry_lookup_check(s, name);
	if (!e)
		return KERN_INVALID_NAME;
	if (!(e->ie_type & MACH_PORT_TYPE(right)))
		return KERN_INVALID_RIGHT;
	switch (right) {
	case MACH_PORT_RIGHT_PORT_SET:
	case MACH_PORT_RIGHT_RECEIVE:
	case MACH_PORT_RIGHT_SEND_ONCE:
		/* One right, no user references to speak of: keep it or drop it. */
		if (delta < -1 || delta > 0)
			return KERN_INVALID_VALUE;
		if (delta == 0)
			return KERN_SUCCESS;
		if (right == MACH_PORT_RIGHT_RECEIVE)
			drop_receive(s, name, e);
		else if (right == MACH_PORT_RIGHT_SEND_ONCE)
			drop_sonce(s, name, e);
		else
			return ipc_right_destroy(s, name);
		return KERN_SUCCESS;
	case MACH_PORT_RIGHT_DEAD_NAME:
		kr = urefs_add(e->ie_urefs, delta, &urefs);
		if (kr != KERN_SUCCESS)
			return kr;
		if (urefs == 0)
			ipc_entry_free(s, name);
		else
			e->ie_urefs = urefs;
		return KERN_SUCCESS;
	default: /* MACH_PORT_RIGHT_SEND */
		kr = urefs_add(e->ie_urefs, delta, &urefs);
		if (kr != KERN_SUCCESS)
			return kr;
		if (urefs == 0)
			drop_send(s, name, e);
		else
			e->ie_urefs = urefs;
		return KERN_SUCCESS;
	}
}

kern_return_t
ipc_right_copyin(struct ipc_space *s, mach_port_name_t name, mach_msg_type_name_t disposition,
                 struct ipc_port **portp, mach_msg_type_name_t *typep, struct ipc_copyin_undo *u)
{
	struct ipc_entry *e;
	struct ipc_port *p;

	*u = (struct ipc_copyin_undo){0};
	if (!MACH_MSG_TYPE_PORT_ANY(disposition))
		return KERN_INVALID_VALUE;
	e = ipc_entry_lookup_check(s, name);
	if (!e)
		return KERN_INVALID_NAME;
	u->before = *e;
	p = entry_port(e);
	u->port = p;
	switch (disposition) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (!(e->ie_type & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		spin_lock(&p->ip_lock);
		if (disposition == MACH_MSG_TYPE_MAKE_SEND) {
			p->ip_mscount++;
			p->ip_srights++;
			u->d_mscount = u->d_srights = 1;
			*typep = MACH_MSG_TYPE_PORT_SEND;
		} else {
			p->ip_sorights++;
			u->d_sorights = 1;
			*typep = MACH_MSG_TYPE_PORT_SEND_ONCE;
		}
		p->ip_refs++;
		u->d_refs = 1;
		spin_unlock(&p->ip_lock);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (!(e->ie_type & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		e->ie_type &= ~MACH_PORT_TYPE_RECEIVE;
		if (!e->ie_type) {
			ipc_entry_free(s, name);
			u->freed = true;
		}
		u->receive_moved = true;
		u->pset = p->ip_pset;
		if (p->ip_pset)
			ipc_pset_move(p, NULL);
		spin_lock(&p->ip_lock);
		p->ip_receiver = NULL;
		p->ip_receiver_name = MACH_PORT_NULL;
		spin_unlock(&p->ip_lock);
		*typep = MACH_MSG_TYPE_PORT_RECEIVE;
		break;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE: {
		bool once = disposition == MACH_MSG_TYPE_MOVE_SEND_ONCE;

		*typep = once ? MACH_MSG_TYPE_PORT_SEND_ONCE : MACH_MSG_TYPE_PORT_SEND;
		if (e->ie_type & MACH_PORT_TYPE_DEAD_NAME) {
			/* A dead name gives a dead right; moving it costs a reference. */
			u->port = NULL;
			if (disposition != MACH_MSG_TYPE_COPY_SEND && --e->ie_urefs == 0) {
				ipc_entry_free(s, name);
				u->freed = true;
			}
			*portp = IPC_PORT_DEAD;
			return KERN_SUCCESS;
		}
		if (!(e->ie_type & (once ? MACH_PORT_TYPE_SEND_ONCE : MACH_PORT_TYPE_SEND)))
			return KERN_INVALID_RIGHT;
		if (once || (disposition == MACH_MSG_TYPE_MOVE_SEND && e->ie_urefs == 1)) {
			/* The entry's own right moves out. */
			e->ie_urefs = 0;
			e->ie_type &= ~(once ? MACH_PORT_TYPE_SEND_ONCE : MACH_PORT_TYPE_SEND);
			if (!e->ie_type) {
				u->dnrequest = ipc_right_dnrequest_take(s, name, e);
				ipc_entry_free(s, name);
				u->freed = true;
			}
		} else {
			if (disposition == MACH_MSG_TYPE_MOVE_SEND)
				e->ie_urefs--;
			spin_lock(&p->ip_lock);
			p->ip_srights++;
			p->ip_refs++;
			spin_unlock(&p->ip_lock);
			u->d_srights = u->d_refs = 1;
		}
		break;
	}
	}
	*portp = p;
	return KERN_SUCCESS;
}

bool
ipc_right_copyin_header(struct ipc_space *s, mach_port_name_t dn, mach_msg_type_name_t dt,
                        mach_port_name_t rn, mach_msg_type_name_t rt, struct ipc_port **dest,
                        struct ipc_port **reply)
{
	return ipc_right_copyin_header_at(s, dn, ipc_entry_lookup(s, dn), dt, rn,
	                                  rt ? ipc_entry_lookup(s, rn) : NULL, rt, dest, reply);
}

void
ipc_right_copyin_commit(struct ipc_copyin_undo *u)
{
	dnrequest_deleted(u->dnrequest);
	u->dnrequest = NULL;
}

void
ipc_right_copyin_undo(struct ipc_space *s, mach_port_name_t name, struct ipc_copyin_undo *u)
{
	struct ipc_entry *e;
	struct ipc_port *p = u->port;

	if (u->freed) {
		if (ipc_entry_alloc_name(s, name, &e) != KERN_SUCCESS)
			panic("ipc_right_copyin_undo: name %u taken", name);
	} else {
		e = &s->is_table[name];
	}
	*e = u->before;
	if (p && (e->ie_type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)))
		ipc_space_reverse_note(s, p, name);
	if (u->dnrequest) {
		spin_lock(&p->ip_lock);
		list_append(&p->ip_dnrequests, &u->dnrequest->dr_link);
		spin_unlock(&p->ip_lock);
		u->dnrequest = NULL;
	}
	if (!p)
		return;
	spin_lock(&p->ip_lock);
	p->ip_srights -= u->d_srights;
	p->ip_sorights -= u->d_sorights;
	p->ip_mscount -= u->d_mscount;
	p->ip_refs -= u->d_refs;
	if (u->receive_moved) {
		p->ip_receiver = s;
		p->ip_destination = NULL;
		p->ip_receiver_name = name;
	}
	spin_unlock(&p->ip_lock);
	if (u->pset)
		ipc_pset_move(p, u->pset);
}

static mach_port_type_t
type_bit(mach_msg_type_name_t type)
{
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		return MACH_PORT_TYPE_SEND;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		return MACH_PORT_TYPE_SEND_ONCE;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		return MACH_PORT_TYPE_RECEIVE;
	}
	panic("ipc_right: bad right type %u", type);
}

/* Adds the right port owns to entry e (new or holding the same port) under name. */
static kern_return_t
merge(struct ipc_space *s, struct ipc_entry *e, mach_port_name_t name, struct ipc_port *p,
      mach_msg_type_name_t type)
{
	mach_port_type_t bit = type_bit(type);

	if ((e->ie_type & bit) && bit == MACH_PORT_TYPE_SEND) {
		if (e->ie_urefs >= IPC_UREFS_MAX)
			return KERN_UREFS_OVERFLOW;
		/* One send right per name: the incoming one folds into it. */
		e->ie_urefs++;
		spin_lock(&p->ip_lock);
		p->ip_srights--;
		p->ip_refs--;
		spin_unlock(&p->ip_lock);
		return KERN_SUCCESS;
	}
	e->ie_object = p;
	e->ie_type |= bit;
	if (bit != MACH_PORT_TYPE_SEND_ONCE)
		ipc_space_reverse_note(s, p, name);
	if (bit != MACH_PORT_TYPE_RECEIVE)
		e->ie_urefs = 1;
	if (bit == MACH_PORT_TYPE_RECEIVE) {
		spin_lock(&p->ip_lock);
		p->ip_receiver = s;
		p->ip_destination = NULL;
		p->ip_receiver_name = name;
		p->ip_seqno = 0; /* a moved receive right starts again at 0, as in GNU Mach */
		spin_unlock(&p->ip_lock);
	}
	return KERN_SUCCESS;
}

/* A send or send-once right to a dead port: it goes, the name is MACH_PORT_DEAD. */
static bool
copyout_dead(struct ipc_port *port, mach_msg_type_name_t type, mach_port_name_t *namep)
{
	if (port == NULL || port == IPC_PORT_DEAD) {
		*namep = port ? MACH_PORT_DEAD : MACH_PORT_NULL;
		return true;
	}
	if (type != MACH_MSG_TYPE_PORT_RECEIVE && !port->ip_active) {
		ipc_right_release(port, type);
		*namep = MACH_PORT_DEAD;
		return true;
	}
	return false;
}

kern_return_t
ipc_right_copyout(struct ipc_space *s, struct ipc_port *port, mach_msg_type_name_t type,
                  mach_port_name_t *namep, struct ipc_copyout_undo *u)
{
	mach_port_name_t name = MACH_PORT_NULL;
	struct ipc_entry *e;
	kern_return_t kr;

	*u = (struct ipc_copyout_undo){0};
	if (copyout_dead(port, type, namep)) {
		u->name = MACH_PORT_NULL;
		return KERN_SUCCESS;
	}
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE)
		name = ipc_space_port_name(s, port);
	if (name != MACH_PORT_NULL) {
		e = &s->is_table[name];
		u->before = *e;
	} else {
		u->from_next = s->is_free == 0;
		u->old_next = s->is_next;
		u->old_free = s->is_free;
		kr = ipc_entry_alloc(s, &name, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		u->new_entry = true;
	}
	kr = merge(s, e, name, port, type);
	if (kr != KERN_SUCCESS)
		return kr; /* only an existing entry overflows */
	u->name = name;
	*namep = name;
	return KERN_SUCCESS;
}

bool
ipc_right_copyout_sonce(struct ipc_space *s, struct ipc_port *port, mach_port_name_t *namep)
{
	struct ipc_entry *e;

	if (!__atomic_load_n(&port->ip_active, __ATOMIC_RELAXED) ||
	    ipc_entry_alloc(s, namep, &e) != KERN_SUCCESS)
		return false;
	/* Send-once rights have a name each and no reverse-map note (merge()'s rules). */
	e->ie_object = port;
	e->ie_type = MACH_PORT_TYPE_SEND_ONCE;
	e->ie_urefs = 1;
	return true;
}

kern_return_t
ipc_right_copyout_name(struct ipc_space *s, struct ipc_port *port, mach_msg_type_name_t type,
                       mach_port_name_t name, struct ipc_copyout_undo *u)
{
	struct ipc_entry *e;
	mach_port_name_t other;
	kern_return_t kr;

	*u = (struct ipc_copyout_undo){0};
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	e = ipc_entry_lookup_check(s, name);
	other =
	    type == MACH_MSG_TYPE_PORT_SEND_ONCE ? MACH_PORT_NULL : ipc_space_port_name(s, port);
	/* GNU Mach checks the port's own name before the name asked for. */
	if (other != MACH_PORT_NULL && other != name)
		return KERN_RIGHT_EXISTS;
	if (e) {
		/* Only the same port's send/receive pair may share the name. */
		if (other != name || type == MACH_MSG_TYPE_PORT_SEND_ONCE ||
		    (e->ie_type & type_bit(type) && type == MACH_MSG_TYPE_PORT_RECEIVE))
			return KERN_NAME_EXISTS;
		u->before = *e;
	} else {
		if (other != MACH_PORT_NULL)
			return KERN_RIGHT_EXISTS;
		u->from_next = name >= s->is_next;
		u->old_next = s->is_next;
		u->old_free = s->is_free;
		kr = ipc_entry_alloc_name(s, name, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		u->new_entry = true;
	}
	kr = merge(s, e, name, port, type);
	if (kr != KERN_SUCCESS)
		return kr;
	u->name = name;
	return KERN_SUCCESS;
}

void
ipc_right_copyout_undo(struct ipc_space *s, struct ipc_port *port, mach_msg_type_name_t type,
                       struct ipc_copyout_undo *u)
{
	struct ipc_entry *e;

	if (u->name == MACH_PORT_NULL)
		return; /* a dead or null right: nothing went in */
	e = &s->is_table[u->name];
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		spin_lock(&port->ip_lock);
		port->ip_receiver = NULL;
		port->ip_receiver_name = MACH_PORT_NULL;
		spin_unlock(&port->ip_lock);
	}
	if (u->new_entry) {
		if (u->from_next) {
			/* The name (and any skipped to reach it) goes back to never used. */
			for (mach_port_name_t n = u->old_next; n < s->is_next; n++)
				s->is_table[n] = (struct ipc_entry){0};
			s->is_next = u->old_next;
			s->is_free = u->old_free;
			s->is_count--;
		} else {
			ipc_entry_free(s, u->name);
		}
		return;
	}
	if (type == MACH_MSG_TYPE_PORT_SEND && (u->before.ie_type & MACH_PORT_TYPE_SEND)) {
		/* The right had folded into the entry's: split it out again. */
		spin_lock(&port->ip_lock);
		port->ip_srights++;
		port->ip_refs++;
		spin_unlock(&port->ip_lock);
	}
	*e = u->before;
}

void
ipc_right_release(struct ipc_port *port, mach_msg_type_name_t type)
{
	if (!IPC_PORT_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		ipc_port_send_release(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		if (port->ip_active)
			ipc_notify(IPC_NOTIFY_SEND_ONCE, port, MACH_PORT_NULL, NULL, 0);
		else
			ipc_port_sonce_release(port);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		ipc_port_destroy(port);
		break;
	}
}
