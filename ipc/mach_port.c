// SPDX-License-Identifier: GPL-2.0-or-later
/* mach_port.defs routines on a space (ipc/mach_port.h). */
#include "ipc/mach_port.h"

#include "ipc/ipc_pset.h"
#include "kern/kmalloc.h"

/* Locks s; KERN_INVALID_TASK (unlocked) if the space is gone. Inline: every routine's first step.
 */
static inline __attribute__((always_inline)) kern_return_t
space_lock(struct ipc_space *s)
{
	if (!s)
		return KERN_INVALID_TASK;
	spin_lock(&s->is_lock);
	if (!s->is_active) {
		spin_unlock(&s->is_lock);
		return KERN_INVALID_TASK;
	}
	return KERN_SUCCESS;
}

static kern_return_t
unlock_ret(struct ipc_space *s, kern_return_t kr)
{
	spin_unlock(&s->is_lock);
	return kr;
}

/* The port of a receive right under name, or NULL (*kr says why). */
static struct ipc_port *
receive_port(struct ipc_space *s, mach_port_name_t name, kern_return_t *kr)
{
	struct ipc_entry *e = ipc_entry_lookup(s, name);

	if (!e) {
		*kr = KERN_INVALID_NAME;
		return NULL;
	}
	if (!(e->ie_type & MACH_PORT_TYPE_RECEIVE)) {
		*kr = KERN_INVALID_RIGHT;
		return NULL;
	}
	return e->ie_object;
}

static mach_port_type_t
entry_type(struct ipc_entry *e)
{
	return e->ie_type | (e->ie_dnrequest ? MACH_PORT_TYPE_DNREQUEST : 0);
}

kern_return_t
ipc_mach_port_names(struct ipc_space *s, mach_port_name_t **names, mach_port_type_t **types,
                    unsigned *count)
{
	kern_return_t kr = space_lock(s);
	unsigned n = 0, max;

	if (kr)
		return kr;
	max = s->is_count ? s->is_count : 1;
	*names = kmalloc(max * sizeof(**names));
	*types = kmalloc(max * sizeof(**types));
	if (!*names || !*types) {
		kfree(*names);
		kfree(*types);
		return unlock_ret(s, KERN_RESOURCE_SHORTAGE);
	}
	for (mach_port_name_t i = 1; i < s->is_next; i++) {
		struct ipc_entry *e = ipc_entry_lookup_check(s, i);
		if (!e)
			continue;
		(*names)[n] = i;
		(*types)[n] = entry_type(e);
		n++;
	}
	*count = n;
	return unlock_ret(s, KERN_SUCCESS);
}

kern_return_t
ipc_mach_port_type(struct ipc_space *s, mach_port_name_t name, mach_port_type_t *type)
{
	kern_return_t kr = space_lock(s);
	struct ipc_entry *e;

	if (kr)
		return kr;
	e = ipc_entry_lookup_check(s, name);
	if (!e)
		return unlock_ret(s, KERN_INVALID_NAME);
	*type = entry_type(e);
	return unlock_ret(s, KERN_SUCCESS);
}

kern_return_t
ipc_mach_port_rename(struct ipc_space *s, mach_port_name_t old, mach_port_name_t new_name)
{
	kern_return_t kr;
	struct ipc_entry *e, *ne;

	if (!MACH_PORT_VALID(new_name))
		return KERN_INVALID_VALUE;
	kr = space_lock(s);
	if (kr)
		return kr;
	if (!ipc_entry_lookup_check(s, old))
		return unlock_ret(s, KERN_INVALID_NAME);
	kr = ipc_entry_alloc_name(s, new_name, &ne);
	if (kr)
		return unlock_ret(s, kr);
	e = &s->is_table[old]; /* the table may have moved */
	*ne = *e;
	if (ne->ie_type & MACH_PORT_TYPE_PORT_SET) {
		((struct ipc_pset *)ne->ie_object)->ps_name = new_name;
	} else if (ne->ie_object) {
		struct ipc_port *p = ne->ie_object;

		if (ne->ie_type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE))
			ipc_space_reverse_note(s, p, new_name);
		spin_lock(&p->ip_lock);
		if (ne->ie_type & MACH_PORT_TYPE_RECEIVE)
			p->ip_receiver_name = new_name;
		for (struct list_node *n = p->ip_dnrequests.ln_next; n != &p->ip_dnrequests;
		     n = n->ln_next) {
			struct ipc_dnrequest *d = list_entry(n, struct ipc_dnrequest, dr_link);
			if (d->dr_space == s && d->dr_name == old)
				d->dr_name = new_name;
		}
		spin_unlock(&p->ip_lock);
	}
	ipc_entry_free(s, old);
	return unlock_ret(s, KERN_SUCCESS);
}

/* Makes the right under a fresh entry e named name. */
static kern_return_t
fill_new(struct ipc_space *s, mach_port_right_t right, mach_port_name_t name, struct ipc_entry *e)
{
	if (right == MACH_PORT_RIGHT_RECEIVE) {
		struct ipc_port *p = ipc_port_alloc();
		if (!p)
			return KERN_RESOURCE_SHORTAGE;
		p->ip_receiver = s;
		p->ip_destination = NULL;
		p->ip_receiver_name = name;
		e->ie_object = p;
		e->ie_type = MACH_PORT_TYPE_RECEIVE;
		ipc_space_reverse_note(s, p, name);
	} else if (right == MACH_PORT_RIGHT_PORT_SET) {
		struct ipc_pset *ps = ipc_pset_alloc();
		if (!ps)
			return KERN_RESOURCE_SHORTAGE;
		ps->ps_space = s;
		ps->ps_name = name;
		e->ie_object = ps;
		e->ie_type = MACH_PORT_TYPE_PORT_SET;
	} else {
		e->ie_type = MACH_PORT_TYPE_DEAD_NAME;
		e->ie_urefs = 1;
	}
	return KERN_SUCCESS;
}

static bool
allocatable(mach_port_right_t right)
{
	return right == MACH_PORT_RIGHT_RECEIVE || right == MACH_PORT_RIGHT_PORT_SET ||
	       right == MACH_PORT_RIGHT_DEAD_NAME;
}

kern_return_t
ipc_mach_port_allocate(struct ipc_space *s, mach_port_right_t right, mach_port_name_t *name)
{
	struct ipc_copyout_undo u = {0};
	struct ipc_entry *e;
	kern_return_t kr;

	if (!allocatable(right))
		return KERN_INVALID_VALUE;
	kr = space_lock(s);
	if (kr)
		return kr;
	u.from_next = s->is_free == 0;
	u.old_next = s->is_next;
	kr = ipc_entry_alloc(s, name, &e);
	if (kr)
		return unlock_ret(s, kr);
	kr = fill_new(s, right, *name, e);
	if (kr) {
		u.name = *name;
		u.new_entry = true;
		/* Give the name back exactly as it was (next allocation gets it again). */
		ipc_right_copyout_undo(s, NULL, MACH_MSG_TYPE_PORT_SEND, &u);
	}
	return unlock_ret(s, kr);
}

kern_return_t
ipc_mach_port_allocate_name(struct ipc_space *s, mach_port_right_t right, mach_port_name_t name)
{
	struct ipc_copyout_undo u = {0};
	struct ipc_entry *e;
	kern_return_t kr;

	if (!allocatable(right) || !MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	kr = space_lock(s);
	if (kr)
		return kr;
	u.from_next = name >= s->is_next;
	u.old_next = s->is_next;
	u.old_free = s->is_free;
	kr = ipc_entry_alloc_name(s, name, &e);
	if (kr)
		return unlock_ret(s, kr);
	kr = fill_new(s, right, name, e);
	if (kr) {
		u.name = name;
		u.new_entry = true;
		ipc_right_copyout_undo(s, NULL, MACH_MSG_TYPE_PORT_SEND, &u);
	}
	return unlock_ret(s, kr);
}

kern_return_t
ipc_mach_port_destroy(struct ipc_space *s, mach_port_name_t name)
{
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	return unlock_ret(s, ipc_right_destroy(s, name));
}

kern_return_t
ipc_mach_port_deallocate(struct ipc_space *s, mach_port_name_t name)
{
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	return unlock_ret(s, ipc_right_dealloc(s, name));
}

kern_return_t
ipc_mach_port_get_refs(struct ipc_space *s, mach_port_name_t name, mach_port_right_t right,
                       mach_port_urefs_t *refs)
{
	struct ipc_entry *e;
	kern_return_t kr;

	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	kr = space_lock(s);
	if (kr)
		return kr;
	e = ipc_entry_lookup_check(s, name);
	if (!e)
		return unlock_ret(s, KERN_INVALID_NAME);
	if (!(e->ie_type & MACH_PORT_TYPE(right)))
		*refs = 0;
	else if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME)
		*refs = e->ie_urefs;
	else
		*refs = 1;
	return unlock_ret(s, KERN_SUCCESS);
}

kern_return_t
ipc_mach_port_mod_refs(struct ipc_space *s, mach_port_name_t name, mach_port_right_t right,
                       mach_port_delta_t delta)
{
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	return unlock_ret(s, ipc_right_delta(s, name, right, delta));
}

kern_return_t
ipc_mach_port_move_member(struct ipc_space *s, mach_port_name_t member, mach_port_name_t after)
{
	struct ipc_pset *ps = NULL;
	struct ipc_port *p;
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	p = receive_port(s, member, &kr);
	if (!p)
		return unlock_ret(s, kr);
	if (after != MACH_PORT_NULL) {
		struct ipc_entry *e = ipc_entry_lookup(s, after);
		if (!e)
			return unlock_ret(s, KERN_INVALID_NAME);
		if (!(e->ie_type & MACH_PORT_TYPE_PORT_SET))
			return unlock_ret(s, KERN_INVALID_RIGHT);
		ps = e->ie_object;
	} else if (!p->ip_pset) {
		return unlock_ret(s, KERN_NOT_IN_SET);
	}
	ipc_pset_move(p, ps);
	return unlock_ret(s, KERN_SUCCESS);
}

kern_return_t
ipc_mach_port_insert_right(struct ipc_space *s, mach_port_name_t name, struct ipc_port *port,
                           mach_msg_type_name_t type)
{
	struct ipc_copyout_undo u;
	kern_return_t kr;

	if (!MACH_PORT_VALID(name) || !IPC_PORT_VALID(port))
		return KERN_INVALID_VALUE;
	kr = space_lock(s);
	if (kr)
		return kr;
	return unlock_ret(s, ipc_right_copyout_name(s, port, type, name, &u));
}

kern_return_t
ipc_mach_port_insert_right_from(struct ipc_space *s, mach_port_name_t name, struct ipc_space *src,
                                mach_port_name_t srcname, mach_msg_type_name_t disposition)
{
	struct ipc_copyin_undo u;
	struct ipc_port *port;
	mach_msg_type_name_t type;
	kern_return_t kr;

	if (!MACH_MSG_TYPE_PORT_ANY(disposition))
		return KERN_INVALID_VALUE;
	kr = space_lock(src);
	if (kr)
		return kr;
	kr = ipc_right_copyin(src, srcname, disposition, &port, &type, &u);
	if (kr)
		return unlock_ret(src, kr);
	if (src != s)
		spin_unlock(&src->is_lock);
	kr = src == s ? ipc_right_copyout_name(s, port, type, name, &(struct ipc_copyout_undo){0})
	              : ipc_mach_port_insert_right(s, name, port, type);
	if (src != s)
		spin_lock(&src->is_lock);
	/* Another task may have changed src between the locks; undo only if it could not. */
	if (kr)
		ipc_right_copyin_undo(src, srcname, &u);
	else
		ipc_right_copyin_commit(&u);
	return unlock_ret(src, kr);
}

kern_return_t
ipc_mach_port_extract_right(struct ipc_space *s, mach_port_name_t name,
                            mach_msg_type_name_t disposition, struct ipc_port **port,
                            mach_msg_type_name_t *type)
{
	struct ipc_copyin_undo u;
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	kr = ipc_right_copyin(s, name, disposition, port, type, &u);
	if (kr == KERN_SUCCESS)
		ipc_right_copyin_commit(&u);
	return unlock_ret(s, kr);
}

kern_return_t
ipc_mach_port_get_receive_status(struct ipc_space *s, mach_port_name_t name, mach_port_status_t *st)
{
	struct ipc_port *p;
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	p = receive_port(s, name, &kr);
	if (!p)
		return unlock_ret(s, kr);
	spin_lock(&p->ip_lock);
	*st = (mach_port_status_t){
	    .mps_pset =
	        p->ip_pset && p->ip_pset->ps_space == s ? p->ip_pset->ps_name : MACH_PORT_NULL,
	    .mps_seqno = p->ip_seqno,
	    .mps_mscount = p->ip_mscount,
	    .mps_qlimit = p->ip_qlimit,
	    .mps_msgcount = p->ip_msgcount,
	    .mps_sorights = p->ip_sorights,
	    .mps_srights = p->ip_srights > 0,
	    .mps_pdrequest = p->ip_pdrequest != NULL,
	    .mps_nsrequest = p->ip_nsrequest != NULL,
	};
	spin_unlock(&p->ip_lock);
	return unlock_ret(s, KERN_SUCCESS);
}

/* The receive-right setters: which field, and the value. */
enum recv_field { F_MSCOUNT, F_QLIMIT, F_SEQNO, F_PAYLOAD, F_NOPAYLOAD };

static kern_return_t
set_field(struct ipc_space *s, mach_port_name_t name, enum recv_field f, unsigned long v)
{
	struct ipc_port *p;
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	p = receive_port(s, name, &kr);
	if (!p)
		return unlock_ret(s, kr);
	spin_lock(&p->ip_lock);
	switch (f) {
	case F_MSCOUNT:
		p->ip_mscount = v;
		break;
	case F_QLIMIT:
		p->ip_qlimit = v;
		break;
	case F_SEQNO:
		p->ip_seqno = v;
		break;
	case F_PAYLOAD:
		p->ip_payload = v;
		p->ip_has_payload = true;
		break;
	case F_NOPAYLOAD:
		p->ip_payload = 0;
		p->ip_has_payload = false;
		break;
	}
	spin_unlock(&p->ip_lock);
	/* A larger queue limit lets blocked senders try again. */
	if (f == F_QLIMIT)
		wait_wake(&p->ip_send_wait);
	return unlock_ret(s, KERN_SUCCESS);
}

kern_return_t
ipc_mach_port_set_mscount(struct ipc_space *s, mach_port_name_t name, mach_port_mscount_t mscount)
{
	return set_field(s, name, F_MSCOUNT, mscount);
}

kern_return_t
ipc_mach_port_set_qlimit(struct ipc_space *s, mach_port_name_t name, mach_port_msgcount_t qlimit)
{
	if (qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	return set_field(s, name, F_QLIMIT, qlimit);
}

kern_return_t
ipc_mach_port_set_seqno(struct ipc_space *s, mach_port_name_t name, mach_port_seqno_t seqno)
{
	return set_field(s, name, F_SEQNO, seqno);
}

kern_return_t
ipc_mach_port_set_protected_payload(struct ipc_space *s, mach_port_name_t name,
                                    unsigned long payload)
{
	return set_field(s, name, F_PAYLOAD, payload);
}

kern_return_t
ipc_mach_port_clear_protected_payload(struct ipc_space *s, mach_port_name_t name)
{
	return set_field(s, name, F_NOPAYLOAD, 0);
}

kern_return_t
ipc_mach_port_get_set_status(struct ipc_space *s, mach_port_name_t name, mach_port_name_t **members,
                             unsigned *count)
{
	struct ipc_entry *e;
	struct ipc_pset *ps;
	unsigned n = 0;
	kern_return_t kr = space_lock(s);

	if (kr)
		return kr;
	e = ipc_entry_lookup(s, name);
	if (!e)
		return unlock_ret(s, KERN_INVALID_NAME);
	if (!(e->ie_type & MACH_PORT_TYPE_PORT_SET))
		return unlock_ret(s, KERN_INVALID_RIGHT);
	ps = e->ie_object;
	*members = kmalloc((ps->ps_count ? ps->ps_count : 1) * sizeof(**members));
	if (!*members)
		return unlock_ret(s, KERN_RESOURCE_SHORTAGE);
	spin_lock(&ps->ps_lock);
	for (struct list_node *l = ps->ps_members.ln_next; l != &ps->ps_members; l = l->ln_next) {
		struct ipc_port *p = list_entry(l, struct ipc_port, ip_pset_link);
		if (p->ip_receiver == s)
			(*members)[n++] = p->ip_receiver_name;
	}
	spin_unlock(&ps->ps_lock);
	*count = n;
	return unlock_ret(s, KERN_SUCCESS);
}

/* A dead-name request on name (the entry holds a live port's right). */
static kern_return_t
dnrequest(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e, bool immediate,
          struct ipc_port *notify, struct ipc_port **previous)
{
	struct ipc_dnrequest *d;
	struct ipc_port *p;

	*previous = NULL;
	if (e->ie_type & MACH_PORT_TYPE_DEAD_NAME) {
		/*
		 * Already dead: with sync, the notification now (it costs a
		 * reference); without, GNU Mach answers KERN_INVALID_ARGUMENT.
		 */
		if (!immediate)
			return KERN_INVALID_ARGUMENT;
		if (!notify)
			return KERN_INVALID_RIGHT;
		if (e->ie_urefs >= IPC_UREFS_MAX)
			return KERN_UREFS_OVERFLOW;
		e->ie_urefs++;
		ipc_notify(IPC_NOTIFY_DEAD_NAME, notify, name, NULL, 0);
		return KERN_SUCCESS;
	}
	if (!(e->ie_type & (MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)))
		return KERN_INVALID_RIGHT;
	p = e->ie_object;
	d = ipc_right_dnrequest_take(s, name, e);
	if (d) {
		*previous = d->dr_notify;
		kfree(d);
	}
	if (!notify)
		return KERN_SUCCESS;
	d = kzalloc(sizeof(*d));
	if (!d) {
		/* Put the previous request back: nothing changed. */
		if (*previous) {
			d = kzalloc(sizeof(*d));
			if (d) {
				*d = (struct ipc_dnrequest){
				    .dr_space = s, .dr_name = name, .dr_notify = *previous};
				spin_lock(&p->ip_lock);
				list_append(&p->ip_dnrequests, &d->dr_link);
				spin_unlock(&p->ip_lock);
				e->ie_dnrequest = true;
				*previous = NULL;
			}
		}
		return KERN_RESOURCE_SHORTAGE;
	}
	*d = (struct ipc_dnrequest){.dr_space = s, .dr_name = name, .dr_notify = notify};
	spin_lock(&p->ip_lock);
	list_append(&p->ip_dnrequests, &d->dr_link);
	spin_unlock(&p->ip_lock);
	e->ie_dnrequest = true;
	return KERN_SUCCESS;
}

kern_return_t
ipc_mach_port_request_notification(struct ipc_space *s, mach_port_name_t name, mach_msg_id_t id,
                                   mach_port_mscount_t sync, struct ipc_port *notify,
                                   struct ipc_port **previous)
{
	struct ipc_entry *e;
	struct ipc_port *p;
	kern_return_t kr;

	*previous = NULL;
	if (id != MACH_NOTIFY_PORT_DESTROYED && id != MACH_NOTIFY_NO_SENDERS &&
	    id != MACH_NOTIFY_DEAD_NAME)
		return KERN_INVALID_VALUE;
	kr = space_lock(s);
	if (kr)
		return kr;
	e = ipc_entry_lookup_check(s, name);
	if (!e)
		return unlock_ret(s, KERN_INVALID_NAME);
	if (id == MACH_NOTIFY_DEAD_NAME)
		return unlock_ret(s, dnrequest(s, name, e, sync != 0, notify, previous));
	if (!(e->ie_type & MACH_PORT_TYPE_RECEIVE))
		return unlock_ret(s, KERN_INVALID_RIGHT);
	p = e->ie_object;
	if (id == MACH_NOTIFY_PORT_DESTROYED) {
		if (sync != 0)
			return unlock_ret(s, KERN_INVALID_VALUE);
		spin_lock(&p->ip_lock);
		*previous = p->ip_pdrequest;
		p->ip_pdrequest = notify;
		spin_unlock(&p->ip_lock);
		return unlock_ret(s, KERN_SUCCESS);
	}
	/* No-senders: fires at once if there are none already and mscount has reached sync. */
	spin_lock(&p->ip_lock);
	*previous = p->ip_nsrequest;
	p->ip_nsrequest = notify;
	p->ip_nssync = sync;
	if (notify && p->ip_srights == 0 && sync <= p->ip_mscount) {
		mach_port_mscount_t ms = p->ip_mscount;

		p->ip_nsrequest = NULL;
		spin_unlock(&p->ip_lock);
		ipc_notify(IPC_NOTIFY_NO_SENDERS, notify, MACH_PORT_NULL, NULL, ms);
		return unlock_ret(s, KERN_SUCCESS);
	}
	spin_unlock(&p->ip_lock);
	return unlock_ret(s, KERN_SUCCESS);
}
