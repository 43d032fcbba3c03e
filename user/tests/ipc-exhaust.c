// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Resource exhaustion (issue 10, part 7): a task that allocates ports and
 * names without end, queues messages without end and sends huge
 * out-of-line regions is refused cleanly, keeps working, and once it has
 * freed everything the kernel's free pages and its names are back.
 *
 * - Ports: receive rights until refused (KERN_RESOURCE_SHORTAGE or
 *   KERN_NO_SPACE); dead names until the space is full. Each is done
 *   twice: the first round grows the name table and reverse map to their
 *   full size (they never shrink), the second is measured against it.
 * - Queues: a port at MACH_PORT_QLIMIT_MAX filled with messages carrying
 *   OOL memory and rights until MACH_SEND_TIMED_OUT, the refused message
 *   given back whole; send-once messages (which pass a full queue) until
 *   MACH_SEND_NO_BUFFER, the same; OOL port arrays of a million names;
 *   OOL regions whose pages only the queue holds, and vast untouched ones.
 * - Huge OOL: regions larger than memory (mapped: a virtual copy; not
 *   mapped: MACH_SEND_INVALID_MEMORY), sizes near 2^45 (the largest a
 *   descriptor holds), ranges wrapping past 2^64, a port array of 2^32-1.
 *
 * The queue and OOL tests run twice too, the first round a warm-up whose
 * page checks are only printed (this task's page tables over the regions
 * used and its map entries stay at their working size).
 *
 * vmach-only checks (exhaust_init tells the kernel; on GNU Mach they print
 * "# SKIP"): the refusals at a bound, and the memory held at it. GNU Mach
 * 2025 bounds neither ports, nor a space's names short of its table
 * sizes, nor queued bytes: a task filling them fills kernel memory, so
 * there the same loops stop at a fixed count and the cleanup is checked.
 * Everything else (MACH_SEND_TIMED_OUT at MACH_PORT_QLIMIT_MAX, the
 * refused message given back whole by the pseudo-receive, the huge OOL
 * codes) holds on both. Boot with -m 64M so that vmach's limits (an
 * eighth of memory for ports and for queued bytes, a sixteenth for one
 * space's names) come quickly: about 32,000 ports, 131,000 names.
 */
#include "ipc-exhaust.h"

#define PORT_CAP (1u << 20) /* the name array's size; vmach refuses far below */
#define GNUMACH_PORTS 20000 /* GNU Mach: ports allocated, then freed */
#define GNUMACH_SONCE 64    /* GNU Mach: send-once messages queued */
#define QUEUE_ID 7000
#define BIG_INLINE (64 * 1024)
#define OOL_PATTERN 0x5a

static mach_port_t *names; /* PORT_CAP names, vm_allocated */

/* ---- ports and names ---- */

/* Allocates rights of kind until refused (or cap); returns how many, *kr the refusal. */
static unsigned
fill_names(mach_port_right_t kind, unsigned cap, kern_return_t *kr)
{
	unsigned n = 0;

	*kr = KERN_SUCCESS;
	while (n < cap) {
		*kr = mach_port_allocate(self, kind, &names[n]);
		if (*kr != KERN_SUCCESS)
			break;
		n++;
	}
	return n;
}

static void
free_names(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		mach_port_destroy(self, names[i]);
}

/* One round of receive rights (or dead names) until refused; returns the count. */
static unsigned
ports_round(mach_port_right_t kind, const char *what, unsigned names0)
{
	kern_return_t kr;
	unsigned cap = on_vmach ? PORT_CAP : GNUMACH_PORTS;
	unsigned n = fill_names(kind, cap, &kr);

	tap_diag("%s: %u allocated, then %#x", what, n, kr);
	vmach_only(kr == KERN_RESOURCE_SHORTAGE || kr == KERN_NO_SPACE,
	           "GNU Mach has no such limit",
	           "refused with KERN_RESOURCE_SHORTAGE or KERN_NO_SPACE");
	vmach_only(n > 1000, "not refused", "refused only after more than a thousand");
	mach_port_t p = kind == MACH_PORT_RIGHT_RECEIVE && n ? names[0] : MACH_PORT_NULL;
	if (!p) {
		/* Dead names: a receive right made room for by destroying one. */
		mach_port_destroy(self, names[--n]);
		p = new_receive();
	}
	tap_ok(still_works(p), "%s: at the limit, RPCs, memory and messages still work", what);
	if (kind == MACH_PORT_RIGHT_DEAD_NAME)
		mach_port_destroy(self, p);
	free_names(n);
	is_kr(name_count(), names0, "%s: names back to the start", what);
	return n;
}

static void
test_ports(mach_port_right_t kind, const char *what)
{
	unsigned names0 = name_count();
	unsigned n1 = ports_round(kind, what, names0);
	long base = settled_free_pages();
	unsigned n2 = ports_round(kind, what, names0);
	/* The limit is the kernel's: the same count, within the kernel's own use meanwhile. */
	tap_ok(n2 + 16 >= n1 && n1 + 16 >= n2,
	       "%s: the second round reaches the same count (%u, %u)", what, n1, n2);
	pages_back(base, what);
}

/* ---- queued messages ---- */

/* A message with inline data, one page out of line, a copied send right and a made one. */
struct rich_msg {
	mach_msg_header_t head;
	mach_msg_type_t int_type;
	int64_t value;
	mach_msg_type_t ool_type;
	void *ool;
	mach_msg_type_t copy_type;
	mach_port_t copied; /* the 4-byte name in an 8-byte slot */
	uint32_t pad1;
	mach_msg_type_t make_type;
	mach_port_t made;
	uint32_t pad2;
};

static void
rich_msg(struct rich_msg *m, mach_port_t dest, mach_msg_type_name_t disp, int64_t v, void *ool,
         mach_port_t copied, mach_port_t made)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(disp, 0) | MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = QUEUE_ID;
	set_type(&m->int_type, MACH_MSG_TYPE_INTEGER_64, 64, 1, 1);
	m->value = v;
	set_type(&m->ool_type, MACH_MSG_TYPE_BYTE, 8, 4096, 0);
	m->ool = ool;
	set_type(&m->copy_type, MACH_MSG_TYPE_COPY_SEND, 64, 1, 1);
	m->copied = copied;
	set_type(&m->make_type, MACH_MSG_TYPE_MAKE_SEND, 64, 1, 1);
	m->made = made;
}

/* The OOL page of a message given back or received: the pattern, then freed. */
static int
ool_intact(const struct rich_msg *m, const void *sent)
{
	const unsigned char *p = m->ool;
	int ok = p && p != sent;

	for (int i = 0; ok && i < 4096; i += 512)
		ok = p[i] == OOL_PATTERN;
	if (p)
		vm_deallocate(self, (vm_address_t)p, 4096);
	return ok;
}

/*
 * A refused send gave the message back (GNU Mach's pseudo-receive, on
 * both kernels): the OOL page mapped anew, the copied right as one more
 * user reference of the same name, the made right as a send right under
 * the receive right's name. Takes them back out.
 */
static int
given_back(struct rich_msg *m, const void *sent, mach_port_t copied, mach_port_urefs_t cu,
           mach_port_t made, mach_port_urefs_t mu)
{
	int ok = ool_intact(m, sent);

	ok = ok && m->copied == copied && m->made == made;
	ok = ok && urefs(copied, MACH_PORT_RIGHT_SEND) == cu + 1;
	ok = ok && urefs(made, MACH_PORT_RIGHT_SEND) == mu + 1;
	if (!ok)
		tap_diag(
		    "given back: ool %p copied %u (urefs %u, was %u) made %u (urefs %u, was %u)",
		    m->ool, m->copied, urefs(copied, MACH_PORT_RIGHT_SEND), cu, m->made,
		    urefs(made, MACH_PORT_RIGHT_SEND), mu);
	mach_port_deallocate(self, copied);
	mach_port_deallocate(self, made);
	return ok;
}

/* Receives every message on port, checking each one's OOL page and rights. */
static unsigned
drain_rich(mach_port_t port, void *sent, mach_port_t copied, mach_port_t made, int *ok)
{
	static struct rich_msg m[2]; /* room for the 64 KiB ones below is not needed here */
	unsigned got = 0;

	while (msg_recv(&m[0], sizeof(m), port) == MACH_MSG_SUCCESS) {
		got++;
		if (m[0].head.msgh_id != QUEUE_ID || !ool_intact(&m[0], sent) ||
		    m[0].copied != copied || m[0].made != made)
			*ok = 0;
		mach_port_deallocate(self, copied);
		mach_port_deallocate(self, made);
	}
	return got;
}

static void
test_queue_full(void)
{
	unsigned names0 = name_count();
	long base = settled_free_pages();
	mach_port_t port = new_receive_send(), copied = new_receive_send(), made = new_receive();
	unsigned char *page = NULL;
	struct rich_msg m;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	unsigned sent = 0;
	int ok = 1;

	vm_allocate(self, (vm_address_t *)&page, 4096, TRUE);
	memset(page, OOL_PATTERN, 4096);
	is_kr(mach_port_set_qlimit(self, port, MACH_PORT_QLIMIT_MAX), KERN_SUCCESS,
	      "queue: qlimit raised to MACH_PORT_QLIMIT_MAX");
	mach_port_urefs_t cu = urefs(copied, MACH_PORT_RIGHT_SEND);
	mach_port_urefs_t mu = urefs(made, MACH_PORT_RIGHT_SEND);
	while (sent < 1000) {
		rich_msg(&m, port, MACH_MSG_TYPE_COPY_SEND, sent, page, copied, made);
		mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
		              MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	is_kr(mr, MACH_SEND_TIMED_OUT, "queue: a full queue refuses with MACH_SEND_TIMED_OUT");
	tap_is_int(sent, MACH_PORT_QLIMIT_MAX, "queue: after MACH_PORT_QLIMIT_MAX messages");
	tap_ok(given_back(&m, page, copied, cu, made, mu),
	       "queue: the refused message came back whole (OOL page, copied and made rights)");
	tap_ok(still_works(made), "queue: RPCs, memory and another port still work");
	unsigned got = drain_rich(port, page, copied, made, &ok);
	tap_ok(ok && got == sent, "queue: every queued message received whole (%u)", got);
	tap_is_int(urefs(copied, MACH_PORT_RIGHT_SEND), cu,
	           "queue: the copied right's references back");
	vm_deallocate(self, (vm_address_t)page, 4096);
	mach_port_destroy(self, port);
	mach_port_destroy(self, copied);
	mach_port_destroy(self, made);
	is_kr(name_count(), names0, "queue: names back to the start");
	pages_back(base, "queue");
}

/*
 * At the bound, what the queued messages hold. The bound counts the bytes
 * asked for, an eighth of memory (kern/ipc_host.c); the heap rounds each
 * buffer up to a power of two, which can double it: a quarter, plus
 * HELD_SLACK pages of this task's own memory touched on the way.
 */
#define HELD_SLACK 256

static void
held_check(long base, const char *what)
{
	long held = base - free_pages(), bound = total_pages() / 4 + HELD_SLACK;

	tap_diag("%s: %ld pages held at the bound (%ld total)", what, held, total_pages());
	vmach_only(held <= bound, "GNU Mach has no bound", "kernel memory held within a quarter");
}

/* 64 KiB inline plus the rich message's rights and page. */
struct big_msg {
	struct rich_msg r;
	mach_msg_type_t big_type;
	char big[BIG_INLINE];
};

static struct big_msg big;

/*
 * Send-once rights pass a full queue, so messages to them pile up until
 * the kernel's bound on queued bytes: MACH_SEND_NO_BUFFER, the message
 * given back as for a full queue (vmach; GNU Mach has no bound and would
 * run out of kernel memory: there GNUMACH_SONCE are queued and freed).
 */
static void
test_queue_bytes(void)
{
	unsigned names0 = name_count();
	long base = settled_free_pages();
	mach_port_t port = new_receive(), copied = new_receive_send(), made = new_receive();
	unsigned char *page = NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	unsigned sent = 0, cap = on_vmach ? 100000 : GNUMACH_SONCE;
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;

	vm_allocate(self, (vm_address_t *)&page, 4096, TRUE);
	memset(page, OOL_PATTERN, 4096);
	mach_port_urefs_t cu = urefs(copied, MACH_PORT_RIGHT_SEND);
	mach_port_urefs_t mu = urefs(made, MACH_PORT_RIGHT_SEND);
	while (sent < cap) {
		mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t);
		rich_msg(&big.r, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, sent, page, copied, made);
		set_type(&big.big_type, MACH_MSG_TYPE_BYTE, 8, BIG_INLINE, 1);
		mr = mach_msg(&big.r.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(big), 0,
		              MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	tap_diag("queued bytes: %u messages of %zu bytes, then %#x", sent, sizeof(big), mr);
	vmach_only(mr == MACH_SEND_NO_BUFFER, "GNU Mach does not bound queued bytes",
	           "queued bytes: refused with MACH_SEND_NO_BUFFER");
	held_check(base, "queued bytes");
	if (mr == MACH_SEND_NO_BUFFER) {
		/* The send-once right came back too, under its name. */
		int ok = big.r.head.msgh_remote_port == so && ptype(so) == MACH_PORT_TYPE_SEND_ONCE;
		ok = given_back(&big.r, page, copied, cu, made, mu) && ok;
		tap_ok(
		    ok,
		    "queued bytes: the refused message came back whole (send-once, OOL, rights)");
		mach_port_deallocate(self, so);
	} else {
		vmach_only(0, "not refused", "queued bytes: the refused message came back whole");
		if (mr != MACH_MSG_SUCCESS)
			mach_port_deallocate(self, so);
	}
	tap_ok(still_works(made), "queued bytes: RPCs, memory and another port still work");
	/* Destroying the port destroys its queue: the copied rights and pages go with it. */
	mach_port_destroy(self, port);
	tap_is_int(urefs(copied, MACH_PORT_RIGHT_SEND), cu,
	           "queued bytes: the copied right's references back");
	vm_deallocate(self, (vm_address_t)page, 4096);
	mach_port_destroy(self, copied);
	mach_port_destroy(self, made);
	is_kr(name_count(), names0, "queued bytes: names back to the start");
	pages_back(base, "queued bytes");
}

/* An OOL port array message: count names at array. */
struct parray_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	void *array;
};

/* A refused send gives the array back, mapped anew: *back (else NULL). */
static mach_msg_return_t
send_parray(mach_port_t dest, mach_msg_type_name_t disp, void *array, uint32_t count,
            mach_msg_option_t option, void **back)
{
	struct parray_msg m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(disp, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = QUEUE_ID + 1;
	set_type(&m.type, MACH_MSG_TYPE_COPY_SEND, 32, count, 0);
	m.array = array;
	mr = mach_msg(&m.head, MACH_SEND_MSG | option, sizeof(m), 0, MACH_PORT_NULL, 0,
	              MACH_PORT_NULL);
	*back = mr != MACH_MSG_SUCCESS && m.array != array ? m.array : NULL;
	return mr;
}

/*
 * OOL port arrays of a million null names (4 MiB here, more in the
 * kernel) to send-once rights, until refused: the kernel must refuse
 * before its own memory runs out, and go on working.
 */
static void
test_queue_port_arrays(void)
{
	enum { COUNT = 1u << 16 };
	unsigned names0 = name_count();
	long base = settled_free_pages();
	mach_port_t port = new_receive(), so = MACH_PORT_NULL, other = new_receive();
	void *array = NULL, *back = NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	unsigned sent = 0, cap = on_vmach ? 1000 : 4;
	mach_msg_type_name_t t;

	vm_allocate(self, (vm_address_t *)&array, COUNT * 4, TRUE);
	while (sent < cap) {
		mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t);
		mr = send_parray(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, array, COUNT, MACH_SEND_TIMEOUT,
		                 &back);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	tap_diag("port arrays: %u messages of %u names, then %#x", sent, COUNT, mr);
	vmach_only(mr == MACH_SEND_NO_BUFFER, "GNU Mach does not bound queued bytes",
	           "port arrays: refused with MACH_SEND_NO_BUFFER");
	held_check(base, "port arrays");
	if (mr != MACH_MSG_SUCCESS)
		mach_port_deallocate(self, so);
	/* The refused message came back (pseudo-receive): its array too, mapped anew. */
	vmach_only(mr != MACH_SEND_NO_BUFFER || back != NULL, "not refused",
	           "port arrays: the refused message's array came back");
	if (back)
		vm_deallocate(self, (vm_address_t)back, COUNT * 4);
	tap_ok(still_works(other), "port arrays: RPCs, memory and another port still work");
	mach_port_destroy(self, port);
	mach_port_destroy(self, other);
	vm_deallocate(self, (vm_address_t)array, COUNT * 4);
	is_kr(name_count(), names0, "port arrays: names back to the start");
	pages_back(base, "port arrays");
}

/* ---- huge out-of-line regions ---- */

struct ool_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	uint64_t addr;
};

/* Sends [addr, addr + number * size / 8) out of line to dest (a send right, copied). */
static mach_msg_return_t
send_ool(mach_port_t dest, unsigned name, unsigned size, uint32_t number, uint64_t addr)
{
	struct ool_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = QUEUE_ID + 2;
	set_type(&m.type, name, size, number, 0);
	m.addr = addr;
	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
	                MACH_PORT_NULL);
}

/*
 * Out-of-line regions queued without end, to send-once rights (which pass
 * a full queue): each holds kernel memory its sender no longer pays for.
 * Touched: the sender writes the region again after each send, so the
 * queued copy is all that keeps the old pages (512 a message): vmach
 * counts them in queued bytes (vm_copy_held_bytes), MACH_SEND_NO_BUFFER at
 * the bound, the region given back (mapped anew), memory held within a
 * quarter; uncounted, they took the machine's memory. Untouched and vast:
 * a copy of no pages holds neither pages nor a page array (once 512 KiB of
 * heap a message, refused after 15), so the 10,000 queue, 2.5 TiB in all,
 * within the same bound on memory held.
 */
#define OOL_TOUCHED (2ull << 20)
#define OOL_VAST (256ull << 20)
#define GNUMACH_OOL 4 /* GNU Mach: messages queued, then freed */

static void
test_queue_ool(int touched)
{
	const char *what = touched ? "queued OOL pages" : "queued untouched OOL";
	uint64_t size = touched ? OOL_TOUCHED : OOL_VAST;
	unsigned names0 = name_count(), sent = 0, cap = on_vmach ? 10000 : GNUMACH_OOL;
	long base = settled_free_pages();
	mach_port_t port = new_receive(), so = MACH_PORT_NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_msg_type_name_t t;
	vm_address_t a = 0;
	struct ool_msg m;
	char desc[80];

	vm_allocate(self, &a, size, TRUE);
	while (sent < cap) {
		for (uint64_t o = 0; touched && o < size; o += 4096)
			((volatile char *)a)[o] = (char)(sent + 1);
		mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t);
		memset(&m, 0, sizeof(m));
		m.head.msgh_bits =
		    MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
		m.head.msgh_remote_port = so;
		m.head.msgh_id = QUEUE_ID + 3;
		set_type(&m.type, MACH_MSG_TYPE_BYTE, 8, (uint32_t)size, 0);
		m.addr = a;
		mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
		              MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			break;
		sent++;
	}
	tap_diag("%s: %u messages of %lu KiB, then %#x (given back at %#lx)", what, sent,
	         (unsigned long)(size >> 10), mr, (unsigned long)m.addr);
	if (touched) {
		snprintf(desc, sizeof(desc), "%s: refused with MACH_SEND_NO_BUFFER", what);
		vmach_only(mr == MACH_SEND_NO_BUFFER, "GNU Mach does not bound queued bytes", desc);
	} else {
		snprintf(desc, sizeof(desc), "%s: all %u queued", what, cap);
		vmach_only(mr == MACH_MSG_SUCCESS && sent == cap, "GNU Mach: a few only", desc);
	}
	held_check(base, what);
	if (mr != MACH_MSG_SUCCESS) {
		/* Given back: the send-once right under its name, the region mapped anew. */
		mach_port_deallocate(self, so);
		if (m.addr && m.addr != a)
			vm_deallocate(self, m.addr, size);
	}
	mach_port_t other = new_receive();
	tap_ok(still_works(other), "%s: RPCs, memory and another port still work", what);
	mach_port_destroy(self, other);
	mach_port_destroy(self, port);
	vm_deallocate(self, a, size);
	is_kr(name_count(), names0, "%s: names back to the start", what);
	pages_back(base, what);
}

static void
test_huge_ool(void)
{
	const uint64_t gib = 1ull << 30;
	unsigned names0 = name_count();
	mach_port_t port = new_receive_send();
	vm_address_t a = 0;
	struct ool_msg r[2];

	/* Warm-up: a send and receive of a region, so its map entries' slabs exist. */
	vm_allocate(self, &a, 4096, TRUE);
	send_ool(port, MACH_MSG_TYPE_BYTE, 8, 4096, a);
	if (msg_recv(r, sizeof(r), port) == MACH_MSG_SUCCESS)
		vm_deallocate(self, r[0].addr, 4096);
	long base = settled_free_pages();

	/* 1 GiB mapped (16 times a 64 MiB machine): a virtual copy, sent and received. */
	kern_return_t kr = vm_deallocate(self, a, 4096);
	a = 0;
	kr = vm_allocate(self, &a, gib, TRUE);
	is_kr(kr, KERN_SUCCESS, "huge OOL: 1 GiB allocated (not touched)");
	((volatile char *)a)[12345] = 42;
	is_kr(send_ool(port, MACH_MSG_TYPE_BYTE, 8, (uint32_t)gib, a), MACH_MSG_SUCCESS,
	      "huge OOL: 1 GiB mapped, sent (a virtual copy)");
	memset(r, 0, sizeof(r));
	mach_msg_return_t mr = msg_recv(r, sizeof(r), port);
	tap_ok(mr == MACH_MSG_SUCCESS && r[0].addr && ((volatile char *)r[0].addr)[12345] == 42 &&
	           ((volatile char *)r[0].addr)[gib - 1] == 0,
	       "huge OOL: 1 GiB received, its data there (%#x)", mr);
	if (mr == MACH_MSG_SUCCESS)
		vm_deallocate(self, r[0].addr, gib);
	vm_deallocate(self, a, gib);
	a = 0;
	vm_allocate(self, &a, 4096, TRUE);

	/* 2^45 - 2^13 bytes (the largest a descriptor can say) from a mapped page: a hole. */
	is_kr(send_ool(port, MACH_MSG_TYPE_BYTE, 65535, 0xffffffffu, a), MACH_SEND_INVALID_MEMORY,
	      "huge OOL: 2^45 bytes from one mapped page");
	is_kr(send_ool(port, MACH_MSG_TYPE_BYTE, 8, 2 * 4096, 0xfffffffffffff000ull),
	      MACH_SEND_INVALID_MEMORY, "huge OOL: address + size wraps past 2^64");
	is_kr(send_ool(port, MACH_MSG_TYPE_BYTE, 65535, 0xffffffffu, 0xffff800000000000ull),
	      MACH_SEND_INVALID_MEMORY, "huge OOL: 2^45 bytes from the kernel half");
	is_kr(send_ool(port, MACH_MSG_TYPE_BYTE, 8, 0xffffffffu, a + 4096),
	      MACH_SEND_INVALID_MEMORY, "huge OOL: 4 GiB unmapped, next to a mapped page");
	/* An OOL port array of 2^32 - 1 names (16 GiB) from one mapped page. */
	is_kr(send_ool(port, MACH_MSG_TYPE_COPY_SEND, 32, 0xffffffffu, a), MACH_SEND_INVALID_MEMORY,
	      "huge OOL: a port array of 2^32 - 1 names (16 GiB) from one mapped page");
	is_kr(send_ool(port, MACH_MSG_TYPE_COPY_SEND, 32, 0x40000000u, 0xfffffffffffff000ull),
	      MACH_SEND_INVALID_MEMORY, "huge OOL: a port array wrapping past 2^64");
	tap_is_int(pstatus(port).mps_msgcount, 0, "huge OOL: nothing queued by the refused sends");
	tap_is_int(urefs(port, MACH_PORT_RIGHT_SEND), 1, "huge OOL: the destination right kept");
	vm_deallocate(self, a, 4096);
	mach_port_destroy(self, port);
	is_kr(name_count(), names0, "huge OOL: names back to the start");
	pages_back(base, "huge OOL");
}

int
main(void)
{
	exhaust_init();
	tap_plan(105);
	tap_ok(1, "started");
	vm_allocate(self, (vm_address_t *)&names, PORT_CAP * sizeof(*names), TRUE);
	test_ports(MACH_PORT_RIGHT_RECEIVE, "ports");
	test_ports(MACH_PORT_RIGHT_DEAD_NAME, "dead names");
	/*
	 * Twice: the first round grows what stays at its working size (this
	 * task's page tables over the regions used, its map's entries).
	 */
	for (warming = 1; warming >= 0; warming--) {
		test_queue_full();
		test_queue_bytes();
		test_queue_port_arrays();
		test_queue_ool(1);
		test_queue_ool(0);
		test_huge_ool();
	}
	warming = 0;
	return tap_done();
}
