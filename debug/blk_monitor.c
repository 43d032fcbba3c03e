// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `blk` monitor command (syntax fixed by issue 3; sector = 512 bytes):
 *   blk info vdN
 *   blk read vdN SECTOR [COUNT]        hex dump
 *   blk crc vdN SECTOR COUNT           zlib's CRC-32, 8 lowercase hex digits
 *   blk write vdN SECTOR COUNT BYTE    fill with one byte value
 *   blk flush vdN
 *   blk bench vdN ...                  debug/blk_bench.c
 * Every argument, the range, the alignment and read-only are checked
 * before anything is sent; a failure is one line "error: ...".
 */
#include "device/blk.h"
#include "debug/blk_monitor.h"
#include "drivers/vioblk_glue.h"

#include "debug/monitor.h"
#include "kern/printf.h"
#include "kern/string.h"

#define BLK_MON_BUF (64 * 1024)
#define BLK_MON_DUMP_MAX 16 /* sectors `blk read` prints */

static uint8_t blk_mon_buf[BLK_MON_BUF] __attribute__((aligned(4096)));

uint32_t
blk_crc32(uint32_t crc, const uint8_t *p, size_t len)
{
	/* Reflected CRC-32, polynomial 0xedb88320 (zlib's crc32()). */
	static uint32_t table[256];
	static bool ready;

	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = true;
	}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

kern_return_t
blk_mon_disk(const char *name, struct blk_disk **d)
{
	*d = blk_find(name);
	if (!*d)
		return monitor_error(D_NO_SUCH_DEVICE,
		                     "no disk '%s' (see 'blk info vd0', 'virtio')", name);
	return KERN_SUCCESS;
}

/* Parse "SECTOR [COUNT]" and check range and alignment. */
kern_return_t
blk_mon_range(struct blk_disk *d, const char *s_sec, const char *s_cnt, uint64_t *sector,
              uint32_t *count)
{
	unsigned long sec, cnt = 1;
	uint32_t per = d->bd_block_size / BLK_SECTOR;

	if (parse_u64(s_sec, &sec) != KERN_SUCCESS)
		return monitor_error(KERN_INVALID_ARGUMENT, "bad sector '%s'", s_sec);
	if (s_cnt && parse_u64(s_cnt, &cnt) != KERN_SUCCESS)
		return monitor_error(KERN_INVALID_ARGUMENT, "bad count '%s'", s_cnt);
	if (cnt == 0 || cnt > 0xffffffffUL)
		return monitor_error(KERN_INVALID_ARGUMENT, "count must be 1 to 4294967295");
	if (sec >= d->bd_sectors || cnt > d->bd_sectors - sec)
		return monitor_error(D_INVALID_RECNUM,
		                     "sectors %lu..%lu are outside %s (%lu sectors)", sec,
		                     sec + cnt - 1, d->bd_name, d->bd_sectors);
	if (sec % per || cnt % per)
		return monitor_error(
		    KERN_INVALID_ARGUMENT,
		    "%s has %u-byte blocks: SECTOR and COUNT must be multiples of %u", d->bd_name,
		    d->bd_block_size, per);
	*sector = sec;
	*count = (uint32_t)cnt;
	return KERN_SUCCESS;
}

static kern_return_t
blk_mon_io_error(struct blk_disk *d, const char *what, uint64_t sector, io_return_t err)
{
	return monitor_error(err, "%s: %s at sector %lu: %s", d->bd_name, what, sector,
	                     blk_strerror(err));
}

static void
blk_mon_dump(uint64_t base, const uint8_t *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		char hex[16 * 3 + 1], asc[17];
		for (int i = 0; i < 16; i++) {
			ksnprintf(hex + i * 3, 4, "%02x ", p[off + i]);
			asc[i] = p[off + i] >= 0x20 && p[off + i] < 0x7f ? (char)p[off + i] : '.';
		}
		asc[16] = '\0';
		kprintf("%08lx  %s |%s|\n", base + off, hex, asc);
	}
}

static kern_return_t
blk_cmd_read(struct blk_disk *d, int argc, char **argv)
{
	uint64_t sector;
	uint32_t count;
	io_return_t err;
	kern_return_t kr;

	if (argc < 4 || argc > 5)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: blk read vdN SECTOR [COUNT]");
	kr = blk_mon_range(d, argv[3], argc == 5 ? argv[4] : NULL, &sector, &count);
	if (kr != KERN_SUCCESS)
		return kr;
	if (count > BLK_MON_DUMP_MAX && count > d->bd_block_size / BLK_SECTOR)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "at most %u sectors are dumped (use 'blk crc')",
		                     BLK_MON_DUMP_MAX);
	err = blk_read_sync(d, sector, count, blk_mon_buf);
	if (err)
		return blk_mon_io_error(d, "read", sector, err);
	blk_mon_dump(sector * BLK_SECTOR, blk_mon_buf, (size_t)count * BLK_SECTOR);
	return KERN_SUCCESS;
}

static kern_return_t
blk_cmd_crc(struct blk_disk *d, int argc, char **argv)
{
	uint32_t crc = 0, count, chunk = BLK_MON_BUF / BLK_SECTOR;
	uint64_t sector;
	io_return_t err;
	kern_return_t kr;

	if (argc != 5)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: blk crc vdN SECTOR COUNT");
	kr = blk_mon_range(d, argv[3], argv[4], &sector, &count);
	if (kr != KERN_SUCCESS)
		return kr;
	while (count > 0) {
		uint32_t n = count < chunk ? count : chunk;
		err = blk_read_sync(d, sector, n, blk_mon_buf);
		if (err)
			return blk_mon_io_error(d, "read", sector, err);
		crc = blk_crc32(crc, blk_mon_buf, (size_t)n * BLK_SECTOR);
		sector += n;
		count -= n;
	}
	kprintf("%08x\n", crc);
	return KERN_SUCCESS;
}

static kern_return_t
blk_cmd_write(struct blk_disk *d, int argc, char **argv)
{
	uint32_t count, chunk = BLK_MON_BUF / BLK_SECTOR;
	unsigned long byte;
	uint64_t sector;
	io_return_t err;
	kern_return_t kr;

	if (argc != 6)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "usage: blk write vdN SECTOR COUNT BYTE");
	if (parse_u64(argv[5], &byte) != KERN_SUCCESS || byte > 255)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "bad byte '%s' (0 to 255, or 0x00 to 0xff)", argv[5]);
	kr = blk_mon_range(d, argv[3], argv[4], &sector, &count);
	if (kr != KERN_SUCCESS)
		return kr;
	if (d->bd_ro)
		return monitor_error(D_READ_ONLY, "%s is read-only", d->bd_name);
	memset(blk_mon_buf, (int)byte, sizeof(blk_mon_buf));
	uint64_t first = sector;
	uint32_t total = count;
	while (count > 0) {
		uint32_t n = count < chunk ? count : chunk;
		err = blk_write_sync(d, sector, n, blk_mon_buf);
		if (err)
			return blk_mon_io_error(d, "write", sector, err);
		sector += n;
		count -= n;
	}
	kprintf("%s: wrote %u sectors at %lu\n", d->bd_name, total, first);
	return KERN_SUCCESS;
}

static kern_return_t
blk_cmd_flush(struct blk_disk *d, int argc, char **argv)
{
	struct vioblk *sc = blk_virtio_softc(d);
	io_return_t err;

	if (argc != 3)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: blk flush vdN");
	if (sc && !sc->sc_info.vi_flush)
		return monitor_error(D_INVALID_OPERATION,
		                     "%s has no flush (the device is write-through)", d->bd_name);
	err = blk_flush_sync(d);
	if (err)
		return blk_mon_io_error(d, "flush", 0, err);
	kprintf("%s: flush done\n", d->bd_name);
	return KERN_SUCCESS;
}

static const char *
blk_mon_yes(bool b)
{
	return b ? "yes" : "no";
}

static void
blk_info_virtio(struct vioblk *sc)
{
	const struct vioblk_info *in = &sc->sc_info;
	char feat[320];

	kprintf("  physical block: %u bytes, alignment offset %u, min io %u, opt io %u blocks\n",
	        in->vi_blk_size << in->vi_phys_exp, in->vi_align_off, in->vi_min_io, in->vi_opt_io);
	kprintf("  cache: %s, flush %s\n", in->vi_writeback ? "writeback" : "writethrough",
	        in->vi_flush ? "supported" : "not offered");
	kprintf("  segments: seg_max %u, size_max %u\n", in->vi_seg_max, in->vi_size_max);
	kprintf("  discard: %u sectors max, write zeroes: %u sectors max\n", in->vi_max_discard,
	        in->vi_max_wz);
	kprintf("  queues: %u offered, 1 used, size %u %s\n", in->vi_num_queues, vq_size(sc->sc_vq),
	        vq_is_packed(sc->sc_vq) ? "packed" : "split");
	virtio_features_format(sc->sc_dev, sc->sc_dev->vd_features, feat, sizeof(feat));
	kprintf("  features: %s\n", feat);
	kprintf("  device: %s %s, %lu split requests, %lu errors\n", sc->sc_dev->vd_name,
	        sc->sc_dev->vd_ops->vto_name, sc->sc_split, sc->sc_errors);
}

static kern_return_t
blk_cmd_info(struct blk_disk *d, int argc, char **argv)
{
	struct vioblk *sc = blk_virtio_softc(d);

	if (argc != 3)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: blk info vdN");
	kprintf("%s: capacity %lu sectors (%lu bytes)\n", d->bd_name, d->bd_sectors,
	        d->bd_sectors * BLK_SECTOR);
	kprintf("  logical block: %u bytes\n", d->bd_block_size);
	kprintf("  read-only: %s\n", blk_mon_yes(d->bd_ro));
	if (d->bd_parent)
		kprintf("  partition %u of %s, from sector %lu (its counters are %s's)\n",
		        d->bd_part_number, d->bd_parent->bd_name, d->bd_start, d->bd_parent->bd_name);
	kprintf("  serial: %s\n",
	        sc && sc->sc_info.vi_serial[0] ? sc->sc_info.vi_serial : "(none)");
	if (sc)
		blk_info_virtio(sc);
	kprintf("  requests: %lu reads, %lu writes, %lu flushes, %lu errors, %u in flight\n",
	        d->bd_reads, d->bd_writes, d->bd_flushes, d->bd_errors, d->bd_inflight);
	return KERN_SUCCESS;
}

static kern_return_t
cmd_blk(int argc, char **argv)
{
	static const struct {
		const char *name;
		kern_return_t (*fn)(struct blk_disk *d, int argc, char **argv);
	} subs[] = {
	    {"info", blk_cmd_info},   {"read", blk_cmd_read},   {"crc", blk_cmd_crc},
	    {"write", blk_cmd_write}, {"flush", blk_cmd_flush}, {"bench", blk_cmd_bench},
	};

	if (argc < 3)
		return monitor_error(KERN_INVALID_ARGUMENT,
		                     "usage: blk info|read|crc|write|flush|bench vdN ...");
	for (unsigned i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name))
			continue;
		if (!subs[i].fn)
			return monitor_error(KERN_FAILURE,
			                     "this image has no benchmarks (make bench builds "
			                     "build/vmach-test)");
		struct blk_disk *d;
		kern_return_t kr = blk_mon_disk(argv[2], &d);
		return kr == KERN_SUCCESS ? subs[i].fn(d, argc, argv) : kr;
	}
	return monitor_error(KERN_INVALID_ARGUMENT,
	                     "unknown blk command '%s' (info, read, crc, write, flush, bench)",
	                     argv[1]);
}
MONITOR_COMMAND("blk", "info|read|crc|write|flush|bench vdN ...",
                "block disks: info, hex dump, CRC-32, fill, flush, benchmark", cmd_blk);
