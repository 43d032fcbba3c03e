// SPDX-License-Identifier: GPL-2.0-or-later
/* Port sets (ipc/ipc_pset.h). Membership changes hold the set's lock, then the port's. */
#include "ipc/ipc_pset.h"

#include "kern/kmalloc.h"

long ipc_pset_count;

struct ipc_pset *
ipc_pset_alloc(void)
{
	struct ipc_pset *ps = kzalloc(sizeof(*ps));

	if (!ps)
		return NULL;
	spin_init(&ps->ps_lock, "ipc_pset", LOCK_RANK_IPC_PSET);
	list_init(&ps->ps_members);
	ps->ps_recv_wait = (struct wait_event)WAIT_EVENT_INIT("pset receive");
	ipc_pset_count++;
	return ps;
}

void
ipc_pset_move(struct ipc_port *p, struct ipc_pset *ps)
{
	struct ipc_pset *old = p->ip_pset;

	if (old == ps)
		return;
	if (old) {
		spin_lock(&old->ps_lock);
		list_remove(&p->ip_pset_link);
		old->ps_count--;
		p->ip_pset = NULL;
		spin_unlock(&old->ps_lock);
	}
	if (ps) {
		spin_lock(&ps->ps_lock);
		list_append(&ps->ps_members, &p->ip_pset_link);
		ps->ps_count++;
		p->ip_pset = ps;
		spin_unlock(&ps->ps_lock);
		/* A receiver already waiting on the set may now have a message. */
		if (p->ip_msgcount)
			wait_wake(&ps->ps_recv_wait);
	}
}

/* The member whose first message arrived first (GNU Mach gives a set's messages in send order). */
struct ipc_port *
ipc_pset_ready(struct ipc_pset *ps)
{
	struct ipc_port *found = NULL;
	uint64_t oldest = UINT64_MAX;

	spin_lock(&ps->ps_lock);
	for (struct list_node *n = ps->ps_members.ln_next; n != &ps->ps_members; n = n->ln_next) {
		struct ipc_port *p = list_entry(n, struct ipc_port, ip_pset_link);
		if (!p->ip_msgcount)
			continue;
		const struct ipc_msg_head *m =
		    (const struct ipc_msg_head *)list_first(&p->ip_messages);
		if (m->mh_stamp < oldest) {
			oldest = m->mh_stamp;
			found = p;
		}
	}
	spin_unlock(&ps->ps_lock);
	return found;
}

void
ipc_pset_destroy(struct ipc_pset *ps)
{
	while (!list_empty(&ps->ps_members)) {
		struct list_node *n = list_first(&ps->ps_members);
		ipc_pset_move(list_entry(n, struct ipc_port, ip_pset_link), NULL);
	}
	wait_wake(&ps->ps_recv_wait);
	ipc_pset_count--;
	kfree(ps);
}
