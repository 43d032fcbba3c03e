// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mach_msg (ipc/mach_msg.h): the message ops of ipc/ipc_msg_ops.h over a
 * task's space and map and the current address space's user memory, and
 * the send-then-receive sequence of the trap.
 *
 * The header's rights are taken together (header_rights): when the
 * header is refused (MACH_SEND_INVALID_HEADER, _DEST, _REPLY) nothing is
 * held and the space is exactly as it was. Each right after them is kept
 * as it is taken (a dead-name request's port-deleted notification sent at
 * once, as GNU Mach's copyin does). When the body is refused, GNU Mach
 * destroys what it took, and vmach does the same, in the order taken:
 * a moved right is lost, a made send right counts in the make-send count,
 * a made send-once reply right is destroyed (a send-once notification).
 *
 * Each op takes the space lock for its own step: user memory is copied
 * with no spinlock held (x86_64/machine.h). A message is copied in without
 * blocking, so on one CPU nothing else changes the space in between; SMP
 * will need the space held across the copyin (docs/ipc.md).
 */
#include "ipc/mach_msg.h"

#include "ipc/ipc_kmsg_cache.h"
#include "ipc/ipc_marequest.h"
#include "ipc/ipc_notify.h"
#include "ipc/ipc_right.h"
#include "ipc/mach_msg_kobject.h"
#include "kern/kmalloc.h"
#include "kern/string.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

struct msg_ctx {
	struct ipc_space *space;
	struct vm_map *map;
};

static void
msg_ctx_init(struct msg_ctx *c, struct ipc_space *space, struct vm_map *map)
{
	c->space = space;
	c->map = map;
}

static bool
op_copyin(void *ctx, uint64_t uaddr, void *kbuf, uint64_t len)
{
	(void)ctx;
	return copyin((const void *)uaddr, kbuf, len) == KERN_SUCCESS;
}

static bool
op_copyout(void *ctx, const void *kbuf, uint64_t uaddr, uint64_t len)
{
	(void)ctx;
	return copyout(kbuf, (void *)uaddr, len) == KERN_SUCCESS;
}

static void *
op_alloc(void *ctx, size_t len)
{
	(void)ctx;
	return ipc_kmsg_cache_alloc(len);
}

static void
op_free(void *ctx, void *p, size_t len)
{
	(void)ctx;
	ipc_kmsg_cache_free(p, len);
}

/*
 * A body right, kept at once: a failed body destroys what it took
 * (op_right_undo). The common dispositions of a live right take the
 * header's short way (no undo record); the rest ipc_right_copyin(), its
 * port-deleted notification sent at once, as GNU Mach's copyin does.
 */
static kern_return_t
op_right_copyin(void *ctx, mach_port_name_t name, mach_msg_type_name_t disp, struct ipc_port **port)
{
	struct msg_ctx *c = ctx;
	struct ipc_space *space = c->space;
	struct ipc_copyin_undo u;
	mach_msg_type_name_t type;
	kern_return_t kr = KERN_INVALID_TASK;

	spin_lock(&space->is_lock);
	if (space->is_active) {
		struct ipc_port *p = header_right_port(ipc_entry_lookup(space, name), disp);
		if (p) {
			header_right_take(space, name, disp, p);
			*port = p;
			kr = KERN_SUCCESS;
		} else {
			kr = ipc_right_copyin(space, name, disp, port, &type, &u);
			if (kr == KERN_SUCCESS)
				ipc_right_copyin_commit(&u);
		}
	}
	spin_unlock(&space->is_lock);
	return kr;
}

/* A failed body destroys the rights it took, as GNU Mach does. */
static void
op_right_undo(void *ctx, mach_port_name_t name, mach_msg_type_name_t disp, struct ipc_port *port)
{
	(void)ctx;
	(void)name;
	ipc_right_release(port, ipc_kmsg_disp_to_type(disp));
}

static void
op_right_release(void *ctx, struct ipc_port *port, mach_msg_type_name_t type)
{
	(void)ctx;
	ipc_right_release(port, type);
}

static struct ipc_port *
op_right_make(void *ctx, struct ipc_port *port, mach_msg_type_name_t disp)
{
	(void)ctx;
	if (!IPC_PORT_VALID(port))
		return port;
	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
		return ipc_port_make_send(port);
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return ipc_port_make_sonce(port);
	default:
		return ipc_port_copy_send(port);
	}
}

/* Puts port's right (type) in space: its name there, MACH_PORT_DEAD when it was lost. */
static inline __attribute__((always_inline)) mach_port_name_t
right_copyout(struct ipc_space *space, struct ipc_port *port, mach_msg_type_name_t type)
{
	struct ipc_copyout_undo u;
	mach_port_name_t name;
	kern_return_t kr;

	spin_lock(&space->is_lock);
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE && IPC_PORT_VALID(port) && space->is_active &&
	    ipc_right_copyout_sonce(space, port, &name)) {
		spin_unlock(&space->is_lock);
		return name;
	}
	kr = space->is_active ? ipc_right_copyout(space, port, type, &name, &u) : KERN_INVALID_TASK;
	spin_unlock(&space->is_lock);
	if (kr == KERN_SUCCESS)
		return name;
	/* No room for it (GNU Mach does the same): the right is lost, the receiver sees it dead. */
	ipc_right_release(port, type);
	return MACH_PORT_DEAD;
}

static mach_port_name_t
op_right_copyout(void *ctx, struct ipc_port *port, mach_msg_type_name_t type)
{
	return right_copyout(((struct msg_ctx *)ctx)->space, port, type);
}

/*
 * What the receiver (space) sees as the destination: the port's protected
 * payload (*local_type then says so), else its name for the receive
 * right. The right the message carried (type) is used up.
 */
static inline __attribute__((always_inline)) uint64_t
dest_copyout(struct ipc_space *space, struct ipc_port *port, mach_msg_type_name_t type,
             mach_msg_type_name_t *local_type)
{
	uint64_t name = MACH_PORT_NULL;
	struct ipc_port *ns = NULL;
	mach_port_mscount_t ms = 0;

	if (!IPC_PORT_VALID(port))
		return MACH_PORT_NULL;
	spin_lock(&port->ip_lock);
	if (port->ip_active && port->ip_has_payload) {
		name = port->ip_payload;
		*local_type = MACH_MSG_TYPE_PROTECTED_PAYLOAD;
	} else if (port->ip_active && port->ip_receiver == space) {
		name = port->ip_receiver_name;
	}
	/* The right's count dropped in the same hold. Used, not destroyed: a send-once right
	 * consumed here sends no notification. */
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		ipc_port_sonce_drop_locked(port);
	} else if (type == MACH_MSG_TYPE_PORT_SEND) {
		ns = ipc_port_send_drop_locked(port, &ms);
	} else {
		spin_unlock(&port->ip_lock);
		ipc_right_release(port, type);
		return name;
	}
	spin_unlock(&port->ip_lock);
	if (ns)
		ipc_notify(IPC_NOTIFY_NO_SENDERS, ns, MACH_PORT_NULL, NULL, ms);
	ipc_port_release(port);
	return name;
}

static uint64_t
op_dest_copyout(void *ctx, struct ipc_port *port, mach_msg_type_name_t type,
                mach_msg_type_name_t *local_type)
{
	return dest_copyout(((struct msg_ctx *)ctx)->space, port, type, local_type);
}

static kern_return_t
op_ool_copyin(void *ctx, uint64_t uaddr, uint64_t size, bool move, struct vm_copy **copy)
{
	struct msg_ctx *c = ctx;
	return move ? vm_read_move(c->map, uaddr, size, copy) : vm_read(c->map, uaddr, size, copy);
}

static void
op_ool_move_commit(void *ctx, uint64_t uaddr, uint64_t size, struct vm_copy *copy)
{
	struct msg_ctx *c = ctx;

	vm_move_commit(c->map, uaddr, size, copy);
}

static kern_return_t
op_ool_copyout(void *ctx, struct vm_copy *copy, uint64_t *uaddr)
{
	struct msg_ctx *c = ctx;
	return vm_map_copyout(c->map, copy, uaddr);
}

static void
op_ool_discard(void *ctx, struct vm_copy *copy)
{
	(void)ctx;
	vm_copy_discard(copy);
}

static kern_return_t
op_ool_from_kernel(void *ctx, const void *buf, uint64_t len, struct vm_copy **copy)
{
	(void)ctx;
	return vm_copy_from_kernel(buf, len, copy);
}

#define MSG_OPS_COMMON                                                                             \
	.copyin = op_copyin, .copyout = op_copyout, .alloc = op_alloc, .free = op_free,            \
	.right_copyin = op_right_copyin, .right_undo = op_right_undo,                              \
	.right_release = op_right_release, .right_make = op_right_make,                            \
	.right_copyout = op_right_copyout, .dest_copyout = op_dest_copyout,                        \
	.ool_copyin = op_ool_copyin, .ool_move_commit = op_ool_move_commit,                        \
	.ool_copyout = op_ool_copyout, .ool_discard = op_ool_discard,                              \
	.ool_from_kernel = op_ool_from_kernel

/* Destroying kernel-form messages needs no space: release, discard and free only. */
const struct ipc_msg_ops ipc_kernel_msg_ops = {.ctx = NULL, MSG_OPS_COMMON};

/*
 * The header's rights (h checked by ipc_kmsg_header_check), taken under
 * one hold of the space lock and kept at once: the common dispositions
 * the short way, the rest one by one with an undo record for a refused
 * reply. On failure (MACH_SEND_INVALID_DEST, _REPLY) nothing is held.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
header_rights(struct ipc_space *space, const mach_msg_header_t *h, mach_port_name_t dn,
              mach_port_name_t rn, struct ipc_port **dest, struct ipc_port **reply)
{
	struct ipc_copyin_undo du, ru;
	mach_msg_type_name_t type;
	mach_msg_return_t mr;

	*dest = *reply = NULL;
	spin_lock(&space->is_lock);
	if (space->is_active &&
	    ipc_right_copyin_header(space, dn, MACH_MSGH_BITS_REMOTE(h->msgh_bits),
	                            rn != MACH_PORT_DEAD ? rn : MACH_PORT_NULL,
	                            rn != MACH_PORT_NULL && rn != MACH_PORT_DEAD
	                                ? MACH_MSGH_BITS_LOCAL(h->msgh_bits)
	                                : 0,
	                            dest, reply)) {
		spin_unlock(&space->is_lock);
		return MACH_MSG_SUCCESS;
	}
	mr = MACH_SEND_INVALID_DEST;
	if (!space->is_active || ipc_right_copyin(space, dn, MACH_MSGH_BITS_REMOTE(h->msgh_bits),
	                                          dest, &type, &du) != KERN_SUCCESS)
		goto fail;
	/* A send right to a dead port comes in as a dead name: nowhere to send to. */
	if (!IPC_PORT_VALID(*dest)) {
		ipc_right_copyin_undo(space, dn, &du);
		goto fail;
	}
	if (rn != MACH_PORT_NULL && rn != MACH_PORT_DEAD) {
		if (ipc_right_copyin(space, rn, MACH_MSGH_BITS_LOCAL(h->msgh_bits), reply, &type,
		                     &ru) != KERN_SUCCESS) {
			ipc_right_copyin_undo(space, dn, &du);
			mr = MACH_SEND_INVALID_REPLY;
			goto fail;
		}
		ipc_right_copyin_commit(&ru);
	}
	ipc_right_copyin_commit(&du);
	spin_unlock(&space->is_lock);
	return MACH_MSG_SUCCESS;

fail:
	spin_unlock(&space->is_lock);
	*dest = *reply = NULL;
	return mr;
}

static mach_msg_return_t
op_header_copyin(void *ctx, const mach_msg_header_t *h, mach_port_name_t dn, mach_port_name_t rn,
                 struct ipc_port **dest, struct ipc_port **reply)
{
	return header_rights(((struct msg_ctx *)ctx)->space, h, dn, rn, dest, reply);
}

/*
 * A message without a body (no MACH_MSGH_BITS_COMPLEX): its header's
 * rights (header_rights) are all it holds, so nothing after them can
 * fail: the common path of RPCs, without the ops. The checks and codes
 * are ipc_kmsg_copyin_rights()'s. On failure km is freed.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
copyin_simple(struct ipc_space *space, struct ipc_kmsg *km)
{
	struct ipc_port *dest, *reply;
	mach_port_name_t dn, rn;
	mach_msg_header_t h;
	mach_msg_return_t mr;

	mr = ipc_kmsg_header_check(km, &h, &dn, &rn);
	if (mr == MACH_MSG_SUCCESS)
		mr = header_rights(space, &h, dn, rn, &dest, &reply);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_kmsg_free(&ipc_kernel_msg_ops, km);
		return mr;
	}
	ipc_kmsg_header_finish(km, &h, dest, reply);
	return MACH_MSG_SUCCESS;
}

/*
 * Takes km's rights and memory (km read from the sender). The ops are set
 * up only for a message with a body; one without, the common case, goes
 * without. On failure km is freed.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
msg_copyin(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km)
{
	mach_msg_return_t mr;

	if (((const mach_msg_header_t *)km->buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		struct msg_ctx c;
		struct ipc_msg_ops ops = {
		    .ctx = &c, MSG_OPS_COMMON, .header_copyin = op_header_copyin};
		msg_ctx_init(&c, space, map);
		mr = ipc_kmsg_copyin_rights(&ops, km);
	} else {
		mr = copyin_simple(space, km);
	}
	return mr;
}

/* A message that could not be queued (mr) goes back to its sender, at msg. */
static mach_msg_return_t
give_back(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
          mach_msg_return_t mr)
{
	struct msg_ctx c;
	struct ipc_msg_ops ops = {.ctx = &c, MSG_OPS_COMMON};

	msg_ctx_init(&c, space, map);
	if (ipc_kmsg_copyout_pseudo(&ops, km, msg) != MACH_MSG_SUCCESS)
		mr |= MACH_MSG_IPC_SPACE; /* some of it was lost on the way back */
	return mr;
}

/* Sends km, copied in from msg; a message that could not go goes back to its sender there. */
static mach_msg_return_t
send_kmsg(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
          mach_msg_option_t option, uint64_t timeout_ns, struct ipc_kmsg *reply)
{
	mach_msg_return_t mr = ipc_mqueue_send_rpc(km, option, timeout_ns, reply);

	if (mr != MACH_MSG_SUCCESS) /* timed out or interrupted on a full queue */
		mr = give_back(space, map, km, msg, mr);
	return mr;
}

/* Sends km, read from msg (kmsg_read); a kernel object's reply to reply, when not NULL. */
static mach_msg_return_t
msg_send(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
         mach_msg_option_t option, uint64_t timeout_ns, struct ipc_kmsg *reply)
{
	mach_msg_return_t mr = msg_copyin(space, map, km);

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return send_kmsg(space, map, km, msg, option, timeout_ns, reply);
}

/*
 * msg_send() with MACH_SEND_NOTIFY (ipc/ipc_marequest.c), off the common
 * path: MACH_SEND_WILL_NOTIFY when the message was queued past the limit.
 */
static __attribute__((noinline)) mach_msg_return_t
msg_send_notify(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
                mach_msg_option_t option, uint64_t timeout_ns, mach_port_name_t notify)
{
	mach_msg_return_t mr = msg_copyin(space, map, km);

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = ipc_marequest_send(space, km, option, timeout_ns, notify);
	if (mr != MACH_MSG_SUCCESS &&
	    mr != MACH_SEND_WILL_NOTIFY) /* a full queue, a refused request */
		mr = give_back(space, map, km, msg, mr);
	return mr;
}

/*
 * A message too large for the buffer. With MACH_RCV_LARGE it stayed queued
 * and only msgh_size (the size needed) is written. Without, it was taken:
 * as GNU Mach does, its header is written turned round with the local name
 * and a NULL remote port (its reply right destroyed), and the rest is
 * destroyed.
 */
static mach_msg_return_t
report_too_large(const struct ipc_msg_ops *ops, struct ipc_rcv_result *r, uint64_t msg)
{
	mach_msg_size_t size = r->needed;

	if (!r->km.buf) {
		if (copyout(&size, (void *)(msg + offsetof(mach_msg_header_t, msgh_size)),
		            sizeof size) != KERN_SUCCESS)
			return MACH_RCV_INVALID_DATA;
		return MACH_RCV_TOO_LARGE;
	}
	uint8_t *b = r->km.buf;
	mach_msg_header_t h;
	struct ipc_port *dest, *reply, *none = NULL;
	memcpy(&h, b, sizeof h);
	memcpy(&dest, b + 8, sizeof dest);
	memcpy(&reply, b + 16, sizeof reply);
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h.msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h.msgh_bits);
	uint64_t dn = ops->dest_copyout(ops->ctx, dest, dt, &dt);
	if (reply)
		ipc_right_release(reply, rt);
	memcpy(b + 8, &none, sizeof none);
	memcpy(b + 16, &none, sizeof none);
	ipc_kmsg_destroy(&ipc_kernel_msg_ops, &r->km); /* the body */
	h.msgh_bits = MACH_MSGH_BITS_OTHER(h.msgh_bits) | MACH_MSGH_BITS(rt, dt);
	h.msgh_size = size;
	h.msgh_seqno = r->seqno;
	uint8_t out[sizeof h];
	memcpy(out, &h, sizeof h);
	memset(out + 8, 0, 8);
	memcpy(out + 16, &dn, sizeof dn);
	if (copyout(out, (void *)msg, sizeof out) != KERN_SUCCESS)
		return MACH_RCV_INVALID_DATA;
	return MACH_RCV_TOO_LARGE;
}

/*
 * A message without a body that fits, written out in one copy: the
 * header turned round (the reply right as remote, the destination as
 * local), as ipc_kmsg_copyout() does, without the ops.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
copyout_simple(struct ipc_space *space, struct ipc_kmsg *km, uint64_t msg)
{
	mach_msg_header_t *h = (mach_msg_header_t *)km->buf;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	struct ipc_port *dest, *reply;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	memcpy(&dest, km->buf + 8, sizeof dest);
	memcpy(&reply, km->buf + 16, sizeof reply);
	uint64_t dn = dest_copyout(space, dest, dt, &dt);
	uint64_t rn = reply ? right_copyout(space, reply, rt) : MACH_PORT_NULL;
	h->msgh_bits = MACH_MSGH_BITS_OTHER(h->msgh_bits) | MACH_MSGH_BITS(rt, dt);
	memcpy(km->buf + 8, &rn, sizeof rn);
	memcpy(km->buf + 16, &dn, sizeof dn);
	/* The rights now have names in the receiver: they are its, even if lost here. */
	if (copyout(km->buf, (void *)msg, km->size) != KERN_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	/* The stash straight, not through the ops (ipc_kmsg_free). */
	struct ipc_kmsg_head *kh = (struct ipc_kmsg_head *)ipc_kmsg_queue_head(km);
	ipc_kmsg_cache_free(kh, kh->kh_alloc);
	km->buf = NULL;
	return mr;
}

/* ipc_kmsg_get() with the kernel's ops, called straight: the user's message read in. */
static mach_msg_return_t
kmsg_read(uint64_t msg, mach_msg_size_t size, struct ipc_kmsg *km)
{
	mach_msg_return_t mr = ipc_kmsg_size_check(size);
	size_t len = ipc_kmsg_alloc_len(size);
	void *mem;

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mem = ipc_kmsg_cache_alloc(len);
	if (!mem)
		return MACH_SEND_NO_BUFFER;
	ipc_kmsg_init(mem, len, size, km);
	if (copyin((const void *)msg, km->buf, size) != KERN_SUCCESS) {
		ipc_kmsg_cache_free(mem, len);
		return MACH_SEND_INVALID_DATA;
	}
	return MACH_MSG_SUCCESS;
}

/* deliver()'s general case, apart: its frame (the ops) is large. */
static __attribute__((noinline)) mach_msg_return_t
deliver_ops(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
            mach_msg_size_t rcv_size)
{
	struct msg_ctx c;
	struct ipc_msg_ops ops = {.ctx = &c, MSG_OPS_COMMON};
	msg_ctx_init(&c, space, map);
	return ipc_kmsg_copyout(&ops, km, msg, rcv_size);
}

/* A message taken for the receiver (seqno in its header), written out at msg. */
static inline __attribute__((always_inline)) mach_msg_return_t
deliver(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
        mach_msg_size_t rcv_size)
{
	if (!(((mach_msg_header_t *)km->buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    km->size <= rcv_size)
		return copyout_simple(space, km, msg);
	return deliver_ops(space, map, km, msg, rcv_size);
}

static mach_msg_return_t
msg_receive(struct ipc_space *space, struct vm_map *map, uint64_t msg, mach_msg_option_t option,
            mach_msg_size_t rcv_size, mach_port_name_t rcv_name, uint64_t timeout_ns,
            const void *waited)
{
	struct ipc_rcv_result r;
	mach_msg_return_t mr;

	mr = ipc_mqueue_receive(space, rcv_name, option, rcv_size, timeout_ns, waited, &r);
	if (mr == MACH_MSG_SUCCESS) {
		((mach_msg_header_t *)r.km.buf)->msgh_seqno = r.seqno;
		return deliver(space, map, &r.km, msg, rcv_size);
	}
	if (mr != MACH_RCV_TOO_LARGE)
		return mr;
	struct msg_ctx c;
	struct ipc_msg_ops ops = {.ctx = &c, MSG_OPS_COMMON};
	msg_ctx_init(&c, space, map);
	return report_too_large(&ops, &r, msg);
}

/*
 * A kernel object's reply (reply), for a caller about to receive on
 * rcv_name: when rcv_name is the reply's port, outside any set, with
 * nothing queued before it and no other thread waiting on it (GNU Mach
 * hands the reply to that thread), and the reply fits, it is written out here as
 * the receive would write it (the same sequence number), without going
 * through the queue. True when it was (*mr: the receive's result).
 */
static bool
reply_delivered(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *reply, uint64_t msg,
                mach_port_name_t rcv_name, mach_msg_size_t rcv_size, mach_msg_return_t *mr)
{
	struct ipc_port *p = ipc_kmsg_dest(reply);
	mach_msg_header_t *h = (mach_msg_header_t *)reply->buf;
	bool mine = false;

	if (reply->size > rcv_size)
		return false;
	spin_lock(&space->is_lock);
	mine = ipc_mqueue_lock_reply_direct(space, rcv_name, p);
	if (mine) {
		h->msgh_seqno = p->ip_seqno++;
		spin_unlock(&p->ip_lock);
	}
	spin_unlock(&space->is_lock);
	if (!mine)
		return false;
	*mr = deliver(space, map, reply, msg, rcv_size);
	return true;
}

/*
 * The receive half of an RPC whose send went the general way: a kernel
 * object's reply straight to the caller when it can, else the receive.
 */
mach_msg_return_t
ipc_rpc_receive(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *reply, uint64_t msg,
                mach_msg_option_t option, mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
                uint64_t timeout_ns)
{
	mach_msg_return_t mr;

	if (reply->buf) {
		if (reply_delivered(space, map, reply, msg, rcv_name, rcv_size, &mr))
			return mr;
		ipc_mqueue_send_kernel(reply);
	}
	return msg_receive(space, map, msg, option, rcv_size, rcv_name, timeout_ns, NULL);
}

/*
 * The port of a send right's entry e (NULL: no such name; space locked)
 * when it is a kernel object's, else NULL. Read without the port's lock:
 * ipc_kobject_rpc() checks it again under it.
 */
static inline __attribute__((always_inline)) struct ipc_port *
kobject_port(struct ipc_entry *e)
{
	struct ipc_port *p;

	if (!e || !(e->ie_type & MACH_PORT_TYPE_SEND))
		return NULL;
	p = e->ie_object;
	return __atomic_load_n(&p->ip_kotype, __ATOMIC_RELAXED) != IKOT_NONE ? p : NULL;
}

/*
 * mach_msg's RPC fast path: a send then a receive, with no other option,
 * of a message without a body (km, read from msg), whose header rights
 * are of the common kinds (ipc_right_copyin_header), received on a port
 * outside any set. Its rights are taken and its own port found empty
 * under one hold of the space; then, in one hold of the scheduler's lock,
 * the caller is queued on that port and the CPU goes straight to a
 * receiver waiting for the request (ipc_mqueue_rpc). RPC_DECLINED, with
 * nothing done, when the message or the ports are not of that kind; once
 * the rights are taken, the call finishes here, through the general steps
 * where the fast ones do not apply. The effects are the general path's,
 * step for step.
 */
static mach_msg_return_t
rpc_fast(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km, uint64_t msg,
         mach_msg_size_t rcv_size, mach_port_name_t rcv_name)
{
	struct ipc_port *dest, *reply, *rp;
	mach_port_name_t dn, rn;
	mach_msg_header_t h;
	mach_msg_return_t mr;

	if (ipc_kmsg_header_check(km, &h, &dn, &rn) != MACH_MSG_SUCCESS ||
	    (h.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return RPC_DECLINED;
	bool has_reply = rn != MACH_PORT_NULL && rn != MACH_PORT_DEAD;
	spin_lock(&space->is_lock);
	struct ipc_entry *e = space->is_active ? ipc_entry_lookup(space, rcv_name) : NULL;
	rp = e && (e->ie_type & MACH_PORT_TYPE_RECEIVE) ? e->ie_object : NULL;
	/* A MIG call to a kernel object, answered on its reply port: served apart. */
	bool mig = rp && rn == rcv_name &&
	           (h.msgh_bits & (MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK)) ==
	               MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	struct ipc_entry *de = mig ? ipc_entry_lookup(space, dn) : NULL;
	if (mig && (dest = kobject_port(de)))
		return ipc_kobject_rpc(space, map, km, h.msgh_bits, dest, rp, msg, rcv_size,
		                       rcv_name);
	if (!rp) {
		spin_unlock(&space->is_lock);
		return RPC_DECLINED;
	}
	/* Each name looked up once (the MIG test's lookup kept; the reply's most often rcv_name).
	 */
	if (!mig)
		de = ipc_entry_lookup(space, dn);
	/* rcv_name's entry, found above (the space still locked), indexed again rather than kept.
	 */
	struct ipc_entry *re = !has_reply       ? NULL
	                       : rn == rcv_name ? &space->is_table[rn]
	                                        : ipc_entry_lookup(space, rn);
	if (!ipc_right_copyin_header_at(
	        space, dn, de, MACH_MSGH_BITS_REMOTE(h.msgh_bits), has_reply ? rn : MACH_PORT_NULL,
	        re, has_reply ? MACH_MSGH_BITS_LOCAL(h.msgh_bits) : 0, &dest, &reply)) {
		spin_unlock(&space->is_lock);
		return RPC_DECLINED;
	}
	/* The rights are the message's now. A kernel object serves it in place (below). */
	struct ipc_rcv_slot slot = {.rcv_size = rcv_size};
	bool waiting = dest->ip_kotype == IKOT_NONE && ipc_mqueue_rpc_ready(rp);
	spin_unlock(&space->is_lock);
	ipc_kmsg_header_finish(km, &h, dest, reply);
	if (waiting) {
		switch (ipc_mqueue_rpc(km, rp, &slot)) {
		case IPC_RPC_RECEIVED:
			((mach_msg_header_t *)slot.km.buf)->msgh_seqno = slot.seqno;
			return deliver(space, map, &slot.km, msg, rcv_size);
		case IPC_RPC_INTERRUPTED:
			return MACH_RCV_INTERRUPTED;
		case IPC_RPC_WOKEN:
			return msg_receive(space, map, msg, 0, rcv_size, rcv_name, 0, rp);
		case IPC_RPC_NOT_SENT:
			break;
		}
	}
	struct ipc_kmsg kreply = {.buf = NULL};
	mr = send_kmsg(space, map, km, msg, 0, 0, &kreply);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return ipc_rpc_receive(space, map, &kreply, msg, 0, rcv_size, rcv_name, 0);
}

mach_msg_return_t
ipc_mach_msg(struct ipc_space *space, struct vm_map *map, uint64_t msg, mach_msg_option_t option,
             mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
             mach_msg_timeout_t timeout_ms, mach_port_name_t notify)
{
	uint64_t timeout_ns = (uint64_t)timeout_ms * 1000000;
	mach_msg_return_t mr;

	option &= ~(mach_msg_option_t)MACH_SEND_ALWAYS; /* the kernel's alone */
	if (option & MACH_SEND_MSG) {
		struct ipc_kmsg km, reply = {.buf = NULL};
		bool rpc = option & MACH_RCV_MSG;

		mr = kmsg_read(msg, send_size, &km);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
		if (__builtin_expect(option & MACH_SEND_NOTIFY, 0)) {
			/* MACH_SEND_WILL_NOTIFY too ends the call, as in GNU Mach. */
			mr = msg_send_notify(space, map, &km, msg, option, timeout_ns, notify);
		} else if (rpc) {
			/* The interrupt options are the library's (libmach retries); the kernel
			 * ignores them. */
			if ((option &
			     ~(mach_msg_option_t)(MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT)) ==
			    (MACH_SEND_MSG | MACH_RCV_MSG)) {
				mr = rpc_fast(space, map, &km, msg, rcv_size, rcv_name);
				if (mr != RPC_DECLINED)
					return mr;
			}
			mr = msg_send(space, map, &km, msg, option, timeout_ns, &reply);
			if (mr == MACH_MSG_SUCCESS)
				return ipc_rpc_receive(space, map, &reply, msg, option, rcv_size,
				                       rcv_name, timeout_ns);
		} else {
			mr = msg_send(space, map, &km, msg, option, timeout_ns, NULL);
		}
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MACH_RCV_MSG)
		return msg_receive(space, map, msg, option, rcv_size, rcv_name, timeout_ns, NULL);
	return MACH_MSG_SUCCESS;
}
