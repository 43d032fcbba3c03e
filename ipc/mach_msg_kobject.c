// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mach_msg's kernel RPC path (ipc/mach_msg_kobject.h, docs/ipc.md "The
 * kernel RPC path"): a request to a kernel object, its rights already
 * taken (ipc/mach_msg.c's rpc_fast), served by the MIG stub into a reply
 * buffer, and the reply, when it is simple and can go nowhere but to the
 * caller, written out as the caller's receive would write it: its header
 * turned round with the reply port's name (or protected payload) and the
 * next sequence number, in one copy, without a kernel message made of it,
 * queued or taken.
 *
 * Whether the reply can go straight to the caller is decided after the
 * routine ran (it may have blocked, or changed the caller's space): the
 * reply port must still be the receive right named rcv_name, outside any
 * set, with nothing queued before the reply and no other thread waiting
 * on it (which GNU Mach gives the reply to), and the reply must fit the
 * receive buffer. Otherwise the reply is made a kernel message, as the
 * general path makes it, and the caller's receive takes it the general way
 * (queued first messages first, MACH_RCV_TOO_LARGE, a port set, a port
 * that died).
 *
 * The destination's send right is borrowed from the caller's entry, not
 * copied: the request holds a reference to the port only. Nothing can
 * see a kernel port's send count (only the holder of a receive right can
 * ask for it or for a no-senders notification, and the kernel holds every
 * kernel port's receive right), so the counts seen are the general
 * path's. The reply's send-once right is made, as the general path makes
 * it: the reply port's status shows it during the call.
 */
#include "ipc/mach_msg_kobject.h"

#include <mach/mig_errors.h>

#include "ipc/ipc_kmsg_cache.h"
#include "kern/cpu.h"
#include "x86_64/machine.h"

/*
 * The reply MIG prepared (kern/ipc_kobject.c's reply_init), unchanged but
 * for its size, which fits the reply buffer (else the general path logs
 * and drops it) and the receive buffer.
 */
static bool
reply_simple(const mach_msg_header_t *h, mach_msg_size_t size, struct ipc_port *rp,
             mach_msg_size_t rcv_size)
{
	struct ipc_port *remote;

	memcpy(&remote, (const uint8_t *)h + 8, sizeof remote);
	return h->msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0) && remote == rp &&
	       size >= sizeof *h && !(size & 3) && size <= rcv_size &&
	       size <= IPC_KMSG_LARGE_ALLOC - IPC_KMSG_HEAD_SIZE;
}

/*
 * Takes the reply's place at the head of rp's queue when rp is still the
 * receive right rcv_name names, alone (no set, nothing queued, no other
 * receiver waiting): the sequence number is used, the reply's send-once
 * right used up, and *local / *local_type are what the receiver sees as
 * the destination. Where the receive right is, the port's own fields say,
 * under its lock: ipc/ipc_right.c sets ip_receiver and ip_receiver_name
 * with the entry, in the same hold of the space's lock, and a space's end
 * clears them (ipc_mqueue_lock_reply_direct's test, without the space).
 */
static bool
reply_claim(struct ipc_space *space, struct ipc_port *rp, mach_port_name_t rcv_name,
            mach_port_seqno_t *seqno, uint64_t *local, mach_msg_type_name_t *local_type)
{
	spin_lock(&rp->ip_lock);
	if (!rp->ip_active || rp->ip_receiver != space || rp->ip_receiver_name != rcv_name ||
	    rp->ip_pset || rp->ip_msgcount || ipc_mqueue_receiver_waiting(rp)) {
		spin_unlock(&rp->ip_lock);
		return false;
	}
	*seqno = rp->ip_seqno++;
	if (rp->ip_has_payload) {
		*local = rp->ip_payload;
		*local_type = MACH_MSG_TYPE_PROTECTED_PAYLOAD;
	} else {
		*local = rcv_name;
		*local_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	/* The send-once right, used (no notification). Its reference is not the last: the
	 * receive right holds one. */
	rp->ip_sorights--;
	__atomic_sub_fetch(&rp->ip_refs, 1, __ATOMIC_RELAXED);
	spin_unlock(&rp->ip_lock);
	return true;
}

/*
 * One reply buffer per CPU (IPC_KMSG_LARGE_ALLOC bytes, a stash buffer),
 * kept between calls: taken and given back with no class to compute. A
 * call that blocks in its routine holds it; the next call on that CPU
 * then takes one from the stash. Same assumptions as the stash (one
 * CPU's, not preemptible, no interrupt handler makes a message).
 */
static void *reply_bufs[MAX_CPUS];

static inline void *
reply_buf_take(void)
{
	void **slot = &reply_bufs[cpu_self()->cpu_index];
	void *mem = *slot;

	if (__builtin_expect(mem != NULL, 1)) {
		*slot = NULL;
		return mem;
	}
	return ipc_kmsg_cache_alloc(IPC_KMSG_LARGE_ALLOC);
}

static inline void
reply_buf_give(void *mem)
{
	void **slot = &reply_bufs[cpu_self()->cpu_index];

	if (__builtin_expect(*slot == NULL, 1))
		*slot = mem;
	else
		ipc_kmsg_cache_free(mem, IPC_KMSG_LARGE_ALLOC);
}

mach_msg_return_t
ipc_kobject_rpc(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km,
                mach_msg_bits_t bits, struct ipc_port *dest, struct ipc_port *rp, uint64_t msg,
                mach_msg_size_t rcv_size, mach_port_name_t rcv_name)
{
	struct ipc_kmsg out, reply;

	spin_lock(&dest->ip_lock);
	/* No kernel servers linked (kobject_call's case, ipc/ipc_mqueue.c): the general path. */
	if (!dest->ip_active || dest->ip_kotype == IKOT_NONE || !ipc_kobject_serve_hook) {
		spin_unlock(&dest->ip_lock);
		spin_unlock(&space->is_lock);
		return RPC_DECLINED;
	}
	/* The send right is borrowed, not copied (the file's comment): a reference only. */
	dest->ip_refs++;
	spin_unlock(&dest->ip_lock);
	/* The receive right is in space (locked): rp is alive. */
	spin_lock(&rp->ip_lock);
	rp->ip_sorights++;
	rp->ip_refs++;
	spin_unlock(&rp->ip_lock);
	spin_unlock(&space->is_lock);
	/* The request in kernel form (ipc_kmsg_header_finish's, for these two rights). */
	mach_msg_header_t *in = (mach_msg_header_t *)km->buf;
	in->msgh_bits = MACH_MSGH_BITS_OTHER(bits) |
	                MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE);
	in->msgh_size = km->size;
	memcpy(km->buf + 8, &dest, sizeof dest);
	memcpy(km->buf + 16, &rp, sizeof rp);

	uint8_t *mem = reply_buf_take();
	if (!mem) {
		/* The general server, short of memory too, destroys the request: its send right
		 * made a real one first (nothing ran in between: the counts end as they were). */
		spin_lock(&dest->ip_lock);
		dest->ip_srights++;
		spin_unlock(&dest->ip_lock);
		ipc_kobject_hook(km, &reply);
		return ipc_rpc_receive(space, map, &reply, msg, 0, rcv_size, rcv_name, 0);
	}
	mach_msg_header_t *h = (mach_msg_header_t *)(mem + IPC_KMSG_HEAD_SIZE);
	kern_return_t kr = ipc_kobject_serve_hook(in, h);
	/* The request's buffer: most often of the stash's small size, its class known. */
	struct ipc_kmsg_head *kh = (struct ipc_kmsg_head *)ipc_kmsg_queue_head(km);
	if (__builtin_expect(kh->kh_alloc == IPC_KMSG_CACHE_SMALL, 1))
		ipc_kmsg_cache_free(kh, IPC_KMSG_CACHE_SMALL);
	else
		ipc_kmsg_cache_free(kh, kh->kh_alloc);
	/* The reference taken above; the last one (the routine destroyed the port and
	 * every right to it) goes through ipc_port_release, which frees the port. */
	if (__builtin_expect(__atomic_sub_fetch(&dest->ip_refs, 1, __ATOMIC_ACQ_REL) == 0, 0)) {
		__atomic_add_fetch(&dest->ip_refs, 1, __ATOMIC_RELAXED); /* no one else holds it */
		ipc_port_release(dest);
	}
	if (kr == MIG_NO_REPLY) {
		/* The routine kept the reply right; the caller waits for what comes. */
		reply_buf_give(mem);
		reply.buf = NULL;
		return ipc_rpc_receive(space, map, &reply, msg, 0, rcv_size, rcv_name, 0);
	}
	mach_msg_size_t size = h->msgh_size;
	mach_port_seqno_t seqno;
	uint64_t local, none = 0;
	mach_msg_type_name_t local_type;
	if (!reply_simple(h, size, rp, rcv_size) ||
	    !reply_claim(space, rp, rcv_name, &seqno, &local, &local_type)) {
		ipc_kmsg_init(mem, IPC_KMSG_LARGE_ALLOC, IPC_KMSG_LARGE_ALLOC - IPC_KMSG_HEAD_SIZE,
		              &out);
		ipc_kobject_reply_hook(&out, &reply);
		return ipc_rpc_receive(space, map, &reply, msg, 0, rcv_size, rcv_name, 0);
	}
	h->msgh_bits = MACH_MSGH_BITS(0, local_type);
	h->msgh_seqno = seqno;
	memcpy((uint8_t *)h + 8, &none, sizeof none);
	memcpy((uint8_t *)h + 16, &local, sizeof local);
	mach_msg_return_t mr = copyout(h, (void *)msg, size) == KERN_SUCCESS
	                           ? MACH_MSG_SUCCESS
	                           : MACH_RCV_INVALID_DATA;
	reply_buf_give(mem);
	return mr;
}
