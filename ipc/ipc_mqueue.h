/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message queues: kernel messages (ipc/ipc_kmsg.h, in their kernel form)
 * queued on ports, with senders blocking on a full queue and receivers on
 * an empty port or port set (docs/ipc.md "Queues").
 *
 * A message to a port the kernel receives on (ip_kotype != IKOT_NONE)
 * goes to ipc_kobject_hook at once, on the sender's thread, and the reply
 * it makes is queued on the request's reply port.
 */
#ifndef IPC_IPC_MQUEUE_H
#define IPC_IPC_MQUEUE_H

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_space.h"

/*
 * The kernel's message ops with no space or map: what destroying or
 * queueing a kernel-form message needs (ipc/mach_msg.c).
 */
extern const struct ipc_msg_ops ipc_kernel_msg_ops;

/*
 * A message to a kernel object: consumes req (its rights and memory) and
 * returns the reply in kernel form in *reply (buf NULL: no reply).
 */
typedef void ipc_kobject_fn(struct ipc_kmsg *req, struct ipc_kmsg *reply);
extern ipc_kobject_fn *ipc_kobject_hook;
/*
 * Its two halves, for mach_msg's kernel RPC path (ipc/mach_msg_kobject.c).
 * ipc_kobject_serve_hook: the routine's reply to in (a request without a
 * body in kernel form, its destination's send right the caller's, not
 * consumed; its reply right moves into the reply) as MIG wrote it into
 * out (room for the largest reply, kern/ipc_kobject.c); returns the
 * routine's outcome (MIG_NO_REPLY: no reply to send).
 * ipc_kobject_reply_hook: such a reply (consumed, in a buffer of
 * IPC_KMSG_LARGE_ALLOC bytes, ipc/ipc_kmsg_cache.h) in kernel form in
 * *reply, as ipc_kobject_hook gives it (buf NULL: none).
 */
/*
 * A kernel message (a notification) to a kernel object's port: the hook
 * consumes km, and only queues it (it may be called under a space's or
 * port's lock). Without a hook the message is destroyed.
 */
typedef void ipc_kobject_notify_fn(struct ipc_kmsg *km);
extern ipc_kobject_notify_fn *ipc_kobject_notify_hook;
typedef kern_return_t ipc_kobject_serve_fn(mach_msg_header_t *in, mach_msg_header_t *out);
extern ipc_kobject_serve_fn *ipc_kobject_serve_hook;
typedef void ipc_kobject_reply_fn(struct ipc_kmsg *out, struct ipc_kmsg *reply);
extern ipc_kobject_reply_fn *ipc_kobject_reply_hook;

/*
 * Whether a thread waits to receive on p itself (p locked; receivers join
 * the wait under the port's lock, so none can start meanwhile). A kernel
 * RPC's reply is then that thread's, as GNU Mach's kernel RPC path leaves
 * it, not the caller's.
 */
static inline bool
ipc_mqueue_receiver_waiting(const struct ipc_port *p)
{
	const struct list_node *w = &p->ip_recv_wait.we_waiters;

	return __atomic_load_n(&w->ln_next, __ATOMIC_RELAXED) && !list_empty(w);
}

/*
 * Whether a kernel object's reply for p may skip p's queue and go
 * straight to a caller about to receive on p (space locked): rcv_name
 * still names p's receive right in space, and p is alive, outside any
 * set, with nothing queued before the reply and no other receiver
 * waiting. True with p locked (the caller takes the sequence number and
 * unlocks); false with p as it was. reply_delivered (ipc/mach_msg.c)
 * asks; the kernel RPC path (ipc/mach_msg_kobject.c) asks the same of the
 * port alone.
 */
static inline bool
ipc_mqueue_lock_reply_direct(struct ipc_space *space, mach_port_name_t rcv_name,
                             struct ipc_port *p)
{
	const struct ipc_entry *e = space->is_active ? ipc_entry_lookup(space, rcv_name) : NULL;

	/* The entry first: p may be no port at all (a dead reply destination). */
	if (!e || !(e->ie_type & MACH_PORT_TYPE_RECEIVE) || e->ie_object != p)
		return false;
	spin_lock(&p->ip_lock);
	if (p->ip_active && !p->ip_pset && !p->ip_msgcount && !ipc_mqueue_receiver_waiting(p))
		return true;
	spin_unlock(&p->ip_lock);
	return false;
}

/* The port a kernel-form message goes to (header slot 8). */
struct ipc_port *ipc_kmsg_dest(const struct ipc_kmsg *km);

/*
 * Queues km (kernel form, consumed on success) on its destination. A full
 * queue blocks a send right's sender (never a send-once right's) until
 * there is room, the timeout (with MACH_SEND_TIMEOUT in option) or an
 * abort: MACH_SEND_TIMED_OUT or MACH_SEND_INTERRUPTED, km still the
 * caller's. A dead destination takes the message and destroys it.
 * MACH_SEND_NO_BUFFER past ipc_kmsg_max_bytes. MACH_SEND_ALWAYS in option
 * (the kernel's own messages) passes both the queue limit and that bound.
 */
mach_msg_return_t ipc_mqueue_send(struct ipc_kmsg *km, mach_msg_option_t option,
                                  uint64_t timeout_ns);
/*
 * The same, but a kernel object's reply, rather than being queued on its
 * reply port, is left in *reply (buf NULL: there was none) for the caller
 * to deliver or to queue with ipc_mqueue_send_kernel(): mach_msg's RPC
 * hands it straight to a caller waiting for it.
 */
mach_msg_return_t ipc_mqueue_send_rpc(struct ipc_kmsg *km, mach_msg_option_t option,
                                      uint64_t timeout_ns, struct ipc_kmsg *reply);
/* A message the kernel makes (notification, reply): never blocks; destroyed if not queued. */
void ipc_mqueue_send_kernel(struct ipc_kmsg *km);

/*
 * Takes the first message of the port or port set that name denotes in s,
 * waiting (MACH_RCV_TIMEOUT: at most timeout_ns; interruptible). *km gets
 * the message, *seqno its sequence number. A message larger than rcv_size: with
 * MACH_RCV_LARGE it stays queued and *needed gets its size; without, it is
 * taken (the caller reports its header and destroys it). Either way
 * MACH_RCV_TOO_LARGE. Errors: MACH_RCV_INVALID_NAME, MACH_RCV_IN_SET,
 * MACH_RCV_TIMED_OUT, MACH_RCV_INTERRUPTED, MACH_RCV_PORT_DIED,
 * MACH_RCV_PORT_CHANGED. waited: NULL, or the port or set the caller has
 * already waited on under name (the RPC path): a name that no longer
 * denotes it is then MACH_RCV_PORT_DIED.
 */
struct ipc_rcv_result {
	struct ipc_kmsg km;
	mach_port_seqno_t seqno;
	mach_msg_size_t needed;
};
mach_msg_return_t ipc_mqueue_receive(struct ipc_space *s, mach_port_name_t name,
                                     mach_msg_option_t option, mach_msg_size_t rcv_size,
                                     uint64_t timeout_ns, const void *waited,
                                     struct ipc_rcv_result *out);

/*
 * Where a receiver that waits is handed a message that fits rcv_size,
 * rather than finding it queued (buf set: given, with its seqno).
 */
struct ipc_rcv_slot {
	mach_msg_size_t rcv_size;
	struct ipc_kmsg km;
	mach_port_seqno_t seqno;
};

/*
 * mach_msg's RPC, in two steps (ipc/mach_msg.c's fast path).
 * ipc_mqueue_rpc_ready(), with the space locked: whether p, the receive
 * right the caller will receive on, is alive, outside any set and empty.
 * ipc_mqueue_rpc(): then km, a message without a body in kernel form, is
 * sent as ipc_mqueue_send(km, 0, 0) would send it, and the caller waits
 * on rp, interruptibly, into slot (its wait queued in the same hold of
 * the scheduler's lock as the hand-over). When a receiver waits for km,
 * the CPU goes straight to it. Returns IPC_RPC_RECEIVED (slot holds the
 * caller's message), IPC_RPC_WOKEN (woken without one: receive again,
 * ipc_mqueue_receive() with waited = rp), IPC_RPC_INTERRUPTED
 * (thread_abort), or IPC_RPC_NOT_SENT: km could not go without waiting,
 * or needs what ipc_mqueue_send() does apart (a kernel object, a dead
 * port, the queued-bytes bound); km is untouched and the caller never
 * waited, slot empty.
 */
enum ipc_rpc_result {
	IPC_RPC_RECEIVED,
	IPC_RPC_WOKEN,
	IPC_RPC_INTERRUPTED,
	IPC_RPC_NOT_SENT,
};
bool ipc_mqueue_rpc_ready(struct ipc_port *p);
enum ipc_rpc_result ipc_mqueue_rpc(struct ipc_kmsg *km, struct ipc_port *rp,
                                   struct ipc_rcv_slot *slot);

/*
 * The kernel receiving on a port it holds outside any space (the reply
 * port of an exception message): waits, interruptibly, for its first
 * message. MACH_RCV_INTERRUPTED, MACH_RCV_PORT_DIED.
 */
mach_msg_return_t ipc_mqueue_receive_kernel(struct ipc_port *p, struct ipc_kmsg *out);

/* Frees the queue entry of a message a dying port still held (ipc_msg_free_hook). */
void ipc_mqueue_init(void);

/* Messages queued now, all ports together (leak checks), and their bytes. */
extern long ipc_kmsg_queued;
extern uint64_t ipc_kmsg_queued_bytes;
/*
 * The most bytes of messages sent by tasks that may wait in queues (sized
 * from memory at boot); a send past it gets MACH_SEND_NO_BUFFER. The
 * kernel's own messages (replies, notifications) are not refused.
 */
extern uint64_t ipc_kmsg_max_bytes;

#endif
