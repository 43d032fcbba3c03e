// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MBR and GPT partition tables (device/partition.h): a pure library, fed
 * one block at a time by its caller's read callback, trusting nothing it
 * reads. Layouts: the MBR's four 16-byte entries at byte 446 and its
 * 0x55 0xaa signature at 510 (each EBR has the same shape); the GPT header
 * in block 1 (the backup in the last block) and its entry array, both
 * little-endian (UEFI 2.x, chapter 5).
 */
#include "device/partition.h"

#include <stddef.h>

#define MBR_TABLE_OFF 446
#define MBR_SIG_OFF 510
#define MBR_TYPE_GPT 0xee
#define MBR_FIRST_LOGICAL 5

#define GPT_HDR_MIN 92
#define GPT_ENTRY_MIN 128

struct mbr_slot {
	uint8_t ms_boot, ms_type;
	uint32_t ms_start, ms_count;
};

struct gpt_hdr {
	uint64_t gh_lba, gh_first, gh_last, gh_entries;
	uint32_t gh_count, gh_esize, gh_crc;
};

/* One scan's state. */
struct scan {
	uint32_t sc_bs;
	uint64_t sc_nblocks;
	part_read_fn *sc_read;
	void *sc_ctx;
	uint8_t *sc_buf; /* one block */
	struct part_table *sc_t;
	unsigned sc_ebr_budget; /* EBR reads left */
};

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t
part_crc32(uint32_t crc, const void *p, uint64_t len)
{
	/* Four bits at a time: a 64-byte table, fast enough for a few KiB. */
	static const uint32_t nib[16] = {
	    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	    0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	    0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	const uint8_t *b = p;

	crc = ~crc;
	while (len--) {
		crc ^= *b++;
		crc = nib[crc & 15] ^ (crc >> 4);
		crc = nib[crc & 15] ^ (crc >> 4);
	}
	return ~crc;
}

static void
reject(struct scan *s, const char *why)
{
	s->sc_t->pt_rejected++;
	if (!s->sc_t->pt_why)
		s->sc_t->pt_why = why;
}

static bool
overlaps(const struct part_table *t, uint64_t start, uint64_t n)
{
	for (unsigned i = 0; i < t->pt_count; i++) {
		const struct part_entry *p = &t->pt_parts[i];
		if (start < p->pe_start + p->pe_blocks && p->pe_start < start + n)
			return true;
	}
	return false;
}

/* Accepts a partition if it is sane; n > 0. */
static void
add(struct scan *s, uint32_t number, uint64_t start, uint64_t n, uint8_t type)
{
	struct part_table *t = s->sc_t;

	if (number > PART_NUMBER_MAX)
		reject(s, "partition number too high");
	else if (start == 0)
		reject(s, "partition over the partition table (block 0)");
	else if (start >= s->sc_nblocks || n > s->sc_nblocks - start)
		reject(s, "partition past the end of the disk");
	else if (overlaps(t, start, n))
		reject(s, "partition overlapping another");
	else if (t->pt_count == PART_MAX)
		reject(s, "too many partitions");
	else
		t->pt_parts[t->pt_count++] = (struct part_entry){number, start, n, type};
}

static bool
read_block(struct scan *s, uint64_t block)
{
	return block < s->sc_nblocks && s->sc_read(s->sc_ctx, block, s->sc_buf) == 0;
}

/* The four entries of an MBR or EBR in s->sc_buf; false without the signature. */
static bool
mbr_slots(const struct scan *s, struct mbr_slot slot[4])
{
	const uint8_t *b = s->sc_buf;

	if (b[MBR_SIG_OFF] != 0x55 || b[MBR_SIG_OFF + 1] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = b + MBR_TABLE_OFF + 16 * i;
		slot[i] = (struct mbr_slot){e[0], e[4], le32(e + 8), le32(e + 12)};
	}
	return true;
}

static bool
mbr_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static bool
mbr_slot_used(const struct mbr_slot *m)
{
	return m->ms_count != 0 && m->ms_type != 0;
}

/*
 * The logical partitions of the extended partition [ext, ext + n): a chain
 * of EBRs, each holding data entries (starts relative to the EBR) and a
 * link to the next EBR (relative to the extended partition). As GNU Mach:
 * every data entry of an EBR counts (the first two always take a number,
 * the last two only when inside the extended partition), and the first
 * link is followed. *number is the next logical partition's number.
 */
static void
mbr_logicals(struct scan *s, uint64_t ext, uint64_t n, uint32_t *number)
{
	uint64_t visited[PART_EBR_MAX];
	unsigned nvisited = 0;
	uint64_t ebr = ext;

	for (;;) {
		struct mbr_slot slot[4];
		const struct mbr_slot *link = NULL;

		for (unsigned i = 0; i < nvisited; i++)
			if (visited[i] == ebr) {
				reject(s, "loop in the EBR chain");
				return;
			}
		if (s->sc_ebr_budget == 0) {
			reject(s, "EBR chain too long");
			return;
		}
		s->sc_ebr_budget--;
		visited[nvisited++] = ebr;
		if (!read_block(s, ebr)) {
			reject(s, "EBR unreadable");
			return;
		}
		if (!mbr_slots(s, slot)) {
			reject(s, "EBR without its signature");
			return;
		}
		for (int i = 0; i < 4; i++) {
			const struct mbr_slot *m = &slot[i];
			uint64_t start = ebr + m->ms_start;
			bool inside =
			    start >= ext && start - ext < n && m->ms_count <= n - (start - ext);

			if (!mbr_slot_used(m))
				continue;
			if (mbr_is_extended(m->ms_type)) {
				if (!link)
					link = m;
				continue;
			}
			if (i >= 2 && !inside) {
				reject(s, "logical partition outside its extended partition");
				continue; /* GNU Mach skips it without a number */
			}
			uint32_t num = (*number)++;
			if (m->ms_start == 0)
				reject(s, "logical partition over its EBR");
			else if (!inside)
				reject(s, "logical partition outside its extended partition");
			else
				add(s, num, start, m->ms_count, m->ms_type);
		}
		if (!link)
			return;
		if (link->ms_start >= n) {
			reject(s, "EBR link outside the extended partition");
			return;
		}
		ebr = ext + link->ms_start;
	}
}

static void
mbr_scan(struct scan *s, const struct mbr_slot slot[4])
{
	uint32_t number = MBR_FIRST_LOGICAL;

	s->sc_t->pt_scheme = PART_MBR;
	/* Primaries first, so the partitions come out in number order. */
	for (int i = 0; i < 4; i++)
		if (mbr_slot_used(&slot[i]) && !mbr_is_extended(slot[i].ms_type))
			add(s, (uint32_t)i + 1, slot[i].ms_start, slot[i].ms_count,
			    slot[i].ms_type);
	for (int i = 0; i < 4; i++) {
		const struct mbr_slot *m = &slot[i];
		if (!mbr_slot_used(m) || !mbr_is_extended(m->ms_type))
			continue;
		if (m->ms_start == 0 || m->ms_start >= s->sc_nblocks ||
		    m->ms_count > s->sc_nblocks - m->ms_start) {
			reject(s, "extended partition past the end of the disk");
			continue;
		}
		mbr_logicals(s, m->ms_start, m->ms_count, &number);
	}
}

/* Blocks the entry array of h takes. */
static uint64_t
gpt_entry_blocks(const struct scan *s, const struct gpt_hdr *h)
{
	return ((uint64_t)h->gh_count * h->gh_esize + s->sc_bs - 1) / s->sc_bs;
}

/* The CRC-32 of h's entry array, read block by block; false if unreadable. */
static bool
gpt_entries_crc(struct scan *s, const struct gpt_hdr *h, uint32_t *crc)
{
	uint64_t left = (uint64_t)h->gh_count * h->gh_esize;

	*crc = 0;
	for (uint64_t b = 0; left > 0; b++) {
		uint64_t n = left < s->sc_bs ? left : s->sc_bs;
		if (!read_block(s, h->gh_entries + b))
			return false;
		*crc = part_crc32(*crc, s->sc_buf, n);
		left -= n;
	}
	return true;
}

/* Whether blocks [a, a + an) and [b, b + bn) meet. */
static bool
ranges_meet(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

/* Reads and checks the GPT header at lba: NULL, or why it is refused. */
static const char *
gpt_header(struct scan *s, uint64_t lba, struct gpt_hdr *h)
{
	static const uint8_t sig[8] = {'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
	static const uint8_t zero[4];
	const uint8_t *b = s->sc_buf;
	uint32_t hsize, crc, ecrc;
	uint64_t eblocks;

	if (!read_block(s, lba))
		return "GPT header unreadable";
	for (int i = 0; i < 8; i++)
		if (b[i] != sig[i])
			return "no GPT signature";
	hsize = le32(b + 12);
	if (hsize < GPT_HDR_MIN || hsize > s->sc_bs)
		return "GPT header size out of range";
	/* The CRC covers the header with its own CRC field taken as zero. */
	crc = part_crc32(0, b, 16);
	crc = part_crc32(crc, zero, 4);
	crc = part_crc32(crc, b + 20, hsize - 20);
	if (crc != le32(b + 16))
		return "GPT header CRC mismatch";
	*h = (struct gpt_hdr){
	    .gh_lba = le64(b + 24),
	    .gh_first = le64(b + 40),
	    .gh_last = le64(b + 48),
	    .gh_entries = le64(b + 72),
	    .gh_count = le32(b + 80),
	    .gh_esize = le32(b + 84),
	    .gh_crc = le32(b + 88),
	};
	if (h->gh_lba != lba)
		return "GPT header not where it says it is";
	if (h->gh_first < 2 || h->gh_first > h->gh_last || h->gh_last >= s->sc_nblocks)
		return "GPT usable blocks out of range";
	if (h->gh_esize < GPT_ENTRY_MIN || h->gh_esize > s->sc_bs ||
	    (h->gh_esize & (h->gh_esize - 1)))
		return "GPT entry size not a power of two from 128 to the block size";
	if (h->gh_count > PART_GPT_ENTRIES_MAX)
		return "too many GPT entries";
	eblocks = gpt_entry_blocks(s, h);
	if (h->gh_entries < 1 || h->gh_entries >= s->sc_nblocks ||
	    eblocks > s->sc_nblocks - h->gh_entries)
		return "GPT entry array past the end of the disk";
	if (ranges_meet(h->gh_entries, eblocks, lba, 1) ||
	    ranges_meet(h->gh_entries, eblocks, 0, 1) ||
	    ranges_meet(h->gh_entries, eblocks, h->gh_first, h->gh_last - h->gh_first + 1))
		return "GPT entry array over the header or the usable blocks";
	if (!gpt_entries_crc(s, h, &ecrc))
		return "GPT entry array unreadable";
	if (ecrc != h->gh_crc)
		return "GPT entry array CRC mismatch";
	return NULL;
}

static bool
guid_is_zero(const uint8_t *g)
{
	for (int i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}

/* The entries of a checked header: entry i is partition i + 1. */
static void
gpt_entries(struct scan *s, const struct gpt_hdr *h)
{
	uint32_t per = s->sc_bs / h->gh_esize;
	uint64_t loaded = UINT64_MAX;

	for (uint32_t i = 0; i < h->gh_count; i++) {
		uint64_t blk = h->gh_entries + i / per;
		if (blk != loaded) {
			if (!read_block(s, blk)) {
				reject(s, "GPT entry array unreadable");
				return;
			}
			loaded = blk;
		}
		const uint8_t *e = s->sc_buf + (uint64_t)(i % per) * h->gh_esize;
		uint64_t first = le64(e + 32), last = le64(e + 40);

		if (guid_is_zero(e))
			continue; /* unused: its number stays free */
		if (first > last)
			reject(s, "GPT entry ending before it starts");
		else if (first < h->gh_first || last > h->gh_last)
			reject(s, "GPT entry outside the usable blocks");
		else
			add(s, i + 1, first, last - first + 1, 0);
	}
}

static void
gpt_scan(struct scan *s)
{
	struct gpt_hdr h;
	const char *why = gpt_header(s, 1, &h);

	s->sc_t->pt_scheme = PART_GPT;
	if (why && s->sc_nblocks - 1 > 1) {
		/* The primary is damaged: the backup lives in the last block. */
		if (!gpt_header(s, s->sc_nblocks - 1, &h)) {
			reject(s, why);
			s->sc_t->pt_gpt_backup = true;
			why = NULL;
		}
	}
	if (why) {
		s->sc_t->pt_scheme = PART_GPT_BAD;
		reject(s, why);
		return;
	}
	gpt_entries(s, &h);
}

unsigned
part_scan(uint32_t block_size, uint64_t nblocks, part_read_fn *read, void *ctx, void *scratch,
          struct part_table *out)
{
	struct scan s = {block_size, nblocks, read, ctx, scratch, out, PART_EBR_MAX};
	struct mbr_slot slot[4];
	bool gpt = false;

	*out = (struct part_table){.pt_scheme = PART_NONE};
	if (block_size < PART_BLOCK_MIN || block_size > PART_BLOCK_MAX ||
	    (block_size & (block_size - 1)) || nblocks < 2 || !read || !scratch)
		return 0;
	if (!read_block(&s, 0) || !mbr_slots(&s, slot))
		return 0;
	for (int i = 0; i < 4; i++) {
		/* A boot flag other than 0 or 0x80: a boot sector, not an MBR. */
		if (slot[i].ms_boot != 0 && slot[i].ms_boot != 0x80)
			return 0;
		gpt |= slot[i].ms_type == MBR_TYPE_GPT && slot[i].ms_count != 0;
	}
	if (gpt)
		gpt_scan(&s);
	else
		mbr_scan(&s, slot);
	return out->pt_count;
}
