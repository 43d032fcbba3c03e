/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device/net_filter_list.h: the filters set on one network interface by
 * device_set_filter, in the order frames meet them, and which ports a
 * frame goes to.
 *
 * Each filter belongs to a receive port (a send right the list holds on
 * the port's behalf, opaque here). Setting a filter for a port replaces
 * the one it had. Session filters (BPF with RET|MATCH_IMM, see
 * device/net_filter.h) of the same program and priority share one entry,
 * which keeps the ports by their keys.
 *
 * Order: by priority, highest first, and in the order they were set among
 * equals. A frame goes to every port whose filter accepts it, except that
 * a filter of priority NET_HI_PRI (100) or more that takes the frame ends
 * the walk. GNU Mach 2025 means the same (its net_set_filter looks for the
 * place by priority) but appends every filter at the end of the list, so
 * its frames meet filters in the order they were set; vmach keeps the
 * order the priorities ask for (docs/net-filters.md).
 *
 * No locks: the caller serialises every call on one list. Entries are
 * kmalloc()ed; none is made or freed while frames are delivered.
 */
#ifndef DEVICE_NET_FILTER_LIST_H
#define DEVICE_NET_FILTER_LIST_H

#include "device/net_filter.h"

/* The most filters one interface keeps, and sessions one entry keeps: a
 * task setting more gets D_NO_MEMORY (GNU Mach's answer when its session
 * tables are full) rather than kernel memory without bound. */
#define NET_FILTERS_MAX 64
#define NET_SESSIONS_MAX 1024
#define NET_SESSION_BUCKETS 32

struct net_session {
	struct net_session *ns_next; /* in its bucket */
	void *ns_port;
	uint32_t ns_keys[NET_FILTER_KEYS];
};

struct net_filter_entry {
	struct net_filter_entry *fe_next; /* in delivery order */
	int fe_priority;
	void *fe_port; /* a plain filter's port; NULL for a session filter */
	unsigned fe_nsessions;
	struct net_session **fe_buckets; /* a session filter's, NET_SESSION_BUCKETS */
	uint64_t fe_frames;              /* frames it took */
	struct net_filter fe_filter;
};

/* What became of a frame offered to a port. */
enum net_deliver_result {
	NET_DELIVERED,
	NET_DROPPED,   /* the port's queue was full: counted, not delivered */
	NET_PORT_DEAD, /* the port is gone: its filters are removed */
};

/* Hand a frame (count bytes of the packet, packet_header included) to port. */
typedef enum net_deliver_result net_deliver_fn(void *arg, void *port, unsigned count);
/* Drop the send right the list held for port. */
typedef void net_port_release_fn(void *port);

struct net_filter_list {
	struct net_filter_entry *fl_head;
	unsigned fl_count;
	net_port_release_fn *fl_release;
	uint64_t fl_dropped; /* frames a full port queue lost */
};

void net_filter_list_init(struct net_filter_list *l, net_port_release_fn *release);

/*
 * Set port's filter (words[0..count), priority): D_SUCCESS, and the list
 * keeps port (its right is the list's now; any filter port had before is
 * removed, its right released). D_INVALID_OPERATION (net_filter_load's
 * refusals): nothing changed. D_NO_MEMORY (a limit above, or no memory):
 * port's earlier filter is gone all the same, as on GNU Mach. On an error
 * the right passed stays the caller's.
 */
io_return_t net_filter_list_set(struct net_filter_list *l, void *port, int priority,
                                const filter_t *words, unsigned count);

/* Remove every filter of port (it died, or its task closed it). */
void net_filter_list_remove_port(struct net_filter_list *l, void *port);

/* Remove every filter (the interface goes away). */
void net_filter_list_clear(struct net_filter_list *l);

/*
 * Offer a frame that went dir (NETF_IN received, NETF_OUT sent) to the
 * filters: deliver(arg, port, count) for each port that takes it; ports
 * found dead are removed afterwards. Returns the number of ports that got
 * the frame.
 */
unsigned net_filter_list_deliver(struct net_filter_list *l, const struct net_frame *fr,
                                 unsigned dir, net_deliver_fn *deliver, void *arg);

#endif
