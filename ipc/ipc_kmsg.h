/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel message: GNU Mach's x86_64 message in kernel memory, with the
 * header's names replaced by port pointers, every inline right's 8-byte slot
 * holding a port pointer, every out-of-line pointer slot a struct vm_copy *
 * (or, for OOL port arrays, a kernel array of port pointers). The layout
 * and size are those of the user message: no trailer.
 */
#ifndef IPC_IPC_KMSG_H
#define IPC_IPC_KMSG_H

#include "ipc/ipc_msg_ops.h"
#include "ipc/ipc_port.h"
#include "kern/string.h"

/* The 8-byte slot after an OOL descriptor. */
#define IPC_KMSG_PTR_SIZE 8u
/* Largest message accepted (GNU Mach has no fixed limit; ours keeps kmalloc sane). */
#define IPC_KMSG_MAX_SIZE (1u << 20)

/*
 * A kernel message: size bytes at buf. The buffer comes from
 * ipc_kmsg_alloc(), with its queue entry in front of it in the same
 * allocation, so that queueing a message allocates nothing.
 */
struct ipc_kmsg {
	mach_msg_size_t size;
	uint8_t *buf; /* a mach_msg_header_t first */
};

/* What precedes every message buffer. */
struct ipc_kmsg_head {
	struct ipc_msg_head kh_queue; /* mh_size: the message's size */
	uint32_t kh_alloc;            /* bytes allocated, this head included */
	uint32_t kh_body;             /* IPC_KMSG_BODY_*: what copyin learnt of the body */
	uint64_t kh_held;             /* while queued: its ipc_kmsg_held_bytes(), counted once */
};
/*
 * kh_body: a user message's copyin walked its body already and left
 * ipc_kmsg_held_bytes()'s answer in kh_held (BODY_KNOWN) and whether the
 * body carries a receive right (BODY_RECEIVE), so that the send need not
 * walk it again. 0 for every other complex message: the kernel's are
 * made by ipc_kmsg_alloc() or converted by ipc_kmsg_copyin_kernel(), which
 * clear it (ipc_kmsg_init() does not: a message without a body, the
 * common case, is never asked).
 */
#define IPC_KMSG_BODY_KNOWN 1u
#define IPC_KMSG_BODY_RECEIVE 2u
#define IPC_KMSG_HEAD_SIZE ((sizeof(struct ipc_kmsg_head) + 7) & ~(size_t)7)
/*
 * Buffers for messages up to this size, head included, are all this size:
 * the kernel keeps a few ready (ipc/ipc_kmsg_cache.h). A null RPC, its
 * reply and most kernel replies fit.
 */
#define IPC_KMSG_SMALL_ALLOC 256u

/*
 * The allocation a message of size bytes takes, its head included: up to
 * 8 KiB a power of two (the heap rounds so anyway), so that the per-CPU
 * stash (ipc/ipc_kmsg_cache.h) can keep each size's buffers.
 */
static inline size_t
ipc_kmsg_alloc_len(mach_msg_size_t size)
{
	size_t len = IPC_KMSG_HEAD_SIZE + size;

	if (len <= IPC_KMSG_SMALL_ALLOC)
		return IPC_KMSG_SMALL_ALLOC;
	if (len <= 8192)
		return (size_t)1 << (64 - __builtin_clzl(len - 1));
	return len;
}

/* Makes mem, len bytes from the allocator, km's buffer for a message of size bytes. */
static inline void
ipc_kmsg_init(void *mem, size_t len, mach_msg_size_t size, struct ipc_kmsg *km)
{
	struct ipc_kmsg_head *h = mem;

	h->kh_queue.mh_size = size;
	h->kh_alloc = (uint32_t)len;
	km->size = size;
	km->buf = (uint8_t *)h + IPC_KMSG_HEAD_SIZE;
}

/* A message size a sender may give: MACH_MSG_SUCCESS or ipc_kmsg_get()'s error. */
static inline mach_msg_return_t
ipc_kmsg_size_check(mach_msg_size_t size)
{
	if (size < sizeof(mach_msg_header_t) || (size & 7))
		return MACH_SEND_MSG_TOO_SMALL;
	if (size > IPC_KMSG_MAX_SIZE)
		return MACH_SEND_NO_BUFFER;
	return MACH_MSG_SUCCESS;
}

/* A buffer for a message of size bytes (km->size set): false when short of memory. */
bool ipc_kmsg_alloc(const struct ipc_msg_ops *ops, mach_msg_size_t size, struct ipc_kmsg *km);
/* Frees km's buffer only (its rights and copies are the caller's); buf becomes NULL. */
void ipc_kmsg_free(const struct ipc_msg_ops *ops, struct ipc_kmsg *km);

static inline struct ipc_msg_head *
ipc_kmsg_queue_head(const struct ipc_kmsg *km)
{
	return (struct ipc_msg_head *)(km->buf - IPC_KMSG_HEAD_SIZE);
}

/* The message whose queue entry h is. */
static inline struct ipc_kmsg
ipc_kmsg_of_head(struct ipc_msg_head *h)
{
	return (struct ipc_kmsg){.size = (mach_msg_size_t)h->mh_size,
	                         .buf = (uint8_t *)h + IPC_KMSG_HEAD_SIZE};
}

/*
 * Copies the message of size bytes at umsg in, validating it all before
 * anything is committed. MACH_SEND_MSG_TOO_SMALL (size < 32, not a multiple
 * of 4, a descriptor or its data running past the end),
 * MACH_SEND_NO_BUFFER (over IPC_KMSG_MAX_SIZE or no memory), MACH_SEND_INVALID_DATA (unreadable
 * message), MACH_SEND_INVALID_HEADER, MACH_SEND_INVALID_DEST, MACH_SEND_INVALID_REPLY,
 * MACH_SEND_INVALID_TYPE, MACH_SEND_INVALID_RIGHT, MACH_SEND_INVALID_MEMORY.
 * On failure every right taken is put back and every copy discarded.
 */
mach_msg_return_t ipc_kmsg_copyin(const struct ipc_msg_ops *ops, uint64_t umsg,
                                  mach_msg_size_t size, struct ipc_kmsg *km);
/*
 * The two halves of ipc_kmsg_copyin(). ipc_kmsg_get(): the size checks and
 * the message's bytes into a new buffer (MACH_SEND_MSG_TOO_SMALL,
 * MACH_SEND_NO_BUFFER, MACH_SEND_INVALID_DATA; nothing held on failure).
 * ipc_kmsg_copyin_rights(): the rest; on failure the buffer is freed too.
 */
mach_msg_return_t ipc_kmsg_get(const struct ipc_msg_ops *ops, uint64_t umsg, mach_msg_size_t size,
                               struct ipc_kmsg *km);
mach_msg_return_t ipc_kmsg_copyin_rights(const struct ipc_msg_ops *ops, struct ipc_kmsg *km);
/* A name that can denote a right (neither MACH_PORT_NULL nor MACH_PORT_DEAD). */
static inline bool
ipc_kmsg_name_valid(mach_port_name_t n)
{
	return n != MACH_PORT_NULL && n != (mach_port_name_t)MACH_PORT_DEAD;
}

/* The 4-byte name in the low half of a user message's 8-byte port slot. */
static inline mach_port_name_t
ipc_kmsg_slot_name(const uint8_t *p)
{
	mach_port_name_t n;
	memcpy(&n, p, sizeof n);
	return n;
}

/* The type in transit of a right sent with disposition disp. */
static inline mach_msg_type_name_t
ipc_kmsg_disp_to_type(mach_msg_type_name_t disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return MACH_MSG_TYPE_PORT_SEND;
	}
}

/*
 * For a caller that takes the header's rights itself (mach_msg's path for
 * messages without a body, ipc/mach_msg.c): ipc_kmsg_header_check() reads
 * the header of km's bytes into *h (its bits cleaned of what a sender may
 * not set) and the destination and reply names, with copyin's header
 * checks (MACH_SEND_INVALID_HEADER, MACH_SEND_INVALID_DEST for a null or
 * dead destination name); ipc_kmsg_header_finish() writes the kernel form
 * of the header with the rights taken (reply NULL: none). Only the first
 * two fields of *h are read and written (msgh_bits, msgh_size): the rest
 * stays as the sender wrote it, in km's buffer.
 */
static inline mach_msg_return_t
ipc_kmsg_header_check(const struct ipc_kmsg *km, mach_msg_header_t *h, mach_port_name_t *dn,
                      mach_port_name_t *rn)
{
	memcpy(h, km->buf, offsetof(mach_msg_header_t, msgh_remote_port));
	h->msgh_bits &= ~(mach_msg_bits_t)(MACH_MSGH_BITS_CIRCULAR | MACH_MSGH_BITS_COMPLEX_PORTS |
	                                   MACH_MSGH_BITS_COMPLEX_DATA | MACH_MSGH_BITS_MIGRATED);
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	*dn = ipc_kmsg_slot_name(km->buf + 8);
	*rn = ipc_kmsg_slot_name(km->buf + 16);
	if (!MACH_MSG_TYPE_PORT_ANY_SEND(dt) || (rt != 0 && !MACH_MSG_TYPE_PORT_ANY_SEND(rt)))
		return MACH_SEND_INVALID_HEADER;
	/* A reply name without a disposition has no meaning to carry. */
	if (rt == 0 && *rn != MACH_PORT_NULL)
		return MACH_SEND_INVALID_HEADER;
	if (!ipc_kmsg_name_valid(*dn))
		return MACH_SEND_INVALID_DEST;
	return MACH_MSG_SUCCESS;
}

static inline void
ipc_kmsg_header_finish(struct ipc_kmsg *km, mach_msg_header_t *h, struct ipc_port *dest,
                       struct ipc_port *reply)
{
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rt = reply ? MACH_MSGH_BITS_LOCAL(h->msgh_bits) : 0;

	h->msgh_bits =
	    MACH_MSGH_BITS_OTHER(h->msgh_bits) |
	    MACH_MSGH_BITS(ipc_kmsg_disp_to_type(dt), rt ? ipc_kmsg_disp_to_type(rt) : 0);
	h->msgh_size = km->size;
	memcpy(km->buf, h, offsetof(mach_msg_header_t, msgh_remote_port));
	memcpy(km->buf + 8, &dest, sizeof dest);    /* the 8-byte remote slot */
	memcpy(km->buf + 16, &reply, sizeof reply); /* the 8-byte local slot */
}
/* The receive buffer size this message needs (MACH_RCV_TOO_LARGE check). */
static inline mach_msg_size_t
ipc_kmsg_size(const struct ipc_kmsg *km)
{
	return km->size;
}
/*
 * Delivers km to the receiver at ubuf (room rcv_size): MACH_RCV_TOO_LARGE
 * when it does not fit (km untouched, still the caller's); otherwise the
 * message is consumed: rights get names in the receiver's space, OOL data
 * is mapped, header names swapped as GNU Mach does (remote = reply, local =
 * destination). MACH_RCV_INVALID_DATA when ubuf is not writable.
 */
mach_msg_return_t ipc_kmsg_copyout(const struct ipc_msg_ops *ops, struct ipc_kmsg *km,
                                   uint64_t ubuf, mach_msg_size_t rcv_size);
/*
 * A message that could not be queued (MACH_SEND_TIMED_OUT or
 * _INTERRUPTED) goes back to its sender at ubuf, as GNU Mach's
 * pseudo-receive does: the rights it carried get names in the sender's
 * space again, OOL data is mapped anew, the header stays as sent (not
 * turned round). Consumes km.
 */
mach_msg_return_t ipc_kmsg_copyout_pseudo(const struct ipc_msg_ops *ops, struct ipc_kmsg *km,
                                          uint64_t ubuf);
/* Releases every right and copy km holds and frees it. */
void ipc_kmsg_destroy(const struct ipc_msg_ops *ops, struct ipc_kmsg *km);
/* Releases the rights and copies of km's body only; the header and the buffer stay. */
void ipc_kmsg_destroy_body(const struct ipc_msg_ops *ops, struct ipc_kmsg *km);

/*
 * The kernel memory a kernel-form message holds: its buffer, its OOL port
 * arrays and its OOL data copies (what the bound on queued bytes counts,
 * ipc/ipc_mqueue.c). *receive, when not NULL, tells whether the body has a
 * receive-right descriptor (the same walk: most messages need no other).
 */
uint64_t ipc_kmsg_held_bytes(const struct ipc_kmsg *km, bool *receive);
/* The kernel memory an OOL data copy holds (vm_copy_held_bytes; unset: none counted). */
typedef uint64_t ipc_ool_held_fn(const void *copy);
extern ipc_ool_held_fn *ipc_kmsg_ool_held_hook;

/*
 * Calls fn(port, arg) for each receive right in km's body (a kernel-form
 * message, inline or in OOL port arrays) until it returns true; returns
 * whether one did.
 */
bool ipc_kmsg_any_receive(const struct ipc_kmsg *km, bool (*fn)(struct ipc_port *, void *),
                          void *arg);

/*
 * Messages the kernel writes (the kernel servers' replies, from MIG's
 * KernelServer stubs). Their rights are port pointers with a disposition
 * or a type in transit; an OOL port array is a buffer of
 * ipc_kmsg_ool_ports_size(number) bytes from ops->alloc, number port
 * pointers first, with msgt_size 64 (MIG's kernel element).
 *
 * ipc_kmsg_copyin_kernel() turns such a message (km->size its msgh_size)
 * into kernel form in place: COPY_SEND, MAKE_SEND and MAKE_SEND_ONCE make
 * the right from the port (ops->right_make), the MOVE_* dispositions are
 * the rights themselves, and every msgt_name (and the header's bits)
 * becomes the type in transit. Everything is checked first, so a failure
 * changes nothing: MACH_SEND_MSG_TOO_SMALL (size, or a descriptor past the
 * end), MACH_SEND_INVALID_HEADER (a destination that is no send right;
 * no destination at all, NULL without a type, is allowed: the message can
 * then only be destroyed),
 * MACH_SEND_INVALID_TYPE.
 */
size_t ipc_kmsg_ool_ports_size(uint64_t number);
mach_msg_return_t ipc_kmsg_copyin_kernel(const struct ipc_msg_ops *ops, struct ipc_kmsg *km);
/*
 * A kernel-form request handed to a MIG server and back: the OOL port
 * arrays' msgt_size becomes 64 (to_server), as the stubs check, or 32
 * again (so that ipc_kmsg_destroy() can release them). Errors as above.
 */
mach_msg_return_t ipc_kmsg_ool_ports_for_server(struct ipc_kmsg *km, bool to_server);

#endif
