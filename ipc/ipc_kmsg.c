/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyin and copyout of typed messages (GNU Mach's x86_64 layout). A
 * complex message's copyin works on two buffers: orig, the message as the
 * user wrote it, is only read, so a failed send can find every name and
 * disposition to put back; buf becomes the kernel message. Each walk of the body reparses the
 * descriptors, which copyin validated and which never change afterwards
 * except msgt_name (a disposition becomes the type of the right in transit).
 */
#include "ipc/ipc_kmsg.h"

#include <mach/port.h>
#include "kern/string.h"

struct desc {
	uint32_t name;
	uint64_t number;
	uint64_t bytes; /* of data */
	uint32_t data;  /* offset of the data or of the OOL pointer slot */
	uint32_t next;  /* offset of the next descriptor */
	bool inl, dealloc, is_port;
};

static inline uint64_t
round8(uint64_t v)
{
	return (v + 7) & ~7ull;
}

/*
 * Parses the descriptor at off of a message ending at end. On x86_64 the
 * long form (mach_msg_type_long_t) is the same 8 bytes as the short one.
 */
static mach_msg_return_t
parse_desc_sized(const uint8_t *b, uint32_t off, uint32_t end, struct desc *d,
                 unsigned ool_port_size)
{
	mach_msg_type_t t;

	if (end - off < sizeof t)
		return MACH_SEND_MSG_TOO_SMALL;
	memcpy(&t, b + off, sizeof t);
	d->name = t.msgt_name;
	d->number = t.msgt_number;
	d->inl = t.msgt_inline;
	d->dealloc = t.msgt_deallocate;
	d->is_port = MACH_MSG_TYPE_PORT_ANY(d->name);
	/*
	 * GNU Mach's checks: inline rights take 8-byte slots, an OOL port array
	 * holds 4-byte names; the unused bits are 0; inline data is never
	 * deallocated.
	 */
	if ((d->is_port && d->inl && t.msgt_size != 64) ||
	    (d->is_port && !d->inl && t.msgt_size != ool_port_size) || t.msgt_unused ||
	    (d->dealloc && d->inl))
		return MACH_SEND_INVALID_TYPE;
	/* number < 2^32 and size < 2^16: the product cannot overflow 64 bits. */
	d->bytes = (d->number * t.msgt_size + 7) / 8;
	d->data = off + (uint32_t)sizeof t;
	uint64_t room = end - d->data;
	uint64_t need = d->inl ? d->bytes : IPC_KMSG_PTR_SIZE;
	if (need > room)
		return MACH_SEND_MSG_TOO_SMALL;
	/* The next descriptor is 8-aligned; the message may end before the padding. */
	uint64_t next = round8(d->data + need);
	d->next = (uint32_t)(next > end ? end : next);
	return MACH_MSG_SUCCESS;
}

/*
 * A descriptor of a kernel-form message, which copyin checked: only what
 * the walk needs, and false at a descriptor that would run past end (it
 * cannot, but a walk must never read past the buffer).
 */
static inline __attribute__((always_inline)) bool
parse_known(const uint8_t *b, uint32_t off, uint32_t end, struct desc *d)
{
	mach_msg_type_t t;

	memcpy(&t, b + off, sizeof t);
	d->name = t.msgt_name;
	d->number = t.msgt_number;
	d->inl = t.msgt_inline;
	d->is_port = MACH_MSG_TYPE_PORT_ANY(d->name);
	d->bytes = (d->number * t.msgt_size + 7) / 8;
	d->data = off + (uint32_t)sizeof t;
	uint64_t next = d->data + (d->inl ? d->bytes : IPC_KMSG_PTR_SIZE);
	if (next > end)
		return false;
	next = round8(next);
	d->next = (uint32_t)(next > end ? end : next);
	return true;
}

/* A user or kernel-form message: an OOL port array's elements are 32-bit names. */
static mach_msg_return_t
parse_desc(const uint8_t *b, uint32_t off, uint32_t end, struct desc *d)
{
	return parse_desc_sized(b, off, end, d, 32);
}

/* MACH_PORT_DEAD in a body slot travels as this pointer, no right behind it (ipc_port.h's
 * IPC_PORT_DEAD). */
#define KMSG_PORT_DEAD ((struct ipc_port *)-1)

/* A slot holding a right the ops must see (not empty, not dead). */
static inline bool
slot_has_right(const struct ipc_port *p)
{
	return p != NULL && p != KMSG_PORT_DEAD;
}

static void
set_type_name(uint8_t *b, uint32_t off, uint32_t name)
{
	mach_msg_type_t t;
	memcpy(&t, b + off, sizeof t);
	t.msgt_name = name & 0xff;
	memcpy(b + off, &t, sizeof t);
}

static struct ipc_port *
slot_port(const uint8_t *p)
{
	struct ipc_port *port;
	memcpy(&port, p, sizeof port);
	return port;
}

/* An OOL port array in the kernel: number port pointers, then their names. */
static size_t
ool_ports_len(uint64_t number)
{
	return (size_t)number * (sizeof(void *) + sizeof(mach_port_name_t));
}

/*
 * Undoes (undo: put back into the sender's space, names from orig) or
 * releases (orig NULL) the body of buf from off 32 up to stop, and inside
 * the descriptor at stop the first partial rights (or its copy if partial).
 */
static void
body_clean(const struct ipc_msg_ops *ops, const uint8_t *orig, uint8_t *buf, uint32_t end,
           uint32_t stop, uint64_t partial)
{
	uint32_t off = sizeof(mach_msg_header_t);
	struct desc d;

	while (off < end && off <= stop) {
		if (parse_desc(buf, off, end, &d) != MACH_MSG_SUCCESS)
			return;
		uint64_t n = off == stop ? partial : d.number;
		if (d.is_port && d.inl) {
			for (uint64_t i = 0; i < n; i++) {
				uint8_t *s = buf + d.data + 8 * i;
				struct ipc_port *p = slot_port(s);
				if (!slot_has_right(p))
					continue;
				if (orig)
					ops->right_undo(
					    ops->ctx, ipc_kmsg_slot_name(orig + d.data + 8 * i),
					    ((const mach_msg_type_t *)(orig + off))->msgt_name, p);
				else
					ops->right_release(ops->ctx, p, d.name);
			}
		} else if (!d.inl && off != stop) {
			void *obj;
			memcpy(&obj, buf + d.data, sizeof obj);
			if (obj && d.is_port) {
				struct ipc_port **ports = obj;
				mach_port_name_t *names = (mach_port_name_t *)(ports + d.number);
				mach_msg_type_name_t disp = 0;
				if (orig) {
					struct desc od;
					parse_desc(orig, off, end, &od);
					disp = od.name;
				}
				for (uint64_t i = 0; i < d.number; i++) {
					if (!slot_has_right(ports[i]))
						continue;
					if (orig)
						ops->right_undo(ops->ctx, names[i], disp, ports[i]);
					else
						ops->right_release(ops->ctx, ports[i], d.name);
				}
				ops->free(ops->ctx, obj, ool_ports_len(d.number));
			} else if (obj) {
				ops->ool_discard(ops->ctx, obj);
			}
		}
		if (off == stop)
			return;
		off = d.next;
	}
}

/*
 * The header's rights while the body is copied in, when the ops took them
 * for good (ops->header_copyin): a failing body destroys them first, so
 * that rights go in the order they were taken (GNU Mach's
 * ipc_kmsg_clean_partial: destination, reply, then the body).
 */
struct header_taken {
	struct ipc_port *dest, *reply;
	mach_msg_type_name_t dt, rt; /* types in transit */
};

static void
header_release(const struct ipc_msg_ops *ops, struct header_taken *ht)
{
	if (!ht)
		return;
	if (ht->dest)
		ops->right_release(ops->ctx, ht->dest, ht->dt);
	if (ht->reply)
		ops->right_release(ops->ctx, ht->reply, ht->rt);
	ht->dest = ht->reply = NULL;
}

/* Copies in the rights of an OOL port array; *obj the kernel array or NULL. */
static mach_msg_return_t
ool_ports_in(const struct ipc_msg_ops *ops, const struct desc *d, uint64_t uaddr, void **obj,
             struct header_taken *ht)
{
	*obj = NULL;
	if (d->number == 0)
		return MACH_MSG_SUCCESS;
	if (d->number > IPC_KMSG_MAX_SIZE)
		return MACH_SEND_INVALID_MEMORY; /* cannot be a readable array of ours */
	size_t len = ool_ports_len(d->number);
	struct ipc_port **ports = ops->alloc(ops->ctx, len);
	if (!ports)
		return MACH_SEND_NO_BUFFER;
	mach_port_name_t *names = (mach_port_name_t *)(ports + d->number);
	if (!ops->copyin(ops->ctx, uaddr, names, d->number * sizeof *names)) {
		ops->free(ops->ctx, ports, len);
		return MACH_SEND_INVALID_MEMORY;
	}
	for (uint64_t i = 0; i < d->number; i++)
		ports[i] = NULL;
	for (uint64_t i = 0; i < d->number; i++) {
		if (names[i] == MACH_PORT_DEAD)
			ports[i] = KMSG_PORT_DEAD;
		if (!ipc_kmsg_name_valid(names[i]))
			continue;
		if (ops->right_copyin(ops->ctx, names[i], d->name, &ports[i]) != KERN_SUCCESS) {
			header_release(ops, ht);
			for (uint64_t j = 0; j < i; j++)
				if (slot_has_right(ports[j]))
					ops->right_undo(ops->ctx, names[j], d->name, ports[j]);
			ops->free(ops->ctx, ports, len);
			return MACH_SEND_INVALID_RIGHT;
		}
	}
	*obj = ports;
	return MACH_MSG_SUCCESS;
}

/*
 * Whether [a, a + n) shares a page with the data of another OOL
 * descriptor of the message than the one at self. Descriptors are checked
 * by the caller's walk before they count; a bad one here counts as none.
 */
static bool
ool_shares_pages(const uint8_t *orig, uint32_t end, uint32_t self, uint64_t a, uint64_t n)
{
	uint64_t lo = a & ~4095ull, hi = (a + n + 4095) & ~4095ull;
	struct desc d;

	for (uint32_t off = sizeof(mach_msg_header_t); off < end; off = d.next) {
		if (parse_desc(orig, off, end, &d) != MACH_MSG_SUCCESS)
			return false;
		if (off == self || d.inl || d.is_port || !d.bytes)
			continue;
		uint64_t b;
		memcpy(&b, orig + d.data, sizeof b);
		uint64_t blo = b & ~4095ull, bhi = (b + d.bytes + 4095) & ~4095ull;
		if (blo < hi && lo < bhi)
			return true;
	}
	return false;
}

/* The body's rights and memory; on failure nothing is held (ht released too). */
static mach_msg_return_t
body_copyin(const struct ipc_msg_ops *ops, const uint8_t *orig, uint8_t *buf, uint32_t end,
            struct header_taken *ht)
{
	uint32_t off = sizeof(mach_msg_header_t);
	struct desc d;
	mach_msg_return_t mr;
	/* The regions to take from the sender at commit: the first few kept here, no walk. */
	struct {
		uint64_t uaddr, bytes;
		struct vm_copy *copy;
	} moved[4];
	unsigned nmoved = 0;
	uint32_t more = 0; /* the descriptor of the first region past those, or 0 */
	/* ipc_kmsg_held_bytes()'s answer, learnt on the way (a moved region's at its commit). */
	uint64_t held = end;
	bool receive = false;

	while (off < end) {
		mr = parse_desc(orig, off, end, &d);
		if (mr != MACH_MSG_SUCCESS)
			goto fail_before;
		if (d.name == MACH_MSG_TYPE_MOVE_RECEIVE && d.number)
			receive = true;
		if (d.inl && d.is_port) {
			for (uint64_t i = 0; i < d.number; i++) {
				const uint8_t *s = orig + d.data + 8 * i;
				mach_port_name_t n = ipc_kmsg_slot_name(s);
				struct ipc_port *p = n == MACH_PORT_DEAD ? KMSG_PORT_DEAD : NULL;
				if (ipc_kmsg_name_valid(n) &&
				    ops->right_copyin(ops->ctx, n, d.name, &p) != KERN_SUCCESS) {
					header_release(ops, ht);
					body_clean(ops, orig, buf, end, off, i);
					return MACH_SEND_INVALID_RIGHT;
				}
				memcpy(buf + d.data + 8 * i, &p, sizeof p);
			}
		} else if (!d.inl) {
			uint64_t uaddr;
			void *obj = NULL;
			memcpy(&uaddr, orig + d.data, sizeof uaddr);
			if (d.is_port) {
				mr = ool_ports_in(ops, &d, uaddr, &obj, ht);
			} else if (d.bytes) {
				/* Wrapping ranges are refused by ool_copyin itself. */
				/* The only descriptor shares with no other: no walk. */
				bool alone = off == sizeof(mach_msg_header_t) && d.next >= end;
				bool move =
				    d.dealloc && uaddr + d.bytes > uaddr &&
				    (alone || !ool_shares_pages(orig, end, off, uaddr, d.bytes));
				kern_return_t kr = ops->ool_copyin(ops->ctx, uaddr, d.bytes, move,
				                                   (struct vm_copy **)&obj);
				mr = kr == KERN_SUCCESS ? MACH_MSG_SUCCESS
				                        : MACH_SEND_INVALID_MEMORY;
			}
			if (mr != MACH_MSG_SUCCESS)
				goto fail_before;
			memcpy(buf + d.data, &obj, sizeof obj);
			if (d.is_port && d.number)
				held += ool_ports_len(d.number);
			else if (!d.is_port && obj && !d.dealloc && ipc_kmsg_ool_held_hook)
				held += ipc_kmsg_ool_held_hook(obj);
			if (d.dealloc && d.bytes && nmoved < 4)
				moved[nmoved++] =
				    (typeof(moved[0])){uaddr, d.bytes, d.is_port ? NULL : obj};
			else if (d.dealloc && d.bytes && !more)
				more = off;
		}
		if (d.is_port)
			set_type_name(buf, off, ipc_kmsg_disp_to_type(d.name));
		off = d.next;
	}
	/* Committed: now the moved regions leave the sender. */
	for (unsigned i = 0; i < nmoved; i++) {
		ops->ool_move_commit(ops->ctx, moved[i].uaddr, moved[i].bytes, moved[i].copy);
		if (moved[i].copy && ipc_kmsg_ool_held_hook)
			held += ipc_kmsg_ool_held_hook(moved[i].copy);
	}
	for (off = more; more && off < end; off = d.next) {
		parse_desc(orig, off, end, &d);
		if (!d.inl && d.dealloc && d.bytes) {
			uint64_t uaddr;
			struct vm_copy *copy = NULL;
			memcpy(&uaddr, orig + d.data, sizeof uaddr);
			if (!d.is_port)
				memcpy(&copy, buf + d.data, sizeof copy);
			ops->ool_move_commit(ops->ctx, uaddr, d.bytes, copy);
			if (copy && ipc_kmsg_ool_held_hook)
				held += ipc_kmsg_ool_held_hook(copy);
		}
	}
	struct ipc_kmsg_head *kh = (struct ipc_kmsg_head *)(buf - IPC_KMSG_HEAD_SIZE);
	kh->kh_held = held;
	kh->kh_body = IPC_KMSG_BODY_KNOWN | (receive ? IPC_KMSG_BODY_RECEIVE : 0);
	return MACH_MSG_SUCCESS;

fail_before:
	/* Nothing of the descriptor at off was taken. */
	header_release(ops, ht);
	body_clean(ops, orig, buf, end, off, 0);
	return mr;
}

/* Complex messages up to this size are copied in with orig on the kernel stack. */
#define ORIG_ON_STACK 256

bool
ipc_kmsg_alloc(const struct ipc_msg_ops *ops, mach_msg_size_t size, struct ipc_kmsg *km)
{
	size_t len = ipc_kmsg_alloc_len(size);
	void *mem = ops->alloc(ops->ctx, len);

	if (!mem) {
		km->buf = NULL;
		return false;
	}
	ipc_kmsg_init(mem, len, size, km);
	((struct ipc_kmsg_head *)mem)->kh_body = 0;
	return true;
}

void
ipc_kmsg_free(const struct ipc_msg_ops *ops, struct ipc_kmsg *km)
{
	struct ipc_kmsg_head *h = (struct ipc_kmsg_head *)ipc_kmsg_queue_head(km);

	ops->free(ops->ctx, h, h->kh_alloc);
	km->buf = NULL;
}

/*
 * The header's rights: dest and reply, from the names ipc_kmsg_header_check
 * found. On failure nothing is held.
 */
static mach_msg_return_t
header_copyin(const struct ipc_msg_ops *ops, const mach_msg_header_t *h, mach_port_name_t dn,
              mach_port_name_t rn, struct ipc_port **dest, struct ipc_port **reply)
{
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);

	*dest = *reply = NULL;
	if (ops->right_copyin(ops->ctx, dn, dt, dest) != KERN_SUCCESS)
		return MACH_SEND_INVALID_DEST;
	/* A send right to a dead port comes in as a dead name: nowhere to send to. */
	if (*dest == NULL || *dest == KMSG_PORT_DEAD) {
		ops->right_undo(ops->ctx, dn, dt, *dest);
		*dest = NULL;
		return MACH_SEND_INVALID_DEST;
	}
	if (ipc_kmsg_name_valid(rn) && ops->right_copyin(ops->ctx, rn, rt, reply) != KERN_SUCCESS) {
		ops->right_undo(ops->ctx, dn, dt, *dest);
		*dest = NULL;
		return MACH_SEND_INVALID_REPLY;
	}
	return MACH_MSG_SUCCESS;
}

/* Puts back what header_copyin took (a body that failed after it). */
static void
header_undo(const struct ipc_msg_ops *ops, const uint8_t *buf, const mach_msg_header_t *h,
            struct ipc_port *dest, struct ipc_port *reply)
{
	if (reply)
		ops->right_undo(ops->ctx, ipc_kmsg_slot_name(buf + 16),
		                MACH_MSGH_BITS_LOCAL(h->msgh_bits), reply);
	ops->right_undo(ops->ctx, ipc_kmsg_slot_name(buf + 8), MACH_MSGH_BITS_REMOTE(h->msgh_bits),
	                dest);
}

mach_msg_return_t
ipc_kmsg_get(const struct ipc_msg_ops *ops, uint64_t umsg, mach_msg_size_t size,
             struct ipc_kmsg *km)
{
	mach_msg_return_t mr = ipc_kmsg_size_check(size);

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (!ipc_kmsg_alloc(ops, size, km))
		return MACH_SEND_NO_BUFFER;
	if (!ops->copyin(ops->ctx, umsg, km->buf, size)) {
		ipc_kmsg_free(ops, km);
		return MACH_SEND_INVALID_DATA;
	}
	return MACH_MSG_SUCCESS;
}

/*
 * A complex message is also kept as the sender wrote it (orig), read
 * only, so that a failed body finds every name and disposition to put
 * back.
 */
mach_msg_return_t
ipc_kmsg_copyin_rights(const struct ipc_msg_ops *ops, struct ipc_kmsg *km)
{
	struct ipc_port *dest, *reply;
	uint8_t *orig = NULL;
	/* A small complex message (an OOL region or a few rights) keeps orig on the stack. */
	uint64_t small[ORIG_ON_STACK / sizeof(uint64_t)];
	mach_port_name_t dn, rn;
	mach_msg_header_t h;
	mach_msg_return_t mr;

	mr = ipc_kmsg_header_check(km, &h, &dn, &rn);
	if (mr != MACH_MSG_SUCCESS)
		goto out;
	if (h.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mr = MACH_SEND_NO_BUFFER;
		orig =
		    km->size <= sizeof(small) ? (uint8_t *)small : ops->alloc(ops->ctx, km->size);
		if (!orig)
			goto out;
		memcpy(orig, km->buf, km->size);
	}
	if (ops->header_copyin) {
		mr = ops->header_copyin(ops->ctx, &h, dn, rn, &dest, &reply);
		if (mr != MACH_MSG_SUCCESS)
			goto out;
		if (orig) {
			struct header_taken ht = {
			    dest, reply, ipc_kmsg_disp_to_type(MACH_MSGH_BITS_REMOTE(h.msgh_bits)),
			    ipc_kmsg_disp_to_type(MACH_MSGH_BITS_LOCAL(h.msgh_bits))};
			mr = body_copyin(ops, orig, km->buf, km->size, &ht);
			if (mr != MACH_MSG_SUCCESS)
				goto out; /* the header's rights went first */
		}
		ipc_kmsg_header_finish(km, &h, dest, reply);
		goto out;
	}
	mr = header_copyin(ops, &h, dn, rn, &dest, &reply);
	if (mr != MACH_MSG_SUCCESS)
		goto out;
	if (orig) {
		mr = body_copyin(ops, orig, km->buf, km->size, NULL);
		if (mr != MACH_MSG_SUCCESS) {
			header_undo(ops, km->buf, &h, dest, reply);
			goto out;
		}
	}
	ipc_kmsg_header_finish(km, &h, dest, reply);
out:
	if (orig && orig != (uint8_t *)small)
		ops->free(ops->ctx, orig, km->size);
	if (mr != MACH_MSG_SUCCESS)
		ipc_kmsg_free(ops, km);
	return mr;
}

mach_msg_return_t
ipc_kmsg_copyin(const struct ipc_msg_ops *ops, uint64_t umsg, mach_msg_size_t size,
                struct ipc_kmsg *km)
{
	mach_msg_return_t mr = ipc_kmsg_get(ops, umsg, size, km);

	return mr == MACH_MSG_SUCCESS ? ipc_kmsg_copyin_rights(ops, km) : mr;
}

void
ipc_kmsg_destroy(const struct ipc_msg_ops *ops, struct ipc_kmsg *km)
{
	mach_msg_header_t h;
	memcpy(&h, km->buf, sizeof h);
	struct ipc_port *dest = slot_port(km->buf + 8), *reply = slot_port(km->buf + 16);
	if (dest)
		ops->right_release(ops->ctx, dest, MACH_MSGH_BITS_REMOTE(h.msgh_bits));
	if (reply)
		ops->right_release(ops->ctx, reply, MACH_MSGH_BITS_LOCAL(h.msgh_bits));
	ipc_kmsg_destroy_body(ops, km);
	ipc_kmsg_free(ops, km);
}

void
ipc_kmsg_destroy_body(const struct ipc_msg_ops *ops, struct ipc_kmsg *km)
{
	if (((const mach_msg_header_t *)km->buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		body_clean(ops, NULL, km->buf, km->size, km->size, 0);
}

bool
ipc_kmsg_any_receive(const struct ipc_kmsg *km, bool (*fn)(struct ipc_port *, void *), void *arg)
{
	mach_msg_header_t h;
	struct desc d;

	memcpy(&h, km->buf, sizeof h);
	if (!(h.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return false;
	for (uint32_t off = sizeof h; off < km->size; off = d.next) {
		if (parse_desc(km->buf, off, km->size, &d) != MACH_MSG_SUCCESS)
			return false;
		if (d.name != MACH_MSG_TYPE_PORT_RECEIVE)
			continue;
		struct ipc_port **ports = NULL;
		if (!d.inl)
			memcpy(&ports, km->buf + d.data, sizeof ports);
		for (uint64_t i = 0; i < d.number; i++) {
			struct ipc_port *p = d.inl   ? slot_port(km->buf + d.data + 8 * i)
			                     : ports ? ports[i]
			                             : NULL;
			if (slot_has_right(p) && fn(p, arg))
				return true;
		}
	}
	return false;
}

ipc_ool_held_fn *ipc_kmsg_ool_held_hook;

/*
 * Not only the buffer: an OOL port array of n names holds ool_ports_len(n)
 * bytes of kernel memory (up to 12 MiB) behind a 16-byte descriptor, and
 * counting the buffer alone let messages of such arrays, queued to
 * send-once rights (which pass a full queue), take most of the kernel's
 * memory before any bound was met (ipc-exhaust). OOL data holds what the
 * VM says its copy holds (its page array and pages, ipc_kmsg_ool_held_hook).
 */
uint64_t
ipc_kmsg_held_bytes(const struct ipc_kmsg *km, bool *receive)
{
	mach_msg_header_t h;
	struct desc d;
	uint64_t bytes = km->size;
	const struct ipc_kmsg_head *kh = (const struct ipc_kmsg_head *)ipc_kmsg_queue_head(km);

	if (kh->kh_body & IPC_KMSG_BODY_KNOWN) { /* copyin's walk counted it */
		if (receive)
			*receive = kh->kh_body & IPC_KMSG_BODY_RECEIVE;
		return kh->kh_held;
	}
	if (receive)
		*receive = false;
	memcpy(&h, km->buf, sizeof h);
	if (!(h.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return bytes;
	for (uint32_t off = sizeof h; off < km->size; off = d.next) {
		if (parse_desc(km->buf, off, km->size, &d) != MACH_MSG_SUCCESS)
			break;
		if (receive && d.name == MACH_MSG_TYPE_PORT_RECEIVE && d.number)
			*receive = true;
		if (d.is_port && !d.inl && d.number) {
			bytes += ool_ports_len(d.number);
		} else if (!d.is_port && !d.inl && d.bytes && ipc_kmsg_ool_held_hook) {
			const void *copy;
			memcpy(&copy, km->buf + d.data, sizeof copy);
			if (copy)
				bytes += ipc_kmsg_ool_held_hook(copy);
		}
	}
	return bytes;
}

/* Names for an OOL port array, mapped in the receiver; consumes the array. */
static uint64_t
ool_ports_out(const struct ipc_msg_ops *ops, const struct desc *d, void *obj, mach_msg_return_t *mr)
{
	struct ipc_port **ports = obj;
	mach_port_name_t *names = (mach_port_name_t *)(ports + d->number);
	uint64_t addr = 0;
	struct vm_copy *copy = NULL;

	for (uint64_t i = 0; i < d->number; i++) {
		struct ipc_port *p = ports[i];
		names[i] = p == KMSG_PORT_DEAD ? MACH_PORT_DEAD
		           : p                 ? ops->right_copyout(ops->ctx, p, d->name)
		                               : MACH_PORT_NULL;
	}
	if (ops->ool_from_kernel(ops->ctx, names, d->number * sizeof *names, &copy) !=
	        KERN_SUCCESS ||
	    ops->ool_copyout(ops->ctx, copy, &addr) != KERN_SUCCESS) {
		if (copy)
			ops->ool_discard(ops->ctx, copy);
		addr = 0;
		*mr |= MACH_MSG_VM_SPACE;
	}
	ops->free(ops->ctx, obj, ool_ports_len(d->number));
	return addr;
}

static mach_msg_return_t
body_copyout(const struct ipc_msg_ops *ops, uint8_t *buf, uint32_t end)
{
	uint32_t off = sizeof(mach_msg_header_t);
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	struct desc d;

	while (off + sizeof(mach_msg_type_t) <= end && parse_known(buf, off, end, &d)) {
		if (d.inl && d.is_port) {
			for (uint64_t i = 0; i < d.number; i++) {
				uint8_t *s = buf + d.data + 8 * i;
				struct ipc_port *p = slot_port(s);
				uint64_t n = p == KMSG_PORT_DEAD ? MACH_PORT_DEAD
				             : p ? ops->right_copyout(ops->ctx, p, d.name)
				                 : MACH_PORT_NULL;
				memcpy(s, &n, sizeof n);
			}
		} else if (!d.inl) {
			void *obj;
			uint64_t addr = 0;
			mach_msg_type_t t;
			/* The receiver owns the region: GNU Mach marks it deallocate. */
			memcpy(&t, buf + off, sizeof t);
			t.msgt_deallocate = 1;
			memcpy(buf + off, &t, sizeof t);
			memcpy(&obj, buf + d.data, sizeof obj);
			if (obj && d.is_port) {
				addr = ool_ports_out(ops, &d, obj, &mr);
			} else if (obj && ops->ool_copyout(ops->ctx, obj, &addr) != KERN_SUCCESS) {
				ops->ool_discard(ops->ctx, obj);
				addr = 0;
				mr |= MACH_MSG_VM_SPACE;
			}
			memcpy(buf + d.data, &addr, sizeof addr);
		}
		off = d.next;
	}
	return mr;
}

mach_msg_return_t
ipc_kmsg_copyout(const struct ipc_msg_ops *ops, struct ipc_kmsg *km, uint64_t ubuf,
                 mach_msg_size_t rcv_size)
{
	if (km->size > rcv_size)
		return MACH_RCV_TOO_LARGE;

	mach_msg_header_t h;
	memcpy(&h, km->buf, sizeof h);
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h.msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h.msgh_bits);
	struct ipc_port *dest = slot_port(km->buf + 8), *reply = slot_port(km->buf + 16);
	uint64_t dn = ops->dest_copyout(ops->ctx, dest, dt, &dt);
	uint64_t rn = reply ? ops->right_copyout(ops->ctx, reply, rt) : MACH_PORT_NULL;

	/* The receiver sees the reply port as remote and its own port as local. */
	h.msgh_bits = MACH_MSGH_BITS_OTHER(h.msgh_bits) | MACH_MSGH_BITS(rt, dt);
	memcpy(km->buf, &h, sizeof h);
	memcpy(km->buf + 8, &rn, sizeof rn);
	memcpy(km->buf + 16, &dn, sizeof dn);

	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	if (h.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		mr = body_copyout(ops, km->buf, km->size);
	/* The rights now have names in the receiver: they are its, even if lost here. */
	if (!ops->copyout(ops->ctx, km->buf, ubuf, km->size))
		mr = MACH_RCV_INVALID_DATA;
	ipc_kmsg_free(ops, km);
	return mr;
}

mach_msg_return_t
ipc_kmsg_copyout_pseudo(const struct ipc_msg_ops *ops, struct ipc_kmsg *km, uint64_t ubuf)
{
	mach_msg_header_t h;
	memcpy(&h, km->buf, sizeof h);
	struct ipc_port *dest = slot_port(km->buf + 8), *reply = slot_port(km->buf + 16);
	uint64_t dn = ops->right_copyout(ops->ctx, dest, MACH_MSGH_BITS_REMOTE(h.msgh_bits));
	uint64_t rn =
	    reply ? ops->right_copyout(ops->ctx, reply, MACH_MSGH_BITS_LOCAL(h.msgh_bits)) : 0;

	/* Not turned round: the sender sees its own header, names for the rights it held. */
	memcpy(km->buf + 8, &dn, sizeof dn);
	memcpy(km->buf + 16, &rn, sizeof rn);
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	if (h.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		mr = body_copyout(ops, km->buf, km->size);
	if (!ops->copyout(ops->ctx, km->buf, ubuf, km->size))
		mr = MACH_SEND_INVALID_DATA;
	ipc_kmsg_free(ops, km);
	return mr;
}

/*
 * Messages the kernel writes. A MIG KernelServer stub writes each right
 * as a port pointer with a disposition or a type in transit (the MOVE_*
 * dispositions and the PORT_* types are the same numbers), and an OOL
 * port array as an array of 64-bit port pointers (msgt_size 64).
 */

size_t
ipc_kmsg_ool_ports_size(uint64_t number)
{
	return ool_ports_len(number);
}

/* The right in transit disposition disp of port stands for: made now, or the right itself. */
static struct ipc_port *
kernel_right(const struct ipc_msg_ops *ops, struct ipc_port *port, mach_msg_type_name_t disp)
{
	if (port == NULL)
		return NULL;
	switch (disp) {
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return ops->right_make(ops->ctx, port, disp);
	default:
		return port;
	}
}

static void
kernel_slot_right(const struct ipc_msg_ops *ops, uint8_t *slot, mach_msg_type_name_t disp)
{
	struct ipc_port *p = kernel_right(ops, slot_port(slot), disp);
	memcpy(slot, &p, sizeof p);
}

/* Checks the descriptors of a kernel-written body, OOL port arrays of size ool_port_size. */
static mach_msg_return_t
kernel_body_check(const uint8_t *buf, uint32_t end, unsigned ool_port_size)
{
	struct desc d;

	for (uint32_t off = sizeof(mach_msg_header_t); off < end; off = d.next) {
		mach_msg_return_t mr = parse_desc_sized(buf, off, end, &d, ool_port_size);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	return MACH_MSG_SUCCESS;
}

static void
kernel_body_copyin(const struct ipc_msg_ops *ops, uint8_t *buf, uint32_t end)
{
	struct desc d;

	for (uint32_t off = sizeof(mach_msg_header_t); off < end; off = d.next) {
		parse_desc_sized(buf, off, end, &d, 64);
		if (!d.is_port)
			continue;
		if (d.inl) {
			for (uint64_t i = 0; i < d.number; i++)
				kernel_slot_right(ops, buf + d.data + 8 * i, d.name);
		} else {
			struct ipc_port **ports;
			memcpy(&ports, buf + d.data, sizeof ports);
			for (uint64_t i = 0; ports && i < d.number; i++)
				ports[i] = kernel_right(ops, ports[i], d.name);
			mach_msg_type_t t;
			memcpy(&t, buf + off, sizeof t);
			t.msgt_size = 32; /* the kernel form's element: a name once out */
			memcpy(buf + off, &t, sizeof t);
		}
		set_type_name(buf, off, ipc_kmsg_disp_to_type(d.name));
	}
}

mach_msg_return_t
ipc_kmsg_copyin_kernel(const struct ipc_msg_ops *ops, struct ipc_kmsg *km)
{
	mach_msg_header_t h;

	((struct ipc_kmsg_head *)ipc_kmsg_queue_head(km))->kh_body = 0; /* not a user's copyin */
	if (km->size < sizeof h || (km->size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	memcpy(&h, km->buf, sizeof h);
	if (h.msgh_size != km->size)
		return MACH_SEND_MSG_TOO_SMALL;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h.msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h.msgh_bits);
	/* No destination at all is allowed: such a message is only converted to be destroyed. */
	bool no_dest = dt == 0 && slot_port(km->buf + 8) == NULL;
	if ((!no_dest && !MACH_MSG_TYPE_PORT_ANY_SEND(dt)) ||
	    (rt != 0 && !MACH_MSG_TYPE_PORT_ANY_SEND(rt)))
		return MACH_SEND_INVALID_HEADER;
	if ((h.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		mach_msg_return_t mr = kernel_body_check(km->buf, km->size, 64);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	/* Checked: from here nothing fails. */
	kernel_slot_right(ops, km->buf + 8, dt);
	if (rt)
		kernel_slot_right(ops, km->buf + 16, rt);
	h.msgh_bits = (h.msgh_bits &
	               ~(mach_msg_bits_t)(MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK)) |
	              MACH_MSGH_BITS(no_dest ? 0 : ipc_kmsg_disp_to_type(dt),
	                             rt ? ipc_kmsg_disp_to_type(rt) : 0);
	memcpy(km->buf, &h.msgh_bits, sizeof h.msgh_bits);
	if (h.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		kernel_body_copyin(ops, km->buf, km->size);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t
ipc_kmsg_ool_ports_for_server(struct ipc_kmsg *km, bool to_server)
{
	unsigned from = to_server ? 32 : 64, to = to_server ? 64 : 32;
	struct desc d;

	if (!(((const mach_msg_header_t *)km->buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return MACH_MSG_SUCCESS;
	mach_msg_return_t mr = kernel_body_check(km->buf, km->size, from);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	for (uint32_t off = sizeof(mach_msg_header_t); off < km->size; off = d.next) {
		parse_desc_sized(km->buf, off, km->size, &d, from);
		if (d.is_port && !d.inl) {
			mach_msg_type_t t;
			memcpy(&t, km->buf + off, sizeof t);
			t.msgt_size = to & 0xffff;
			memcpy(km->buf + off, &t, sizeof t);
		}
	}
	return MACH_MSG_SUCCESS;
}
