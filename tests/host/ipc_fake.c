// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/ipc_fake.h"

#include <stdlib.h>
#include <string.h>

struct vm_copy { /* the fake's own copy object: the bytes themselves */
	uint64_t len;
	uint8_t data[];
};

static bool
range_ok(const bool *mapped, uint64_t a, uint64_t len)
{
	if (a < FAKE_BASE || a - FAKE_BASE > FAKE_MEM || len > FAKE_MEM - (a - FAKE_BASE))
		return false;
	for (uint64_t o = a - FAKE_BASE; o < a - FAKE_BASE + len; o = (o & ~4095ull) + 4096)
		if (!mapped[o / 4096])
			return false;
	return true;
}

static bool
f_copyin(void *ctx, uint64_t ua, void *kb, uint64_t len)
{
	struct fake_ipc *f = ctx;
	if (!range_ok(f->smapped, ua, len))
		return false;
	memcpy(kb, f->smem + (ua - FAKE_BASE), len);
	return true;
}

static bool
f_copyout(void *ctx, const void *kb, uint64_t ua, uint64_t len)
{
	struct fake_ipc *f = ctx;
	if (!range_ok(f->rmapped, ua, len))
		return false;
	memcpy(f->rmem + (ua - FAKE_BASE), kb, len);
	return true;
}

static void *
f_alloc(void *ctx, size_t len)
{
	struct fake_ipc *f = ctx;
	if (++f->nalloc == f->alloc_fail_at)
		return NULL;
	void *p = malloc(len ? len : 1);
	if (p)
		f->allocs++;
	return p;
}

static void
f_free(void *ctx, void *p, size_t len)
{
	struct fake_ipc *f = ctx;
	f->allocs--;
	free(p);
}

static struct fake_entry *
lookup(struct fake_ipc *f, mach_port_name_t n)
{
	if (n < 1 || n > FAKE_NPORTS || f->space[n - 1].port < 0)
		return NULL;
	return &f->space[n - 1];
}

static kern_return_t
f_right_copyin(void *ctx, mach_port_name_t n, mach_msg_type_name_t d, struct ipc_port **port)
{
	struct fake_ipc *f = ctx;
	struct fake_entry *e = lookup(f, n);
	if (!e)
		return KERN_INVALID_NAME;
	switch (d) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (!e->recv)
			return KERN_INVALID_RIGHT;
		e->recv = false;
		break;
	case MACH_MSG_TYPE_MOVE_SEND:
		if (!e->send)
			return KERN_INVALID_RIGHT;
		e->send--;
		break;
	case MACH_MSG_TYPE_COPY_SEND:
		if (!e->send)
			return KERN_INVALID_RIGHT;
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (!e->sonce)
			return KERN_INVALID_RIGHT;
		e->sonce--;
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (!e->recv)
			return KERN_INVALID_RIGHT;
		break;
	default:
		return KERN_INVALID_VALUE;
	}
	f->transit[e->port]++;
	*port = (struct ipc_port *)(uintptr_t)(0x1000 + e->port); /* never dereferenced */
	return KERN_SUCCESS;
}

static int
port_index(struct ipc_port *p)
{
	int i = (int)((uintptr_t)p - 0x1000);
	if (i < 0 || i >= FAKE_NPORTS)
		abort(); /* the layer handed back a pointer it was never given */
	return i;
}

static void
f_right_undo(void *ctx, mach_port_name_t n, mach_msg_type_name_t d, struct ipc_port *p)
{
	struct fake_ipc *f = ctx;
	struct fake_entry *e = lookup(f, n);
	int i = port_index(p);
	if (!e || e->port != i)
		abort();
	if (d == MACH_MSG_TYPE_MOVE_RECEIVE)
		e->recv = true;
	else if (d == MACH_MSG_TYPE_MOVE_SEND)
		e->send++;
	else if (d == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		e->sonce++;
	f->transit[i]--;
}

static void
f_right_release(void *ctx, struct ipc_port *p, mach_msg_type_name_t t)
{
	struct fake_ipc *f = ctx;
	if (t < MACH_MSG_TYPE_PORT_RECEIVE || t > MACH_MSG_TYPE_PORT_SEND_ONCE)
		abort();
	f->transit[port_index(p)]--;
}

static mach_port_name_t
f_right_copyout(void *ctx, struct ipc_port *p, mach_msg_type_name_t t)
{
	struct fake_ipc *f = ctx;
	int i = port_index(p);
	if (t < MACH_MSG_TYPE_PORT_RECEIVE || t > MACH_MSG_TYPE_PORT_SEND_ONCE)
		abort();
	f->transit[i]--;
	f->rcv[i][t - MACH_MSG_TYPE_PORT_RECEIVE]++;
	return FAKE_RNAME(i);
}

/* The destination right is used up; the receiver sees its receive right's name. */
static uint64_t
f_right_copyout_dest(void *ctx, struct ipc_port *p, mach_msg_type_name_t t,
                     mach_msg_type_name_t *lt)
{
	(void)lt;
	struct fake_ipc *f = ctx;
	int i = port_index(p);
	if (t != MACH_MSG_TYPE_PORT_SEND && t != MACH_MSG_TYPE_PORT_SEND_ONCE)
		abort();
	f->transit[i]--;
	f->dest[i]++;
	return FAKE_RNAME(i);
}

/* A right the kernel makes from a port (ipc_kmsg_copyin_kernel). */
static struct ipc_port *
f_right_make(void *ctx, struct ipc_port *p, mach_msg_type_name_t d)
{
	struct fake_ipc *f = ctx;
	if (d != MACH_MSG_TYPE_COPY_SEND && d != MACH_MSG_TYPE_MAKE_SEND &&
	    d != MACH_MSG_TYPE_MAKE_SEND_ONCE)
		abort();
	f->transit[port_index(p)]++;
	f->made[port_index(p)]++;
	return p;
}

static kern_return_t
f_ool_copyin(void *ctx, uint64_t ua, uint64_t size, bool move, struct vm_copy **copy)
{
	struct fake_ipc *f = ctx;
	if (!range_ok(f->smapped, ua, size))
		return KERN_INVALID_ADDRESS;
	struct vm_copy *c = malloc(sizeof *c + size);
	if (!c)
		return KERN_RESOURCE_SHORTAGE;
	c->len = size;
	memcpy(c->data, f->smem + (ua - FAKE_BASE), size);
	f->copies++;
	*copy = c;
	return KERN_SUCCESS;
}

/*
 * A move: the pages leave the sender. Like vm_deallocate, holes are fine:
 * two moved regions of one message may share a page.
 */
static void
f_ool_move_commit(void *ctx, uint64_t ua, uint64_t size, struct vm_copy *copy)
{
	struct fake_ipc *f = ctx;
	if (ua < FAKE_BASE || ua - FAKE_BASE > FAKE_MEM || size > FAKE_MEM - (ua - FAKE_BASE))
		abort(); /* never copied in: ool_copyin checked the range */
	for (uint64_t o = (ua - FAKE_BASE) & ~4095ull; o < ua - FAKE_BASE + size; o += 4096)
		f->smapped[o / 4096] = false;
}

static kern_return_t
f_ool_copyout(void *ctx, struct vm_copy *c, uint64_t *ua)
{
	struct fake_ipc *f = ctx;
	uint64_t at = (f->rnext + 4095) & ~4095ull;
	if (at + c->len > FAKE_MEM)
		return KERN_NO_SPACE;
	memcpy(f->rmem + at, c->data, c->len);
	for (uint64_t o = at; o < at + c->len; o += 4096)
		f->rmapped[o / 4096] = true;
	f->rnext = at + c->len;
	*ua = FAKE_BASE + at;
	f->copies--;
	free(c);
	return KERN_SUCCESS;
}

static void
f_ool_discard(void *ctx, struct vm_copy *c)
{
	struct fake_ipc *f = ctx;
	f->copies--;
	free(c);
}

static kern_return_t
f_ool_from_kernel(void *ctx, const void *buf, uint64_t len, struct vm_copy **copy)
{
	struct fake_ipc *f = ctx;
	struct vm_copy *c = malloc(sizeof *c + len);
	if (!c)
		return KERN_RESOURCE_SHORTAGE;
	c->len = len;
	memcpy(c->data, buf, len);
	f->copies++;
	*copy = c;
	return KERN_SUCCESS;
}

void
fake_ipc_init(struct fake_ipc *f, struct ipc_msg_ops *ops)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < FAKE_NPORTS; i++)
		f->space[i].port = -1;
	for (unsigned i = 0; i < FAKE_MEM / 4096; i++)
		f->smapped[i] = f->rmapped[i] = true;
	f->rnext = FAKE_MEM / 2; /* OOL regions go to the receiver's upper half */
	*ops = (struct ipc_msg_ops){
	    .ctx = f,
	    .copyin = f_copyin,
	    .copyout = f_copyout,
	    .alloc = f_alloc,
	    .free = f_free,
	    .right_copyin = f_right_copyin,
	    .right_undo = f_right_undo,
	    .right_release = f_right_release,
	    .right_make = f_right_make,
	    .right_copyout = f_right_copyout,
	    .dest_copyout = f_right_copyout_dest,
	    .ool_copyin = f_ool_copyin,
	    .ool_move_commit = f_ool_move_commit,
	    .ool_copyout = f_ool_copyout,
	    .ool_discard = f_ool_discard,
	    .ool_from_kernel = f_ool_from_kernel,
	};
}

int
fake_transit_total(const struct fake_ipc *f)
{
	int t = 0;
	for (int i = 0; i < FAKE_NPORTS; i++)
		t += f->transit[i];
	return t;
}
