/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Partition tables: MBR (four primary entries, extended partitions whose
 * logical partitions are chained through EBRs) and GPT (protective MBR,
 * header and entry-array CRC-32, the backup header when the primary is
 * damaged). A pure library: no kernel header, no allocation; the disk is
 * reached through a read callback, one logical block at a time, so the
 * same file runs in the kernel (device/blk_part.c), in host tests and
 * under libFuzzer.
 *
 * Units are the disk's logical blocks (block_size bytes, a power of two
 * from 512 to 65536): MBR and GPT both count in them.
 *
 * Numbering, as GNU Mach names hd0s1 (its Linux 2.0 genhd.c glue):
 *   MBR primary entry i (1..4) is partition i; an empty slot keeps its
 *   number unused. Logical partitions are numbered from 5 in chain order.
 *   The extended container itself is not reported (GNU Mach exposes it as
 *   a 2-sector device; nothing useful lives there).
 *   GPT entry i (0-based) is partition i + 1; unused entries keep their
 *   numbers, as GNU Mach and Linux do.
 *
 * A hostile table cannot make the scan loop, read outside the disk, or
 * report a partition outside the disk or overlapping another: every EBR is
 * visited once at most (PART_EBR_MAX in all), the GPT entry array is
 * bounded (PART_GPT_ENTRIES_MAX), every entry is checked against the disk
 * and against the partitions already accepted. A bad entry is skipped and
 * counted in pt_rejected (pt_why says why, for the log); the others stay.
 */
#ifndef DEVICE_PARTITION_H
#define DEVICE_PARTITION_H

#include <stdbool.h>
#include <stdint.h>

#define PART_MAX 64               /* partitions reported per disk */
#define PART_NUMBER_MAX 128       /* highest partition number (GPT entry 128) */
#define PART_EBR_MAX 64           /* EBRs read per disk, whatever the chain says */
#define PART_GPT_ENTRIES_MAX 1024 /* GPT entries looked at (128 is usual) */
#define PART_BLOCK_MIN 512
#define PART_BLOCK_MAX 65536

enum part_scheme {
	PART_NONE = 0, /* no table: no 0x55AA signature, or not a sane MBR */
	PART_MBR,
	PART_GPT,
	PART_GPT_BAD, /* a protective MBR, but neither GPT header is valid */
};

struct part_entry {
	uint32_t pe_number;  /* the name's N in vd0sN */
	uint64_t pe_start;   /* first block */
	uint64_t pe_blocks;  /* length in blocks, > 0 */
	uint8_t pe_mbr_type; /* MBR system id; 0 for GPT */
};

struct part_table {
	enum part_scheme pt_scheme;
	unsigned pt_count; /* pt_parts[0..pt_count), by increasing pe_number */
	struct part_entry pt_parts[PART_MAX];
	unsigned pt_rejected; /* entries skipped */
	const char *pt_why;   /* the first reason something was skipped, or NULL */
	bool pt_gpt_backup;   /* the GPT came from the backup header */
};

/*
 * Reads block number block (< nblocks) into buf (block_size bytes). Returns
 * 0, or non-zero when the block cannot be read (the scan then stops where
 * it is: what was found before stays).
 */
typedef int part_read_fn(void *ctx, uint64_t block, void *buf);

/*
 * Scans the disk of nblocks blocks of block_size bytes. scratch is
 * block_size bytes the scan may use. Always fills *out; returns its
 * pt_count. A block_size that is not a power of two in
 * [PART_BLOCK_MIN, PART_BLOCK_MAX], or fewer than 2 blocks, give PART_NONE.
 */
unsigned part_scan(uint32_t block_size, uint64_t nblocks, part_read_fn *read, void *ctx,
                   void *scratch, struct part_table *out);

/* zlib's CRC-32 (reflected, polynomial 0xedb88320), continued from crc. */
uint32_t part_crc32(uint32_t crc, const void *p, uint64_t len);

#endif
