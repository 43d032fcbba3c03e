// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Message queues (ipc/ipc_mqueue.h). A queued message is on its port's
 * ip_messages, in arrival order, by the queue entry in front of its
 * buffer (ipc/ipc_kmsg.h): queueing allocates nothing. Locks: the space
 * (to find the port or set a receiver names), then the set, then the port;
 * a waiter prepares its wait under them and blocks after dropping them, so
 * a wake-up in between is not lost (kern/wait.h).
 */
#include "ipc/ipc_mqueue.h"

#include "ipc/ipc_marequest.h"
#include "ipc/ipc_pset.h"
#include "kern/clock.h"
#include "kern/string.h"
#include "vm/vm_user.h"

ipc_kobject_fn *ipc_kobject_hook;
ipc_kobject_notify_fn *ipc_kobject_notify_hook;
ipc_kobject_serve_fn *ipc_kobject_serve_hook;
ipc_kobject_reply_fn *ipc_kobject_reply_hook;
long ipc_kmsg_queued;
uint64_t ipc_kmsg_queued_bytes;
uint64_t ipc_kmsg_max_bytes = UINT64_MAX;

struct ipc_port *
ipc_kmsg_dest(const struct ipc_kmsg *km)
{
	struct ipc_port *p;

	memcpy(&p, km->buf + 8, sizeof p);
	return p;
}

static mach_msg_type_name_t
dest_type(const struct ipc_kmsg *km)
{
	return MACH_MSGH_BITS_REMOTE(((const mach_msg_header_t *)km->buf)->msgh_bits);
}

/* The kernel memory a queued message was counted for (enqueue_unlock). */
static uint64_t
queued_held(struct ipc_msg_head *m)
{
	return ((struct ipc_kmsg_head *)m)->kh_held;
}

static void
queued_free(struct ipc_msg_head *m)
{
	struct ipc_kmsg km = ipc_kmsg_of_head(m);

	if (__builtin_expect(ipc_marequest_count != 0, 0))
		ipc_marequest_gone(m); /* a forced message dies unreceived: its notification */
	__atomic_sub_fetch(&ipc_kmsg_queued, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&ipc_kmsg_queued_bytes, queued_held(m), __ATOMIC_RELAXED);
	ipc_kmsg_destroy(&ipc_kernel_msg_ops, &km);
}

/* What a queued OOL region holds counts toward the bound on queued bytes. */
static uint64_t
ool_held(const void *copy)
{
	return vm_copy_held_bytes(copy);
}

void
ipc_mqueue_init(void)
{
	ipc_msg_free_hook = queued_free;
	ipc_kmsg_ool_held_hook = ool_held;
}

/* The deadline of a timed wait starting now (UINT64_MAX: none). */
static uint64_t
deadline_of(bool timed, uint64_t timeout_ns)
{
	uint64_t now;

	if (!timed)
		return UINT64_MAX;
	now = clock_monotonic_ns();
	return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

/* Blocks (prepared) until woken or the deadline: KERN_SUCCESS, KERN_TIMEDOUT, KERN_ABORTED. */
static kern_return_t
block_until(uint64_t deadline)
{
	uint64_t now;

	if (deadline == UINT64_MAX)
		return wait_block(WAIT_FOREVER);
	now = clock_monotonic_ns();
	if (now >= deadline) {
		wait_cancel();
		return KERN_TIMEDOUT;
	}
	return wait_block(deadline - now);
}

/*
 * The same for a receiver that checked its port under the port's lock
 * (held): queued on ev (interruptibly, with slot) before the lock goes.
 */
static kern_return_t
block_unlock_until(struct wait_event *ev, void *slot, struct spinlock *lock, uint64_t deadline)
{
	uint64_t now;

	if (deadline == UINT64_MAX)
		return wait_block_unlock(ev, true, slot, lock, WAIT_FOREVER);
	now = clock_monotonic_ns();
	if (now >= deadline) {
		spin_unlock(lock);
		return KERN_TIMEDOUT;
	}
	return wait_block_unlock(ev, true, slot, lock, deadline - now);
}

/*
 * A message to a kernel object: served now; its reply goes to the reply
 * port, or to *reply (buf NULL: none) when the caller takes it.
 */
static void
kobject_call(struct ipc_kmsg *km, struct ipc_kmsg *reply)
{
	struct ipc_kmsg local = {0};

	if (!reply)
		reply = &local;
	reply->buf = NULL;
	if (!ipc_kobject_hook) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, km);
		return;
	}
	ipc_kobject_hook(km, reply);
	if (reply == &local && local.buf)
		ipc_mqueue_send_kernel(&local);
}

struct handoff {
	struct ipc_port *port; /* locked */
	struct ipc_kmsg *km;
};

/* Under the scheduler's lock (wait_wake_handoff): a message that fits is the receiver's. */
static bool
give_message(void *slot, void *arg)
{
	struct ipc_rcv_slot *r = slot;
	struct handoff *h = arg;

	if (h->km->size > r->rcv_size)
		return false;
	r->km = *h->km;
	r->seqno = h->port->ip_seqno++;
	return true;
}

/*
 * A message for an empty port goes straight to a receiver waiting on it
 * or on its set, if one waits and the message fits: nothing is queued,
 * and the receiver wakes with it in hand rather than looking for it again.
 * Otherwise (a receiver that must be told MACH_RCV_TOO_LARGE, the kernel
 * waiting for an exception reply) the message is queued. p locked.
 */
static bool
handoff(struct ipc_port *p, struct ipc_kmsg *km)
{
	struct handoff h = {.port = p, .km = km};
	struct ipc_pset *ps = p->ip_pset;

	if (p->ip_msgcount)
		return false;
	return wait_wake_handoff(ps ? &ps->ps_recv_wait : &p->ip_recv_wait, give_message, &h);
}

/*
 * Appends km, counted as held bytes of kernel memory, to p (locked); wakes
 * the port's and its set's receivers after unlocking.
 */
static void
enqueue_unlock(struct ipc_port *p, struct ipc_kmsg *km, uint64_t held)
{
	struct ipc_msg_head *m = ipc_kmsg_queue_head(km);
	struct ipc_pset *ps = p->ip_pset;

	static uint64_t next_stamp;

	m->mh_size = km->size;
	((struct ipc_kmsg_head *)m)->kh_held = held;
	m->mh_stamp = __atomic_add_fetch(&next_stamp, 1, __ATOMIC_RELAXED);
	list_append(&p->ip_messages, &m->mh_link);
	p->ip_msgcount++;
	__atomic_add_fetch(&ipc_kmsg_queued, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&ipc_kmsg_queued_bytes, held, __ATOMIC_RELAXED);
	spin_unlock(&p->ip_lock);
	wait_wake(&p->ip_recv_wait);
	if (ps)
		wait_wake(&ps->ps_recv_wait);
}

/*
 * Whether queueing a message that carries receive right r on dest would
 * make a loop: r is dest, or dest is in transit in a message queued on
 * r, or further down such a chain. A loop could never be received, and
 * its ports and messages would never be freed. The walk reads other
 * ports' fields without their locks: on one CPU nothing changes them
 * meanwhile (SMP will need GNU Mach's lock-the-chain walk).
 */
static bool
makes_loop(struct ipc_port *r, void *dest)
{
	for (struct ipc_port *d = dest; d; d = d->ip_destination) {
		if (d == r)
			return true;
		if (!d->ip_active || d->ip_receiver)
			return false;
	}
	return false;
}

static bool
set_destination(struct ipc_port *r, void *dest)
{
	r->ip_destination = dest;
	return false;
}

mach_msg_return_t
ipc_mqueue_send(struct ipc_kmsg *km, mach_msg_option_t option, uint64_t timeout_ns)
{
	return ipc_mqueue_send_rpc(km, option, timeout_ns, NULL);
}

mach_msg_return_t
ipc_mqueue_send_rpc(struct ipc_kmsg *km, mach_msg_option_t option, uint64_t timeout_ns,
                    struct ipc_kmsg *reply)
{
	struct ipc_port *p = ipc_kmsg_dest(km);
	bool limited = dest_type(km) == MACH_MSG_TYPE_PORT_SEND;
	uint64_t deadline = UINT64_MAX;
	bool first = true;
	bool timed = option & MACH_SEND_TIMEOUT;

	for (;;) {
		spin_lock(&p->ip_lock);
		if (!p->ip_active) {
			/* Died since the copyin: the message is taken and dropped, as in GNU Mach.
			 */
			spin_unlock(&p->ip_lock);
			if (option & MACH_SEND_NOTIFY)
				ipc_marequest_gone(ipc_kmsg_queue_head(km));
			ipc_kmsg_destroy(&ipc_kernel_msg_ops, km);
			return MACH_MSG_SUCCESS;
		}
		if (p->ip_kotype != IKOT_NONE) {
			spin_unlock(&p->ip_lock);
			kobject_call(km, reply);
			return MACH_MSG_SUCCESS;
		}
		/*
		 * The kernel's own messages (MACH_SEND_ALWAYS) never wait, as in GNU Mach,
		 * nor does a message forced with a msg-accepted request (MACH_SEND_NOTIFY,
		 * ipc/ipc_marequest.c).
		 */
		if (!limited || p->ip_msgcount < p->ip_qlimit ||
		    (option & (MACH_SEND_ALWAYS | MACH_SEND_NOTIFY)))
			break;
		if (timed && timeout_ns == 0) {
			spin_unlock(&p->ip_lock);
			return MACH_SEND_TIMED_OUT;
		}
		if (first) {
			deadline = deadline_of(timed, timeout_ns);
			first = false;
		}
		wait_prepare(&p->ip_send_wait, true);
		spin_unlock(&p->ip_lock);
		kern_return_t kr = block_until(deadline);
		if (kr == KERN_TIMEDOUT)
			return MACH_SEND_TIMED_OUT;
		if (kr == KERN_ABORTED)
			return MACH_SEND_INTERRUPTED;
	}
	/* Kernel memory held in queues is bounded: past it, the sender is told, not the heap
	 * drained. A body's port arrays count (ipc_kmsg_held_bytes), so complex ones are walked. */
	bool complex = ((const mach_msg_header_t *)km->buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX;
	bool receive = false;
	uint64_t held = complex ? ipc_kmsg_held_bytes(km, &receive) : km->size;
	if (!(option & MACH_SEND_ALWAYS) &&
	    __atomic_load_n(&ipc_kmsg_queued_bytes, __ATOMIC_RELAXED) + held > ipc_kmsg_max_bytes) {
		spin_unlock(&p->ip_lock);
		return MACH_SEND_NO_BUFFER;
	}
	/*
	 * A message that would close a loop of receive rights is taken and
	 * destroyed, and the send succeeds, as in GNU Mach (MACH_MSGH_BITS_CIRCULAR).
	 */
	if (receive && ipc_kmsg_any_receive(km, makes_loop, p)) {
		spin_unlock(&p->ip_lock);
		if (option & MACH_SEND_NOTIFY)
			ipc_marequest_gone(ipc_kmsg_queue_head(km));
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, km);
		return MACH_MSG_SUCCESS;
	}
	if (receive)
		ipc_kmsg_any_receive(km, set_destination, p);
	/* A forced message is queued: its request is keyed by its queue entry, and the receive
	 * that takes it from there sends the notification. */
	if (!(option & MACH_SEND_NOTIFY) && handoff(p, km)) {
		spin_unlock(&p->ip_lock);
		return MACH_MSG_SUCCESS;
	}
	enqueue_unlock(p, km, held);
	return MACH_MSG_SUCCESS;
}

void
ipc_mqueue_send_kernel(struct ipc_kmsg *km)
{
	struct ipc_port *p = ipc_kmsg_dest(km);

	if (!IPC_PORT_VALID(p)) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, km);
		return;
	}
	/*
	 * A notification to a kernel object (a device port's no-senders) is
	 * not served here: that would run a server under the sender's locks.
	 * The hook queues it for a kernel thread (kern/ipc_kobject.c).
	 */
	if (p->ip_kotype != IKOT_NONE) {
		if (ipc_kobject_notify_hook)
			ipc_kobject_notify_hook(km);
		else
			ipc_kmsg_destroy(&ipc_kernel_msg_ops, km);
		return;
	}
	if (ipc_mqueue_send(km, MACH_SEND_TIMEOUT | MACH_SEND_ALWAYS, 0) != MACH_MSG_SUCCESS)
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, km);
}

/* Takes p's first message (p locked, with one). */
static void
dequeue(struct ipc_port *p, mach_msg_option_t option, mach_msg_size_t rcv_size,
        struct ipc_rcv_result *out, mach_msg_return_t *mr)
{
	struct ipc_msg_head *m = (struct ipc_msg_head *)list_first(&p->ip_messages);
	struct ipc_kmsg km = ipc_kmsg_of_head(m);

	*mr = MACH_MSG_SUCCESS;
	if (km.size > rcv_size) {
		*mr = MACH_RCV_TOO_LARGE;
		out->needed = km.size;
		if (option & MACH_RCV_LARGE)
			return;
	}
	list_remove(&m->mh_link);
	bool was_full = p->ip_msgcount >= p->ip_qlimit;
	p->ip_msgcount--;
	out->seqno = p->ip_seqno++;
	out->km = km;
	__atomic_sub_fetch(&ipc_kmsg_queued, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&ipc_kmsg_queued_bytes, queued_held(m), __ATOMIC_RELAXED);
	if (was_full)
		wait_wake(&p->ip_send_wait);
}

mach_msg_return_t
ipc_mqueue_receive(struct ipc_space *s, mach_port_name_t name, mach_msg_option_t option,
                   mach_msg_size_t rcv_size, uint64_t timeout_ns, const void *waited,
                   struct ipc_rcv_result *out)
{
	const void *object = waited;
	bool first = !waited;
	bool timed = option & MACH_RCV_TIMEOUT;
	uint64_t deadline = UINT64_MAX;

	struct ipc_rcv_slot slot = {.rcv_size = rcv_size};

	out->km.buf = NULL;
	for (;;) {
		struct wait_event *ev;
		struct ipc_port *p;
		mach_msg_return_t mr;

		spin_lock(&s->is_lock);
		struct ipc_entry *e = s->is_active ? ipc_entry_lookup(s, name) : NULL;
		mach_port_type_t type = e ? e->ie_type : 0;
		if (!(type & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET))) {
			spin_unlock(&s->is_lock);
			return first ? MACH_RCV_INVALID_NAME : MACH_RCV_PORT_DIED;
		}
		if (first)
			object = e->ie_object;
		else if (e->ie_object != object) {
			spin_unlock(&s->is_lock);
			return MACH_RCV_PORT_DIED;
		}
		if (type & MACH_PORT_TYPE_RECEIVE) {
			p = e->ie_object;
			if (p->ip_pset) {
				spin_unlock(&s->is_lock);
				return first ? MACH_RCV_IN_SET : MACH_RCV_PORT_CHANGED;
			}
			ev = &p->ip_recv_wait;
		} else {
			struct ipc_pset *ps = e->ie_object;
			p = ipc_pset_ready(ps);
			ev = &ps->ps_recv_wait;
		}
		/* A port stays locked from its check to the wait: its senders lock it. */
		bool port = type & MACH_PORT_TYPE_RECEIVE;
		if (p) {
			spin_lock(&p->ip_lock);
			if (p->ip_msgcount) {
				dequeue(p, option, rcv_size, out, &mr);
				spin_unlock(&p->ip_lock);
				spin_unlock(&s->is_lock);
				/* A forced message taken: its msg-accepted notification, now
				 * unlocked. */
				if (__builtin_expect(ipc_marequest_count != 0, 0) && out->km.buf)
					ipc_marequest_gone(ipc_kmsg_queue_head(&out->km));
				return mr;
			}
			if (!port)
				spin_unlock(&p->ip_lock);
		}
		if (timed && timeout_ns == 0) {
			if (port)
				spin_unlock(&p->ip_lock);
			spin_unlock(&s->is_lock);
			return MACH_RCV_TIMED_OUT;
		}
		if (first)
			deadline = deadline_of(timed, timeout_ns);
		first = false;
		kern_return_t kr;
		if (port) {
			spin_unlock(&s->is_lock);
			kr = block_unlock_until(ev, &slot, &p->ip_lock, deadline);
		} else {
			wait_prepare_slot(ev, true, &slot);
			spin_unlock(&s->is_lock);
			kr = block_until(deadline);
		}
		/* Given a message: it is ours, however the wait ended. */
		if (slot.km.buf) {
			out->km = slot.km;
			out->seqno = slot.seqno;
			return MACH_MSG_SUCCESS;
		}
		if (kr == KERN_TIMEDOUT)
			return MACH_RCV_TIMED_OUT;
		if (kr == KERN_ABORTED)
			return MACH_RCV_INTERRUPTED;
	}
}

bool
ipc_mqueue_rpc_ready(struct ipc_port *p)
{
	bool empty;

	spin_lock(&p->ip_lock);
	empty = p->ip_active && !p->ip_pset && !p->ip_msgcount;
	spin_unlock(&p->ip_lock);
	return empty;
}

/* How the caller's wait for its own message ended. */
static enum ipc_rpc_result
rpc_result(kern_return_t kr, const struct ipc_rcv_slot *slot)
{
	if (slot->km.buf)
		return IPC_RPC_RECEIVED;
	return kr == KERN_ABORTED ? IPC_RPC_INTERRUPTED : IPC_RPC_WOKEN;
}

enum ipc_rpc_result
ipc_mqueue_rpc(struct ipc_kmsg *km, struct ipc_port *rp, struct ipc_rcv_slot *slot)
{
	struct ipc_port *p = ipc_kmsg_dest(km);
	bool limited = dest_type(km) == MACH_MSG_TYPE_PORT_SEND;
	bool given;

	spin_lock(&p->ip_lock);
	/* Anything ipc_mqueue_send() would wait for, refuse or treat apart is its to do. */
	if (!p->ip_active || p->ip_kotype != IKOT_NONE ||
	    (limited && p->ip_msgcount >= p->ip_qlimit) ||
	    __atomic_load_n(&ipc_kmsg_queued_bytes, __ATOMIC_RELAXED) + km->size >
	        ipc_kmsg_max_bytes) {
		spin_unlock(&p->ip_lock);
		return IPC_RPC_NOT_SENT;
	}
	/*
	 * The caller's wait on rp is queued here, under the scheduler's lock
	 * the hand-over takes anyway, not when rp was found empty (under the
	 * space's lock, ipc_mqueue_rpc_ready). One CPU: in between, nothing
	 * runs that could send to rp or destroy it (the kernel is not
	 * preemptible, and no interrupt handler sends a message). SMP: a
	 * sender on another CPU could queue a message on rp meanwhile, which
	 * the caller would then wait behind; rp must be checked again after
	 * the caller is queued (ending its wait, IPC_RPC_WOKEN, if not empty).
	 */
	struct handoff h = {.port = p, .km = km};
	struct ipc_pset *ps = p->ip_pset;
	struct wait_event *ev = p->ip_msgcount ? NULL : ps ? &ps->ps_recv_wait : &p->ip_recv_wait;
	if (ev) {
		kern_return_t kr = wait_handoff_block(&rp->ip_recv_wait, slot, ev, give_message, &h,
		                                      &p->ip_lock, &given);
		if (given)
			return rpc_result(kr, slot);
	} else {
		wait_prepare_slot(&rp->ip_recv_wait, true, slot);
	}
	enqueue_unlock(p, km, km->size);
	return rpc_result(wait_block(WAIT_FOREVER), slot);
}

mach_msg_return_t
ipc_mqueue_receive_kernel(struct ipc_port *p, struct ipc_kmsg *out)
{
	struct ipc_rcv_result r;
	mach_msg_return_t mr;

	for (;;) {
		spin_lock(&p->ip_lock);
		if (p->ip_msgcount) {
			dequeue(p, 0, IPC_KMSG_MAX_SIZE, &r, &mr);
			spin_unlock(&p->ip_lock);
			if (__builtin_expect(ipc_marequest_count != 0, 0) && r.km.buf)
				ipc_marequest_gone(ipc_kmsg_queue_head(&r.km));
			*out = r.km;
			return mr;
		}
		if (!p->ip_active) {
			spin_unlock(&p->ip_lock);
			return MACH_RCV_PORT_DIED;
		}
		wait_prepare(&p->ip_recv_wait, true);
		spin_unlock(&p->ip_lock);
		if (wait_block(WAIT_FOREVER) == KERN_ABORTED)
			return MACH_RCV_INTERRUPTED;
	}
}
