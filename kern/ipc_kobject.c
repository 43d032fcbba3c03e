// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's RPC server (kern/ipc_kobject.h): the reply is prepared as
 * GNU Mach's ipc_kobject_server prepares it (header turned round, id +
 * 100, a RetCode type, MIG_BAD_ID until a stub says otherwise), the stub
 * found by msgh_id in the linked interfaces' routine tables, the request
 * consumed by the routine's outcome, and the reply turned into kernel
 * form (ipc_kmsg_copyin_kernel) for its queue.
 *
 * Built with the MIG stubs' flags (mig/mig.mk): mach_port_t is a kernel
 * pointer here, as in the stubs.
 */
#include "kern/ipc_kobject.h"

#include <mach/mig_errors.h>

#include "ipc/ipc_kmsg_cache.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_notify.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "kern/wait.h"
#include "mig/gnumach_server.h"
#include "mig/mach4_server.h"
#include "mig/mach_host_server.h"
#include "mig/mach_port_server.h"
#include "mig/mach_server.h"
#include "mig/vmach_server.h"

/*
 * Room for any reply the linked interfaces make: the largest carry an
 * inline array of 1024 integers (task_info, host_info, processor_info,
 * thread_get_state...) after the return code and a few small fields.
 */
#define KOBJECT_REPLY_MAX (sizeof(mig_reply_header_t) + 4096 + 256)
/* The reply is written into a buffer of the cache's larger size (ipc/ipc_kmsg_cache.h). */
#define KOBJECT_REPLY_ROOM ((mach_msg_size_t)(IPC_KMSG_LARGE_ALLOC - IPC_KMSG_HEAD_SIZE))
_Static_assert(KOBJECT_REPLY_MAX <= KOBJECT_REPLY_ROOM, "every reply fits the reply buffer");

_Static_assert(sizeof(mig_reply_header_t) == 48, "GNU Mach's error reply is 48 bytes");
_Static_assert(offsetof(mig_reply_header_t, RetCode) == 40, "the return code at offset 40");

/* Servers of the layers above kern/ (device/'s device.defs), registered at start-up. */
#define KOBJECT_EXTRA_SERVERS 4
static ipc_kobject_lookup_fn *extra_servers[KOBJECT_EXTRA_SERVERS];
static unsigned n_extra_servers;

void
ipc_kobject_add_server(ipc_kobject_lookup_fn *lookup)
{
	if (n_extra_servers == KOBJECT_EXTRA_SERVERS)
		panic("ipc_kobject: more than %d extra servers", KOBJECT_EXTRA_SERVERS);
	extra_servers[n_extra_servers++] = lookup;
}

static inline __attribute__((always_inline)) mig_routine_t
routine_of(mach_msg_header_t *in)
{
	mig_routine_t r;

	if ((r = mach_server_routine(in)) || (r = mach_port_server_routine(in)) ||
	    (r = mach_host_server_routine(in)) || (r = gnumach_server_routine(in)) ||
	    (r = mach4_server_routine(in)) || (r = vmach_server_routine(in)))
		return r;
	for (unsigned i = 0; i < n_extra_servers; i++)
		if ((r = extra_servers[i](in)))
			return r;
	return NULL;
}

/* The reply's header as GNU Mach makes it: to the reply port, id + 100, MIG_BAD_ID so far. */
static void
reply_init(const mach_msg_header_t *in, mig_reply_header_t *out)
{
	static const mach_msg_type_t ret_code_type = {
	    .msgt_name = MACH_MSG_TYPE_INTEGER_32,
	    .msgt_size = 32,
	    .msgt_number = 1,
	    .msgt_inline = 1,
	};

	/* Every byte of the 48 written, field by field (no memset: the hottest path). */
	out->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(in->msgh_bits), 0);
	out->Head.msgh_size = sizeof(*out);
	out->Head.msgh_remote_port = in->msgh_local_port;
	out->Head.msgh_local_port = 0;
	out->Head.msgh_seqno = 0;
	out->Head.msgh_id = in->msgh_id + 100;
	out->RetCodeType = ret_code_type;
	/* RetCode and the pad after it in one store. */
	uint64_t ret_code = (uint32_t)MIG_BAD_ID;
	memcpy((char *)out + offsetof(mig_reply_header_t, RetCode), &ret_code, sizeof ret_code);
}
_Static_assert(offsetof(mig_reply_header_t, RetCode) + 8 == sizeof(mig_reply_header_t),
               "RetCode and its pad end the error reply");

/*
 * What the routine did with the request: a complex reply means success; a
 * simple one says it in RetCode (GNU Mach's rule).
 */
static kern_return_t
outcome(const mig_reply_header_t *out)
{
	if (out->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return KERN_SUCCESS;
	return out->RetCode;
}

/*
 * ipc_port_send_release(), its common case inline: the caller still holds
 * a send right (the name it sent on), so no no-senders notification is due.
 */
static inline void
send_release(struct ipc_port *p)
{
	spin_lock(&p->ip_lock);
	if (p->ip_srights > 1) {
		p->ip_srights--;
		spin_unlock(&p->ip_lock);
		ipc_port_release(p);
		return;
	}
	spin_unlock(&p->ip_lock);
	ipc_port_send_release(p);
}

/*
 * Consumes the request's rights and memory, not its buffer. The
 * destination right is released without the send-once notification
 * (which would come straight back here), the reply port has moved into
 * the reply; on failure the rest is destroyed.
 */
static void
request_consume(struct ipc_kmsg *req, kern_return_t kr)
{
	mach_msg_header_t *in = (mach_msg_header_t *)req->buf;
	struct ipc_port *dest = (struct ipc_port *)in->msgh_remote_port;

	if (MACH_MSGH_BITS_REMOTE(in->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_sonce_release(dest);
	else
		send_release(dest);
	in->msgh_remote_port = 0;
	in->msgh_local_port = 0;
	in->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_PORTS_MASK;
	if (kr != KERN_SUCCESS && kr != MIG_NO_REPLY && (in->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		/* The stubs saw OOL port arrays as 64-bit pointers; destroying wants the kernel
		 * form. What is left is the body: destroyed, the buffer kept. */
		ipc_kmsg_ool_ports_for_server(req, false);
		ipc_kmsg_destroy_body(&ipc_kernel_msg_ops, req);
	}
}

/*
 * The reply (out, in its buffer) in kernel form; reply->buf NULL when it
 * cannot be sent. A small reply moves to a small buffer, so that a reply
 * waiting in a queue does not hold the large one.
 */
static void
reply_finish(struct ipc_kmsg *out, struct ipc_kmsg *reply)
{
	const mach_msg_header_t *h = (const mach_msg_header_t *)out->buf;
	mach_msg_return_t mr;
	struct ipc_kmsg km;

	reply->buf = NULL;
	out->size = h->msgh_size;
	if (out->size > KOBJECT_REPLY_MAX) {
		/* Larger than any linked routine's reply: dropped and logged, its rights kept. */
		log_err("ipc_kobject: reply %d of %u bytes dropped", h->msgh_id, out->size);
		ipc_kmsg_free(&ipc_kernel_msg_ops, out);
		return;
	}
	km = *out;
	if (IPC_KMSG_HEAD_SIZE + out->size <= IPC_KMSG_SMALL_ALLOC &&
	    ipc_kmsg_alloc(&ipc_kernel_msg_ops, out->size, &km)) {
		memcpy(km.buf, out->buf, out->size);
		ipc_kmsg_free(&ipc_kernel_msg_ops, out);
	}
	mr = ipc_kmsg_copyin_kernel(&ipc_kernel_msg_ops, &km);
	if (mr != MACH_MSG_SUCCESS) {
		log_err("ipc_kobject: reply %d malformed (%#x)",
		        ((mach_msg_header_t *)km.buf)->msgh_id, mr);
		ipc_kmsg_free(&ipc_kernel_msg_ops, &km);
		return;
	}
	if (((mach_msg_header_t *)km.buf)->msgh_remote_port == 0) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, &km); /* nobody to reply to */
		return;
	}
	*reply = km;
}

/*
 * ipc_kobject_server's first half: the routine's reply, as MIG wrote it
 * (its header's remote port the request's reply right, still a
 * disposition), into out (room for the largest reply; out->size set to
 * its msgh_size). req's rights and memory are consumed, its buffer stays
 * the caller's. Returns the routine's outcome: MIG_NO_REPLY, the reply is
 * not to be sent (the routine kept the reply right).
 */
static kern_return_t
ipc_kobject_serve(struct ipc_kmsg *req, struct ipc_kmsg *out)
{
	mach_msg_header_t *in = (mach_msg_header_t *)req->buf;
	mig_reply_header_t *o = (mig_reply_header_t *)out->buf;
	mig_routine_t routine;
	kern_return_t kr;

	reply_init(in, o);
	routine = routine_of(in);
	if (routine && (!(in->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	                ipc_kmsg_ool_ports_for_server(req, true) == MACH_MSG_SUCCESS))
		routine(in, &o->Head);
	else if (routine)
		o->RetCode = MIG_BAD_ARGUMENTS;
	kr = outcome(o);
	request_consume(req, kr);
	out->size = o->Head.msgh_size;
	return kr;
}

/*
 * mach_msg's kernel RPC path (ipc_kobject_serve_hook): a request without
 * a body, whose destination right stays its caller's, served into out.
 * Nothing of the request is left to consume: its reply right is in the
 * reply (reply_init), success or not.
 */
static kern_return_t
ipc_kobject_serve_simple(mach_msg_header_t *in, mach_msg_header_t *out)
{
	mig_reply_header_t *o = (mig_reply_header_t *)out;
	mig_routine_t routine;

	reply_init(in, o);
	routine = routine_of(in);
	if (routine)
		routine(in, out);
	return outcome(o);
}

void
ipc_kobject_server(struct ipc_kmsg *req, struct ipc_kmsg *reply)
{
	struct ipc_kmsg out_km;

	reply->buf = NULL;
	if (!ipc_kmsg_alloc(&ipc_kernel_msg_ops, KOBJECT_REPLY_ROOM, &out_km)) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, req);
		return;
	}
	kern_return_t kr = ipc_kobject_serve(req, &out_km);
	ipc_kmsg_free(&ipc_kernel_msg_ops, req);
	if (kr == MIG_NO_REPLY) {
		ipc_kmsg_free(&ipc_kernel_msg_ops, &out_km);
		return;
	}
	reply_finish(&out_km, reply);
}

/*
 * Notifications to kernel ports (a device port's no-senders). They are
 * sent under the sender's space and port locks, so they are queued here
 * and served by a kernel thread of their own, with no lock held, by the
 * handler registered for the port's kind. The message holds its send-once
 * right to the port, so the port stays until the handler has run.
 */
static ipc_kobject_notify_handler_fn *notify_handlers[IKOT_PSET_NAME + 1];
static struct spinlock notify_lock = SPINLOCK_INIT("kobject_notify", LOCK_RANK_KOBJECT_NOTIFY);
static struct list_node notify_queue = LIST_HEAD_INIT(notify_queue);
static struct wait_event notify_event = WAIT_EVENT_INIT("kobject_notify");

void
ipc_kobject_set_notify(enum ipc_kobject_type kind, ipc_kobject_notify_handler_fn *fn)
{
	notify_handlers[kind] = fn;
}

static bool notify_started; /* the thread exists (set once, before any request is armed) */

static void
notify_enqueue(struct ipc_kmsg *km)
{
	unsigned long fl;

	if (!__atomic_load_n(&notify_started, __ATOMIC_ACQUIRE)) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops,
		                 km); /* none of ours was armed: nobody wants it */
		return;
	}
	fl = spin_lock_irqsave(&notify_lock);
	list_append(&notify_queue, &ipc_kmsg_queue_head(km)->mh_link);
	spin_unlock_irqrestore(&notify_lock, fl);
	wait_wake(&notify_event);
}

static bool
notify_pending(void *arg)
{
	(void)arg;
	return !list_empty(&notify_queue);
}

static void
notify_thread(void *arg)
{
	(void)arg;
	for (;;) {
		wait_until(&notify_event, notify_pending, NULL, WAIT_FOREVER);
		unsigned long fl = spin_lock_irqsave(&notify_lock);
		struct ipc_msg_head *h = (struct ipc_msg_head *)list_first(&notify_queue);
		list_remove(&h->mh_link);
		spin_unlock_irqrestore(&notify_lock, fl);

		struct ipc_kmsg km = ipc_kmsg_of_head(h);
		struct ipc_port *p = ipc_kmsg_dest(&km);
		enum ipc_kobject_type kind = p->ip_kotype;
		if (kind <= IKOT_PSET_NAME && notify_handlers[kind])
			notify_handlers[kind](p, (const mach_msg_header_t *)km.buf);
		ipc_kmsg_destroy(&ipc_kernel_msg_ops,
		                 &km); /* the send-once right, the port's reference */
	}
}

/*
 * The thread is made at the first request armed, not at start-up: until a
 * kernel object wants notifications there is nothing for it to do, and
 * the in-kernel tests and benchmarks expect no thread of the kernel's
 * beside theirs (swtch_pri with nothing else runnable).
 */
kern_return_t
ipc_kobject_nsrequest(struct ipc_port *port)
{
	static struct spinlock start_lock =
	    SPINLOCK_INIT("kobject_notify_start", LOCK_RANK_KOBJECT_NOTIFY);
	static bool starting;
	unsigned long fl;
	bool mine;

	if (!__atomic_load_n(&notify_started, __ATOMIC_ACQUIRE)) {
		fl = spin_lock_irqsave(&start_lock);
		mine = !starting;
		starting = true;
		spin_unlock_irqrestore(&start_lock, fl);
		if (mine) {
			if (kthread_create(notify_thread, NULL, "kobject_notify", BASEPRI_SYSTEM,
			                   NULL) != KERN_SUCCESS) {
				__atomic_store_n(&starting, false, __ATOMIC_RELEASE);
				return KERN_RESOURCE_SHORTAGE;
			}
			__atomic_store_n(&notify_started, true, __ATOMIC_RELEASE);
		}
		/* Another CPU making it (creation does not block): wait for the outcome. */
		while (!mine && __atomic_load_n(&starting, __ATOMIC_ACQUIRE) &&
		       !__atomic_load_n(&notify_started, __ATOMIC_ACQUIRE))
			__asm__ volatile("pause");
		if (!__atomic_load_n(&notify_started, __ATOMIC_ACQUIRE))
			return KERN_RESOURCE_SHORTAGE;
	}
	ipc_port_nsrequest_self(port, false);
	return KERN_SUCCESS;
}

/* Messages to kernel ports are served here (notifications: kern/ipc_host.c's ipc_notify_init). */
static void
ipc_kobject_init(void)
{
	ipc_kobject_hook = ipc_kobject_server;
	ipc_kobject_serve_hook = ipc_kobject_serve_simple;
	ipc_kobject_reply_hook = reply_finish;
	ipc_kobject_notify_hook = notify_enqueue;
}
INITCALL(INIT_BUS, "ipc_kobject", ipc_kobject_init);
