// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the packet filters (device/net_filter.c). The input's
 * first byte picks the language (bit 0: BPF) and the direction flags
 * (bits 1-2), its second the number of filter words (at most
 * NET_MAX_FILTER + 1, so the length limit is fuzzed too); the words follow
 * (the flags word's type bits are set from the first byte, the rest as
 * given), then one byte of link-header length (at most NET_HDW_HDR_MAX)
 * and the frame: header bytes, then the packet. The packet lives in a
 * buffer of its exact size, so ASan sees any read past it. Whatever the
 * input, a filter that loads must run without fault and say something
 * sensible: a count no larger than the packet, at least the packet header
 * when not zero, the whole packet from NETF, a match only from a session
 * filter, and the same verdict twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "device/net_filter.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct net_filter f;
	filter_t words[NET_MAX_FILTER + 1];
	uint8_t header[NET_HDW_HDR_MAX] = {0};
	struct net_filter_verdict v1, v2;
	struct net_frame fr;
	unsigned nwords, hlen;

	if (size < 3)
		return 0;
	nwords = data[1] % (NET_MAX_FILTER + 2);
	if (size < 2 + 2 * (size_t)nwords + 1)
		return 0;
	memcpy(words, data + 2, 2 * nwords);
	if (nwords)
		words[0] = (filter_t)((words[0] & ~(NETF_TYPE_MASK | NETF_IN | NETF_OUT)) |
		                      (data[0] & 1 ? NETF_BPF : 0) | ((data[0] >> 1) & 3));
	data += 2 + 2 * nwords;
	size -= 2 + 2 * nwords;
	hlen = data[0] % (NET_HDW_HDR_MAX + 1);
	data++;
	size--;
	if (size < hlen + sizeof(struct packet_header))
		return 0;
	if (net_filter_load(&f, words, nwords) != D_SUCCESS)
		return 0;
	if (!(f.nf_flags & (NETF_IN | NETF_OUT)) || f.nf_count > NET_MAX_FILTER)
		abort();

	memcpy(header, data, hlen);
	size_t count = size - hlen;
	uint8_t *packet = malloc(count);
	if (!packet)
		return 0;
	memcpy(packet, data + hlen, count);
	fr = (struct net_frame){.nfr_header = header,
	                        .nfr_hlen = hlen,
	                        .nfr_packet = packet,
	                        .nfr_count = (unsigned)count};
	net_filter_run(&f, &fr, &v1);
	net_filter_run(&f, &fr, &v2);
	if (v1.nv_count > count || (v1.nv_count && v1.nv_count < sizeof(struct packet_header)))
		abort();
	if (!f.nf_bpf && v1.nv_count && v1.nv_count != count)
		abort();
	if (v1.nv_match && (!f.nf_nkeys || !v1.nv_count))
		abort();
	if (v1.nv_count != v2.nv_count || v1.nv_match != v2.nv_match ||
	    (v1.nv_match && memcmp(v1.nv_keys, v2.nv_keys, f.nf_nkeys * sizeof(uint32_t))))
		abort();
	free(packet);
	return 0;
}
