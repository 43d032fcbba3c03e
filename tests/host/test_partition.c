// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the partition-table parser (device/partition.c) over disk
 * images built in memory: MBR primaries (numbered by slot), extended
 * partitions with logical ones from 5 on, GPT (entry i is partition
 * i + 1) with its CRCs and backup header, 4096-byte blocks, and hostile
 * tables: loops and long chains of EBRs, entries past the disk's end or
 * overlapping, huge entry counts, bad CRCs, read errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "device/partition.h"

struct disk {
	uint32_t bs;
	uint64_t nblocks;
	uint8_t *data;
	unsigned reads;
	int64_t fail_at; /* a block whose read fails, or -1 */
};

static struct disk *
disk_new(uint32_t bs, uint64_t nblocks)
{
	struct disk *d = calloc(1, sizeof(*d));

	d->bs = bs;
	d->nblocks = nblocks;
	d->data = calloc(nblocks, bs);
	d->fail_at = -1;
	return d;
}

static void
disk_free(struct disk *d)
{
	free(d->data);
	free(d);
}

static int
disk_read(void *ctx, uint64_t block, void *buf)
{
	struct disk *d = ctx;

	assert_true(block < d->nblocks); /* the parser never reads outside */
	d->reads++;
	if ((int64_t)block == d->fail_at)
		return -1;
	memcpy(buf, d->data + block * d->bs, d->bs);
	return 0;
}

static unsigned
scan(struct disk *d, struct part_table *t)
{
	void *scratch = malloc(d->bs);
	unsigned n = part_scan(d->bs, d->nblocks, disk_read, d, scratch, t);

	free(scratch);
	return n;
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* An MBR or EBR entry in block blk, slot i (0..3). */
static void
mbr_entry(struct disk *d, uint64_t blk, int i, uint8_t type, uint32_t start, uint32_t count)
{
	uint8_t *b = d->data + blk * d->bs;
	uint8_t *e = b + 446 + 16 * i;

	e[0] = 0;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, count);
	b[510] = 0x55;
	b[511] = 0xaa;
}

static void
expect_part(const struct part_table *t, unsigned idx, uint32_t number, uint64_t start,
            uint64_t blocks)
{
	assert_true(idx < t->pt_count);
	assert_int_equal(t->pt_parts[idx].pe_number, number);
	assert_int_equal(t->pt_parts[idx].pe_start, start);
	assert_int_equal(t->pt_parts[idx].pe_blocks, blocks);
}

static void
test_crc32(void **state)
{
	assert_int_equal(part_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(part_crc32(part_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	assert_int_equal(part_crc32(0, "", 0), 0);
}

static void
test_no_table(void **state)
{
	struct disk *d = disk_new(512, 100);
	struct part_table t;

	assert_int_equal(scan(d, &t), 0);
	assert_int_equal(t.pt_scheme, PART_NONE);
	/* A signature but a boot flag that is neither 0 nor 0x80: a boot sector. */
	mbr_entry(d, 0, 0, 0x83, 10, 10);
	d->data[446 + 16] = 0x12;
	assert_int_equal(scan(d, &t), 0);
	assert_int_equal(t.pt_scheme, PART_NONE);
	disk_free(d);
}

static void
test_bad_geometry(void **state)
{
	struct disk *d = disk_new(512, 100);
	struct part_table t;
	char scratch[4096];

	mbr_entry(d, 0, 0, 0x83, 10, 10);
	assert_int_equal(part_scan(500, 100, disk_read, d, scratch, &t), 0);
	assert_int_equal(part_scan(256, 100, disk_read, d, scratch, &t), 0);
	assert_int_equal(part_scan(512, 1, disk_read, d, scratch, &t), 0);
	assert_int_equal(part_scan(512, 100, disk_read, d, NULL, &t), 0);
	assert_int_equal(t.pt_scheme, PART_NONE);
	assert_int_equal(d->reads, 0);
	disk_free(d);
}

static void
test_mbr_primaries(void **state)
{
	struct disk *d = disk_new(512, 1000);
	struct part_table t;

	mbr_entry(d, 0, 0, 0x83, 10, 100);
	mbr_entry(d, 0, 2, 0x82, 200, 50); /* slot 3: partition 3, 2 unused */
	assert_int_equal(scan(d, &t), 2);
	assert_int_equal(t.pt_scheme, PART_MBR);
	expect_part(&t, 0, 1, 10, 100);
	expect_part(&t, 1, 3, 200, 50);
	assert_int_equal(t.pt_parts[1].pe_mbr_type, 0x82);
	assert_int_equal(t.pt_rejected, 0);
	disk_free(d);
}

/* vd0 with an extended partition holding two logical ones: s1, s2 (ext), s5, s6. */
static void
test_mbr_extended(void **state)
{
	struct disk *d = disk_new(512, 4096);
	struct part_table t;

	mbr_entry(d, 0, 0, 0x83, 2048, 512);
	mbr_entry(d, 0, 1, 0x05, 2560, 1536);
	mbr_entry(d, 2560, 0, 0x83, 1, 256);    /* s5 at 2561 */
	mbr_entry(d, 2560, 1, 0x05, 512, 1024); /* next EBR at 3072 */
	mbr_entry(d, 3072, 0, 0x83, 2, 100);    /* s6 at 3074 */
	assert_int_equal(scan(d, &t), 3);
	expect_part(&t, 0, 1, 2048, 512);
	expect_part(&t, 1, 5, 2561, 256);
	expect_part(&t, 2, 6, 3074, 100);
	assert_int_equal(t.pt_rejected, 0);
	disk_free(d);
}

static void
test_mbr_ebr_loop(void **state)
{
	struct disk *d = disk_new(512, 4096);
	struct part_table t;

	mbr_entry(d, 0, 0, 0x0f, 100, 1000);
	mbr_entry(d, 100, 0, 0x83, 1, 10);
	mbr_entry(d, 100, 1, 0x05, 200, 100);
	mbr_entry(d, 300, 0, 0x83, 1, 10);
	mbr_entry(d, 300, 1, 0x05, 0, 100); /* back to the first EBR */
	assert_int_equal(scan(d, &t), 2);
	expect_part(&t, 0, 5, 101, 10);
	expect_part(&t, 1, 6, 301, 10);
	assert_int_equal(t.pt_rejected, 1);
	assert_string_equal(t.pt_why, "loop in the EBR chain");
	assert_true(d->reads <= 3);
	disk_free(d);
}

static void
test_mbr_ebr_long_chain(void **state)
{
	struct disk *d = disk_new(512, 8192);
	struct part_table t;

	/* 200 EBRs each holding a 1-block partition: only PART_EBR_MAX are read. */
	mbr_entry(d, 0, 0, 0x85, 10, 8000);
	for (unsigned i = 0; i < 200; i++) {
		mbr_entry(d, 10 + 2 * i, 0, 0x83, 1, 1);
		mbr_entry(d, 10 + 2 * i, 1, 0x05, 2 * (i + 1), 2);
	}
	scan(d, &t);
	assert_int_equal(t.pt_count, PART_MAX);
	assert_true(d->reads <= 1 + PART_EBR_MAX);
	assert_true(t.pt_rejected >= 1);
	disk_free(d);
}

static void
test_mbr_hostile_entries(void **state)
{
	struct disk *d = disk_new(512, 1000);
	struct part_table t;

	mbr_entry(d, 0, 0, 0x83, 900, 200); /* past the end */
	mbr_entry(d, 0, 1, 0x83, 10, 100);  /* good */
	mbr_entry(d, 0, 2, 0x83, 50, 100);  /* overlaps 2 */
	mbr_entry(d, 0, 3, 0x83, 0, 5);     /* over the MBR */
	assert_int_equal(scan(d, &t), 1);
	expect_part(&t, 0, 2, 10, 100);
	assert_int_equal(t.pt_rejected, 3);
	assert_string_equal(t.pt_why, "partition past the end of the disk");
	disk_free(d);
}

static void
test_mbr_hostile_logicals(void **state)
{
	struct disk *d = disk_new(512, 2000);
	struct part_table t;

	mbr_entry(d, 0, 0, 0x05, 100, 500);   /* [100, 600) */
	mbr_entry(d, 0, 1, 0x05, 1900, 4000); /* past the end: not followed */
	mbr_entry(d, 100, 0, 0x83, 1, 1000);  /* outside the container: s5 taken, refused */
	mbr_entry(d, 100, 1, 0x83, 2, 10);    /* s6 */
	mbr_entry(d, 100, 2, 0x83, 400, 400); /* 3rd entry outside: skipped, no number */
	mbr_entry(d, 100, 3, 0x83, 20, 10);   /* s7 */
	assert_int_equal(scan(d, &t), 2);
	expect_part(&t, 0, 6, 102, 10);
	expect_part(&t, 1, 7, 120, 10);
	assert_int_equal(t.pt_rejected, 3);
	disk_free(d);

	d = disk_new(512, 2000);
	mbr_entry(d, 0, 0, 0x05, 100, 500);
	mbr_entry(d, 100, 0, 0x83, 1, 10);
	mbr_entry(d, 100, 1, 0x05, 600, 10); /* link outside the container */
	assert_int_equal(scan(d, &t), 1);
	assert_string_equal(t.pt_why, "EBR link outside the extended partition");
	disk_free(d);
}

static void
test_read_error(void **state)
{
	struct disk *d = disk_new(512, 4096);
	struct part_table t;

	mbr_entry(d, 0, 0, 0x83, 2048, 512);
	mbr_entry(d, 0, 1, 0x05, 2560, 1536);
	mbr_entry(d, 2560, 0, 0x83, 1, 256);
	d->fail_at = 2560;
	assert_int_equal(scan(d, &t), 1);
	assert_string_equal(t.pt_why, "EBR unreadable");
	d->fail_at = 0;
	assert_int_equal(scan(d, &t), 0);
	disk_free(d);
}

/* ---- GPT ---- */

struct gpt_spec {
	uint64_t entries_lba; /* of the primary */
	uint32_t count, esize;
};

static void
gpt_entry(struct disk *d, uint64_t lba, uint32_t esize, unsigned i, uint64_t first, uint64_t last)
{
	uint8_t *e = d->data + lba * d->bs + (uint64_t)i * esize;

	memset(e, 0, esize);
	e[0] = 0xaf; /* a type GUID that is not zero */
	e[1] = (uint8_t)(i + 1);
	e[16] = 0x11; /* unique GUID */
	put64(e + 32, first);
	put64(e + 40, last);
}

/* Writes a header at lba with its entry array at elba (copied from the primary's). */
static void
gpt_header(struct disk *d, uint64_t lba, uint64_t alt, uint64_t elba, uint32_t count,
           uint32_t esize, uint64_t first, uint64_t last)
{
	uint8_t *h = d->data + lba * d->bs;
	uint64_t bytes = (uint64_t)count * esize;

	memset(h, 0, d->bs);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, lba);
	put64(h + 32, alt);
	put64(h + 40, first);
	put64(h + 48, last);
	put64(h + 72, elba);
	put32(h + 80, count);
	put32(h + 84, esize);
	put32(h + 88, part_crc32(0, d->data + elba * d->bs, bytes));
	put32(h + 16, part_crc32(0, h, 92));
}

static void
gpt_rehash(struct disk *d, uint64_t lba)
{
	uint8_t *h = d->data + lba * d->bs;

	put32(h + 16, 0);
	put32(h + 16, part_crc32(0, h, 92));
}

/*
 * A GPT disk: protective MBR, primary at 1 with 128 entries at 2..33,
 * backup entries at n-33.. and backup header at n-1; entries 0, 1 and 3
 * used (partitions 1, 2, 4).
 */
static struct disk *
gpt_disk(uint32_t bs, uint64_t n)
{
	struct disk *d = disk_new(bs, n);
	uint32_t esize = 128, count = 128;
	uint64_t eblocks = ((uint64_t)count * esize + bs - 1) / bs;
	uint64_t first = 2 + eblocks, last = n - 2 - eblocks;

	mbr_entry(d, 0, 0, 0xee, 1, (uint32_t)(n - 1));
	gpt_entry(d, 2, esize, 0, first, first + 99);
	gpt_entry(d, 2, esize, 1, first + 100, first + 149);
	gpt_entry(d, 2, esize, 3, last - 9, last);
	memcpy(d->data + (n - 1 - eblocks) * bs, d->data + 2 * bs, eblocks * bs);
	gpt_header(d, 1, n - 1, 2, count, esize, first, last);
	gpt_header(d, n - 1, 1, n - 1 - eblocks, count, esize, first, last);
	return d;
}

static void
expect_gpt3(struct disk *d, const struct part_table *t)
{
	uint64_t eblocks = (128 * 128 + d->bs - 1) / d->bs;
	uint64_t first = 2 + eblocks, last = d->nblocks - 2 - eblocks;

	assert_int_equal(t->pt_count, 3);
	expect_part(t, 0, 1, first, 100);
	expect_part(t, 1, 2, first + 100, 50);
	expect_part(t, 2, 4, last - 9, 10);
}

static void
test_gpt(void **state)
{
	struct disk *d = gpt_disk(512, 1000);
	struct part_table t;

	scan(d, &t);
	assert_int_equal(t.pt_scheme, PART_GPT);
	assert_false(t.pt_gpt_backup);
	assert_int_equal(t.pt_rejected, 0);
	expect_gpt3(d, &t);
	disk_free(d);
}

static void
test_gpt_4k(void **state)
{
	struct disk *d = gpt_disk(4096, 300);
	struct part_table t;

	scan(d, &t);
	assert_int_equal(t.pt_scheme, PART_GPT);
	expect_gpt3(d, &t);
	disk_free(d);
}

static void
test_gpt_backup(void **state)
{
	struct disk *d = gpt_disk(512, 1000);
	struct part_table t;

	d->data[512 + 40] ^= 1; /* primary header: CRC now wrong */
	scan(d, &t);
	assert_int_equal(t.pt_scheme, PART_GPT);
	assert_true(t.pt_gpt_backup);
	assert_string_equal(t.pt_why, "GPT header CRC mismatch");
	expect_gpt3(d, &t);

	/* The primary's entry array damaged: its CRC fails, the backup serves. */
	d->data[512 + 40] ^= 1;
	d->data[2 * 512 + 200] ^= 0x40;
	scan(d, &t);
	assert_true(t.pt_gpt_backup);
	assert_string_equal(t.pt_why, "GPT entry array CRC mismatch");
	expect_gpt3(d, &t);

	/* Both damaged: a GPT disk with no partitions. */
	d->data[999 * 512 + 40] ^= 1;
	assert_int_equal(scan(d, &t), 0);
	assert_int_equal(t.pt_scheme, PART_GPT_BAD);
	disk_free(d);
}

static void
test_gpt_hostile_header(void **state)
{
	struct part_table t;
	struct disk *d;

	/* A huge entry count, CRC correct: refused before reading the array. */
	d = gpt_disk(512, 1000);
	put32(d->data + 512 + 80, 0xffffffffu);
	gpt_rehash(d, 1);
	d->data[999 * 512] = 0; /* no backup either */
	scan(d, &t);
	assert_int_equal(t.pt_scheme, PART_GPT_BAD);
	assert_string_equal(t.pt_why, "too many GPT entries");
	assert_true(d->reads < 10);
	disk_free(d);

	/* Entry array past the end of the disk. */
	d = gpt_disk(512, 1000);
	put64(d->data + 512 + 72, 990);
	gpt_rehash(d, 1);
	d->data[999 * 512] = 0;
	scan(d, &t);
	assert_string_equal(t.pt_why, "GPT entry array past the end of the disk");
	disk_free(d);

	/* Entry array over the usable blocks. */
	d = gpt_disk(512, 1000);
	put64(d->data + 512 + 40, 10);
	gpt_rehash(d, 1);
	d->data[999 * 512] = 0;
	scan(d, &t);
	assert_string_equal(t.pt_why, "GPT entry array over the header or the usable blocks");
	disk_free(d);

	/* Odd entry size; last usable past the end; header size too big. */
	d = gpt_disk(512, 1000);
	put32(d->data + 512 + 84, 136);
	gpt_rehash(d, 1);
	d->data[999 * 512] = 0;
	scan(d, &t);
	assert_int_equal(t.pt_scheme, PART_GPT_BAD);
	put32(d->data + 512 + 84, 128);
	put64(d->data + 512 + 48, 1000);
	gpt_rehash(d, 1);
	scan(d, &t);
	assert_string_equal(t.pt_why, "GPT usable blocks out of range");
	put64(d->data + 512 + 48, 900);
	put32(d->data + 512 + 12, 600);
	scan(d, &t);
	assert_string_equal(t.pt_why, "GPT header size out of range");
	disk_free(d);

	/* A header that says it lives elsewhere. */
	d = gpt_disk(512, 1000);
	put64(d->data + 512 + 24, 5);
	gpt_rehash(d, 1);
	d->data[999 * 512] = 0;
	scan(d, &t);
	assert_string_equal(t.pt_why, "GPT header not where it says it is");
	disk_free(d);
}

static void
test_gpt_hostile_entries(void **state)
{
	struct disk *d = gpt_disk(512, 1000);
	struct part_table t;

	gpt_entry(d, 2, 128, 5, 900, 950);  /* inside the usable blocks [34, 966]: s6 */
	gpt_entry(d, 2, 128, 6, 960, 2000); /* past the usable blocks */
	gpt_entry(d, 2, 128, 7, 50, 40);    /* ends before it starts */
	gpt_entry(d, 2, 128, 8, 100, 110);  /* overlaps partition 1 */
	gpt_header(d, 1, 999, 2, 128, 128, 34, 966);
	scan(d, &t);
	assert_int_equal(t.pt_scheme, PART_GPT);
	assert_int_equal(t.pt_count, 4);
	expect_part(&t, 3, 6, 900, 51);
	assert_int_equal(t.pt_rejected, 3);
	disk_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crc32),
	    cmocka_unit_test(test_no_table),
	    cmocka_unit_test(test_bad_geometry),
	    cmocka_unit_test(test_mbr_primaries),
	    cmocka_unit_test(test_mbr_extended),
	    cmocka_unit_test(test_mbr_ebr_loop),
	    cmocka_unit_test(test_mbr_ebr_long_chain),
	    cmocka_unit_test(test_mbr_hostile_entries),
	    cmocka_unit_test(test_mbr_hostile_logicals),
	    cmocka_unit_test(test_read_error),
	    cmocka_unit_test(test_gpt),
	    cmocka_unit_test(test_gpt_4k),
	    cmocka_unit_test(test_gpt_backup),
	    cmocka_unit_test(test_gpt_hostile_header),
	    cmocka_unit_test(test_gpt_hostile_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
