/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A port: a message queue with one receive right and counted send and
 * send-once rights (docs/ipc.md). Machine independent: host tests run it.
 * Lock: ip_lock (LOCK_RANK_IPC_PORT), taken under the space lock.
 */
#ifndef IPC_IPC_PORT_H
#define IPC_IPC_PORT_H

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/list.h"
#include "kern/spinlock.h"
#include "kern/wait.h"

struct ipc_space;
struct ipc_pset;

/* The head of a queued message: the message layer embeds it. */
struct ipc_msg_head {
	struct list_node mh_link;
	size_t mh_size;
	uint64_t mh_stamp; /* arrival order across ports: a set gives its oldest first */
};

/* Frees a message still queued on a port that dies (the message layer's). */
typedef void ipc_msg_free_fn(struct ipc_msg_head *m);
extern ipc_msg_free_fn *ipc_msg_free_hook;

/* Kernel objects a port may stand for. */
enum ipc_kobject_type {
	IKOT_NONE = 0,
	IKOT_TASK,
	IKOT_THREAD,
	IKOT_HOST,
	IKOT_HOST_PRIV,
	IKOT_MASTER_DEVICE,
	IKOT_DEVICE,
	IKOT_PROCESSOR,
	IKOT_PSET,
	IKOT_PSET_NAME,
	IKOT_PAGER /* a memory object the kernel serves (kern/kpager.h) */
};

/* A dead-name (or port-deleted) request of one name in one space. */
struct ipc_dnrequest {
	struct list_node dr_link;
	struct ipc_space *dr_space;
	mach_port_name_t dr_name;
	struct ipc_port *dr_notify; /* a send-once right */
};

struct ipc_port {
	struct spinlock ip_lock;
	unsigned ip_refs;
	bool ip_active;                /* false once the receive right is destroyed */
	struct ipc_space *ip_receiver; /* NULL: in transit (or dead) */
	/*
	 * In transit: the port whose queue holds the message that carries
	 * this receive right (set when it is queued, ipc/ipc_mqueue.c), else
	 * NULL; cleared whenever the right gets a receiver again. Followed
	 * only while the port is active and in transit.
	 */
	struct ipc_port *ip_destination;
	mach_port_name_t ip_receiver_name;
	unsigned ip_srights, ip_sorights;
	mach_port_mscount_t ip_mscount;
	mach_port_seqno_t ip_seqno;
	mach_port_msgcount_t ip_qlimit, ip_msgcount;
	struct list_node ip_messages;
	struct wait_event ip_recv_wait, ip_send_wait;
	enum ipc_kobject_type ip_kotype;
	void *ip_kobject;
	bool ip_has_payload;
	unsigned long ip_payload;
	struct ipc_pset *ip_pset;
	struct list_node ip_pset_link;
	struct ipc_port *ip_nsrequest; /* send-once, or NULL */
	mach_port_mscount_t ip_nssync;
	struct ipc_port *ip_pdrequest; /* send-once, or NULL */
	struct list_node ip_dnrequests;
};

/* Stands for a dead port in right transfers (MACH_PORT_DEAD in a message). */
#define IPC_PORT_DEAD ((struct ipc_port *)-1)
#define IPC_PORT_VALID(p) ((p) != NULL && (p) != IPC_PORT_DEAD)

/* Notifications: recorded here, sent by the message layer's hook. */
enum ipc_notify_kind {
	IPC_NOTIFY_PORT_DELETED = MACH_NOTIFY_PORT_DELETED,
	IPC_NOTIFY_PORT_DESTROYED = MACH_NOTIFY_PORT_DESTROYED,
	IPC_NOTIFY_NO_SENDERS = MACH_NOTIFY_NO_SENDERS,
	IPC_NOTIFY_SEND_ONCE = MACH_NOTIFY_SEND_ONCE,
	IPC_NOTIFY_DEAD_NAME = MACH_NOTIFY_DEAD_NAME,
	IPC_NOTIFY_MSG_ACCEPTED = MACH_NOTIFY_MSG_ACCEPTED,
};
/*
 * Sends notification kind to notify (a send-once right the hook consumes).
 * name: the name (dead-name, port-deleted); port: the receive right handed
 * over (port-destroyed: a reference the hook consumes) or NULL; mscount:
 * no-senders. With no hook, the right is just released.
 */
typedef void ipc_notify_fn(enum ipc_notify_kind kind, struct ipc_port *notify,
                           mach_port_name_t name, struct ipc_port *port,
                           mach_port_mscount_t mscount);
extern ipc_notify_fn *ipc_notify_hook;
void ipc_notify(enum ipc_notify_kind kind, struct ipc_port *notify, mach_port_name_t name,
                struct ipc_port *port, mach_port_mscount_t mscount);

/*
 * References: every right owns one (the receive right, each space entry's
 * send right, each send-once right, each right in a message) and so does
 * every other holder of a pointer. A new port comes with one reference, the
 * receive right's, and no receiver; NULL if out of memory.
 */
struct ipc_port *ipc_port_alloc(void);
void ipc_port_ref(struct ipc_port *p);
void ipc_port_release(struct ipc_port *p);
/*
 * The receive right is gone (consumes its reference): queued messages
 * freed, dead-name requests answered; or, with a port-destroyed request,
 * the receive right handed to that request's notification instead.
 */
void ipc_port_destroy(struct ipc_port *p);
/* Send rights: the counts the no-senders notification follows. */
void ipc_port_send_add(struct ipc_port *p);      /* a new send right (+1 ref) */
void ipc_port_send_release(struct ipc_port *p);  /* a send right gone (-1 ref) */
void ipc_port_sonce_release(struct ipc_port *p); /* a send-once right gone unused (-1 ref) */
/*
 * The count halves of the two, for a caller that holds p's lock anyway:
 * ipc_port_send_drop_locked() answers the no-senders request's port to
 * notify (with *ms, the make-send count), or NULL; then, unlocked, the
 * notification (ipc_notify) and ipc_port_release() are the caller's.
 */
struct ipc_port *ipc_port_send_drop_locked(struct ipc_port *p, mach_port_mscount_t *ms);
void ipc_port_sonce_drop_locked(struct ipc_port *p);
/* A new send right made from the receive right (the make-send count goes up); p returned. */
struct ipc_port *ipc_port_make_send(struct ipc_port *p);
/* Another send right beside one held; NULL and IPC_PORT_DEAD pass through. */
struct ipc_port *ipc_port_copy_send(struct ipc_port *p);
/* A new send-once right to p (the kernel holds its receive right or a reference). */
struct ipc_port *ipc_port_make_sonce(struct ipc_port *p);
/*
 * The kernel's own no-senders request on a port whose receive right it
 * holds (a device port): a send-once right to p itself, so that the
 * notification comes back to p's kernel object (ipc_kobject_notify_hook).
 * It fires when the last send right goes. Unless one is armed already, it
 * is armed; with need_senders, only if p has send rights now: false
 * means it has none (the caller acts as if it had fired).
 */
bool ipc_port_nsrequest_self(struct ipc_port *p, bool need_senders);
/* Binds a port the kernel receives on to an object (kind IKOT_NONE: unbinds it). */
void ipc_port_set_kobject(struct ipc_port *p, enum ipc_kobject_type kind, void *object);
/* The object of a live port of kind a or b (no reference taken: host-lifetime objects), or NULL. */
void *ipc_port_kobject(struct ipc_port *p, enum ipc_kobject_type a, enum ipc_kobject_type b);
/* Ports alive now (leak checks), and the most there may be (sized from memory at boot). */
extern long ipc_port_count;
extern long ipc_port_max;

#endif
