// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device/net_filter_list.c: one interface's filters, in delivery order,
 * with the sessions of session filters hashed by their keys (see
 * device/net_filter_list.h).
 */
#include "device/net_filter_list.h"

#include "kern/kmalloc.h"
#include "kern/string.h"

/* Keys to a bucket: their sum, as GNU Mach's bpf_hash. */
static unsigned
bucket_of(const uint32_t *keys, unsigned n)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i < n; i++)
		sum += keys[i];
	return sum % NET_SESSION_BUCKETS;
}

static void
entry_free(struct net_filter_list *l, struct net_filter_entry *e)
{
	if (e->fe_buckets) {
		for (unsigned b = 0; b < NET_SESSION_BUCKETS; b++) {
			struct net_session *s = e->fe_buckets[b], *next;

			for (; s; s = next) {
				next = s->ns_next;
				l->fl_release(s->ns_port);
				kfree(s);
			}
		}
		kfree(e->fe_buckets);
	}
	if (e->fe_port)
		l->fl_release(e->fe_port);
	kfree(e);
}

/* Remove port's sessions from e: whether e has none left. */
static bool
sessions_drop_port(struct net_filter_list *l, struct net_filter_entry *e, void *port)
{
	for (unsigned b = 0; b < NET_SESSION_BUCKETS; b++) {
		struct net_session **link = &e->fe_buckets[b], *s;

		while ((s = *link)) {
			if (s->ns_port != port) {
				link = &s->ns_next;
				continue;
			}
			*link = s->ns_next;
			l->fl_release(s->ns_port);
			kfree(s);
			e->fe_nsessions--;
		}
	}
	return e->fe_nsessions == 0;
}

void
net_filter_list_init(struct net_filter_list *l, net_port_release_fn *release)
{
	memset(l, 0, sizeof(*l));
	l->fl_release = release;
}

void
net_filter_list_remove_port(struct net_filter_list *l, void *port)
{
	struct net_filter_entry **link = &l->fl_head, *e;

	while ((e = *link)) {
		bool gone = e->fe_port ? e->fe_port == port : sessions_drop_port(l, e, port);

		if (!gone) {
			link = &e->fe_next;
			continue;
		}
		*link = e->fe_next;
		l->fl_count--;
		entry_free(l, e);
	}
}

void
net_filter_list_clear(struct net_filter_list *l)
{
	struct net_filter_entry *e, *next;

	for (e = l->fl_head; e; e = next) {
		next = e->fe_next;
		entry_free(l, e);
	}
	l->fl_head = NULL;
	l->fl_count = 0;
}

/* Link e after every entry of its priority or higher. */
static void
entry_insert(struct net_filter_list *l, struct net_filter_entry *e)
{
	struct net_filter_entry **link = &l->fl_head;

	while (*link && (*link)->fe_priority >= e->fe_priority)
		link = &(*link)->fe_next;
	e->fe_next = *link;
	*link = e;
	l->fl_count++;
}

/* The session filter running the same program at the same priority. */
static struct net_filter_entry *
session_entry_find(struct net_filter_list *l, const struct net_filter *f, int priority)
{
	for (struct net_filter_entry *e = l->fl_head; e; e = e->fe_next)
		if (e->fe_buckets && e->fe_priority == priority &&
		    net_filter_same_program(&e->fe_filter, f))
			return e;
	return NULL;
}

io_return_t
net_filter_list_set(struct net_filter_list *l, void *port, int priority, const filter_t *words,
                    unsigned count)
{
	struct net_filter_entry *e = kzalloc(sizeof(*e)), *shared;
	struct net_session *s = NULL;
	io_return_t rc;

	if (!e)
		return D_NO_MEMORY;
	rc = net_filter_load(&e->fe_filter, words, count);
	if (rc != D_SUCCESS) {
		kfree(e);
		return rc;
	}
	e->fe_priority = priority;
	if (e->fe_filter.nf_nkeys && !(s = kzalloc(sizeof(*s)))) {
		kfree(e);
		return D_NO_MEMORY;
	}
	/* Whatever port set before goes, so a full list may have room after. */
	net_filter_list_remove_port(l, port);

	if (!s) {
		if (l->fl_count >= NET_FILTERS_MAX)
			goto full;
		e->fe_port = port;
		entry_insert(l, e);
		return D_SUCCESS;
	}
	s->ns_port = port;
	memcpy(s->ns_keys, e->fe_filter.nf_keys, sizeof(s->ns_keys));
	shared = session_entry_find(l, &e->fe_filter, priority);
	if (shared) {
		kfree(e);
		e = shared;
		if (e->fe_nsessions >= NET_SESSIONS_MAX) {
			kfree(s);
			return D_NO_MEMORY;
		}
	} else {
		if (l->fl_count >= NET_FILTERS_MAX)
			goto full;
		e->fe_buckets = kzalloc(NET_SESSION_BUCKETS * sizeof(*e->fe_buckets));
		if (!e->fe_buckets)
			goto full;
		entry_insert(l, e);
	}
	unsigned b = bucket_of(s->ns_keys, e->fe_filter.nf_nkeys);

	s->ns_next = e->fe_buckets[b];
	e->fe_buckets[b] = s;
	e->fe_nsessions++;
	return D_SUCCESS;
full:
	kfree(s);
	kfree(e);
	return D_NO_MEMORY;
}

/* The port of the session whose keys v carries, or NULL. */
static void *
session_port(const struct net_filter_entry *e, const struct net_filter_verdict *v)
{
	unsigned n = e->fe_filter.nf_nkeys;

	for (const struct net_session *s = e->fe_buckets[bucket_of(v->nv_keys, n)]; s;
	     s = s->ns_next)
		if (!memcmp(s->ns_keys, v->nv_keys, n * sizeof(v->nv_keys[0])))
			return s->ns_port;
	return NULL;
}

/* Ports found dead during one delivery, removed once it is over. */
#define DEAD_MAX 8

unsigned
net_filter_list_deliver(struct net_filter_list *l, const struct net_frame *fr, unsigned dir,
                        net_deliver_fn *deliver, void *arg)
{
	void *dead[DEAD_MAX];
	unsigned ndead = 0, delivered = 0;

	for (struct net_filter_entry *e = l->fl_head; e; e = e->fe_next) {
		struct net_filter_verdict v;
		void *port;

		if (!(e->fe_filter.nf_flags & dir))
			continue;
		net_filter_run(&e->fe_filter, fr, &v);
		if (!v.nv_count)
			continue;
		port = v.nv_match ? session_port(e, &v) : e->fe_port;
		if (!port)
			continue;
		e->fe_frames++;
		switch (deliver(arg, port, v.nv_count)) {
		case NET_DELIVERED:
			delivered++;
			break;
		case NET_DROPPED:
			l->fl_dropped++;
			break;
		case NET_PORT_DEAD:
			if (ndead < DEAD_MAX)
				dead[ndead++] = port;
			break;
		}
		if (e->fe_priority >= NET_HI_PRI)
			break;
	}
	/* Those past DEAD_MAX are found again by a later frame. */
	while (ndead)
		net_filter_list_remove_port(l, dead[--ndead]);
	return delivered;
}
