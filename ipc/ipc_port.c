// SPDX-License-Identifier: GPL-2.0-or-later
/* Ports (ipc/ipc_port.h). */
#include "ipc/ipc_port.h"

#include "ipc/ipc_pset.h"
#include "kern/kmalloc.h"
#include "kern/panic.h"

ipc_msg_free_fn *ipc_msg_free_hook;
ipc_notify_fn *ipc_notify_hook;
long ipc_port_count;
long ipc_port_max = __LONG_MAX__;

void
ipc_notify(enum ipc_notify_kind kind, struct ipc_port *notify, mach_port_name_t name,
           struct ipc_port *port, mach_port_mscount_t mscount)
{
	if (ipc_notify_hook) {
		ipc_notify_hook(kind, notify, name, port, mscount);
		return;
	}
	/* Nobody to deliver it: the send-once right and any handed-over port go. */
	ipc_port_sonce_release(notify);
	if (port)
		ipc_port_destroy(port);
}

struct ipc_port *
ipc_port_alloc(void)
{
	struct ipc_port *p;

	if (__atomic_load_n(&ipc_port_count, __ATOMIC_RELAXED) >= ipc_port_max)
		return NULL;
	p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	spin_init(&p->ip_lock, "ipc_port", LOCK_RANK_IPC_PORT);
	p->ip_refs = 1;
	p->ip_active = true;
	p->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
	list_init(&p->ip_messages);
	list_init(&p->ip_dnrequests);
	p->ip_recv_wait = (struct wait_event)WAIT_EVENT_INIT("port receive");
	p->ip_send_wait = (struct wait_event)WAIT_EVENT_INIT("port send");
	ipc_port_count++;
	return p;
}

void
ipc_port_ref(struct ipc_port *p)
{
	__atomic_add_fetch(&p->ip_refs, 1, __ATOMIC_RELAXED);
}

void
ipc_port_release(struct ipc_port *p)
{
	if (__atomic_sub_fetch(&p->ip_refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (p->ip_active)
		panic("ipc_port_release: last reference to a live port");
	__atomic_sub_fetch(&ipc_port_count, 1, __ATOMIC_RELAXED);
	kfree(p);
}

void
ipc_port_destroy(struct ipc_port *p)
{
	struct ipc_port *pd, *ns;
	struct list_node msgs, dns;

	spin_lock(&p->ip_lock);
	p->ip_receiver = NULL;
	p->ip_receiver_name = MACH_PORT_NULL;
	pd = p->ip_pdrequest;
	p->ip_pdrequest = NULL;
	spin_unlock(&p->ip_lock);
	if (p->ip_pset)
		ipc_pset_move(p, NULL);
	if (pd) {
		/* Port-destroyed: the receive right goes to pd's receiver, alive. */
		ipc_notify(IPC_NOTIFY_PORT_DESTROYED, pd, MACH_PORT_NULL, p, 0);
		return;
	}
	spin_lock(&p->ip_lock);
	p->ip_active = false;
	ns = p->ip_nsrequest;
	p->ip_nsrequest = NULL;
	list_init(&msgs);
	list_init(&dns);
	/* Move the lists out, so the callbacks run without the port lock. */
	while (!list_empty(&p->ip_messages)) {
		struct list_node *n = list_first(&p->ip_messages);
		list_remove(n);
		list_append(&msgs, n);
	}
	p->ip_msgcount = 0;
	while (!list_empty(&p->ip_dnrequests)) {
		struct list_node *n = list_first(&p->ip_dnrequests);
		list_remove(n);
		list_append(&dns, n);
	}
	spin_unlock(&p->ip_lock);
	wait_wake(&p->ip_recv_wait);
	wait_wake(&p->ip_send_wait);
	while (!list_empty(&msgs)) {
		struct ipc_msg_head *m = (struct ipc_msg_head *)list_first(&msgs);
		list_remove(&m->mh_link);
		if (ipc_msg_free_hook)
			ipc_msg_free_hook(m);
	}
	if (ns)
		ipc_port_sonce_release(ns);
	while (!list_empty(&dns)) {
		struct ipc_dnrequest *d = (struct ipc_dnrequest *)list_first(&dns);
		list_remove(&d->dr_link);
		ipc_notify(IPC_NOTIFY_DEAD_NAME, d->dr_notify, d->dr_name, NULL, 0);
		kfree(d);
	}
	ipc_port_release(p); /* the receive right's reference */
}

void
ipc_port_send_add(struct ipc_port *p)
{
	spin_lock(&p->ip_lock);
	p->ip_srights++;
	p->ip_refs++;
	spin_unlock(&p->ip_lock);
}

void
ipc_port_send_release(struct ipc_port *p)
{
	mach_port_mscount_t ms = 0;

	spin_lock(&p->ip_lock);
	struct ipc_port *ns = ipc_port_send_drop_locked(p, &ms);
	spin_unlock(&p->ip_lock);
	if (ns)
		ipc_notify(IPC_NOTIFY_NO_SENDERS, ns, MACH_PORT_NULL, NULL, ms);
	ipc_port_release(p);
}

struct ipc_port *
ipc_port_send_drop_locked(struct ipc_port *p, mach_port_mscount_t *ms)
{
	struct ipc_port *ns = NULL;

	if (p->ip_srights == 0)
		panic("ipc_port_send_release: no send right");
	if (--p->ip_srights == 0 && p->ip_active && p->ip_nsrequest &&
	    p->ip_mscount >= p->ip_nssync) {
		ns = p->ip_nsrequest;
		p->ip_nsrequest = NULL;
		*ms = p->ip_mscount;
	}
	return ns;
}

void
ipc_port_sonce_release(struct ipc_port *p)
{
	spin_lock(&p->ip_lock);
	ipc_port_sonce_drop_locked(p);
	spin_unlock(&p->ip_lock);
	ipc_port_release(p);
}

void
ipc_port_sonce_drop_locked(struct ipc_port *p)
{
	if (p->ip_sorights == 0)
		panic("ipc_port_sonce_release: no send-once right");
	p->ip_sorights--;
}

struct ipc_port *
ipc_port_make_send(struct ipc_port *p)
{
	spin_lock(&p->ip_lock);
	p->ip_mscount++;
	p->ip_srights++;
	p->ip_refs++;
	spin_unlock(&p->ip_lock);
	return p;
}

struct ipc_port *
ipc_port_make_sonce(struct ipc_port *p)
{
	spin_lock(&p->ip_lock);
	p->ip_sorights++;
	p->ip_refs++;
	spin_unlock(&p->ip_lock);
	return p;
}

struct ipc_port *
ipc_port_copy_send(struct ipc_port *p)
{
	if (IPC_PORT_VALID(p))
		ipc_port_send_add(p);
	return p;
}

void
ipc_port_set_kobject(struct ipc_port *p, enum ipc_kobject_type kind, void *object)
{
	spin_lock(&p->ip_lock);
	p->ip_kotype = kind;
	p->ip_kobject = object;
	spin_unlock(&p->ip_lock);
}

bool
ipc_port_nsrequest_self(struct ipc_port *p, bool need_senders)
{
	spin_lock(&p->ip_lock);
	if (need_senders && p->ip_srights == 0) {
		spin_unlock(&p->ip_lock);
		return false;
	}
	if (!p->ip_nsrequest) {
		p->ip_sorights++; /* ipc_port_make_sonce(), under the lock already held */
		p->ip_refs++;
		p->ip_nsrequest = p;
		p->ip_nssync = p->ip_mscount;
	}
	spin_unlock(&p->ip_lock);
	return true;
}

void *
ipc_port_kobject(struct ipc_port *p, enum ipc_kobject_type a, enum ipc_kobject_type b)
{
	void *o = NULL;

	if (!IPC_PORT_VALID(p))
		return NULL;
	spin_lock(&p->ip_lock);
	if (p->ip_active && (p->ip_kotype == a || p->ip_kotype == b))
		o = p->ip_kobject;
	spin_unlock(&p->ip_lock);
	return o;
}
