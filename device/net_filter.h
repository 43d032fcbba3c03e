/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device/net_filter.h: GNU Mach's packet filters (device_set_filter),
 * checked once when a task sets one and run on every frame.
 *
 * Two languages share the filter_t array of <device/net_status.h>; its
 * first word holds the flags (NETF_IN, NETF_OUT) and the type:
 *   - NETF, the CMU/Stanford stack language: each word pushes an argument
 *     (a packet word, a link-header word, a literal, a stack slot) and
 *     applies an operator; the frame is accepted when the top of the stack
 *     ends non-zero, or by a short-circuit operator on the way.
 *   - BPF (NETF_BPF in the first word), <device/bpf.h>: the array read as
 *     struct bpf_insn, the first instruction being the flags word.
 *     RET gives the number of payload bytes to deliver; a program may end
 *     in RET|MATCH_IMM followed by KEY instructions, which delivers the
 *     frame to the session whose keys equal the scratch words mem[0..n-1]
 *     (one filter program serving many ports, told apart by their keys).
 *
 * What a filter sees (as in GNU Mach's net_rcv_msg): the link header
 * (NET_HDW_HDR_MAX bytes, zero past its length) and the packet, which
 * starts with struct packet_header (length, type) and goes on with the
 * payload. NETF words index the packet from that header on; BPF offsets
 * below the link header's length read the link header, and above it the
 * payload, as if the two were one frame.
 *
 * Where vmach is stricter than GNU Mach, on purpose (docs/devices.md):
 * a NETF program that would pop past the bottom of its stack, and a BPF
 * jump backwards (a negative JA offset) or an access to a scratch word
 * out of range, are refused when set, where GNU Mach accepts them and
 * then reads or writes outside its stack or loops; a BPF load past the
 * end of the frame refuses the frame (GNU Mach reads stale buffer bytes);
 * a BPF byte load is unsigned (GNU Mach sign-extends bytes >= 0x80).
 *
 * Pure code: no locks, no allocation; host tests and a fuzz target run it
 * as the kernel does.
 */
#ifndef DEVICE_NET_FILTER_H
#define DEVICE_NET_FILTER_H

#include <device/device_types.h>
#include <device/net_status.h>
#include <stdbool.h>
#include <stdint.h>

/* Keys of a BPF session filter (GNU Mach's N_NET_HASH_KEYS). */
#define NET_FILTER_KEYS 4

/* A filter checked by net_filter_load, ready to run. */
struct net_filter {
	uint16_t nf_flags; /* NETF_IN, NETF_OUT */
	bool nf_bpf;       /* BPF, else NETF */
	uint8_t nf_nkeys;  /* BPF with RET|MATCH_IMM: its number of keys */
	unsigned nf_count; /* NETF: words; BPF: instructions, the flags one included */
	uint32_t nf_keys[NET_FILTER_KEYS]; /* this session's keys (the KEY instructions) */
	union {
		filter_t nf_words[NET_MAX_FILTER];
		struct bpf_insn nf_insns[NET_MAX_BPF];
	};
};

/* One frame, as the filters see it. */
struct net_frame {
	const uint8_t *nfr_header; /* NET_HDW_HDR_MAX bytes, zero past nfr_hlen */
	unsigned nfr_hlen;         /* link header bytes, at most NET_HDW_HDR_MAX */
	const uint8_t *nfr_packet; /* struct packet_header, then the payload */
	unsigned nfr_count;        /* bytes at nfr_packet, packet_header included */
};

/* What a filter says of a frame. */
struct net_filter_verdict {
	/* Bytes of the packet to deliver, struct packet_header included (a BPF
	 * RET can shorten the payload); 0: the filter refuses the frame. */
	unsigned nv_count;
	/* A session filter accepted it for the session whose keys are these:
	 * the caller finds that session (none: the frame is refused). */
	bool nv_match;
	uint32_t nv_keys[NET_FILTER_KEYS];
};

/*
 * Check the filter words[0..count) and make f from them: D_SUCCESS, or
 * D_INVALID_OPERATION for an empty filter, one with neither NETF_IN nor
 * NETF_OUT, an unknown type, more than NET_MAX_FILTER words, or a program
 * that breaks its language's rules (net_filter.c lists them).
 */
io_return_t net_filter_load(struct net_filter *f, const filter_t *words, unsigned count);

/* Run f on fr (f from net_filter_load, fr->nfr_count >= the packet header). */
void net_filter_run(const struct net_filter *f, const struct net_frame *fr,
                    struct net_filter_verdict *v);

/* Whether a and b are the same session program: the same instructions,
 * their KEY values aside (GNU Mach's bpf_eq), so they share one filter. */
bool net_filter_same_program(const struct net_filter *a, const struct net_filter *b);

#endif
