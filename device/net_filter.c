// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device/net_filter.c: GNU Mach's NETF and BPF packet filters (see
 * device/net_filter.h): each program is checked completely when it is
 * set, so running it needs only the checks that depend on the frame.
 */
#include "device/net_filter.h"

#include "kern/string.h"

/* Two ALU operations GNU Mach runs that <device/bpf.h> does not name. */
#ifndef BPF_MOD
#define BPF_MOD 0x90
#endif
#ifndef BPF_XOR
#define BPF_XOR 0xa0
#endif

/* The most values a NETF stack may hold, the initial TRUE included: GNU
 * Mach refuses a program that would leave fewer than two free slots. */
#define NETF_MAX_VALUES (NET_FILTER_STACK_DEPTH - 1)

/* ---- NETF ---- */

static bool
netf_op_known(unsigned op)
{
	return op <= NETF_OP(NETF_SUB);
}

/* Whether the operator pops the stack's top (the short-circuit ones). */
static bool
netf_op_pops(unsigned op)
{
	return op >= NETF_OP(NETF_COR) && op <= NETF_OP(NETF_CNAND);
}

/*
 * The stack's depth is the same whichever way a NETF program runs (it has
 * no jumps, only early exits), so it is followed here word by word: no
 * argument may pop or index a value that is not there, no push may
 * overflow, and the result must be there at the end.
 */
static bool
netf_check(const filter_t *w, unsigned count)
{
	unsigned values = 1; /* the TRUE the stack starts with */

	for (unsigned i = 1; i < count; i++) {
		unsigned op = NETF_OP(w[i]), arg = NETF_ARG(w[i]);
		bool pushed_arg = true; /* an argument not taken from the stack */

		if (!netf_op_known(op))
			return false;
		switch (arg) {
		case NETF_NOPUSH:
		case NETF_PUSHIND:
		case NETF_PUSHHDRIND:
			if (values == 0)
				return false;
			values--;
			pushed_arg = false;
			break;
		case NETF_PUSHLIT:
			if (++i >= count)
				return false; /* the literal is missing */
			break;
		default:
			if (arg >= NETF_PUSHSTK && arg - NETF_PUSHSTK >= values)
				return false;
			break;
		}
		if (values + 1 > NETF_MAX_VALUES && (pushed_arg || op == NETF_OP(NETF_NOP)))
			return false;
		if (op == NETF_OP(NETF_NOP)) {
			values++;
			continue;
		}
		if (values == 0)
			return false; /* a binary operator with nothing to work on */
		if (netf_op_pops(op))
			values--;
	}
	return values >= 1;
}

static uint16_t
load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Apply a binary operator: the new top, or -1/1 through *exit for the
 * short-circuit ones that decide (0 refuses, 1 accepts). */
static int32_t
netf_apply(unsigned op, int32_t top, uint32_t arg, int *exit)
{
	uint32_t t = (uint32_t)top;

	switch (op) {
	case NETF_OP(NETF_AND):
		return (int32_t)(t & arg);
	case NETF_OP(NETF_OR):
		return (int32_t)(t | arg);
	case NETF_OP(NETF_XOR):
		return (int32_t)(t ^ arg);
	case NETF_OP(NETF_EQ):
		return t == arg;
	case NETF_OP(NETF_NEQ):
		return t != arg;
	case NETF_OP(NETF_LT):
		return t < arg;
	case NETF_OP(NETF_LE):
		return t <= arg;
	case NETF_OP(NETF_GT):
		return t > arg;
	case NETF_OP(NETF_GE):
		return t >= arg;
	case NETF_OP(NETF_COR):
		if (t == arg)
			*exit = 1;
		return 0;
	case NETF_OP(NETF_CAND):
		if (t != arg)
			*exit = 0;
		return 0;
	case NETF_OP(NETF_CNOR):
		if (t == arg)
			*exit = 0;
		return 0;
	case NETF_OP(NETF_CNAND):
		if (t != arg)
			*exit = 1;
		return 0;
	/* Shifts of 32 or more are undefined in C: they give 0 (or -1). */
	case NETF_OP(NETF_LSH):
		return arg < 32 ? (int32_t)(t << arg) : 0;
	case NETF_OP(NETF_RSH):
		return arg < 32 ? top >> arg : (top < 0 ? -1 : 0);
	case NETF_OP(NETF_ADD):
		return (int32_t)(t + arg);
	default: /* NETF_SUB: netf_check let no other through */
		return (int32_t)(t - arg);
	}
}

/* Run a checked NETF program: whether it accepts the frame. */
static bool
netf_run(const struct net_filter *f, const struct net_frame *fr)
{
	int32_t stack[NET_FILTER_STACK_DEPTH];
	unsigned sp = NET_FILTER_STACK_DEPTH - 1; /* stack[sp] is the top */
	unsigned nwords = fr->nfr_count / 2;
	const filter_t *w = f->nf_words;

	stack[sp] = 1;
	for (unsigned i = 1; i < f->nf_count; i++) {
		unsigned op = NETF_OP(w[i]), arg = NETF_ARG(w[i]);
		uint32_t val;
		int exit = -1;

		switch (arg) {
		case NETF_NOPUSH:
			val = (uint32_t)stack[sp++];
			break;
		case NETF_PUSHZERO:
			val = 0;
			break;
		case NETF_PUSHLIT:
			val = w[++i];
			break;
		case NETF_PUSHIND:
			val = (uint32_t)stack[sp++];
			if (val >= nwords)
				return false;
			val = load16(fr->nfr_packet + 2 * val);
			break;
		case NETF_PUSHHDRIND:
			val = (uint32_t)stack[sp++];
			if (val >= NET_HDW_HDR_MAX / 2)
				return false;
			val = load16(fr->nfr_header + 2 * val);
			break;
		default:
			if (arg >= NETF_PUSHSTK) {
				val = (uint32_t)stack[sp + arg - NETF_PUSHSTK];
			} else if (arg >= NETF_PUSHHDR) {
				val = load16(fr->nfr_header + 2 * (arg - NETF_PUSHHDR));
			} else {
				/* Arguments 3 to 13 mean nothing: like a word
				 * past the packet, they refuse the frame. */
				if (arg < NETF_PUSHWORD || arg - NETF_PUSHWORD >= nwords)
					return false;
				val = load16(fr->nfr_packet + 2 * (arg - NETF_PUSHWORD));
			}
			break;
		}
		if (op == NETF_OP(NETF_NOP)) {
			stack[--sp] = (int32_t)val;
			continue;
		}
		stack[sp] = netf_apply(op, stack[sp], val, &exit);
		if (exit >= 0)
			return exit;
		if (netf_op_pops(op))
			sp++;
	}
	return stack[sp] != 0;
}

/* ---- BPF ---- */

static bool
bpf_scratch_op(uint16_t code)
{
	return code == BPF_ST || code == BPF_STX || code == (BPF_LD | BPF_MEM) ||
	       code == (BPF_LDX | BPF_MEM);
}

/*
 * GNU Mach's bpf_validate, with the holes it leaves closed: jumps go
 * forward and land inside the program, scratch words exist (for stores
 * and loads both), no constant division by zero or shift of 32 or more,
 * at most one RET|MATCH_IMM with 1 to NET_FILTER_KEYS KEY instructions
 * after it, and the last instruction returns. Unknown instructions are
 * let through as GNU Mach lets them: reached, they refuse the frame.
 */
static bool
bpf_check(struct net_filter *f)
{
	const struct bpf_insn *p = f->nf_insns;
	unsigned len = f->nf_count;
	bool matched = false;

	if (len < 2)
		return false;
	for (unsigned i = 1; i < len; i++) {
		uint16_t code = p[i].code;
		uint32_t k = (uint32_t)p[i].k;
		unsigned from = i + 1;

		if (BPF_CLASS(code) == BPF_JMP) {
			if (BPF_OP(code) == BPF_JA) {
				if (k >= len - from)
					return false;
			} else if (from + p[i].jt >= len || from + p[i].jf >= len) {
				return false;
			}
		}
		if (bpf_scratch_op(code) && k >= BPF_MEMWORDS)
			return false;
		if ((code == (BPF_ALU | BPF_DIV | BPF_K) || code == (BPF_ALU | BPF_MOD | BPF_K)) &&
		    k == 0)
			return false;
		if (code == (BPF_ALU | BPF_LSH | BPF_K) && k >= 32)
			return false;
		if (code == (BPF_RET | BPF_MATCH_IMM)) {
			unsigned nkeys = p[i].jt;

			if (matched || nkeys == 0 || nkeys > NET_FILTER_KEYS || i + nkeys + 1 > len)
				return false;
			for (unsigned j = 1; j <= nkeys; j++) {
				if (p[i + j].code != (BPF_MISC | BPF_KEY))
					return false;
				f->nf_keys[j - 1] = (uint32_t)p[i + j].k;
			}
			f->nf_nkeys = (uint8_t)nkeys;
			matched = true;
			i += nkeys;
		}
	}
	return BPF_CLASS(p[len - 1].code) == BPF_RET;
}

/* The frame's byte at off, the link header and the payload as one. */
static uint8_t
frame_byte(const struct net_frame *fr, uint64_t off)
{
	return off < fr->nfr_hlen
	           ? fr->nfr_header[off]
	           : fr->nfr_packet[sizeof(struct packet_header) + off - fr->nfr_hlen];
}

/* Load size bytes at off, big-endian, into *val: false past the frame. */
static bool
frame_load(const struct net_frame *fr, uint32_t off, unsigned size, uint32_t *val)
{
	uint64_t end = (uint64_t)off + size;
	uint64_t frame_len = fr->nfr_hlen + (fr->nfr_count - sizeof(struct packet_header));
	uint32_t v = 0;

	if (end > frame_len)
		return false;
	for (uint64_t o = off; o < end; o++)
		v = v << 8 | frame_byte(fr, o);
	*val = v;
	return true;
}

/* A RET's count: the payload bytes asked for, at most the payload. */
static unsigned
bpf_ret(uint32_t want, uint32_t wirelen)
{
	return want <= wirelen ? want : wirelen;
}

static uint32_t
bpf_alu(uint16_t op, uint32_t a, uint32_t b, bool *refuse)
{
	switch (op) {
	case BPF_ADD:
		return a + b;
	case BPF_SUB:
		return a - b;
	case BPF_MUL:
		return a * b;
	case BPF_DIV:
	case BPF_MOD:
		if (b == 0) {
			*refuse = true;
			return 0;
		}
		return op == BPF_DIV ? a / b : a % b;
	case BPF_AND:
		return a & b;
	case BPF_OR:
		return a | b;
	case BPF_XOR:
		return a ^ b;
	case BPF_LSH:
		return b < 32 ? a << b : 0;
	case BPF_RSH:
		return b < 32 ? a >> b : 0;
	case BPF_NEG:
		return 0u - a;
	default:
		*refuse = true;
		return 0;
	}
}

/* Run a checked BPF program: payload bytes to deliver (0: refused). */
static unsigned
bpf_run(const struct net_filter *f, const struct net_frame *fr, struct net_filter_verdict *v)
{
	const struct bpf_insn *pc = f->nf_insns + 1, *end = f->nf_insns + f->nf_count;
	uint32_t wirelen = fr->nfr_count - sizeof(struct packet_header);
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};

	for (; pc < end; pc++) {
		uint32_t k = (uint32_t)pc->k;
		uint16_t code = pc->code;
		bool refuse = false;

		/* GNU Mach runs exact codes only: any other bit refuses. */
		if (code > 0xff)
			return 0;
		switch (BPF_CLASS(code)) {
		case BPF_RET:
			if (code == (BPF_RET | BPF_MATCH_IMM)) {
				v->nv_match = true;
				memcpy(v->nv_keys, mem, sizeof(v->nv_keys[0]) * pc->jt);
				return bpf_ret(k, wirelen);
			}
			/* A session filter delivers only to a session. */
			if (f->nf_nkeys)
				return 0;
			if (code == (BPF_RET | BPF_K))
				return bpf_ret(k, wirelen);
			if (code == (BPF_RET | BPF_A))
				return bpf_ret(a, wirelen);
			return 0;
		case BPF_LD:
			switch (code) {
			case BPF_LD | BPF_W | BPF_ABS:
				refuse = !frame_load(fr, k, 4, &a);
				break;
			case BPF_LD | BPF_H | BPF_ABS:
				refuse = !frame_load(fr, k, 2, &a);
				break;
			case BPF_LD | BPF_B | BPF_ABS:
				refuse = !frame_load(fr, k, 1, &a);
				break;
			case BPF_LD | BPF_W | BPF_IND:
				refuse = !frame_load(fr, x + k, 4, &a);
				break;
			case BPF_LD | BPF_H | BPF_IND:
				refuse = !frame_load(fr, x + k, 2, &a);
				break;
			case BPF_LD | BPF_B | BPF_IND:
				refuse = !frame_load(fr, x + k, 1, &a);
				break;
			case BPF_LD | BPF_W | BPF_LEN:
				a = wirelen;
				break;
			case BPF_LD | BPF_IMM:
				a = k;
				break;
			case BPF_LD | BPF_MEM:
				a = mem[k];
				break;
			default:
				refuse = true;
				break;
			}
			break;
		case BPF_LDX:
			switch (code) {
			case BPF_LDX | BPF_W | BPF_LEN:
				x = wirelen;
				break;
			case BPF_LDX | BPF_IMM:
				x = k;
				break;
			case BPF_LDX | BPF_MEM:
				x = mem[k];
				break;
			case BPF_LDX | BPF_MSH | BPF_B:
				refuse = !frame_load(fr, k, 1, &x);
				x = (x & 0xf) << 2;
				break;
			default:
				refuse = true;
				break;
			}
			break;
		case BPF_ST:
			refuse = code != BPF_ST;
			if (!refuse)
				mem[k] = a;
			break;
		case BPF_STX:
			refuse = code != BPF_STX;
			if (!refuse)
				mem[k] = x;
			break;
		case BPF_ALU:
			if (code == (BPF_ALU | BPF_NEG | BPF_X))
				return 0;
			a = bpf_alu(BPF_OP(code), a, BPF_SRC(code) == BPF_X ? x : k, &refuse);
			break;
		case BPF_JMP: {
			uint32_t b = BPF_SRC(code) == BPF_X ? x : k;
			bool taken;

			switch (BPF_OP(code)) {
			case BPF_JA:
				if (code != (BPF_JMP | BPF_JA))
					return 0;
				pc += k;
				continue;
			case BPF_JEQ:
				taken = a == b;
				break;
			case BPF_JGT:
				taken = a > b;
				break;
			case BPF_JGE:
				taken = a >= b;
				break;
			case BPF_JSET:
				taken = (a & b) != 0;
				break;
			default:
				return 0;
			}
			pc += taken ? pc->jt : pc->jf;
			break;
		}
		default: /* BPF_MISC */
			if (code == (BPF_MISC | BPF_TAX))
				x = a;
			else if (code == (BPF_MISC | BPF_TXA))
				a = x;
			else
				refuse = true;
			break;
		}
		if (refuse)
			return 0;
	}
	return 0;
}

/* ---- The interface ---- */

io_return_t
net_filter_load(struct net_filter *f, const filter_t *words, unsigned count)
{
	if (count == 0 || count > NET_MAX_FILTER || !(words[0] & (NETF_IN | NETF_OUT)))
		return D_INVALID_OPERATION;
	memset(f, 0, sizeof(*f));
	f->nf_flags = words[0] & (NETF_IN | NETF_OUT);
	switch (words[0] & NETF_TYPE_MASK) {
	case 0:
		memcpy(f->nf_words, words, count * sizeof(filter_t));
		f->nf_count = count;
		return netf_check(f->nf_words, count) ? D_SUCCESS : D_INVALID_OPERATION;
	case NETF_BPF:
		f->nf_bpf = true;
		f->nf_count = count * sizeof(filter_t) / sizeof(struct bpf_insn);
		memcpy(f->nf_insns, words, f->nf_count * sizeof(struct bpf_insn));
		return bpf_check(f) ? D_SUCCESS : D_INVALID_OPERATION;
	default:
		return D_INVALID_OPERATION;
	}
}

void
net_filter_run(const struct net_filter *f, const struct net_frame *fr, struct net_filter_verdict *v)
{
	v->nv_count = 0;
	v->nv_match = false;
	if (fr->nfr_count < sizeof(struct packet_header))
		return;
	if (!f->nf_bpf) {
		/* NETF accepts or refuses; it never shortens a frame. */
		if (netf_run(f, fr))
			v->nv_count = fr->nfr_count;
		return;
	}
	unsigned n = bpf_run(f, fr, v);

	v->nv_count = n ? n + (unsigned)sizeof(struct packet_header) : 0;
	if (!n)
		v->nv_match = false;
}

bool
net_filter_same_program(const struct net_filter *a, const struct net_filter *b)
{
	if (a->nf_bpf != b->nf_bpf || a->nf_count != b->nf_count)
		return false;
	if (!a->nf_bpf)
		return !memcmp(a->nf_words, b->nf_words, a->nf_count * sizeof(filter_t));
	for (unsigned i = 0; i < a->nf_count; i++) {
		const struct bpf_insn *x = &a->nf_insns[i], *y = &b->nf_insns[i];

		if (x->code == (BPF_MISC | BPF_KEY) && y->code == (BPF_MISC | BPF_KEY))
			continue;
		if (x->code != y->code || x->jt != y->jt || x->jf != y->jf || x->k != y->k)
			return false;
	}
	return true;
}
