// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipc/ipc_kmsg.c against tests/host/ipc_fake.c: every error code of copyin
 * and copyout, that a failure at any point gives back every right, copy
 * and block taken so far, and round trips of every disposition and of
 * inline, out-of-line and port-array data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "host/ipc_fake.h"
#include "ipc/ipc_kmsg.h"

#include <mach/port.h>

static struct fake_ipc F;
static struct ipc_msg_ops OPS;
static uint32_t mlen; /* bytes of the message being built at FAKE_BASE */

/* Names 1..6: port 0..5; name 1 holds receive + 3 send + 1 send-once. */
static int
setup(void **state)
{
	fake_ipc_init(&F, &OPS);
	for (int i = 0; i < 6; i++)
		F.space[i] = (struct fake_entry){.port = i, .recv = true, .send = 3, .sonce = 1};
	mlen = 0;
	return 0;
}

static uint8_t *
mp(void)
{
	return F.smem;
}

static void
put_header(mach_msg_bits_t bits, mach_port_name_t dest, mach_port_name_t reply, mach_msg_id_t id)
{
	memset(F.smem, 0, 32);
	memcpy(mp() + 0, &bits, 4);
	memcpy(mp() + 8, &dest, 4);
	memcpy(mp() + 16, &reply, 4);
	memcpy(mp() + 28, &id, 4);
	mlen = 32;
}

static void
put_type(unsigned name, unsigned size, uint32_t number, bool inl, bool dealloc)
{
	mach_msg_type_t t = {0};
	t.msgt_name = name;
	t.msgt_size = size;
	t.msgt_number = number;
	t.msgt_inline = inl;
	t.msgt_deallocate = dealloc;
	memcpy(mp() + mlen, &t, 8);
	mlen += 8;
}

static void
put_u64(uint64_t v)
{
	memcpy(mp() + mlen, &v, 8);
	mlen += 8;
}

static void
fix_size(void)
{
	memcpy(mp() + 4, &mlen, 4);
}

/* Everything the sender could lose, to compare before and after a failure. */
struct snap {
	struct fake_entry space[FAKE_NPORTS];
	long copies, allocs;
	uint8_t smapped[FAKE_MEM / 4096];
};

static void
take(struct snap *s)
{
	memcpy(s->space, F.space, sizeof s->space);
	s->copies = F.copies;
	s->allocs = F.allocs;
	for (unsigned i = 0; i < FAKE_MEM / 4096; i++)
		s->smapped[i] = F.smapped[i];
}

/* A failed copyin returns code and leaves the sender as it was. */
static void
expect_fail(mach_msg_return_t code)
{
	struct snap a, b;
	struct ipc_kmsg km = {0};
	take(&a);
	assert_int_equal(ipc_kmsg_copyin(&OPS, FAKE_BASE, mlen, &km), code);
	take(&b);
	assert_memory_equal(a.space, b.space, sizeof a.space);
	assert_int_equal(b.copies, a.copies);
	assert_int_equal(b.allocs, 0);
	assert_int_equal(fake_transit_total(&F), 0);
	assert_null(km.buf);
}

static void
send_ok(struct ipc_kmsg *km)
{
	assert_int_equal(ipc_kmsg_copyin(&OPS, FAKE_BASE, mlen, km), MACH_MSG_SUCCESS);
	assert_non_null(km->buf);
}

/* Receives into the receiver's memory at FAKE_BASE; all references end. */
static void
recv_ok(struct ipc_kmsg *km)
{
	assert_int_equal(ipc_kmsg_copyout(&OPS, km, FAKE_BASE, FAKE_MEM / 2), MACH_MSG_SUCCESS);
	assert_int_equal(fake_transit_total(&F), 0);
	assert_int_equal(F.copies, 0);
	assert_int_equal(F.allocs, 0);
}

static uint64_t
r64(uint32_t off)
{
	uint64_t v;
	memcpy(&v, F.rmem + off, 8);
	return v;
}

static uint32_t
r32(uint32_t off)
{
	uint32_t v;
	memcpy(&v, F.rmem + off, 4);
	return v;
}

static void
test_too_small(void **state)
{
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0, 7);
	mlen = 28;
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	mlen = 34; /* not a multiple of 4 */
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	mlen = 36; /* nor of 8, GNU Mach's alignment on x86_64 */
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	mlen = IPC_KMSG_MAX_SIZE + 8;
	expect_fail(MACH_SEND_NO_BUFFER);
}

static void
test_invalid_data(void **state)
{
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0, 7);
	F.smapped[0] = false;
	expect_fail(MACH_SEND_INVALID_DATA);
}

static void
test_invalid_header(void **state)
{
	put_header(MACH_MSGH_BITS(0, 0), 1, 0, 7);
	expect_fail(MACH_SEND_INVALID_HEADER);
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0), 1, 0, 7);
	expect_fail(MACH_SEND_INVALID_HEADER);
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_INTEGER_32), 1, 2, 7);
	expect_fail(MACH_SEND_INVALID_HEADER);
}

static void
test_invalid_dest(void **state)
{
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), MACH_PORT_NULL, 0, 7);
	expect_fail(MACH_SEND_INVALID_DEST);
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 9, 0, 7); /* no such name */
	expect_fail(MACH_SEND_INVALID_DEST);
	F.space[0].sonce = 0;
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), 1, 0, 7);
	expect_fail(MACH_SEND_INVALID_DEST);
}

static void
test_invalid_reply_undoes_dest(void **state)
{
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), 1, 12, 7);
	expect_fail(MACH_SEND_INVALID_REPLY); /* send count of name 1 back to 3 */
	assert_int_equal(F.space[0].send, 3);
}

static void
test_header_round_trip(void **state)
{
	struct ipc_kmsg km;
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), 1, 2, 77);
	put_type(MACH_MSG_TYPE_INTEGER_32, 32, 3, true, false);
	put_u64(0x1111111122222222ull);
	put_u64(0x33333333ull);
	fix_size();
	send_ok(&km);
	assert_int_equal(F.space[0].send, 2);
	assert_int_equal(fake_transit_total(&F), 2);
	assert_int_equal(ipc_kmsg_size(&km), mlen);
	recv_ok(&km);
	/* The receiver's remote is the reply (send-once), its local the destination. */
	assert_int_equal(r32(0),
	                 MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
	assert_int_equal(r32(4), mlen);
	assert_int_equal(r64(8), FAKE_RNAME(1));
	assert_int_equal(r64(16), FAKE_RNAME(0));
	assert_int_equal(r32(28), 77);
	assert_memory_equal(F.rmem + 32, F.smem + 32, mlen - 32);
	assert_int_equal(F.rcv[1][2], 1);
	/* The destination right is used up, not given a name of its own. */
	assert_int_equal(F.dest[0], 1);
	assert_int_equal(F.rcv[0][1], 0);
}

/* Each disposition in the body arrives as the right it makes. */
static void
test_dispositions(void **state)
{
	static const struct {
		unsigned disp, type;
	} cases[] = {
	    {MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_PORT_RECEIVE},
	    {MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_PORT_SEND},
	    {MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE},
	    {MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_PORT_SEND},
	    {MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_PORT_SEND},
	    {MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE},
	};
	for (unsigned c = 0; c < 6; c++) {
		struct ipc_kmsg km;
		setup(NULL);
		put_header(MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1,
		           0, 1);
		put_type(cases[c].disp, 64, 2, true, false);
		put_u64(3);
		put_u64(MACH_PORT_NULL);
		fix_size();
		send_ok(&km);
		recv_ok(&km);
		mach_msg_type_t t;
		memcpy(&t, F.rmem + 32, 8);
		assert_int_equal(t.msgt_name, cases[c].type);
		assert_int_equal(r64(40), FAKE_RNAME(2));
		assert_int_equal(r64(48), MACH_PORT_NULL);
		assert_int_equal(F.rcv[2][cases[c].type - MACH_MSG_TYPE_PORT_RECEIVE], 1);
	}
	/* The moves took the sender's rights; copy and make took none. */
	assert_int_equal(F.space[2].send, 3);
}

static void
test_invalid_type(void **state)
{
	put_header(MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0, 1);
	put_type(MACH_MSG_TYPE_COPY_SEND, 32, 1, true, false); /* a right must be 64 bits */
	put_u64(2);
	fix_size();
	expect_fail(MACH_SEND_INVALID_TYPE);
	mlen = 32;
	put_type(MACH_MSG_TYPE_COPY_SEND, 64, 1, false,
	         false); /* an OOL array holds 4-byte names */
	put_u64(FAKE_BASE + 4096);
	fix_size();
	expect_fail(MACH_SEND_INVALID_TYPE);
	mlen = 32;
	put_type(MACH_MSG_TYPE_INTEGER_32, 32, 2, true, true); /* inline data is not deallocated */
	put_u64(2);
	expect_fail(MACH_SEND_INVALID_TYPE);
	mlen = 32;
	put_type(MACH_MSG_TYPE_INTEGER_32, 32, 2, true, false);
	mp()[32 + 3] |= 0x08; /* an unused bit */
	put_u64(2);
	expect_fail(MACH_SEND_INVALID_TYPE);
}

static void
test_past_the_end(void **state)
{
	put_header(MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0, 1);
	put_type(MACH_MSG_TYPE_INTEGER_32, 32, 3, true, false); /* 12 bytes */
	put_u64(0);
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	mlen += 4; /* 52: the data fits, but a size must be a multiple of 8 (GNU Mach) */
	fix_size();
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	mlen += 4;
	fix_size();
	struct ipc_kmsg km;
	send_ok(&km);
	ipc_kmsg_destroy(&OPS, &km);
	mlen = 32;
	/* count * size beyond 32 bits: no wrap to a small length. */
	mlen = 32;
	put_type(MACH_MSG_TYPE_INTEGER_64, 0xffff, 0xffffffffu, true, false);
	put_u64(0);
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	/* A half descriptor, and an OOL descriptor without its pointer. */
	mlen = 36;
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
	mlen = 32;
	put_type(MACH_MSG_TYPE_BYTE, 8, 4, false, false);
	expect_fail(MACH_SEND_MSG_TOO_SMALL);
}

/*
 * Rights in the header and body, an OOL copy and a port array, then a bad
 * right; after inline data of pad 8-byte words first.
 */
static void
build_padded_then_fail(unsigned bad_disp, mach_port_name_t bad_name, unsigned pad)
{
	put_header(MACH_MSGH_BITS_COMPLEX |
	               MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE),
	           1, 2, 1);
	if (pad) {
		put_type(MACH_MSG_TYPE_BYTE, 8, 8 * pad, true, false);
		for (unsigned i = 0; i < pad; i++)
			put_u64(i);
	}
	put_type(MACH_MSG_TYPE_MOVE_RECEIVE, 64, 1, true, false);
	put_u64(3);
	put_type(MACH_MSG_TYPE_BYTE, 8, 5000, false, true);
	put_u64(FAKE_BASE + 4096);
	put_type(MACH_MSG_TYPE_MOVE_SEND, 32, 2, false, false);
	put_u64(FAKE_BASE + 3 * 4096);
	memcpy(F.smem + 3 * 4096, &(uint32_t[]){4, 5}, 8);
	put_type(bad_disp, 64, 2, true, false);
	put_u64(6);
	put_u64(bad_name);
	fix_size();
}

static void
build_then_fail(unsigned bad_disp, mach_port_name_t bad_name)
{
	build_padded_then_fail(bad_disp, bad_name, 0);
}

static void
test_invalid_right_undoes_all(void **state)
{
	build_then_fail(MACH_MSG_TYPE_MOVE_SEND, 13);
	expect_fail(MACH_SEND_INVALID_RIGHT);
	build_then_fail(MACH_MSG_TYPE_MOVE_SEND,
	                2); /* name 2: its only send-once went in the header, but it has send */
	F.space[1].send = 0;
	expect_fail(MACH_SEND_INVALID_RIGHT);
	/* A bad descriptor after rights and copies were taken: all put back too. */
	build_then_fail(MACH_MSG_TYPE_MOVE_SEND, 6);
	mp()[mlen - 24 + 3] |= 0x80; /* deallocate on inline rights */
	expect_fail(MACH_SEND_INVALID_TYPE);
}

static void
test_invalid_memory_undoes_all(void **state)
{
	build_then_fail(MACH_MSG_TYPE_COPY_SEND, 6);
	F.smapped[3] = false; /* the port array */
	expect_fail(MACH_SEND_INVALID_MEMORY);
	F.smapped[3] = true;
	F.smapped[1] = false; /* the OOL data */
	expect_fail(MACH_SEND_INVALID_MEMORY);
	F.smapped[1] = true;
	memcpy(F.smem + 3 * 4096 + 4, &(uint32_t){14}, 4); /* a bad name in the array */
	expect_fail(MACH_SEND_INVALID_RIGHT);
}

static void
test_alloc_failure_undoes(void **state)
{
	/* A small message's copy (orig) is on the kernel stack: message, port array. */
	for (long n = 1; n <= 2; n++) {
		setup(NULL);
		build_then_fail(MACH_MSG_TYPE_COPY_SEND, 6);
		F.alloc_fail_at = n;
		expect_fail(MACH_SEND_NO_BUFFER);
	}
	/* A larger one's is allocated: message, its copy, the port array. */
	for (long n = 1; n <= 3; n++) {
		setup(NULL);
		build_padded_then_fail(MACH_MSG_TYPE_COPY_SEND, 6, 40);
		F.alloc_fail_at = n;
		expect_fail(MACH_SEND_NO_BUFFER);
	}
}

static void
test_ool_round_trip(void **state)
{
	struct ipc_kmsg km;
	setup(NULL);
	for (int i = 0; i < 5000; i++)
		F.smem[4096 + i] = (uint8_t)(i * 7);
	build_then_fail(MACH_MSG_TYPE_COPY_SEND, 6);
	send_ok(&km);
	/* deallocate: the region left the sender (a move). */
	assert_false(F.smapped[1]);
	assert_int_equal(F.space[2].recv, false);
	recv_ok(&km);
	uint64_t data = r64(32 + 16 + 8);
	assert_in_range(data, FAKE_BASE + FAKE_MEM / 2, FAKE_BASE + FAKE_MEM - 5000);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(F.rmem[data - FAKE_BASE + i], (uint8_t)(i * 7));
	uint64_t arr = r64(32 + 16 + 16 + 8);
	assert_in_range(arr, FAKE_BASE + FAKE_MEM / 2, FAKE_BASE + FAKE_MEM - 8);
	assert_int_equal(r32(arr - FAKE_BASE), FAKE_RNAME(3));
	assert_int_equal(r32(arr - FAKE_BASE + 4), FAKE_RNAME(4));
	assert_int_equal(F.rcv[2][0], 1); /* the receive right */
	assert_int_equal(F.rcv[5][1], 2); /* 6 twice */
	assert_int_equal(F.space[3].send, 2);
}

/*
 * Seven regions, six of them moved: the first four moves are kept from
 * the copyin walk, the rest found by a second walk at commit; every moved
 * region leaves the sender, the copied one stays, and each arrives.
 */
static void
test_many_moves(void **state)
{
	struct ipc_kmsg km;

	put_header(MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0, 9);
	for (int i = 0; i < 7; i++) {
		put_type(MACH_MSG_TYPE_BYTE, 8, 4096, false, i != 3);
		put_u64(FAKE_BASE + (uint64_t)(8 + i) * 4096);
		F.smem[(8 + i) * 4096] = (uint8_t)(40 + i);
	}
	fix_size();
	send_ok(&km);
	for (int i = 0; i < 7; i++)
		assert_int_equal(F.smapped[8 + i], i == 3);
	recv_ok(&km);
	for (int i = 0; i < 7; i++) {
		uint64_t at = r64(32 + 16 * i + 8);
		assert_int_equal(F.rmem[at - FAKE_BASE], 40 + i);
	}
}

static void
test_rcv_too_large_then_destroy(void **state)
{
	struct ipc_kmsg km;
	build_then_fail(MACH_MSG_TYPE_MAKE_SEND, 6);
	send_ok(&km);
	assert_int_equal(ipc_kmsg_copyout(&OPS, &km, FAKE_BASE, mlen - 4), MACH_RCV_TOO_LARGE);
	assert_non_null(km.buf);
	assert_int_not_equal(fake_transit_total(&F), 0);
	ipc_kmsg_destroy(&OPS, &km);
	assert_int_equal(fake_transit_total(&F), 0);
	assert_int_equal(F.copies, 0);
	assert_int_equal(F.allocs, 0);
}

static void
test_rcv_invalid_data(void **state)
{
	struct ipc_kmsg km;
	put_header(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0, 1);
	send_ok(&km);
	F.rmapped[0] = false;
	assert_int_equal(ipc_kmsg_copyout(&OPS, &km, FAKE_BASE, 64), MACH_RCV_INVALID_DATA);
	assert_int_equal(F.allocs, 0);
	assert_int_equal(fake_transit_total(&F), 0);
}

/* Kernel-written messages (ipc_kmsg_copyin_kernel): a MIG reply as the kernel servers make it. */

static struct ipc_port *
fport(int i)
{
	return (struct ipc_port *)(uintptr_t)(0x1000 + i);
}

static void
k_type(uint8_t *b, uint32_t *off, unsigned name, unsigned size, uint32_t number, bool inl)
{
	mach_msg_type_t t = {0};
	t.msgt_name = name;
	t.msgt_size = size;
	t.msgt_number = number;
	t.msgt_inline = inl;
	memcpy(b + *off, &t, 8);
	*off += 8;
}

static void
k_ptr(uint8_t *b, uint32_t *off, const void *p)
{
	memcpy(b + *off, &p, 8);
	*off += 8;
}

/*
 * Reply to port 1's send-once right, carrying port 2 by MAKE_SEND, port 3
 * by COPY_SEND, port 4 by MAKE_SEND_ONCE, port 5 by MOVE_SEND (a right
 * the server already held) and an OOL array of ports 2 and 4 by
 * MAKE_SEND, as MIG writes it (64-bit elements).
 */
static uint32_t
build_kernel_reply(struct ipc_kmsg *km, mach_msg_type_name_t dest_disp)
{
	struct ipc_kmsg k;
	assert_true(ipc_kmsg_alloc(&OPS, 200, &k));
	uint8_t *b = k.buf;
	uint32_t off = 32;
	struct ipc_port **arr = OPS.alloc(OPS.ctx, ipc_kmsg_ool_ports_size(2));
	mach_msg_bits_t bits = MACH_MSGH_BITS(dest_disp, 0) | MACH_MSGH_BITS_COMPLEX;
	mach_msg_id_t id = 2100;

	memset(b, 0, 200);
	arr[0] = fport(2);
	arr[1] = fport(4);
	memcpy(b, &bits, 4);
	k_ptr(b, &(uint32_t){8}, fport(1));
	memcpy(b + 28, &id, 4);
	static const unsigned disps[] = {MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_COPY_SEND,
	                                 MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_MOVE_SEND};
	for (int i = 0; i < 4; i++) {
		k_type(b, &off, disps[i], 64, 1, true);
		k_ptr(b, &off, fport(2 + i));
	}
	k_type(b, &off, MACH_MSG_TYPE_MAKE_SEND, 64, 2, false);
	k_ptr(b, &off, arr);
	memcpy(b + 4, &off, 4);
	km->buf = b;
	km->size = off;
	F.transit[1]++; /* the reply port's send-once right, moved from the request */
	F.transit[5]++; /* the send right the server moves */
	return off;
}

static void
test_copyin_kernel(void **state)
{
	struct ipc_kmsg km;
	uint32_t size = build_kernel_reply(&km, MACH_MSG_TYPE_PORT_SEND_ONCE);

	assert_int_equal(ipc_kmsg_copyin_kernel(&OPS, &km), MACH_MSG_SUCCESS);
	/* Dispositions made rights (2 twice, 3, 4 twice), moves stayed what they were. */
	assert_int_equal(F.made[2], 2);
	assert_int_equal(F.made[3], 1);
	assert_int_equal(F.made[4], 2);
	assert_int_equal(F.made[5], 0);
	assert_int_equal(F.made[1], 0);
	/* Each descriptor now names the type in transit; the port array is the kernel form's. */
	static const unsigned types[] = {MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND,
	                                 MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND};
	for (int i = 0; i < 4; i++) {
		mach_msg_type_t t;
		memcpy(&t, km.buf + 32 + 16 * i, 8);
		assert_int_equal(t.msgt_name, types[i]);
	}
	mach_msg_type_t t;
	memcpy(&t, km.buf + 96, 8);
	assert_int_equal(t.msgt_name, MACH_MSG_TYPE_PORT_SEND);
	assert_int_equal(t.msgt_size, 32);

	/* Received: every right has a name, the array arrives as names. */
	recv_ok(&km);
	assert_int_equal(r32(4), size);
	assert_int_equal(F.dest[1], 1);
	assert_int_equal(F.rcv[2][1], 2);
	assert_int_equal(F.rcv[3][1], 1);
	assert_int_equal(F.rcv[4][2], 1);
	assert_int_equal(F.rcv[4][1], 1);
	assert_int_equal(F.rcv[5][1], 1);
	assert_int_equal(r64(32 + 8), FAKE_RNAME(2));
	assert_int_equal(r64(32 + 16 * 3 + 8), FAKE_RNAME(5));
	uint64_t arr = r64(104);
	assert_int_equal(r32(arr - FAKE_BASE), FAKE_RNAME(2));
	assert_int_equal(r32(arr - FAKE_BASE + 4), FAKE_RNAME(4));
}

/* A malformed kernel message is refused before any right is made. */
static void
test_copyin_kernel_refuses(void **state)
{
	struct ipc_kmsg km;

	build_kernel_reply(&km, MACH_MSG_TYPE_MOVE_RECEIVE);
	assert_int_equal(ipc_kmsg_copyin_kernel(&OPS, &km), MACH_SEND_INVALID_HEADER);
	for (int i = 0; i < FAKE_NPORTS; i++)
		assert_int_equal(F.made[i], 0);
	/* A descriptor running past the end. */
	uint32_t short_size = km.size - 8;
	memcpy(km.buf + 4, &short_size, 4);
	mach_msg_bits_t bits =
	    MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
	memcpy(km.buf, &bits, 4);
	uint32_t size = km.size;
	km.size = short_size;
	assert_int_equal(ipc_kmsg_copyin_kernel(&OPS, &km), MACH_SEND_MSG_TOO_SMALL);
	for (int i = 0; i < FAKE_NPORTS; i++)
		assert_int_equal(F.made[i], 0);
	/* A size that is not the header's. */
	km.size = size;
	assert_int_equal(ipc_kmsg_copyin_kernel(&OPS, &km), MACH_SEND_MSG_TOO_SMALL);
	void *arr;
	memcpy(&arr, km.buf + 104, 8);
	OPS.free(OPS.ctx, arr, ipc_kmsg_ool_ports_size(2));
	ipc_kmsg_free(&OPS, &km);
}

/* A request's OOL port array as the MIG stubs check it (64-bit), and back for destroying. */
static void
test_ool_ports_for_server(void **state)
{
	struct ipc_kmsg km;
	mach_msg_type_t t;

	build_then_fail(MACH_MSG_TYPE_COPY_SEND, 6);
	send_ok(&km);
	assert_int_equal(ipc_kmsg_ool_ports_for_server(&km, true), MACH_MSG_SUCCESS);
	memcpy(&t, km.buf + 32 + 16 + 16, 8);
	assert_true(MACH_MSG_TYPE_PORT_ANY(t.msgt_name) && !t.msgt_inline);
	assert_int_equal(t.msgt_size, 64);
	assert_int_equal(ipc_kmsg_ool_ports_for_server(&km, false), MACH_MSG_SUCCESS);
	memcpy(&t, km.buf + 32 + 16 + 16, 8);
	assert_int_equal(t.msgt_size, 32);
	ipc_kmsg_destroy(&OPS, &km);
	assert_int_equal(fake_transit_total(&F), 0);
	assert_int_equal(F.copies, 0);
	assert_int_equal(F.allocs, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_too_small, setup),
	    cmocka_unit_test_setup(test_invalid_data, setup),
	    cmocka_unit_test_setup(test_invalid_header, setup),
	    cmocka_unit_test_setup(test_invalid_dest, setup),
	    cmocka_unit_test_setup(test_invalid_reply_undoes_dest, setup),
	    cmocka_unit_test_setup(test_header_round_trip, setup),
	    cmocka_unit_test_setup(test_dispositions, setup),
	    cmocka_unit_test_setup(test_invalid_type, setup),
	    cmocka_unit_test_setup(test_past_the_end, setup),
	    cmocka_unit_test_setup(test_invalid_right_undoes_all, setup),
	    cmocka_unit_test_setup(test_invalid_memory_undoes_all, setup),
	    cmocka_unit_test_setup(test_alloc_failure_undoes, setup),
	    cmocka_unit_test_setup(test_many_moves, setup),
	    cmocka_unit_test_setup(test_ool_round_trip, setup),
	    cmocka_unit_test_setup(test_rcv_too_large_then_destroy, setup),
	    cmocka_unit_test_setup(test_rcv_invalid_data, setup),
	    cmocka_unit_test_setup(test_copyin_kernel, setup),
	    cmocka_unit_test_setup(test_copyin_kernel_refuses, setup),
	    cmocka_unit_test_setup(test_ool_ports_for_server, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
