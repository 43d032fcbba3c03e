/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the IPC test programs (user/tests/ipc-*.c): rights and
 * references through the mach_port.defs stubs, mach_msg with a timeout,
 * exact return-code checks printed in hex, and the layout of a received
 * message as TAP comments. Each program is one translation unit, so the
 * helpers are static.
 */
#ifndef USER_TESTS_IPC_UTIL_H
#define USER_TESTS_IPC_UTIL_H

#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

/* The task port, read once: each mach_task_self() adds a user reference. */
static mach_port_t self;

static inline void
ipc_init(void)
{
	self = mach_task_self();
}

/* Passes when got == want; both are printed in hex (return codes are). */
static inline int __attribute__((format(printf, 3, 4)))
is_kr(kern_return_t got, kern_return_t want, const char *fmt, ...)
{
	char desc[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	int ok = tap_ok(got == want, "%s", desc);
	if (!ok)
		tap_diag("got %#x, expected %#x", got, want);
	return ok;
}

static inline mach_port_t
new_receive(void)
{
	mach_port_t n = MACH_PORT_NULL;
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &n);
	if (kr != KERN_SUCCESS)
		tap_diag("mach_port_allocate: %#x", kr);
	return n;
}

/* A receive right with a send right under the same name. */
static inline mach_port_t
new_receive_send(void)
{
	mach_port_t n = new_receive();
	kern_return_t kr = mach_port_insert_right(self, n, n, MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS)
		tap_diag("mach_port_insert_right: %#x", kr);
	return n;
}

/* The user references of a right, or 0x8000_0000 | kr when the call fails. */
static inline mach_port_urefs_t
urefs(mach_port_t n, mach_port_right_t r)
{
	mach_port_urefs_t u = 0;
	kern_return_t kr = mach_port_get_refs(self, n, r, &u);
	return kr == KERN_SUCCESS ? u : 0x80000000u | (mach_port_urefs_t)kr;
}

/* The type of a name, or 0x8000_0000 | kr when the call fails. */
static inline mach_port_type_t
ptype(mach_port_t n)
{
	mach_port_type_t t = 0;
	kern_return_t kr = mach_port_type(self, n, &t);
	return kr == KERN_SUCCESS ? t : 0x80000000u | (mach_port_type_t)kr;
}

/* A port set, or MACH_PORT_NULL when mach_port_allocate fails. */
static inline mach_port_t
new_set(void)
{
	mach_port_t n = MACH_PORT_NULL;
	mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &n);
	return n;
}

/* How many names the task has (~0 when mach_port_names fails). */
static inline unsigned
name_count(void)
{
	mach_port_array_t names = 0;
	mach_port_type_array_t types = 0;
	mach_msg_type_number_t n = 0, nt = 0;

	if (mach_port_names(self, &names, &n, &types, &nt) != KERN_SUCCESS)
		return ~0u;
	vm_deallocate(self, (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(self, (vm_address_t)types, nt * sizeof(*types));
	return n;
}

static inline mach_port_status_t
pstatus(mach_port_t n)
{
	mach_port_status_t st;
	memset(&st, 0xff, sizeof(st));
	kern_return_t kr = mach_port_get_receive_status(self, n, &st);
	if (kr != KERN_SUCCESS)
		tap_diag("get_receive_status(%u): %#x", n, kr);
	return st;
}

static inline mach_msg_return_t
msg_send(void *m, mach_msg_size_t size)
{
	return mach_msg(m, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
	                MACH_PORT_NULL);
}

/* A message of only a header, id id, to dest's receive right (a send right made for it). */
static inline mach_msg_return_t
msg_send_id(mach_port_t dest, mach_msg_id_t id)
{
	mach_msg_header_t h = {
	    .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
	    .msgh_size = sizeof(h),
	    .msgh_remote_port = dest,
	    .msgh_id = id,
	};
	return msg_send(&h, sizeof(h));
}

/* A receive that never blocks for long: a lost message fails, not hangs. */
static inline mach_msg_return_t
msg_recv(void *m, mach_msg_size_t size, mach_port_t from)
{
	return mach_msg(m, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, size, from, 100, MACH_PORT_NULL);
}

static inline void
show_header(const char *what, const mach_msg_header_t *h)
{
	tap_diag("%s: bits %#x size %u remote %u local %u seqno %u id %d", what, h->msgh_bits,
	         h->msgh_size, h->msgh_remote_port, h->msgh_local_port, h->msgh_seqno, h->msgh_id);
}

static inline void
show_type(const char *what, const mach_msg_type_t *t)
{
	tap_diag("%s: msgt_name %u size %u number %u inline %u longform %u deallocate %u "
	         "unused %u",
	         what, t->msgt_name, t->msgt_size, t->msgt_number, t->msgt_inline, t->msgt_longform,
	         t->msgt_deallocate, t->msgt_unused);
}

static inline void
set_type(mach_msg_type_t *t, unsigned name, unsigned size, unsigned number, int is_inline)
{
	memset(t, 0, sizeof(*t));
	t->msgt_name = name;
	t->msgt_size = size;
	t->msgt_number = number;
	t->msgt_inline = is_inline;
}

#endif
