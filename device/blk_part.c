// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Partition scanning for the block layer (device/blk_part.h): the pure
 * parser of device/partition.c reads the disk one logical block at a time
 * through blk_read_sync, and what it accepts is registered. What it
 * refused is logged, one line per disk.
 *
 * The kernel option partitions=off reads no table. The start-up
 * measurements use it (tests/qemu/boot-time.t, bench/boot): a read at
 * start-up waits for QEMU's I/O thread, and under -icount with sleep=off
 * the guest clock runs on while the CPU idles, so the host's load would
 * show in a figure that must not depend on it.
 */
#include "device/blk_part.h"
#include "device/partition.h"

#include "kern/cmdline.h"
#include "kern/initcall.h"
#include "kern/string.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "x86_64/machine.h"

struct bp_ctx {
	struct blk_disk *bc_disk;
	uint32_t bc_per; /* sectors per logical block */
};

static int
bp_read(void *ctx, uint64_t block, void *buf)
{
	struct bp_ctx *c = ctx;

	return blk_read_sync(c->bc_disk, block * c->bc_per, c->bc_per, buf) != D_SUCCESS;
}

static const char *
bp_scheme(enum part_scheme s)
{
	switch (s) {
	case PART_MBR:
		return "MBR";
	case PART_GPT:
		return "GPT";
	case PART_GPT_BAD:
		return "GPT (damaged)";
	default:
		return "none";
	}
}

unsigned
blk_scan_partitions(struct blk_disk *d)
{
	struct bp_ctx c;
	struct part_table *t;
	uint64_t scratch;
	unsigned n = 0;

	const char *opt = kernel_option("partitions");

	if (!d || d->bd_parent || d->bd_scanned)
		return 0;
	d->bd_scanned = true;
	if (opt && !strcmp(opt, "off"))
		return 0;
	c = (struct bp_ctx){d, d->bd_block_size / BLK_SECTOR};
	t = kmalloc(sizeof(*t));
	/* The block buffer must be DMA-able: whole pages from the allocator. */
	scratch = page_alloc_bytes(d->bd_block_size, 0);
	if (!t || !scratch || c.bc_per == 0) {
		log_err("%s: no memory to read its partition table", d->bd_name);
		goto out;
	}
	part_scan(d->bd_block_size, d->bd_sectors / c.bc_per, bp_read, &c, phys_to_virt(scratch),
	          t);
	if (t->pt_scheme != PART_NONE)
		log_info("%s: %s partition table, %u partition(s)%s", d->bd_name,
		         bp_scheme(t->pt_scheme), t->pt_count,
		         t->pt_gpt_backup ? " (from the backup GPT header)" : "");
	if (t->pt_rejected)
		log_warn("%s: %u partition table entr%s skipped, first: %s", d->bd_name,
		         t->pt_rejected, t->pt_rejected == 1 ? "y" : "ies", t->pt_why);
	for (unsigned i = 0; i < t->pt_count; i++) {
		const struct part_entry *p = &t->pt_parts[i];
		io_return_t err = blk_register_partition(d, p->pe_number, p->pe_start * c.bc_per,
		                                         p->pe_blocks * c.bc_per);
		if (err == D_SUCCESS)
			n++;
		else
			log_err("%s: partition %u not registered: %s", d->bd_name, p->pe_number,
			        blk_strerror(err));
	}
out:
	if (scratch)
		page_free_bytes(scratch, d->bd_block_size);
	kfree(t);
	return n;
}

/* Every whole disk attached so far (the virtio ones), before the boot tasks run. */
static void
blk_part_scan_all(void)
{
	struct blk_disk *d;

	for (unsigned i = 0; (d = blk_get(i)) != NULL; i++)
		if (!d->bd_parent)
			blk_scan_partitions(d);
}
INITCALL(INIT_LATE, "partitions", blk_part_scan_all);
