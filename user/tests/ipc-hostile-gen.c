// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hostile test's random calls: mach_msg with random headers, sizes,
 * dispositions, type descriptors (short and long form, inline and out of
 * line), pointers, options and timeouts; kernel-server messages with real
 * routine ids and plausible bodies; and random traps with random
 * arguments. What is random is bounded only where the test itself would
 * otherwise break, each bound with its reason:
 * - a name the driver keeps (struct hostile_names) is sent COPY_SEND only;
 * - this task's own task and thread ports get only routines that change
 *   nothing (a random task_suspend of itself would never return); any
 *   routine goes to the throwaway victim task but task_create (a task
 *   nobody ends), task_resume, thread_resume (a thread with no state would
 *   fault and the kernel would kill the victim, which the harness counts
 *   as a failure) and gsync_wait (it blocks the caller for good);
 * - every send and receive has a timeout (nothing else would wake this
 *   single thread), of 0 to 2 ms;
 * - a receive buffer is always this task's own 64 KiB buffer, unless the
 *   receive is from the sink, whose messages carry no rights: a receive
 *   into a bad buffer fails after the rights were given names, which
 *   GNU Mach leaves in the space too (a name "leak" that is the ABI's);
 * - msgt_deallocate only with the scratch pages or bad addresses;
 * - traps outside GNU Mach's table end the task (badtrap covers that),
 *   evc_wait may block, thread_set_self_state would set this thread's
 *   registers: those numbers are not used. Task-changing shortcut traps
 *   (-64 to -75) aim at the victim or at a bogus name.
 */
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

#include "ipc-hostile.h"

static uint64_t rng_state = 1;

void
hostile_seed(uint64_t seed)
{
	rng_state = seed ? seed : 1;
}

uint64_t
hostile_rand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n). */
static uint32_t
below(uint32_t n)
{
	return (uint32_t)((hostile_rand() >> 32) % n);
}

static int
chance(unsigned percent)
{
	return below(100) < percent;
}

static uint64_t send_buf[HOSTILE_BUF / 8];
char hostile_last[200];        /* what the last call was, for a failure's report */
static uint64_t ool_ports[64]; /* OOL port arrays built in plain memory, 8 names each */
static unsigned ool_slice;     /* the next array's place in ool_ports */

/* ---- names and dispositions ---- */

static int
is_kept(const struct hostile_names *n, mach_port_t name)
{
	for (unsigned i = 0; i < n->nkept; i++)
		if (n->kept[i] == name)
			return 1;
	return 0;
}

/* A name that is no right of this task (the kept ones excluded). */
static mach_port_t
bogus_name(const struct hostile_names *n)
{
	mach_port_t v;

	switch (below(4)) {
	case 0:
		v = below(64); /* small: a free name, or one of the pool */
		break;
	case 1:
		v = (mach_port_t)hostile_rand();
		break;
	case 2:
		return MACH_PORT_DEAD;
	default:
		return MACH_PORT_NULL;
	}
	return is_kept(n, v) ? v | 0x40000000u : v;
}

static mach_port_t
pool_name(const struct hostile_names *n)
{
	switch (below(4)) {
	case 0:
	case 1:
		return n->toy[below(HOSTILE_TOYS)];
	case 2:
		return n->sonce[below(HOSTILE_SONCE)];
	default:
		return chance(50) ? n->dead : n->pset;
	}
}

static mach_port_t
kept_name(const struct hostile_names *n)
{
	const mach_port_t k[] = {n->server, n->host,   n->task,
	                         n->thread, n->victim, n->victim_thread};
	return k[below(sizeof(k) / sizeof(k[0]))];
}

static mach_port_t
any_name(const struct hostile_names *n)
{
	unsigned r = below(10);

	return r < 5 ? pool_name(n) : r < 7 ? kept_name(n) : bogus_name(n);
}

/* A disposition, mostly a valid one; sometimes any number. */
static mach_msg_type_name_t
disposition(void)
{
	if (chance(85))
		return MACH_MSG_TYPE_MOVE_RECEIVE + below(6); /* 16 .. 21 */
	return below(32);
}

/* name sent with disp: a kept name only by COPY_SEND. */
static mach_msg_type_name_t
safe_disposition(const struct hostile_names *n, mach_port_t name, mach_msg_type_name_t disp)
{
	if (is_kept(n, name) || name == n->sink)
		return MACH_MSG_TYPE_COPY_SEND;
	return disp;
}

/* ---- pointers ---- */

/* An out-of-line pointer; *may_free says whether msgt_deallocate may be set with it. */
static uint64_t
ool_pointer(const struct hostile_names *n, uint64_t *size, int *may_free)
{
	static const uint64_t bad[] = {
	    0,
	    0x1000,
	    0x6ffffffff000ull, /* unmapped (the stack is at the top of the user half) */
	    0x800000000000ull,
	    0xffff800000000000ull, /* the kernel's half */
	    0xffffffff80000000ull,
	    0xfffffffffffff000ull, /* + size wraps */
	    0x00006ffffffffff8ull,
	};
	*may_free = 1;
	switch (below(5)) {
	case 0:
	case 1: {
		uint64_t off = below(HOSTILE_SCRATCH * 4096);
		if (chance(80))
			*size = below((uint32_t)(HOSTILE_SCRATCH * 4096 - off) + 1);
		return n->scratch + off;
	}
	case 2:
		/* This program's own text and data: readable, never to be freed. */
		*may_free = 0;
		*size = below(8192);
		return chance(50) ? (uint64_t)(uintptr_t)&hostile_rand
		                  : (uint64_t)(uintptr_t)send_buf;
	default:
		return bad[below(sizeof(bad) / sizeof(bad[0]))] + (chance(20) ? below(4096) : 0);
	}
}

/* A size: small, page-sized, huge or overflowing. */
static uint64_t
random_size(void)
{
	switch (below(6)) {
	case 0:
		return below(64);
	case 1:
		return (uint64_t)below(16) * 4096;
	case 2:
		return 1ull << (20 + below(20)); /* a MiB to half a TiB */
	case 3:
		return 0xffffffffull - below(4096);
	case 4:
		return ~0ull - below(8192);
	default:
		return below(100000);
	}
}

/* ---- bodies ---- */

static void
put_type(uint64_t *w, unsigned name, unsigned size, uint32_t number, int is_inline, int dealloc)
{
	mach_msg_type_t t;

	memset(&t, 0, sizeof(t));
	t.msgt_name = name;
	t.msgt_size = size;
	t.msgt_number = number;
	t.msgt_inline = is_inline;
	t.msgt_deallocate = dealloc;
	t.msgt_longform = chance(10);
	if (chance(3))
		t.msgt_unused = below(32);
	memcpy(w, &t, sizeof(t));
}

/* One descriptor and its data at send_buf[*i]; returns 0 when the buffer is full. */
static int
put_descriptor(const struct hostile_names *n, unsigned *i, int plausible)
{
	unsigned room = HOSTILE_BUF / 8 - *i;
	uint64_t *w = &send_buf[*i];

	if (room < 40)
		return 0;
	unsigned kind = plausible ? (chance(85) ? 0 : 1) : below(6);
	switch (kind) {
	case 0: { /* an integer, as MIG's routines take them (names as PORT_NAME) */
		static const unsigned names[] = {MACH_MSG_TYPE_INTEGER_32, MACH_MSG_TYPE_PORT_NAME,
		                                 MACH_MSG_TYPE_INTEGER_64, MACH_MSG_TYPE_BOOLEAN};
		unsigned name = names[below(4)];
		unsigned bits = name == MACH_MSG_TYPE_INTEGER_64 ? 64 : 32;
		put_type(w, name, bits, 1, 1, 0);
		w[1] = chance(50) ? below(8) : chance(50) ? (uint64_t)any_name(n) : hostile_rand();
		*i += 2;
		return 1;
	}
	case 1: { /* inline rights */
		uint32_t count = 1 + below(3);
		mach_msg_type_name_t d = disposition();
		for (uint32_t k = 0; k < count; k++) {
			w[1 + k] = any_name(n);
			d = safe_disposition(n, (mach_port_t)w[1 + k], d);
		}
		put_type(w, d, chance(90) ? 64 : (chance(50) ? 32 : below(65536)), count, 1, 0);
		*i += 1 + count;
		return 1;
	}
	case 2: { /* inline data of any type, its count sometimes past the end */
		uint32_t count = chance(90) ? below(32) : (uint32_t)hostile_rand();
		unsigned size = chance(80) ? 8u << below(4) : below(65536);
		unsigned name = chance(80) ? MACH_MSG_TYPE_INTEGER_8 + below(10) : below(256);
		put_type(w, name, size, count, 1, chance(3));
		uint64_t words = ((uint64_t)count * size + 63) / 64;
		if (words > room - 1)
			words = below(room - 1);
		/* Read as names (a port type), such words name nothing: bit 30 is set. */
		for (uint64_t k = 0; k < words; k++)
			w[1 + k] = hostile_rand() | (1ull << 30);
		*i += 1 + (unsigned)words;
		return 1;
	}
	case 3: { /* out-of-line data */
		uint64_t size = random_size();
		int may_free;
		uint64_t p = ool_pointer(n, &size, &may_free);
		if (!may_free && size > 8192)
			size = 8192;
		put_type(w, MACH_MSG_TYPE_INTEGER_8, 8, (uint32_t)size, 0, may_free && chance(30));
		if (chance(20)) /* the count in bits, as 32-bit elements */
			put_type(w, MACH_MSG_TYPE_INTEGER_32, 32, (uint32_t)(size / 4), 0, 0);
		w[1] = p;
		*i += 2;
		return 1;
	}
	case 4: { /* an out-of-line port array */
		uint32_t count = chance(90) ? below(8) : (uint32_t)hostile_rand();
		mach_msg_type_name_t d = disposition();
		/* Each array its own 8 names: a later one must not rewrite an earlier one's. */
		uint32_t *names = (uint32_t *)ool_ports + 8 * (ool_slice++ % 16);
		uint64_t p = (uint64_t)(uintptr_t)names;
		int all_ok = 1;
		for (uint32_t k = 0; k < 8; k++) {
			names[k] = any_name(n);
			all_ok &= safe_disposition(n, names[k], d) == d;
		}
		/* Past the 8 names, the kernel reads whatever memory follows: copy only. */
		if (!all_ok || count > 8)
			d = MACH_MSG_TYPE_COPY_SEND;
		if (chance(15)) {
			int may_free;
			uint64_t size = 0;
			p = ool_pointer(n, &size, &may_free);
			if (!may_free)
				p = 0x1000;
			/* Rights read from scratch memory could be any names: copy only. */
			d = MACH_MSG_TYPE_COPY_SEND;
		}
		put_type(w, d, chance(90) ? 32 : 64, count, 0, 0);
		w[1] = p;
		*i += 2;
		return 1;
	}
	default: /* a word of garbage, but not a descriptor of rights (see case 2) */
		w[0] = hostile_rand();
		if (MACH_MSG_TYPE_PORT_ANY(w[0] & 0xff))
			w[0] ^= 0x80;
		*i += 1;
		return 1;
	}
}

/* ---- messages ---- */

/* Routines this task may call on its own task and thread ports: they change nothing. */
static const int self_ids[] = {
    2011, 2012, 2017, 2019, 2026, 2029, 2030, 2034, 2058, 2067, /* mach.defs */
    3200, 3201, 3207, 3212, 3217,                               /* mach_port.defs */
    4200, 4214,                                                 /* gnumach.defs */
    1999, 2100, 3199, 3300, 4299, 0,    -1,                     /* no routine */
};

/* Routines never sent to the victim (see the file's comment). */
static int
victim_denied(int id)
{
	return id == 2007 || id == 2057 || id == 2063 || id == 4204;
}

/* A routine id of GNU Mach's kernel interfaces, or near one. */
static int
kernel_id(void)
{
	static const int base[] = {2000, 2600, 3000, 3200, 4200};
	static const int span[] = {100, 50, 50, 30, 20};
	unsigned k = below(5);
	return base[k] + (int)below(span[k]);
}

/* Fills the header; returns the destination chosen. */
static mach_port_t
put_header(const struct hostile_names *n, int to_kernel, int *id)
{
	mach_msg_header_t *h = (mach_msg_header_t *)send_buf;
	mach_port_t dest, reply = MACH_PORT_NULL;
	mach_msg_type_name_t dd, rd = 0;

	if (to_kernel) {
		unsigned k = below(5);
		dest = k == 0   ? n->task
		       : k == 1 ? n->thread
		       : k == 2 ? n->host
		       : k == 3 ? n->victim
		                : n->victim_thread;
		if (dest == n->task || dest == n->thread) {
			*id = self_ids[below(sizeof(self_ids) / sizeof(self_ids[0]))];
		} else {
			do
				*id = kernel_id();
			while (victim_denied(*id));
		}
		dd = MACH_MSG_TYPE_COPY_SEND;
		if (chance(90)) {
			reply = n->toy[below(HOSTILE_TOYS)];
			rd = chance(80) ? MACH_MSG_TYPE_MAKE_SEND_ONCE : MACH_MSG_TYPE_MAKE_SEND;
		}
	} else {
		dest = chance(15) ? n->server : any_name(n);
		dd = safe_disposition(n, dest, disposition());
		*id = chance(20) ? HOSTILE_ECHO_ID : chance(50) ? kernel_id() : (int)hostile_rand();
		/* A kernel port among the names gets only the ids the kernel path would send. */
		if (dest == n->task || dest == n->thread)
			*id = self_ids[below(sizeof(self_ids) / sizeof(self_ids[0]))];
		while ((dest == n->victim || dest == n->victim_thread) && victim_denied(*id))
			*id = kernel_id();
		if (chance(70)) {
			reply = any_name(n);
			rd = safe_disposition(n, reply, disposition());
		} else if (chance(30)) {
			rd = below(32); /* a disposition without a name, or any number */
		}
	}
	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(dd, rd);
	if (chance(2))
		h->msgh_bits |= (uint32_t)hostile_rand() & 0x7fff0000u;
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_size = (mach_msg_size_t)hostile_rand();
	h->msgh_seqno = (mach_port_seqno_t)hostile_rand();
	h->msgh_id = *id;
	return dest;
}

/* The receive name of a combined call: the pool's ports, the set, or anything. */
static mach_port_t
receive_name(const struct hostile_names *n)
{
	unsigned r = below(8);
	return r < 4 ? n->toy[below(HOSTILE_TOYS)] : r < 6 ? n->pset : any_name(n);
}

static void
count_return(struct hostile_stats *st, mach_msg_return_t mr, const char *what)
{
	if (!hostile_valid_mr(mr)) {
		st->bad_codes++;
		if (st->bad_codes <= 5)
			tap_diag("%s returned %#x, not a mach_msg_return_t or kern_return_t", what,
			         mr);
	}
}

/* A message; a receive that succeeds has its message discarded at once. */
static void
random_message(const struct hostile_names *n, struct hostile_stats *st, int to_kernel)
{
	int id;
	put_header(n, to_kernel, &id);
	unsigned i = sizeof(mach_msg_header_t) / 8, count = below(to_kernel ? 5 : 7);
	int complex = 0;
	for (unsigned k = 0; k < count; k++) {
		unsigned before = i;
		if (!put_descriptor(n, &i, to_kernel && chance(80)))
			break;
		mach_msg_type_t *t = (mach_msg_type_t *)&send_buf[before];
		complex |= !t->msgt_inline || MACH_MSG_TYPE_PORT_ANY(t->msgt_name);
	}
	mach_msg_header_t *h = (mach_msg_header_t *)send_buf;
	if (complex ? chance(95) : chance(5))
		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;

	uint32_t size = i * 8;
	switch (below(12)) {
	case 0:
		size = below(size + 16); /* cut short, or unaligned */
		break;
	case 1:
		size = (uint32_t)hostile_rand();
		break;
	case 2:
		size += below(64);
		break;
	}
	if (size > HOSTILE_BUF && chance(50))
		size = HOSTILE_BUF;

	mach_msg_option_t opt = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	mach_port_t rcv = MACH_PORT_NULL;
	uint32_t rcv_size = 0;
	void *buf = send_buf;
	if (to_kernel || chance(30)) {
		opt |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		rcv = to_kernel ? h->msgh_local_port : receive_name(n);
		rcv_size = chance(85) ? HOSTILE_BUF : below(HOSTILE_BUF);
	}
	if (chance(10))
		opt |= (chance(50) ? MACH_SEND_NOTIFY : MACH_SEND_INTERRUPT) |
		       (chance(50) ? MACH_RCV_LARGE : MACH_RCV_INTERRUPT);
	if (chance(2))
		opt |= (mach_msg_option_t)hostile_rand() &
		       ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT);
	if (chance(3)) {
		/* A bad message pointer: sent alone, or with a receive from the sink. */
		int may_free;
		uint64_t ignored = 0;
		buf = (void *)(uintptr_t)ool_pointer(n, &ignored, &may_free);
		if (!may_free || (uintptr_t)buf - n->scratch < HOSTILE_SCRATCH * 4096)
			buf = (void *)0x1000;
		opt &= ~MACH_RCV_MSG;
		if (chance(50)) {
			opt |= MACH_RCV_MSG;
			rcv = n->sink;
			rcv_size = HOSTILE_BUF;
		}
	}
	mach_msg_timeout_t timeout = chance(90) ? 0 : below(3);
	mach_port_t notify = chance(10) ? any_name(n) : MACH_PORT_NULL;
	snprintf(hostile_last, sizeof(hostile_last),
	         "mach_msg bits %#x dest %u reply %u id %d opt %#x size %u rcv %u/%u", h->msgh_bits,
	         h->msgh_remote_port, h->msgh_local_port, h->msgh_id, opt, size, rcv, rcv_size);
	mach_msg_return_t mr = mach_msg_trap(buf, opt, size, rcv_size, rcv, timeout, notify);
	size_t len = strlen(hostile_last);
	snprintf(hostile_last + len, sizeof(hostile_last) - len, ": %#x", mr);
	count_return(st, mr, "mach_msg");
	if (to_kernel)
		st->kmsgs++;
	else
		st->msgs++;
	/*
	 * A send that timed out or was interrupted, or a MACH_SEND_NOTIFY
	 * refused, gives the message back (GNU Mach's pseudo-receive): its
	 * rights are this task's again, the destination's and the reply's too,
	 * and it must destroy them.
	 */
	mach_msg_return_t code = mr & ~MACH_MSG_MASK;
	if (buf == send_buf &&
	    (code == MACH_SEND_TIMED_OUT || code == MACH_SEND_INTERRUPTED ||
	     code == MACH_SEND_INVALID_NOTIFY || code == MACH_SEND_NOTIFY_IN_PROGRESS ||
	     code == MACH_SEND_NO_NOTIFY)) {
		if (MACH_MSGH_BITS_LOCAL(h->msgh_bits) && MACH_PORT_VALID(h->msgh_local_port))
			syscall_mach_port_deallocate(n->task, h->msgh_local_port);
		hostile_discard(h, n->task);
		return;
	}
	if ((opt & MACH_RCV_MSG) && buf == send_buf &&
	    (mr == MACH_MSG_SUCCESS || (mr & ~MACH_MSG_MASK) == MACH_RCV_BODY_ERROR)) {
		st->received++;
		mach_msg_header_t copy = *h;
		mach_msg_return_t dr = hostile_discard(h, n->task);
		if (dr != MACH_MSG_SUCCESS)
			tap_diag("discard of %s: %#x (bits %#x size %u id %d)", hostile_last, dr,
			         copy.msgh_bits, copy.msgh_size, copy.msgh_id);
	}
}

/* A bare message to the sink, so a bad-buffer receive from it finds one. */
static void
feed_sink(const struct hostile_names *n)
{
	mach_msg_header_t *h = (mach_msg_header_t *)send_buf;

	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h->msgh_remote_port = n->sink;
	h->msgh_id = 1;
	snprintf(hostile_last, sizeof(hostile_last), "a bare message to the sink %u", n->sink);
	/* On a full queue the made send right comes back (pseudo-receive): drop it. */
	if (mach_msg_trap(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(*h), 0, MACH_PORT_NULL, 0,
	                  MACH_PORT_NULL) == MACH_SEND_TIMED_OUT)
		syscall_mach_port_deallocate(n->task, n->sink);
}

void
hostile_prefault(void)
{
	memset(send_buf, 0, sizeof(send_buf));
	memset(ool_ports, 0, sizeof(ool_ports));
}

/* The first words of the last message built, as TAP comments. */
void
hostile_dump(void)
{
	for (unsigned i = 0; i < 24; i += 4)
		tap_diag("  %016lx %016lx %016lx %016lx", (unsigned long)send_buf[i],
		         (unsigned long)send_buf[i + 1], (unsigned long)send_buf[i + 2],
		         (unsigned long)send_buf[i + 3]);
}

/* ---- traps ---- */

static uint64_t
trap6(long number, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];
	uint64_t ret;

	__asm__ volatile("syscall"
	                 : "=a"(ret), "+r"(r10), "+r"(r8), "+r"(r9)
	                 : "a"(number), "D"(a[0]), "S"(a[1]), "d"(a[2])
	                 : "rcx", "r11", "memory");
	return ret;
}

/* An argument: a name, a pointer, a small number or anything. */
static uint64_t
random_arg(const struct hostile_names *n)
{
	int may_free;
	uint64_t size = 0;

	switch (below(5)) {
	case 0:
		return any_name(n);
	case 1:
		return ool_pointer(n, &size, &may_free);
	case 2:
		return below(16);
	case 3:
		return random_size();
	default:
		return hostile_rand();
	}
}

/* GNU Mach's named traps that the test does not call with random arguments. */
static int
trap_skipped(long t)
{
	return t == -17 || t == -18 || t == -25 || t == -77 || t == -33 || t == -34 || t == -41 ||
	       (t <= -43 && t >= -44) || (t <= -52 && t >= -53) || (t <= -80 && t >= -95);
}

static void
random_trap(const struct hostile_names *n, struct hostile_stats *st)
{
	uint64_t a[6];
	long t;

	do
		t = -1 - (long)below(129);
	while (trap_skipped(t));
	for (int k = 0; k < 6; k++)
		a[k] = random_arg(n);
	if (t <= -64 && t >= -75) /* the task-changing shortcuts: not this task */
		a[0] = chance(70) ? n->victim : bogus_name(n);
	if (t == -74) { /* insert_right: the right comes from this task's space */
		a[2] = any_name(n);
		a[3] = safe_disposition(n, (mach_port_t)a[2], (mach_msg_type_name_t)a[3]);
	}
	if (t == -61 && (a[1] == 1 || a[1] == 2)) /* thread_switch depress or wait */
		a[2] &= 1;
	if (t == -30) /* mach_print: nothing printable */
		a[0] = chance(50) ? 0 : 0x1000;
	if (t == -64 || t == -65 || t == -68 || t == -72) { /* the result goes to scratch memory */
		a[t >= -65 ? 1 : 2] = n->scratch + 8 * below(512);
		if (t == -68)
			a[0] = bogus_name(n); /* a task that nobody ends otherwise */
	}
	uint64_t r = trap6(t, a);
	snprintf(hostile_last, sizeof(hostile_last), "trap %ld (%#lx, %#lx, %#lx, %#lx): %#lx", t,
	         (unsigned long)a[0], (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3],
	         (unsigned long)r);
	st->traps++;
	switch (t) {
	case -26:
		if (MACH_PORT_VALID((mach_port_t)r))
			mach_port_destroy(n->task, (mach_port_t)r);
		break;
	case -27:
	case -28:
	case -29:
		if (MACH_PORT_VALID((mach_port_t)r))
			syscall_mach_port_deallocate(n->task, (mach_port_t)r);
		break;
	case -59:
	case -60:
		if (r > 1)
			count_return(st, (mach_msg_return_t)r, "swtch");
		break;
	default:
		count_return(st, (mach_msg_return_t)r, "trap");
	}
}

void
hostile_call(const struct hostile_names *n, struct hostile_stats *st)
{
	unsigned r = below(100);

	st->calls++;
	if (r < 55)
		random_message(n, st, 0);
	else if (r < 85)
		random_message(n, st, 1);
	else if (r < 97)
		random_trap(n, st);
	else
		feed_sink(n);
}

int
hostile_valid_mr(mach_msg_return_t mr)
{
	mach_msg_return_t code = mr & ~MACH_MSG_MASK;

	if (code >= MACH_SEND_IN_PROGRESS && code <= MACH_SEND_INVALID_HEADER)
		return 1;
	if (code >= MACH_RCV_IN_PROGRESS && code <= MACH_RCV_BODY_ERROR)
		return 1;
	/* kern_return_t, from KERN_SUCCESS to KERN_INTERRUPTED (28): no special bits. */
	return mr >= 0 && mr <= KERN_INTERRUPTED;
}
