// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Msg-accepted requests (ipc/ipc_marequest.h). A short list: a request
 * lives from a forced send until its message leaves the queue, and each
 * space may have one per port. The name a notification carries is the
 * one the sender held for the port when it sent, or MACH_PORT_NULL once
 * that name was freed or the space died (GNU Mach's cancel; a rename,
 * which GNU Mach follows, counts as freed here).
 */
#include "ipc/ipc_marequest.h"

#include "ipc/ipc_mqueue.h"
#include "kern/kmalloc.h"
#include "kern/lock_rank.h"

struct marequest {
	struct list_node link;
	struct ipc_msg_head *msg;      /* the forced message's queue entry */
	const struct ipc_space *space; /* the sender's (identity only), NULL once it died */
	struct ipc_port *port;         /* its destination (identity only) */
	struct ipc_port *soright;      /* where the notification goes */
	mach_port_name_t name;         /* the sender's name for port, or MACH_PORT_NULL */
};

unsigned ipc_marequest_count;
static struct spinlock lock = SPINLOCK_INIT("ipc_marequest", LOCK_RANK_IPC_MAREQUEST);
static struct list_node pending = LIST_HEAD_INIT(pending); /* forced messages not yet taken */

/* The request of m (lock held), or NULL. */
static struct marequest *
find(struct ipc_msg_head *m)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &pending)
	{
		struct marequest *r = list_entry(n, struct marequest, link);
		if (r->msg == m)
			return r;
	}
	return NULL;
}

static bool
in_progress(const struct ipc_space *s, const struct ipc_port *port)
{
	struct list_node *n, *tmp;
	bool found = false;

	spin_lock(&lock);
	list_for_each_safe(n, tmp, &pending)
	{
		struct marequest *r = list_entry(n, struct marequest, link);
		found |= r->space == s && r->port == port && r->name != MACH_PORT_NULL;
	}
	spin_unlock(&lock);
	return found;
}

/*
 * A name of a space was freed (space locked): a request made under it now
 * names nothing, as GNU Mach cancels it (its notification says MACH_PORT_NULL).
 */
static void
name_freed(struct ipc_space *s, mach_port_name_t name)
{
	struct list_node *n, *tmp;

	spin_lock(&lock);
	list_for_each_safe(n, tmp, &pending)
	{
		struct marequest *r = list_entry(n, struct marequest, link);
		if (r->space == s && r->name == name)
			r->name = MACH_PORT_NULL;
	}
	spin_unlock(&lock);
}

static void
notify(struct marequest *r)
{
	ipc_notify(IPC_NOTIFY_MSG_ACCEPTED, r->soright, r->name, NULL, 0);
	kfree(r);
}

/*
 * A request for km to dest, GNU Mach's checks in its order: the space
 * alive, no request of this space for dest yet (when the space names
 * dest), notify a receive right of the space.
 */
static mach_msg_return_t
create(struct ipc_space *s, struct ipc_port *dest, mach_port_name_t notify_name,
       struct ipc_kmsg *km)
{
	struct marequest *r;
	struct ipc_entry *e;

	if (notify_name == MACH_PORT_NULL)
		return MACH_SEND_INVALID_NOTIFY;
	r = kmalloc(sizeof(*r));
	if (!r)
		return MACH_SEND_NO_NOTIFY;
	spin_lock(&s->is_lock);
	if (!s->is_active) {
		spin_unlock(&s->is_lock);
		kfree(r);
		return MACH_SEND_INVALID_NOTIFY;
	}
	r->name = ipc_space_port_name(s, dest);
	if (r->name != MACH_PORT_NULL && in_progress(s, dest)) {
		spin_unlock(&s->is_lock);
		kfree(r);
		return MACH_SEND_NOTIFY_IN_PROGRESS;
	}
	e = ipc_entry_lookup(s, notify_name);
	if (!e || !(e->ie_type & MACH_PORT_TYPE_RECEIVE)) {
		spin_unlock(&s->is_lock);
		kfree(r);
		return MACH_SEND_INVALID_NOTIFY;
	}
	r->soright = ipc_port_make_sonce(e->ie_object);
	r->msg = ipc_kmsg_queue_head(km);
	r->space = s;
	r->port = dest;
	spin_lock(&lock);
	list_append(&pending, &r->link);
	if (ipc_marequest_count++ == 0)
		ipc_entry_free_hook = name_freed;
	spin_unlock(&lock);
	spin_unlock(&s->is_lock);
	return MACH_MSG_SUCCESS;
}

/* Takes m's request out (lock held), or NULL. */
static struct marequest *
take(struct ipc_msg_head *m)
{
	struct marequest *r = find(m);

	if (r) {
		list_remove(&r->link);
		if (--ipc_marequest_count == 0)
			ipc_entry_free_hook = NULL;
	}
	return r;
}

mach_msg_return_t
ipc_marequest_send(struct ipc_space *s, struct ipc_kmsg *km, mach_msg_option_t option,
                   uint64_t timeout_ns, mach_port_name_t notify_name)
{
	option &= ~(mach_msg_option_t)MACH_SEND_NOTIFY;
	/* As GNU Mach: the wait MACH_SEND_TIMEOUT asks for, none without it. */
	mach_msg_return_t mr = ipc_mqueue_send(km, option | MACH_SEND_TIMEOUT,
	                                       (option & MACH_SEND_TIMEOUT) ? timeout_ns : 0);
	if (mr != MACH_SEND_TIMED_OUT)
		return mr;
	mr = create(s, ipc_kmsg_dest(km), notify_name, km);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	/* Forced: past the queue limit (MACH_SEND_NOTIFY), not past the bound on queued bytes. */
	mr = ipc_mqueue_send(km, MACH_SEND_NOTIFY | MACH_SEND_TIMEOUT, 0);
	if (mr != MACH_MSG_SUCCESS) {
		spin_lock(&lock);
		struct marequest *r = take(ipc_kmsg_queue_head(km));
		spin_unlock(&lock);
		if (r) {
			ipc_port_sonce_release(r->soright); /* never used: no notification */
			kfree(r);
		}
		/* Past the bound on queued bytes: the request cannot be kept, the message comes
		 * back. */
		return mr == MACH_SEND_NO_BUFFER ? MACH_SEND_NO_NOTIFY : mr;
	}
	return MACH_SEND_WILL_NOTIFY;
}

void
ipc_marequest_gone(struct ipc_msg_head *m)
{
	spin_lock(&lock);
	struct marequest *r = take(m);
	spin_unlock(&lock);
	if (r)
		notify(r);
}

void
ipc_marequest_space_gone(struct ipc_space *s)
{
	struct list_node *n, *tmp;

	spin_lock(&lock);
	list_for_each_safe(n, tmp, &pending)
	{
		struct marequest *r = list_entry(n, struct marequest, link);
		if (r->space == s) {
			r->space = NULL;
			r->name = MACH_PORT_NULL;
		}
	}
	spin_unlock(&lock);
}
