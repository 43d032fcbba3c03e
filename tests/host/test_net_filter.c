// SPDX-License-Identifier: GPL-2.0-or-later
/* Host tests of GNU Mach's packet filters, NETF and BPF (device/net_filter.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "device/net_filter.h"

/* An Ethernet frame as the filters see it: a 14-byte link header in a
 * NET_HDW_HDR_MAX buffer, then struct packet_header and the payload. */
struct test_frame {
	uint8_t header[NET_HDW_HDR_MAX];
	uint8_t packet[sizeof(struct packet_header) + 1514];
	struct net_frame fr;
};

static void
make_frame(struct test_frame *t, uint16_t ethertype, const uint8_t *payload, unsigned len)
{
	struct packet_header ph = {.length = (uint16_t)(len + sizeof(ph)),
	                           .type = (uint16_t)(ethertype >> 8 | (ethertype & 0xff) << 8)};

	memset(t, 0, sizeof(*t));
	memset(t->header, 0xff, 6); /* destination: broadcast */
	memcpy(t->header + 6, "\x52\x54\x00\x12\x34\x56", 6);
	t->header[12] = (uint8_t)(ethertype >> 8);
	t->header[13] = (uint8_t)ethertype;
	memcpy(t->packet, &ph, sizeof(ph));
	memcpy(t->packet + sizeof(ph), payload, len);
	t->fr = (struct net_frame){.nfr_header = t->header,
	                           .nfr_hlen = 14,
	                           .nfr_packet = t->packet,
	                           .nfr_count = (unsigned)(sizeof(ph) + len)};
}

/* An IPv4/UDP-looking payload of len bytes: version/IHL 0x45, protocol 17. */
static void
make_ip_frame(struct test_frame *t, unsigned len)
{
	uint8_t p[1514];

	for (unsigned i = 0; i < sizeof(p); i++)
		p[i] = (uint8_t)(i * 7 + 3);
	p[0] = 0x45;
	p[9] = 17;
	make_frame(t, 0x0800, p, len);
}

static unsigned
run_count(const struct net_filter *f, const struct test_frame *t)
{
	struct net_filter_verdict v;

	net_filter_run(f, &t->fr, &v);
	return v.nv_count;
}

/* ---- NETF ---- */

/* Network-order 16-bit value as NETF reads it from memory on x86. */
#define NET16(v) ((filter_t)(((v) >> 8) | (((v)&0xff) << 8)))

static io_return_t
load_words(struct net_filter *f, const filter_t *w, unsigned n)
{
	return net_filter_load(f, w, n);
}

static void
test_netf_refused_when_set(void **state)
{
	struct net_filter f;
	filter_t no_dir[] = {0};
	filter_t bad_type[] = {(2 << NETF_NBPA) | NETF_IN};
	filter_t no_literal[] = {NETF_IN, NETF_PUSHLIT | NETF_EQ};
	filter_t bad_op[] = {NETF_IN, NETF_PUSHZERO | (20 << NETF_NBPA)};
	/* Pops the initial TRUE, then ANDs with nothing: GNU Mach takes it
	 * and works past its stack. */
	filter_t underflow[] = {NETF_IN, NETF_NOPUSH | NETF_NOP, NETF_NOPUSH | NETF_AND};
	filter_t stk_past[] = {NETF_IN, (NETF_PUSHSTK + 1) | NETF_NOP};
	filter_t too_long[NET_MAX_FILTER + 1];

	assert_int_equal(load_words(&f, no_dir, 0), D_INVALID_OPERATION);
	assert_int_equal(load_words(&f, no_dir, 1), D_INVALID_OPERATION);
	assert_int_equal(load_words(&f, bad_type, 1), D_INVALID_OPERATION);
	assert_int_equal(load_words(&f, no_literal, 2), D_INVALID_OPERATION);
	assert_int_equal(load_words(&f, bad_op, 2), D_INVALID_OPERATION);
	assert_int_equal(load_words(&f, underflow, 3), D_INVALID_OPERATION);
	assert_int_equal(load_words(&f, stk_past, 2), D_INVALID_OPERATION);
	memset(too_long, 0, sizeof(too_long));
	too_long[0] = NETF_IN;
	assert_int_equal(load_words(&f, too_long, NET_MAX_FILTER), D_SUCCESS);
	assert_int_equal(load_words(&f, too_long, NET_MAX_FILTER + 1), D_INVALID_OPERATION);
}

/* GNU Mach refuses a program that would leave fewer than two free stack
 * slots: 30 pushes on the initial TRUE are the most. */
static void
test_netf_stack_limit(void **state)
{
	struct net_filter f;
	struct test_frame t;
	filter_t w[40];

	make_ip_frame(&t, 64);
	w[0] = NETF_IN;
	for (unsigned i = 1; i <= 30; i++)
		w[i] = NETF_PUSHZERO | NETF_NOP;
	assert_int_equal(load_words(&f, w, 31), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0); /* a zero on top */
	w[31] = NETF_PUSHZERO | NETF_NOP;
	assert_int_equal(load_words(&f, w, 32), D_INVALID_OPERATION);
}

static void
test_netf_accept_all(void **state)
{
	struct net_filter f;
	struct test_frame t;
	filter_t w[] = {NETF_IN | NETF_OUT};

	assert_int_equal(load_words(&f, w, 1), D_SUCCESS);
	assert_int_equal(f.nf_flags, NETF_IN | NETF_OUT);
	make_ip_frame(&t, 100);
	assert_int_equal(run_count(&f, &t), 104);
}

/* The classic CSPF shape: push the packet header's type word, compare
 * with a literal and leave (CAND), the TRUE below then accepts. */
static void
test_netf_ethertype(void **state)
{
	struct net_filter f;
	struct test_frame ip, arp;
	uint8_t p[46] = {0};
	filter_t w[] = {NETF_IN, (NETF_PUSHWORD + 1) | NETF_NOP, NETF_PUSHLIT | NETF_CAND,
	                NET16(0x0800)};

	assert_int_equal(load_words(&f, w, 4), D_SUCCESS);
	make_ip_frame(&ip, 46);
	make_frame(&arp, 0x0806, p, sizeof(p));
	assert_int_equal(run_count(&f, &ip), 50);
	assert_int_equal(run_count(&f, &arp), 0);
}

static void
test_netf_header_words(void **state)
{
	struct net_filter f;
	struct test_frame t;
	/* Link-header word 6 (bytes 12 and 13) is the ethertype; word 0 the
	 * broadcast address's first two bytes; word 31 past the 14 bytes is 0. */
	filter_t w[] = {NETF_IN,       (NETF_PUSHHDR + 6) | NETF_NOP,  NETF_PUSHLIT | NETF_CAND,
	                NET16(0x0800), (NETF_PUSHHDR + 0) | NETF_NOP,  NETF_PUSHLIT | NETF_CAND,
	                0xffff,        (NETF_PUSHHDR + 31) | NETF_NOP, NETF_PUSHZERO | NETF_CAND};

	assert_int_equal(load_words(&f, w, 9), D_SUCCESS);
	make_ip_frame(&t, 60);
	assert_int_equal(run_count(&f, &t), 64);
	t.header[0] = 0x52; /* unicast now */
	assert_int_equal(run_count(&f, &t), 0);
}

static void
test_netf_word_past_packet(void **state)
{
	struct net_filter f;
	struct test_frame t;
	/* Word 40 is bytes 80-81 of packet_header+payload. */
	filter_t w[] = {NETF_IN, (NETF_PUSHWORD + 40) | NETF_NOP, NETF_PUSHZERO | NETF_CNOR};

	assert_int_equal(load_words(&f, w, 3), D_SUCCESS);
	make_ip_frame(&t, 78); /* 82 bytes: word 40 exists */
	assert_int_equal(run_count(&f, &t), t.packet[80] || t.packet[81] ? 82 : 0);
	make_ip_frame(&t, 77); /* 81 bytes: it does not */
	assert_int_equal(run_count(&f, &t), 0);
}

static void
test_netf_short_circuits(void **state)
{
	struct net_filter f;
	struct test_frame t;
	/* COR: equal -> accept at once, whatever follows. */
	filter_t cor[] = {NETF_IN, NETF_PUSHLIT | NETF_NOP, 5, NETF_PUSHLIT | NETF_COR,
	                  5,       NETF_PUSHZERO | NETF_NOP};
	/* CNAND: not equal -> accept at once. */
	filter_t cnand[] = {NETF_IN, NETF_PUSHLIT | NETF_NOP, 5, NETF_PUSHLIT | NETF_CNAND,
	                    6,       NETF_PUSHZERO | NETF_NOP};
	/* CNOR: equal -> refuse at once, though the TRUE stays below. */
	filter_t cnor[] = {NETF_IN, NETF_PUSHLIT | NETF_NOP, 5, NETF_PUSHLIT | NETF_CNOR, 5};

	make_ip_frame(&t, 50);
	assert_int_equal(load_words(&f, cor, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 54);
	cor[4] = 6; /* not equal: popped, goes on, ends with a zero on top */
	assert_int_equal(load_words(&f, cor, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
	assert_int_equal(load_words(&f, cnand, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 54);
	assert_int_equal(load_words(&f, cnor, 5), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
	cnor[4] = 4;
	assert_int_equal(load_words(&f, cnor, 5), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 54);
}

/* Arithmetic, comparisons, PUSHSTK and PUSHIND, each checked by EQ. */
static void
test_netf_arithmetic(void **state)
{
	struct net_filter f;
	struct test_frame t;
	filter_t w[] = {
	    NETF_IN,
	    NETF_PUSHLIT | NETF_NOP,
	    3, /* 3 */
	    NETF_PUSHLIT | NETF_ADD,
	    4, /* 7 */
	    NETF_PUSHLIT | NETF_LSH,
	    4, /* 112 */
	    NETF_PUSHLIT | NETF_SUB,
	    12, /* 100 */
	    NETF_PUSHLIT | NETF_RSH,
	    2, /* 25 */
	    NETF_PUSHLIT | NETF_OR,
	    0x100, /* 0x119 */
	    NETF_PUSHLIT | NETF_XOR,
	    0x001, /* 0x118 */
	    NETF_PUSHLIT | NETF_AND,
	    0x1f0,                   /* 0x110 */
	    NETF_PUSHSTK | NETF_NOP, /* 0x110 0x110 */
	    NETF_PUSHLIT | NETF_EQ,
	    0x110, /* 0x110 1 */
	    NETF_PUSHLIT | NETF_CAND,
	    1, /* 0x110, or refused */
	    NETF_PUSHLIT | NETF_CAND,
	    0x110, /* the TRUE, or refused */
	};
	unsigned n = sizeof(w) / sizeof(w[0]);

	make_ip_frame(&t, 50);
	assert_int_equal(load_words(&f, w, n), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 54);
	w[n - 1] = 0x111; /* a wrong result anywhere refuses */
	assert_int_equal(load_words(&f, w, n), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);

	/* PUSHIND: the index comes from the stack; word 1 is the type. */
	filter_t ind[] = {NETF_IN,
	                  NETF_PUSHLIT | NETF_NOP,
	                  1,
	                  NETF_PUSHIND | NETF_NOP,
	                  NETF_PUSHLIT | NETF_CAND,
	                  NET16(0x0800)};
	assert_int_equal(load_words(&f, ind, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 54);
	ind[2] = 1000; /* past the packet */
	assert_int_equal(load_words(&f, ind, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
	/* Comparisons are unsigned, as GNU Mach's int-with-unsigned ones. */
	filter_t cmp[] = {NETF_IN, NETF_PUSHZERO | NETF_NOP, NETF_PUSHLIT | NETF_SUB,
	                  1,       NETF_PUSHLIT | NETF_GT,   0xffff};
	assert_int_equal(load_words(&f, cmp, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 54); /* 0xffffffff > 0xffff */
}

/* ---- BPF ---- */

static io_return_t
load_bpf(struct net_filter *f, const struct bpf_insn *p, unsigned n)
{
	filter_t w[NET_MAX_FILTER + 8];

	memcpy(w, p, n * sizeof(*p));
	return net_filter_load(f, w, n * (unsigned)(sizeof(*p) / sizeof(filter_t)));
}

#define BEGIN                                                                                      \
	{                                                                                          \
		NETF_BPF | NETF_IN, 0, 0, 0                                                        \
	}
#define STMT(c, k)                                                                                 \
	{                                                                                          \
		(unsigned short)(c), 0, 0, (int)(k)                                                \
	}
#define JUMP(c, k, t, f)                                                                           \
	{                                                                                          \
		(unsigned short)(c), (t), (f), (int)(k)                                            \
	}

static void
test_bpf_refused_when_set(void **state)
{
	struct net_filter f;
	struct bpf_insn only_begin[] = {BEGIN};
	struct bpf_insn no_ret[] = {BEGIN, STMT(BPF_LD | BPF_IMM, 1)};
	struct bpf_insn back[] = {BEGIN, STMT(BPF_LD | BPF_IMM, 1), STMT(BPF_JMP | BPF_JA, -2),
	                          STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn ja_out[] = {BEGIN, STMT(BPF_JMP | BPF_JA, 1), STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn jt_out[] = {BEGIN, JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
	                            STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn st16[] = {BEGIN, STMT(BPF_ST, 16), STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn ldxmem16[] = {BEGIN, STMT(BPF_LDX | BPF_MEM, 16), STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn div0[] = {BEGIN, STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
	                          STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn mod0[] = {BEGIN, STMT(BPF_ALU | 0x90 | BPF_K, 0), STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn lsh32[] = {BEGIN, STMT(BPF_ALU | BPF_LSH | BPF_K, 32),
	                           STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn ok[] = {BEGIN, JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0),
	                        STMT(BPF_RET | BPF_K, 0)};

	assert_int_equal(load_bpf(&f, only_begin, 1), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, no_ret, 2), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, back, 4), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, ja_out, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, jt_out, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, st16, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, ldxmem16, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, div0, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, mod0, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, lsh32, 3), D_INVALID_OPERATION);
	assert_int_equal(load_bpf(&f, ok, 3), D_SUCCESS);
	/* Three words are less than one instruction beyond the flags one. */
	filter_t short_bpf[] = {NETF_BPF | NETF_IN, 0, 0, 0, 6, 0, 0};
	assert_int_equal(net_filter_load(&f, short_bpf, 7), D_INVALID_OPERATION);
}

static void
test_bpf_ret_counts(void **state)
{
	struct net_filter f;
	struct test_frame t;
	struct bpf_insn all[] = {BEGIN, STMT(BPF_RET | BPF_K, -1)};
	struct bpf_insn none[] = {BEGIN, STMT(BPF_RET | BPF_K, 0)};
	struct bpf_insn ten[] = {BEGIN, STMT(BPF_RET | BPF_K, 10)};
	struct bpf_insn len_a[] = {BEGIN, STMT(BPF_LD | BPF_W | BPF_LEN, 0),
	                           STMT(BPF_ALU | BPF_SUB | BPF_K, 1), STMT(BPF_RET | BPF_A, 0)};

	make_ip_frame(&t, 200);
	assert_int_equal(load_bpf(&f, all, 2), D_SUCCESS);
	assert_true(f.nf_bpf);
	assert_int_equal(run_count(&f, &t), 204);
	assert_int_equal(load_bpf(&f, none, 2), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
	assert_int_equal(load_bpf(&f, ten, 2), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 14); /* the payload cut to 10 */
	assert_int_equal(load_bpf(&f, len_a, 4), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 203); /* BPF_LEN is the payload's */
}

/* tcpdump's "ip and udp": offsets below 14 read the link header, above it
 * the payload. */
static void
test_bpf_ip_udp(void **state)
{
	struct net_filter f;
	struct test_frame t, arp;
	uint8_t p[46] = {0};
	struct bpf_insn prog[] = {
	    BEGIN,
	    STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 3),
	    STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 1),
	    STMT(BPF_RET | BPF_K, 1514),
	    STMT(BPF_RET | BPF_K, 0),
	};

	assert_int_equal(load_bpf(&f, prog, 7), D_SUCCESS);
	make_ip_frame(&t, 100);
	assert_int_equal(run_count(&f, &t), 104);
	t.packet[4 + 9] = 6; /* TCP */
	assert_int_equal(run_count(&f, &t), 0);
	make_frame(&arp, 0x0806, p, sizeof(p));
	assert_int_equal(run_count(&f, &arp), 0);
}

/* A word across the link header's end reads on into the payload; a load
 * past the frame refuses it. */
static void
test_bpf_loads_and_bounds(void **state)
{
	struct net_filter f;
	struct test_frame t;
	struct bpf_insn straddle[] = {
	    BEGIN,
	    STMT(BPF_LD | BPF_W | BPF_ABS, 12),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800450a, 0, 1),
	    STMT(BPF_RET | BPF_K, -1),
	    STMT(BPF_RET | BPF_K, 0),
	};
	struct bpf_insn last_byte[] = {
	    BEGIN,
	    STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 59),
	    STMT(BPF_RET | BPF_K, -1),
	};
	struct bpf_insn ind[] = {
	    BEGIN,
	    STMT(BPF_LDX | BPF_IMM, 0xffffffff), /* x + 15 wraps to 14 */
	    STMT(BPF_LD | BPF_B | BPF_IND, 15),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x45, 0, 1),
	    STMT(BPF_RET | BPF_K, -1),
	    STMT(BPF_RET | BPF_K, 0),
	};
	/* 4*(IHL) through MSH, then the UDP destination port's high byte. */
	struct bpf_insn msh[] = {
	    BEGIN,
	    STMT(BPF_LDX | BPF_MSH | BPF_B, 14),
	    STMT(BPF_LD | BPF_H | BPF_IND, 14 + 2),
	    STMT(BPF_MISC | BPF_TAX, 0),
	    STMT(BPF_MISC | BPF_TXA, 0),
	    STMT(BPF_RET | BPF_A, 0),
	};

	make_ip_frame(&t, 60);
	assert_int_equal(load_bpf(&f, straddle, 5), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 64);
	assert_int_equal(load_bpf(&f, last_byte, 3), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 64);
	make_ip_frame(&t, 59);
	assert_int_equal(run_count(&f, &t), 0);
	assert_int_equal(load_bpf(&f, ind, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 63);
	make_ip_frame(&t, 200);
	t.packet[4 + 20 + 2] = 0;
	t.packet[4 + 20 + 3] = 42; /* destination port 42 at IHL 5 */
	assert_int_equal(load_bpf(&f, msh, 6), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 4 + 42);
}

/* Each ALU operation and jump kind, checked through a chain of JEQs. */
static void
test_bpf_alu_and_jumps(void **state)
{
	struct net_filter f;
	struct test_frame t;
	struct bpf_insn prog[] = {
	    BEGIN,
	    STMT(BPF_LD | BPF_IMM, 100),
	    STMT(BPF_LDX | BPF_IMM, 7),
	    STMT(BPF_ALU | BPF_MUL | BPF_X, 0),     /* 700 */
	    STMT(BPF_ALU | BPF_DIV | BPF_K, 3),     /* 233 */
	    STMT(BPF_ALU | 0x90 | BPF_X, 0),        /* 233 % 7 = 2 */
	    STMT(BPF_ALU | BPF_LSH | BPF_K, 8),     /* 512 */
	    STMT(BPF_ALU | BPF_OR | BPF_K, 5),      /* 517 */
	    STMT(BPF_ALU | 0xa0 | BPF_K, 1),        /* xor: 516 */
	    STMT(BPF_ALU | BPF_AND | BPF_K, 0x3fc), /* 516 */
	    STMT(BPF_ALU | BPF_RSH | BPF_K, 2),     /* 129 */
	    STMT(BPF_ALU | BPF_ADD | BPF_X, 0),     /* 136 */
	    STMT(BPF_ALU | BPF_SUB | BPF_K, 4),     /* 132 */
	    STMT(BPF_ST, 3),
	    STMT(BPF_ALU | BPF_NEG, 0), /* -132 */
	    STMT(BPF_ALU | BPF_NEG, 0), /* 132 */
	    STMT(BPF_LDX | BPF_MEM, 3),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 6),     /* 132 == 132 */
	    JUMP(BPF_JMP | BPF_JGT | BPF_K, 129, 0, 5),   /* 132 > 129 */
	    JUMP(BPF_JMP | BPF_JGE | BPF_K, 133, 4, 0),   /* not 132 >= 133 */
	    JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 0, 3), /* 132 & 0x80 */
	    STMT(BPF_JMP | BPF_JA, 1),
	    STMT(BPF_RET | BPF_K, 0),
	    STMT(BPF_RET | BPF_A, 0),
	    STMT(BPF_RET | BPF_K, 0), /* every wrong turn */
	};
	unsigned n = sizeof(prog) / sizeof(prog[0]);

	make_ip_frame(&t, 500);
	assert_int_equal(load_bpf(&f, prog, n), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 4 + 132);
	/* From 101: 707, 235, 4, 1024, 1029, 1028, 4, 1, 8, 4: X == A, but
	 * not 4 > 129. */
	prog[1].k = 101;
	assert_int_equal(load_bpf(&f, prog, n), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
}

static void
test_bpf_runtime_refusals(void **state)
{
	struct net_filter f;
	struct test_frame t;
	struct bpf_insn divx0[] = {BEGIN, STMT(BPF_LD | BPF_IMM, 5), STMT(BPF_LDX | BPF_IMM, 0),
	                           STMT(BPF_ALU | BPF_DIV | BPF_X, 0), STMT(BPF_RET | BPF_K, -1)};
	struct bpf_insn high_bits[] = {BEGIN, STMT(0x100 | BPF_LD | BPF_IMM, 5),
	                               STMT(BPF_RET | BPF_K, -1)};
	struct bpf_insn unknown[] = {BEGIN, STMT(BPF_LD | BPF_H | BPF_IMM, 5),
	                             STMT(BPF_RET | BPF_K, -1)};

	make_ip_frame(&t, 60);
	assert_int_equal(load_bpf(&f, divx0, 5), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
	assert_int_equal(load_bpf(&f, high_bits, 3), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
	assert_int_equal(load_bpf(&f, unknown, 3), D_SUCCESS);
	assert_int_equal(run_count(&f, &t), 0);
}

/* Session filters: one program, many ports told apart by their keys. */
static void
test_bpf_match(void **state)
{
	struct net_filter f, g;
	struct net_filter_verdict v;
	struct test_frame t;
	struct bpf_insn prog[] = {
	    BEGIN,
	    STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    STMT(BPF_ST, 0),
	    STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9),
	    STMT(BPF_ST, 1),
	    JUMP(BPF_RET | BPF_MATCH_IMM, -1, 2, 0),
	    STMT(BPF_MISC | BPF_KEY, 0x0800),
	    STMT(BPF_MISC | BPF_KEY, 17),
	    STMT(BPF_RET | BPF_K, 0),
	};

	assert_int_equal(load_bpf(&f, prog, 9), D_SUCCESS);
	assert_int_equal(f.nf_nkeys, 2);
	assert_int_equal(f.nf_keys[0], 0x0800);
	assert_int_equal(f.nf_keys[1], 17);
	make_ip_frame(&t, 80);
	net_filter_run(&f, &t.fr, &v);
	assert_true(v.nv_match);
	assert_int_equal(v.nv_count, 84);
	assert_int_equal(v.nv_keys[0], 0x0800);
	assert_int_equal(v.nv_keys[1], 17);

	prog[7].k = 6; /* another session of the same program */
	assert_int_equal(load_bpf(&g, prog, 9), D_SUCCESS);
	assert_true(net_filter_same_program(&f, &g));
	prog[3].k = 14 + 8; /* another program */
	assert_int_equal(load_bpf(&g, prog, 9), D_SUCCESS);
	assert_false(net_filter_same_program(&f, &g));

	/* Malformed session programs. */
	struct bpf_insn p2[9];
	memcpy(p2, prog, sizeof(p2));
	p2[5].jt = 0;
	assert_int_equal(load_bpf(&g, p2, 9), D_INVALID_OPERATION);
	p2[5].jt = 5;
	assert_int_equal(load_bpf(&g, p2, 9), D_INVALID_OPERATION);
	memcpy(p2, prog, sizeof(p2));
	p2[7] = (struct bpf_insn)STMT(BPF_LD | BPF_IMM, 1); /* not a KEY */
	assert_int_equal(load_bpf(&g, p2, 9), D_INVALID_OPERATION);
	memcpy(p2, prog, sizeof(p2));
	p2[8] = (struct bpf_insn)JUMP(BPF_RET | BPF_MATCH_IMM, 0, 1, 0); /* a second match */
	assert_int_equal(load_bpf(&g, p2, 9), D_INVALID_OPERATION);

	/* A session filter's plain RET delivers nothing. */
	struct bpf_insn p3[] = {
	    BEGIN,
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3),
	    JUMP(BPF_RET | BPF_MATCH_IMM, -1, 1, 0),
	    STMT(BPF_MISC | BPF_KEY, 9),
	    STMT(BPF_RET | BPF_K, 0),
	    STMT(BPF_RET | BPF_K, -1),
	};
	assert_int_equal(load_bpf(&g, p3, 6), D_SUCCESS);
	net_filter_run(&g, &t.fr, &v);
	assert_false(v.nv_match);
	assert_int_equal(v.nv_count, 0);
	assert_false(net_filter_same_program(&f, &g));
}

/* A NETF and a BPF program are never the same program. */
static void
test_same_program_kinds(void **state)
{
	struct net_filter a, b;
	filter_t w[] = {NETF_IN,
	                NETF_PUSHZERO | NETF_NOP,
	                NETF_PUSHZERO | NETF_NOP,
	                NETF_PUSHZERO | NETF_NOP,
	                NETF_PUSHZERO | NETF_NOP,
	                NETF_PUSHZERO | NETF_NOP,
	                NETF_PUSHZERO | NETF_NOP,
	                NETF_PUSHZERO | NETF_NOP};
	struct bpf_insn p[] = {BEGIN, STMT(BPF_RET | BPF_K, 0)};

	assert_int_equal(load_words(&a, w, 8), D_SUCCESS);
	assert_int_equal(load_bpf(&b, p, 2), D_SUCCESS);
	assert_false(net_filter_same_program(&a, &b));
	assert_true(net_filter_same_program(&a, &a));
	w[7] = NETF_PUSHLIT | NETF_NOP;
	assert_int_equal(load_words(&b, w, 8), D_INVALID_OPERATION); /* the literal is missing */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_netf_refused_when_set),
	    cmocka_unit_test(test_netf_stack_limit),
	    cmocka_unit_test(test_netf_accept_all),
	    cmocka_unit_test(test_netf_ethertype),
	    cmocka_unit_test(test_netf_header_words),
	    cmocka_unit_test(test_netf_word_past_packet),
	    cmocka_unit_test(test_netf_short_circuits),
	    cmocka_unit_test(test_netf_arithmetic),
	    cmocka_unit_test(test_bpf_refused_when_set),
	    cmocka_unit_test(test_bpf_ret_counts),
	    cmocka_unit_test(test_bpf_ip_udp),
	    cmocka_unit_test(test_bpf_loads_and_bounds),
	    cmocka_unit_test(test_bpf_alu_and_jumps),
	    cmocka_unit_test(test_bpf_runtime_refusals),
	    cmocka_unit_test(test_bpf_match),
	    cmocka_unit_test(test_same_program_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
