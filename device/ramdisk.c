// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RAM disks rd0, rd1...: the boot script's $(ramdisk-create) (a Debian
 * addition to GNU Mach, which its GNU/Hurd installer uses as
 * `module /boot/initrd.gz '$(ramdisk-create)'`) makes that boot module a
 * read-write disk of the block layer, numbered in the order the lines run.
 *
 * As GNU Mach (its device/ramdisk.c): the disk is the module's size
 * rounded up to a whole page, in 512-byte records; the line makes no task.
 * Unlike it: the bytes past the module's end are zeros (GNU Mach copies
 * whatever follows the module), there may be RAMDISK_MAX of them (GNU
 * Mach: 4), and the module is used where the boot loader put it when it
 * starts on a page and no other module shares its last page (QEMU and GRUB
 * both load modules page-aligned), else copied into fresh pages. Module
 * memory is never given back to the page allocator (kern/mem_init.c), so
 * keeping it costs nothing. The kernel option ramdisk_copy=on always
 * copies (to test that path).
 *
 * Requests are done at once in bo_submit (a memcpy), but the layer wants
 * completions outside bo_submit: the request is pushed on a lock-free
 * list and the first push raises a vector on this CPU, whose handler
 * completes everything on the list once interrupts are on again. One
 * interrupt serves every request submitted in between.
 */
#include "device/blk.h"
#include "device/blk_part.h"

#include "kern/boot_info.h"
#include "kern/bootstrap.h"
#include "kern/cmdline.h"
#include "kern/initcall.h"
#include "kern/irq.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/string.h"
#include "x86_64/machine.h"

#define RAMDISK_MAX 16
#define RAMDISK_MAX_SECTORS 1024 /* per request: bounds the copy done with interrupts off */

struct ramdisk {
	struct blk_disk rd_disk;
	uint8_t *rd_data;
	unsigned rd_module;
	bool rd_copied;
};

static unsigned rd_count;
static int rd_vector = -1;
/* Requests done, waiting for the vector's handler; linked through br_drv. */
static struct blk_req *rd_done;

static struct blk_req **
rd_link(struct blk_req *req)
{
	return (struct blk_req **)(void *)req->br_drv;
}

static io_return_t
rd_check(struct blk_disk *d, struct blk_req *req)
{
	switch (req->br_op) {
	case BLK_OP_FLUSH:
		return D_SUCCESS; /* nothing is ever cached */
	case BLK_OP_READ:
	case BLK_OP_WRITE:
		break;
	default:
		return D_INVALID_OPERATION;
	}
	/* The layer tells a range error (D_INVALID_RECNUM) from the others. */
	if (!req->br_buf || req->br_count == 0 || req->br_count > RAMDISK_MAX_SECTORS ||
	    req->br_sector > d->bd_sectors || req->br_count > d->bd_sectors - req->br_sector)
		return D_INVALID_SIZE;
	if (req->br_op == BLK_OP_WRITE && d->bd_ro)
		return D_READ_ONLY;
	return D_SUCCESS;
}

/* Queues req for its completion; the first on an empty list raises the vector. */
static void
rd_defer(struct blk_req *req)
{
	struct blk_req *head = __atomic_load_n(&rd_done, __ATOMIC_RELAXED);

	do
		*rd_link(req) = head;
	while (!__atomic_compare_exchange_n(&rd_done, &head, req, true, __ATOMIC_RELEASE,
	                                    __ATOMIC_RELAXED));
	if (!head)
		machine_irq_self((uint8_t)rd_vector);
}

static io_return_t
rd_submit(struct blk_disk *d, struct blk_req *req)
{
	struct ramdisk *rd = d->bd_priv;
	io_return_t err = rd_check(d, req);
	uint64_t off = req->br_sector * BLK_SECTOR, len = (uint64_t)req->br_count * BLK_SECTOR;

	if (err)
		return err;
	if (req->br_op == BLK_OP_READ)
		memcpy(req->br_buf, rd->rd_data + off, len);
	else if (req->br_op == BLK_OP_WRITE)
		memcpy(rd->rd_data + off, req->br_buf, len);
	rd_defer(req);
	return D_SUCCESS;
}

static uint32_t
rd_max_sectors(struct blk_disk *d)
{
	return RAMDISK_MAX_SECTORS;
}

static const struct blk_driver_ops rd_ops = {
    .bo_submit = rd_submit,
    .bo_check = rd_check,
    .bo_max_sectors = rd_max_sectors,
};

/* Interrupt context: completes every queued request, oldest first. */
static void
rd_irq(void *arg)
{
	struct blk_req *list = __atomic_exchange_n(&rd_done, NULL, __ATOMIC_ACQUIRE);
	struct blk_req *fifo = NULL, *next;

	while (list) {
		next = *rd_link(list);
		*rd_link(list) = fifo;
		fifo = list;
		list = next;
	}
	for (; fifo; fifo = next) {
		next = *rd_link(fifo); /* br_done may submit fifo again */
		blk_complete(fifo, D_SUCCESS);
	}
}

/* Whether module m can serve as its own disk: page-aligned, its last page its own. */
static bool
rd_in_place_ok(unsigned module)
{
	const struct boot_module *m = &boot_info.modules[module];
	uint64_t end = (m->end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	const char *opt = kernel_option("ramdisk_copy");

	if (opt && !strcmp(opt, "on"))
		return false;
	if (m->start % PAGE_SIZE)
		return false;
	for (unsigned i = 0; i < boot_info.module_count; i++)
		if (i != module && boot_info.modules[i].start < end &&
		    m->end < boot_info.modules[i].end)
			return false;
	return true;
}

/* $(ramdisk-create) on module (kern/bootstrap.h). */
static kern_return_t
rd_create(unsigned module)
{
	const struct boot_module *m = &boot_info.modules[module];
	uint64_t len = m->end - m->start;
	uint64_t bytes = (len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	struct ramdisk *rd;
	uint8_t *data;
	bool copy;

	if (len == 0) {
		log_err("ramdisk: module %u is empty", module);
		return KERN_INVALID_ARGUMENT;
	}
	if (rd_count == RAMDISK_MAX) {
		log_err("ramdisk: module %u: already %u RAM disks", module, RAMDISK_MAX);
		return KERN_RESOURCE_SHORTAGE;
	}
	if (rd_vector < 0 &&
	    irq_alloc_vector(rd_irq, NULL, "ramdisk", &rd_vector) != KERN_SUCCESS) {
		log_err("ramdisk: no interrupt vector for the completions");
		rd_vector = -1;
		return KERN_RESOURCE_SHORTAGE;
	}
	rd = kzalloc(sizeof(*rd));
	copy = !rd_in_place_ok(module);
	if (copy) {
		uint64_t phys = page_alloc_bytes(bytes, 0);
		data = phys ? phys_to_virt(phys) : NULL;
		if (data)
			memcpy(data, phys_to_virt(m->start), len);
	} else {
		data = phys_to_virt(m->start);
	}
	if (!rd || !data) {
		log_err("ramdisk: module %u: no memory for %lu bytes", module, bytes);
		if (copy && data)
			page_free_bytes(virt_to_phys(data), bytes);
		kfree(rd);
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(data + len, 0, bytes - len);
	rd->rd_data = data;
	rd->rd_module = module;
	rd->rd_copied = copy;
	rd->rd_disk.bd_sectors = bytes / BLK_SECTOR;
	rd->rd_disk.bd_block_size = BLK_SECTOR;
	rd->rd_disk.bd_ops = &rd_ops;
	rd->rd_disk.bd_priv = rd;
	if (blk_register(&rd->rd_disk, "rd") != D_SUCCESS) {
		log_err("ramdisk: module %u: the disk table is full", module);
		if (copy)
			page_free_bytes(virt_to_phys(data), bytes);
		kfree(rd);
		return KERN_RESOURCE_SHORTAGE;
	}
	rd_count++;
	log_info("%s: boot module %u, %lu bytes (%lu of the module), %s", rd->rd_disk.bd_name,
	         module, bytes, len, copy ? "copied" : "in place");
	blk_scan_partitions(&rd->rd_disk);
	return KERN_SUCCESS;
}

static void
rd_init(void)
{
	bootstrap_set_ramdisk_hook(rd_create);
}
INITCALL(INIT_DRIVER, "ramdisk", rd_init);
