// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the partition-table parser (device/partition.c). The
 * input's first 4 bytes choose the block size (512 or 4096), the disk's
 * length in blocks and whether the GPT CRCs are made right before the scan
 * (so the fuzzer gets past them); the rest are the disk's first blocks,
 * and also its last block (where the backup GPT header lives); every other
 * block reads as zeros. Whatever is accepted must keep device/partition.h's
 * promises, checked here independently: reads only inside the disk and
 * bounded in number, partitions inside the disk, past block 0, not
 * overlapping, numbered 1..PART_NUMBER_MAX in increasing order, at most
 * PART_MAX. Anything else aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "device/partition.h"

struct fz_disk {
	uint32_t bs;
	uint64_t nblocks;
	uint8_t *head; /* blocks [0, nhead) */
	uint64_t nhead;
	uint8_t *last; /* the last block */
	unsigned reads;
};

static int
fz_read(void *ctx, uint64_t block, void *buf)
{
	struct fz_disk *d = ctx;

	if (block >= d->nblocks)
		abort();
	d->reads++;
	if (block == d->nblocks - 1)
		memcpy(buf, d->last, d->bs);
	else if (block < d->nhead)
		memcpy(buf, d->head + block * d->bs, d->bs);
	else
		memset(buf, 0, d->bs);
	/* Block 7 fails to read when the disk length is odd. */
	return block == 7 && (d->nblocks & 1);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Gives the header in h (if it has a sane size) right CRCs, its entries' if they are in head. */
static void
fz_fix_gpt(struct fz_disk *d, uint8_t *h)
{
	uint32_t hsize = rd32(h + 12), count = rd32(h + 80), esize = rd32(h + 84);
	uint64_t elba = (uint64_t)rd32(h + 72) | (uint64_t)rd32(h + 76) << 32;
	uint64_t bytes = (uint64_t)count * esize;

	if (elba < d->nhead && bytes <= (d->nhead - elba) * d->bs)
		wr32(h + 88, part_crc32(0, d->head + elba * d->bs, bytes));
	if (hsize >= 20 && hsize <= d->bs) {
		wr32(h + 16, 0);
		wr32(h + 16, part_crc32(0, h, hsize));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_disk d = {0};
	struct part_table t;
	uint8_t *scratch;
	uint64_t len, maxreads;

	if (size < 4)
		return 0;
	d.bs = data[0] & 1 ? 4096 : 512;
	d.nblocks = 2 + (((uint64_t)data[1] | (uint64_t)data[2] << 8) << (data[0] >> 4));
	len = size - 4;
	d.nhead = (len + d.bs - 1) / d.bs;
	if (d.nhead > d.nblocks - 1)
		d.nhead = d.nblocks - 1;
	d.head = calloc(d.nhead ? d.nhead : 1, d.bs);
	d.last = calloc(1, d.bs);
	scratch = malloc(d.bs);
	memcpy(d.head, data + 4, len < d.nhead * d.bs ? len : d.nhead * d.bs);
	if (len > d.nhead * d.bs) {
		uint64_t rest = len - d.nhead * d.bs;
		memcpy(d.last, data + 4 + d.nhead * d.bs, rest < d.bs ? rest : d.bs);
	}
	if (data[3] & 1) {
		if (d.nhead > 1)
			fz_fix_gpt(&d, d.head + d.bs);
		fz_fix_gpt(&d, d.last);
	}

	unsigned n = part_scan(d.bs, d.nblocks, fz_read, &d, scratch, &t);

	/* MBR, EBRs, two headers and their entry arrays read twice. */
	maxreads = 1 + PART_EBR_MAX + 2 * (1 + 2 * ((PART_GPT_ENTRIES_MAX * 4096ull) / d.bs + 1));
	if (n != t.pt_count || n > PART_MAX || d.reads > maxreads)
		abort();
	if (n && t.pt_scheme != PART_MBR && t.pt_scheme != PART_GPT)
		abort();
	for (unsigned i = 0; i < n; i++) {
		const struct part_entry *p = &t.pt_parts[i];
		if (p->pe_number < 1 || p->pe_number > PART_NUMBER_MAX || p->pe_start == 0 ||
		    p->pe_blocks == 0 || p->pe_start >= d.nblocks ||
		    p->pe_blocks > d.nblocks - p->pe_start)
			abort();
		if (i && p->pe_number <= t.pt_parts[i - 1].pe_number)
			abort();
		for (unsigned j = 0; j < i; j++) {
			const struct part_entry *q = &t.pt_parts[j];
			if (p->pe_start < q->pe_start + q->pe_blocks &&
			    q->pe_start < p->pe_start + p->pe_blocks)
				abort();
		}
	}
	free(d.head);
	free(d.last);
	free(scratch);
	return 0;
}
