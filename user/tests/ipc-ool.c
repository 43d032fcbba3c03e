// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Out-of-line memory in messages to a port of the task itself: copies (the
 * content, and copy-on-write isolation both ways), moves (msgt_deallocate:
 * the sender's range is gone afterwards, shown by vm_protect failing, since
 * touching it would kill the task), sizes from one page to 1 MiB and an
 * unaligned start, out-of-line port arrays with rights in them, an
 * unreadable region, and received regions given back with vm_deallocate.
 * Checked on GNU Mach 2025 (tests/gnumach/ipc.t), the oracle.
 */
#include "ipc-util.h"

#define PAGE 4096u

struct ool_msg {
	mach_msg_header_t h;
	mach_msg_type_t t;
	void *addr;
};

static mach_port_t dst;

static mach_msg_return_t
send_ool(const void *addr, mach_msg_type_number_t number, unsigned name, unsigned size, int dealloc)
{
	struct ool_msg m;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = dst;
	m.h.msgh_id = 77;
	set_type(&m.t, name, size, number, 0);
	m.t.msgt_deallocate = dealloc;
	m.addr = (void *)addr;
	return msg_send(&m, sizeof(m));
}

static mach_msg_return_t
send_bytes(const void *addr, mach_msg_type_number_t len, int dealloc)
{
	return send_ool(addr, len, MACH_MSG_TYPE_BYTE, 8, dealloc);
}

static mach_msg_return_t
recv_ool(struct ool_msg *r)
{
	memset(r, 0, sizeof(*r));
	return msg_recv(r, sizeof(*r), dst);
}

static char *
alloc(vm_size_t size)
{
	vm_address_t a = 0;
	kern_return_t kr = vm_allocate(self, &a, size, TRUE);
	if (kr != KERN_SUCCESS)
		tap_diag("vm_allocate(%lu): %#x", (unsigned long)size, kr);
	return (char *)a;
}

/* The byte pattern of offset i in buffer `seed`: differs per page and per byte. */
static char
pattern(unsigned seed, size_t i)
{
	return (char)(seed * 31 + i / PAGE * 7 + i % 251);
}

static void
fill(char *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = pattern(seed, i);
}

/* The first offset that differs from the pattern, or len when none does. */
static size_t
check(const char *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != pattern(seed, i))
			return i;
	return len;
}

/*
 * A range is gone from the task when vm_read of it fails. (GNU Mach's
 * vm_protect of an unmapped range returns KERN_SUCCESS, so it cannot tell.)
 */
static kern_return_t
probe(const void *addr, vm_size_t size)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	kern_return_t kr = vm_read(self, (vm_address_t)addr, size, &data, &count);
	if (kr == KERN_SUCCESS)
		vm_deallocate(self, data, count);
	return kr;
}

static void
copy_one_page(void)
{
	struct ool_msg r;
	char *a = alloc(PAGE);
	fill(a, PAGE, 1);
	is_kr(send_bytes(a, PAGE, 0), MACH_MSG_SUCCESS, "send one page, copied");
	a[0] = 'X'; /* after the send, before the receive */
	a[PAGE - 1] = 'Y';
	is_kr(recv_ool(&r), MACH_MSG_SUCCESS, "receive it");
	show_header("OOL copy, received", &r.h);
	show_type("OOL copy, received", &r.t);
	char *b = r.addr;
	tap_ok(r.h.msgh_size == sizeof(r) && (r.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	           r.t.msgt_name == MACH_MSG_TYPE_BYTE && r.t.msgt_size == 8 &&
	           r.t.msgt_number == PAGE && !r.t.msgt_inline,
	       "size 48, complex, the descriptor as sent");
	/* GNU Mach: the receiver owns the region, and the descriptor says so. */
	tap_is_int(r.t.msgt_deallocate, 1, "GNU Mach: a received OOL copy has msgt_deallocate set");
	tap_ok(b != NULL && b != a && ((vm_address_t)b & (PAGE - 1)) == 0,
	       "a new page-aligned address in the receiver (%p, sent %p)", (void *)b, (void *)a);
	tap_is_int(check(b, PAGE, 1), PAGE, "the receiver sees the data as it was at the send");
	b[0] = 'Z';
	tap_ok(a[0] == 'X', "a receiver write does not reach the sender");
	a[1] = 'W';
	tap_ok(b[1] == pattern(1, 1) && b[PAGE - 1] == pattern(1, PAGE - 1),
	       "a sender write after the receive does not reach the receiver");
	is_kr(vm_deallocate(self, (vm_address_t)b, PAGE), KERN_SUCCESS,
	      "the received page is deallocated with vm_deallocate");
	is_kr(probe(b, PAGE), KERN_INVALID_ADDRESS, "and is gone");
	is_kr(probe(a, PAGE), KERN_SUCCESS, "the sender's page is still there");
	vm_deallocate(self, (vm_address_t)a, PAGE);
}

/* A copy or a move of len bytes at offset off in a fresh region. */
static void
round_trip(const char *what, vm_size_t len, vm_size_t off, int dealloc, unsigned seed)
{
	struct ool_msg r;
	vm_size_t span = (off + len + PAGE - 1) & ~(vm_size_t)(PAGE - 1);
	char *a = alloc(span);
	fill(a + off, len, seed);
	is_kr(send_bytes(a + off, len, dealloc), MACH_MSG_SUCCESS, "%s: sent", what);
	if (dealloc)
		is_kr(probe(a, span), KERN_INVALID_ADDRESS, "%s: the sender's pages are gone",
		      what);
	else
		fill(a + off, len, seed + 1); /* overwrite: the copy must not see it */
	is_kr(recv_ool(&r), MACH_MSG_SUCCESS, "%s: received", what);
	char *b = r.addr;
	tap_ok(r.t.msgt_number == len && b != NULL &&
	           ((vm_address_t)b & (PAGE - 1)) == (off & (PAGE - 1)),
	       "%s: %u bytes at %p (sent %p): the page offset kept", what, r.t.msgt_number,
	       (void *)b, (void *)(a + off));
	tap_is_int(check(b, len, seed), len, "%s: the content", what);
	vm_address_t base = (vm_address_t)b & ~(vm_address_t)(PAGE - 1);
	is_kr(vm_deallocate(self, base, span), KERN_SUCCESS, "%s: vm_deallocate of it", what);
	if (!dealloc)
		vm_deallocate(self, (vm_address_t)a, span);
}

/* Port arrays: 4-byte names, msgt_size 32, rights copied in and out. */
static void
port_arrays(void)
{
	struct ool_msg r;
	mach_port_t p = new_receive_send();
	mach_port_t *arr = (mach_port_t *)alloc(PAGE);
	arr[0] = p;
	arr[1] = MACH_PORT_NULL;
	arr[2] = MACH_PORT_DEAD;
	arr[3] = p;
	is_kr(send_ool(arr, 4, MACH_MSG_TYPE_COPY_SEND, 32, 0), MACH_MSG_SUCCESS,
	      "an OOL array of 4 COPY_SEND names (p, NULL, DEAD, p)");
	tap_is_int(urefs(p, MACH_PORT_RIGHT_SEND), 1, "COPY_SEND: p keeps its uref in transit");
	arr[0] = 0x5555; /* the array was copied at the send */
	is_kr(recv_ool(&r), MACH_MSG_SUCCESS, "received");
	show_type("OOL port array, received", &r.t);
	mach_port_t *got = r.addr;
	tap_ok(r.t.msgt_name == MACH_MSG_TYPE_PORT_SEND && r.t.msgt_size == 32 &&
	           r.t.msgt_number == 4 && !r.t.msgt_inline && got != NULL,
	       "PORT_SEND, size 32, 4 names out of line at %p", (void *)got);
	tap_ok(got && got[0] == p && got[1] == MACH_PORT_NULL && got[2] == MACH_PORT_DEAD &&
	           got[3] == p,
	       "names %u %u %#x %u", got ? got[0] : 0, got ? got[1] : 0, got ? got[2] : 0,
	       got ? got[3] : 0);
	tap_is_int(urefs(p, MACH_PORT_RIGHT_SEND), 3, "two send rights added to p's entry");
	is_kr(vm_deallocate(self, (vm_address_t)got, PAGE), KERN_SUCCESS,
	      "the received array is deallocated");

	mach_port_t q = new_receive();
	arr[0] = q;
	arr[1] = p;
	is_kr(send_ool(arr, 2, MACH_MSG_TYPE_MAKE_SEND_ONCE, 32, 0), MACH_MSG_SUCCESS,
	      "an OOL array of 2 MAKE_SEND_ONCE");
	recv_ool(&r);
	got = r.addr;
	tap_ok(r.t.msgt_name == MACH_MSG_TYPE_PORT_SEND_ONCE && got &&
	           ptype(got[0]) == MACH_PORT_TYPE_SEND_ONCE &&
	           ptype(got[1]) == MACH_PORT_TYPE_SEND_ONCE && got[0] != got[1] && got[0] != q &&
	           got[1] != p,
	       "two send-once rights under new names %u %u", got ? got[0] : 0, got ? got[1] : 0);
	tap_ok(pstatus(q).mps_sorights == 1 && pstatus(p).mps_sorights == 1,
	       "one send-once right to each port");
	vm_deallocate(self, (vm_address_t)got, PAGE);

	arr[0] = q;
	is_kr(send_ool(arr, 1, MACH_MSG_TYPE_MOVE_RECEIVE, 32, 1), MACH_MSG_SUCCESS,
	      "an OOL array of one MOVE_RECEIVE, deallocated");
	tap_is_int(ptype(q), 0x80000000 | KERN_INVALID_NAME, "the name q is gone in transit");
	is_kr(probe(arr, PAGE), KERN_INVALID_ADDRESS, "the sender's array page is gone");
	recv_ool(&r);
	got = r.addr;
	tap_ok(r.t.msgt_name == MACH_MSG_TYPE_PORT_RECEIVE && got &&
	           (ptype(got[0]) & MACH_PORT_TYPE_RECEIVE),
	       "the receive right comes back as %u (type %#x)", got ? got[0] : 0,
	       got ? ptype(got[0]) : 0);
}

static void
errors(void)
{
	struct ool_msg r;
	char *a = alloc(PAGE);
	vm_deallocate(self, (vm_address_t)a, PAGE);
	is_kr(send_bytes(a, PAGE, 0), MACH_SEND_INVALID_MEMORY,
	      "OOL data from unmapped memory: MACH_SEND_INVALID_MEMORY");
	is_kr(send_bytes(a, PAGE, 1), MACH_SEND_INVALID_MEMORY,
	      "the same with deallocate: MACH_SEND_INVALID_MEMORY");
	is_kr(send_ool(a, 4, MACH_MSG_TYPE_COPY_SEND, 32, 0), MACH_SEND_INVALID_MEMORY,
	      "an OOL port array from unmapped memory: MACH_SEND_INVALID_MEMORY");
	/*
	 * GNU Mach destroys the message, and with it the send-once right made
	 * for its destination: each failure queues a send-once notification on
	 * dst itself, carried by that right.
	 */
	tap_is_int(pstatus(dst).mps_msgcount, 3, "GNU Mach: three messages queued on dst");
	int notes = 0;
	for (int i = 0; i < 3; i++)
		if (recv_ool(&r) == MACH_MSG_SUCCESS && r.h.msgh_id == MACH_NOTIFY_SEND_ONCE &&
		    r.h.msgh_size == sizeof(mach_msg_header_t))
			notes++;
	tap_is_int(notes, 3, "GNU Mach: each a send-once notification (id 71, 32 bytes)");
	tap_ok(pstatus(dst).mps_msgcount == 0 && pstatus(dst).mps_sorights == 0,
	       "then nothing queued, no send-once right to dst left");

	/* Zero bytes out of line. */
	char *z = alloc(PAGE);
	is_kr(send_bytes(z, 0, 0), MACH_MSG_SUCCESS, "zero bytes out of line");
	mach_msg_return_t mr = recv_ool(&r);
	tap_ok(mr == MACH_MSG_SUCCESS && r.h.msgh_id == 77 && r.addr == NULL &&
	           r.t.msgt_number == 0,
	       "arrive as a NULL pointer (%#x, %p)", mr, r.addr);
	vm_deallocate(self, (vm_address_t)z, PAGE);

	/* Without MACH_MSGH_BITS_COMPLEX the body is plain data: the pointer travels as is. */
	struct ool_msg m;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = dst;
	m.h.msgh_id = 78;
	set_type(&m.t, MACH_MSG_TYPE_BYTE, 8, PAGE, 0);
	m.addr = a; /* unmapped: not looked at */
	is_kr(msg_send(&m, sizeof(m)), MACH_MSG_SUCCESS,
	      "an OOL descriptor without the complex bit is sent as plain data");
	recv_ool(&r);
	tap_ok(r.h.msgh_id == 78 && r.addr == (void *)a &&
	           !(r.h.msgh_bits & MACH_MSGH_BITS_COMPLEX),
	       "the pointer arrives unchanged (%p)", r.addr);
}

/* Three out-of-line regions in one message. */
struct ool3_msg {
	mach_msg_header_t h;
	struct {
		mach_msg_type_t t;
		void *addr;
	} d[3];
};

/*
 * A region of n pages that is a map entry of its own: guard pages with
 * no access on both sides (different protections keep entries apart),
 * the middle written, so it has memory of its own.
 */
static char *
lone_region(vm_size_t n, unsigned seed)
{
	char *g = alloc((n + 2) * PAGE);
	if (!g)
		return NULL;
	vm_protect(self, (vm_address_t)g, PAGE, FALSE, VM_PROT_NONE);
	vm_protect(self, (vm_address_t)(g + (n + 1) * PAGE), PAGE, FALSE, VM_PROT_NONE);
	fill(g + PAGE, n * PAGE, seed);
	return g + PAGE;
}

/*
 * Moves in one message: a region's first page copied, then the whole
 * region moved by a second descriptor (the two share pages, so both must
 * see the data as it was at the send), and a second whole region (vmach
 * hands its memory over without touching a page) moved
 * there and back twice, written by the receiver in between.
 */
static void
moves_in_one_message(void)
{
	char *a = lone_region(8, 21), *b = lone_region(16, 22);
	struct ool3_msg m, r;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = dst;
	m.h.msgh_id = 79;
	/* The copy first: GNU Mach takes a moved region at once, so a later descriptor could not.
	 */
	set_type(&m.d[0].t, MACH_MSG_TYPE_BYTE, 8, PAGE, 0);
	m.d[0].addr = a;
	set_type(&m.d[1].t, MACH_MSG_TYPE_BYTE, 8, 8 * PAGE, 0);
	m.d[1].t.msgt_deallocate = 1;
	m.d[1].addr = a;
	set_type(&m.d[2].t, MACH_MSG_TYPE_BYTE, 8, 16 * PAGE, 0);
	m.d[2].t.msgt_deallocate = 1;
	m.d[2].addr = b;
	is_kr(msg_send(&m, sizeof(m)), MACH_MSG_SUCCESS, "three regions, two moved: sent");
	is_kr(probe(a, 8 * PAGE), KERN_INVALID_ADDRESS, "the first moved region left the sender");
	is_kr(probe(b, 16 * PAGE), KERN_INVALID_ADDRESS, "the second moved region left the sender");
	memset(&r, 0, sizeof(r));
	is_kr(msg_recv(&r, sizeof(r), dst), MACH_MSG_SUCCESS, "three regions: received");
	tap_is_int(check(r.d[0].addr, PAGE, 21), PAGE, "the copy of the first region's first page");
	tap_is_int(check(r.d[1].addr, 8 * PAGE, 21), 8 * PAGE, "the first move's content");
	tap_is_int(check(r.d[2].addr, 16 * PAGE, 22), 16 * PAGE, "the second move's content");
	((char *)r.d[0].addr)[0] = 'C';
	tap_ok(((char *)r.d[1].addr)[0] == pattern(21, 0), "the copy and the move are apart");
	vm_deallocate(self, (vm_address_t)r.d[0].addr, PAGE);
	vm_deallocate(self, (vm_address_t)r.d[1].addr, 8 * PAGE);

	/* The received region moves on, whole, and is changed on each arrival. */
	char *at = r.d[2].addr;
	for (unsigned round = 0; round < 2; round++) {
		struct ool_msg o;
		at[5 * PAGE] = (char)('a' + round);
		is_kr(send_bytes(at, 16 * PAGE, 1), MACH_MSG_SUCCESS, "move %u again: sent", round);
		is_kr(probe(at, 16 * PAGE), KERN_INVALID_ADDRESS, "move %u again: gone", round);
		is_kr(recv_ool(&o), MACH_MSG_SUCCESS, "move %u again: received", round);
		at = o.addr;
		tap_ok(at && at[5 * PAGE] == (char)('a' + round) && at[0] == pattern(22, 0) &&
		           at[16 * PAGE - 1] == pattern(22, 16 * PAGE - 1),
		       "move %u again: the content, with the write before it", round);
	}
	is_kr(vm_deallocate(self, (vm_address_t)at, 16 * PAGE), KERN_SUCCESS,
	      "the region, moved three times, is deallocated");
	vm_deallocate(self, (vm_address_t)(a - PAGE), 10 * PAGE);
	vm_deallocate(self, (vm_address_t)(b - PAGE), 18 * PAGE);
}

int
main(void)
{
	ipc_init();
	tap_plan(96);
	dst = new_receive();
	copy_one_page();
	round_trip("move 1 page", PAGE, 0, 1, 2);
	round_trip("copy 5 pages", 5 * PAGE, 0, 0, 3);
	round_trip("move 5 pages", 5 * PAGE, 0, 1, 4);
	round_trip("copy 1 MiB", 1 << 20, 0, 0, 5);
	round_trip("move 1 MiB", 1 << 20, 0, 1, 6);
	round_trip("copy 5000 bytes at +100", 5000, 100, 0, 7);
	round_trip("move 5000 bytes at +100", 5000, 100, 1, 8);
	round_trip("copy 10 bytes at +4090", 10, 4090, 0, 9);
	moves_in_one_message();
	port_arrays();
	errors();
	return tap_done();
}
