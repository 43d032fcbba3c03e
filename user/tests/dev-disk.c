// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A disk through the Mach device interface (device.defs, <device/device.h>),
 * checked from the host (tests/qemu/dev-disk.t):
 *
 *   dev-disk MASTER NAME rw SECTORS RUN
 *   dev-disk MASTER NAME ro SECTORS
 *
 * MASTER is the device master port's name ('${device-port}'), NAME the
 * disk ("vd0"; on GNU Mach "rd0"), SECTORS its size in 512-byte records.
 * rw: prints the CRC-32 of records [0, CRC_RECS) as "# crc = xxxxxxxx"
 * (the host filled them with random data and compares), writes the
 * pattern of tests/qemu/blk-check.pl (every record naming itself and RUN)
 * over [PAT_REC, PAT_REC + PAT_RECS) by every write path (out-of-line
 * aligned and not, in-band), reads it back, and checks every error code a
 * disk can give, the open/close rules of one port per device, and that a
 * task dying with the device open closes it and gives its pages back.
 * ro: the disk is read-only: D_READ_ONLY for opens and writes, reads work.
 */
#include <device/device.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <traps.h>

#include "free-pages.h"
#include "ipc-util.h"

#define REC 512
#define CRC_RECS 2048 /* tests/qemu/dev-disk.t fills them with random data */
#define PAT_REC 4096
#define PAT_RECS 1024
/* The free page count may move by this much for reasons of its own (heap slabs, caches). */
#define PAGES_SLACK 4

static mach_port_t master;
static const char *name;
static unsigned long sectors, run;

static uint32_t crc_table[256];

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t
crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Record s of the host's pattern (tests/qemu/blk-check.pl): "VMACHSEC", s, run, disk 0, a ramp. */
static void
pattern(uint64_t s, uint8_t *out)
{
	uint64_t head[3] = {s, run, 0};

	memcpy(out, "VMACHSEC", 8);
	memcpy(out + 8, head, sizeof(head));
	for (int i = 0; i < REC - 32; i++)
		out[32 + i] = (uint8_t)(((s * 7 + run) & 0xff) + 32 + i);
}

static mach_port_t
open_dev(dev_mode_t mode, kern_return_t *kr)
{
	mach_port_t d = MACH_PORT_NULL;
	*kr = device_open(master, mode, (char *)name, &d);
	return d;
}

/* device_get_status DEV_GET_SIZE: the size in bytes, or -1. */
static long
size_of(mach_port_t d, kern_return_t *kr)
{
	int st[DEV_STATUS_MAX];
	mach_msg_type_number_t n = DEV_STATUS_MAX;

	*kr = device_get_status(d, DEV_GET_SIZE, st, &n);
	return *kr == KERN_SUCCESS && n == DEV_GET_SIZE_COUNT ? st[0] : -1;
}

/* Reads [rec, rec + n) records whole into buf through device_read calls of per records. */
static int
read_recs(mach_port_t d, uint64_t rec, unsigned n, unsigned per, uint8_t *buf)
{
	for (unsigned done = 0; done < n; done += per) {
		io_buf_ptr_t data = 0;
		mach_msg_type_number_t cnt = 0;
		unsigned k = n - done < per ? n - done : per;
		kern_return_t kr = device_read(d, D_READ, rec + done, (int)(k * REC), &data, &cnt);
		if (kr != D_SUCCESS || cnt != k * REC) {
			tap_diag("device_read(%lu, %u): %#x, %u bytes", (unsigned long)(rec + done),
			         k * REC, kr, cnt);
			return 0;
		}
		memcpy(buf + (size_t)done * REC, data, cnt);
		vm_deallocate(self, (vm_address_t)data, cnt);
	}
	return 1;
}

static void
test_crc(mach_port_t d)
{
	static uint8_t buf[CRC_RECS * REC];
	io_buf_ptr_t data = 0;
	mach_msg_type_number_t cnt = 0;

	/* Half in one read of 512 KiB, the rest 4 KiB at a time. */
	int ok = read_recs(d, 0, CRC_RECS / 2, CRC_RECS / 2, buf) &&
	         read_recs(d, CRC_RECS / 2, CRC_RECS / 2, 8, buf + CRC_RECS / 2 * REC);
	tap_ok(ok, "device_read of records [0, %d): 512 KiB at once, then 4 KiB reads", CRC_RECS);
	tap_diag("crc = %08x", crc_update(0, buf, sizeof(buf)));

	kern_return_t kr = device_read(d, D_READ, 8, 4096, &data, &cnt);
	tap_ok(kr == D_SUCCESS && cnt == 4096 && ((uintptr_t)data & 4095) == 0 &&
	           memcmp(data, buf + 8 * REC, 4096) == 0,
	       "device_read of 4 KiB: page-aligned out-of-line data, the same bytes (%#x)", kr);
	vm_deallocate(self, (vm_address_t)data, 4096);
	/* Not block-aligned, not whole records: the data starts inside the first page. */
	kr = device_read(d, D_READ, 3, 1000, &data, &cnt);
	tap_ok(kr == D_SUCCESS && cnt == 1000 && memcmp(data, buf + 3 * REC, 1000) == 0,
	       "device_read of 1000 bytes from record 3 (%#x, %u)", kr, cnt);
	vm_deallocate(self, (vm_address_t)data, cnt);

	char in[IO_INBAND_MAX];
	cnt = sizeof(in);
	kr = device_read_inband(d, D_READ, 0, 512, in, &cnt);
	tap_ok(kr == D_SUCCESS && cnt == IO_INBAND_MAX && memcmp(in, buf, cnt) == 0,
	       "device_read_inband of 512 bytes: 128 come back, D_SUCCESS (%#x, %u)", kr, cnt);
	cnt = sizeof(in);
	kr = device_read_inband(d, D_READ, 5, 100, in, &cnt);
	tap_ok(kr == D_SUCCESS && cnt == 100 && memcmp(in, buf + 5 * REC, 100) == 0,
	       "device_read_inband of 100 bytes from record 5 (%#x, %u)", kr, cnt);
}

/* The pattern over [PAT_REC, PAT_REC + PAT_RECS) by each write path, then read back. */
static void
test_write(mach_port_t d)
{
	static uint8_t want[PAT_RECS * REC];
	static uint8_t got[PAT_RECS * REC];
	vm_address_t buf = 0;
	int written = 0, ok = 1;
	kern_return_t kr;

	for (unsigned i = 0; i < PAT_RECS; i++)
		pattern(PAT_REC + i, want + (size_t)i * REC);
	/* Records [0, 768): out-of-line from page-aligned memory, 64 KiB at a time (DMA). */
	vm_allocate(self, &buf, 2 * 65536, TRUE);
	for (unsigned i = 0; i < 768 && ok; i += 128) {
		memcpy((void *)buf, want + (size_t)i * REC, 65536);
		kr = device_write(d, D_WRITE, PAT_REC + i, (io_buf_ptr_t)buf, 65536, &written);
		ok = kr == D_SUCCESS && written == 65536;
		if (!ok)
			tap_diag("device_write at %u: %#x, %d", PAT_REC + i, kr, written);
	}
	tap_ok(ok, "device_write, 64 KiB out-of-line from page-aligned memory");
	/* [768, 1000): from memory 8 bytes into a page (bounced), in one write. */
	memcpy((void *)(buf + 8), want + 768 * REC, 232 * REC);
	kr = device_write(d, D_WRITE, PAT_REC + 768, (io_buf_ptr_t)(buf + 8), 232 * REC, &written);
	tap_ok(kr == D_SUCCESS && written == 232 * REC,
	       "device_write of 232 records from an unaligned address (%#x, %d)", kr, written);
	/*
	 * [1000, 1024): out-of-line from the program's data with each record's
	 * first 128 bytes spoilt, then those 128 bytes in-band: a write of part
	 * of a record keeps the rest of it.
	 */
	memcpy((void *)buf, want + 1000 * REC, 24 * REC);
	for (unsigned i = 0; i < 24; i++)
		memset((char *)buf + i * REC, 0xaa, IO_INBAND_MAX);
	kr = device_write(d, D_WRITE, PAT_REC + 1000, (io_buf_ptr_t)buf, 24 * REC, &written);
	tap_ok(kr == D_SUCCESS && written == 24 * REC,
	       "device_write of records [1000, 1024), their heads spoilt (%#x, %d)", kr, written);
	ok = 1;
	for (unsigned i = 1000; i < PAT_RECS && ok; i++) {
		kr = device_write_inband(d, D_WRITE, PAT_REC + i, (char *)want + (size_t)i * REC,
		                         IO_INBAND_MAX, &written);
		ok = kr == D_SUCCESS && written == IO_INBAND_MAX;
		if (!ok)
			tap_diag("device_write_inband at %u: %#x, %d", PAT_REC + i, kr, written);
	}
	tap_ok(ok, "device_write_inband of each record's first 128 bytes");
	vm_deallocate(self, buf, 2 * 65536);
	tap_ok(read_recs(d, PAT_REC, PAT_RECS, 64, got) && memcmp(got, want, sizeof(want)) == 0,
	       "device_read gives back the pattern of every record");
}

static void
test_edges(mach_port_t d)
{
	io_buf_ptr_t data = 0;
	mach_msg_type_number_t cnt = 0;
	char in[IO_INBAND_MAX];
	int st[DEV_STATUS_MAX], written = -1;
	mach_msg_type_number_t n = DEV_STATUS_MAX;
	kern_return_t kr;

	kr = device_get_status(d, DEV_GET_RECORDS, st, &n);
	tap_ok(kr == D_SUCCESS && n == DEV_GET_RECORDS_COUNT && (unsigned long)st[0] == sectors &&
	           st[1] == REC,
	       "DEV_GET_RECORDS: %d records of %d bytes (%#x)", st[0], st[1], kr);
	tap_is_int(size_of(d, &kr), (long)(sectors * REC), "DEV_GET_SIZE: the size in bytes");
	n = 1;
	is_kr(device_get_status(d, DEV_GET_SIZE, st, &n), D_INVALID_SIZE,
	      "DEV_GET_SIZE with room for one int: D_INVALID_SIZE");
	n = DEV_STATUS_MAX;
	is_kr(device_get_status(d, 0x1234, st, &n), D_INVALID_OPERATION,
	      "an unknown status flavour: D_INVALID_OPERATION");
	is_kr(device_set_status(d, DEV_GET_SIZE, st, 2), D_INVALID_OPERATION,
	      "device_set_status on a disk: D_INVALID_OPERATION");

	kr = device_read(d, D_READ, sectors - 1, 1024, &data, &cnt);
	tap_ok(kr == D_SUCCESS && cnt == REC,
	       "a read on the last record for 1024 bytes: D_SUCCESS, "
	       "512 bytes (%#x, %u)",
	       kr, cnt);
	if (kr == D_SUCCESS)
		vm_deallocate(self, (vm_address_t)data, cnt);
	is_kr(device_read(d, D_READ, sectors, 512, &data, &cnt), D_INVALID_RECNUM,
	      "a read starting past the end: D_INVALID_RECNUM");
	is_kr(device_read(d, D_READ, ~0ul >> 1, 512, &data, &cnt), D_INVALID_RECNUM,
	      "a read at record 2^63 - 1: D_INVALID_RECNUM");
	cnt = sizeof(in);
	is_kr(device_read_inband(d, D_READ, sectors, 128, in, &cnt), D_INVALID_RECNUM,
	      "an in-band read past the end: D_INVALID_RECNUM");
	is_kr(device_write_inband(d, D_WRITE, sectors, in, 128, &written), D_INVALID_RECNUM,
	      "an in-band write past the end: D_INVALID_RECNUM");
	is_kr(device_write(d, D_WRITE, sectors, (io_buf_ptr_t)in, 128, &written), D_INVALID_RECNUM,
	      "a write past the end: D_INVALID_RECNUM");
	is_kr(device_read(d, D_READ, 0, -1, &data, &cnt), D_INVALID_SIZE,
	      "a read of -1 bytes: D_INVALID_SIZE");
	kr = device_read(d, D_READ, 0, 0, &data, &cnt);
	tap_ok(kr == D_SUCCESS && cnt == 0, "a read of 0 bytes: D_SUCCESS, nothing (%#x, %u)", kr,
	       cnt);

	mach_port_t pager = MACH_PORT_NULL;
	is_kr(device_map(d, VM_PROT_READ, 0, 4096, &pager, 0), D_INVALID_OPERATION,
	      "device_map of a disk: D_INVALID_OPERATION");
	mach_port_t rcv = new_receive();
	is_kr(device_set_filter(d, rcv, MACH_MSG_TYPE_MAKE_SEND, 0, NULL, 0), D_INVALID_OPERATION,
	      "device_set_filter on a disk: D_INVALID_OPERATION");
	mach_port_destroy(self, rcv);
	is_kr(device_read(self, D_READ, 0, 512, &data, &cnt), D_NO_SUCH_DEVICE,
	      "device_read on a port that is no device (the task's): D_NO_SUCH_DEVICE");
}

static void
test_open_close(void)
{
	kern_return_t kr, kr2;
	mach_port_t d = open_dev(D_READ, &kr);
	mach_port_t d2 = open_dev(D_READ | D_WRITE, &kr2);

	tap_ok(kr == D_SUCCESS && kr2 == D_SUCCESS && d == d2,
	       "a second device_open gives the same port (%u, %u)", d, d2);
	open_dev(D_READ, &kr);
	is_kr(device_close(d), D_SUCCESS, "device_close of the first open");
	is_kr(device_close(d), D_SUCCESS, "device_close of the second");
	tap_is_int(size_of(d, &kr), (long)(sectors * REC), "the third open keeps the port alive");
	is_kr(device_close(d), D_SUCCESS, "device_close of the third");
	size_of(d, &kr);
	is_kr(kr, MACH_SEND_INVALID_DEST,
	      "after the last close the port is gone: "
	      "MACH_SEND_INVALID_DEST");
	mach_port_deallocate(self, d);

	mach_port_t none = MACH_PORT_NULL;
	is_kr(device_open(master, D_READ, "nosuch0", &none), D_NO_SUCH_DEVICE,
	      "device_open of an unknown name: D_NO_SUCH_DEVICE");
	is_kr(device_open(master, D_READ, "", &none), D_NO_SUCH_DEVICE,
	      "device_open of the empty name: D_NO_SUCH_DEVICE");
	is_kr(device_open(self, D_READ, (char *)name, &none), D_INVALID_OPERATION,
	      "device_open through a port that is not the master: D_INVALID_OPERATION");
}

/* ---- a task that dies with the device open ---------------------------------------- */

#define CHILD_DEV_NAME 0x4321 /* the device's name in the child */

/* device.defs' device_read request and reply, as the stubs make them. */
struct read_req {
	mach_msg_header_t head;
	mach_msg_type_t mode_t;
	uint32_t mode, pad0;
	mach_msg_type_t rec_t;
	uint64_t rec;
	mach_msg_type_t bytes_t;
	int32_t bytes, pad1;
};

/*
 * In the child (inherited memory, so only traps and raw messages): reads
 * 4 KiB after 4 KiB through the device port, keeping every page, until
 * killed.
 */
static void
child_reader(void *arg)
{
	(void)arg;
	mach_port_t reply = mach_reply_port();
	union {
		struct read_req r;
		char buf[256];
	} m;

	for (unsigned i = 0;; i++) {
		memset(&m, 0, sizeof(m));
		m.r.head.msgh_bits =
		    MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.r.head.msgh_size = sizeof(m.r);
		m.r.head.msgh_remote_port = CHILD_DEV_NAME;
		m.r.head.msgh_local_port = reply;
		m.r.head.msgh_id = 2804; /* device_read */
		m.r.mode_t = (mach_msg_type_t){.msgt_name = MACH_MSG_TYPE_INTEGER_32,
		                               .msgt_size = 32,
		                               .msgt_number = 1,
		                               .msgt_inline = 1};
		m.r.mode = D_READ;
		m.r.rec_t = (mach_msg_type_t){.msgt_name = MACH_MSG_TYPE_INTEGER_64,
		                              .msgt_size = 64,
		                              .msgt_number = 1,
		                              .msgt_inline = 1};
		m.r.rec = (i * 8) % CRC_RECS;
		m.r.bytes_t = m.r.mode_t;
		m.r.bytes = 4096;
		if (i >= 256) { /* 1 MiB held: wait to be killed */
			mach_msg(&m.r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), reply,
			         1000, MACH_PORT_NULL);
			continue;
		}
		mach_msg(&m.r.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.r), sizeof(m), reply,
		         MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
}

static void
test_dying_task(void)
{
	long base = settled_free_pages();
	kern_return_t kr;
	mach_port_t d = open_dev(D_READ, &kr), child = MACH_PORT_NULL;
	struct uthread t;

	is_kr(kr, D_SUCCESS, "device_open for the child");
	is_kr(task_create(self, TRUE, &child), KERN_SUCCESS, "task_create of the child");
	is_kr(mach_port_insert_right(child, CHILD_DEV_NAME, d, MACH_MSG_TYPE_COPY_SEND),
	      KERN_SUCCESS, "the device port given to the child");
	/* Now only the child holds a send right: the open is the child's. */
	mach_port_deallocate(self, d);
	is_kr(uthread_create(child, child_reader, NULL, 1, &t), KERN_SUCCESS,
	      "a thread in the child reading the disk");
	/* It keeps every page it reads: 256 of them, then it waits. */
	long low = base;
	for (int i = 0; i < 100 && low > base - 200; i++) {
		uthread_sleep(10);
		low = free_pages();
	}
	tap_ok(low <= base - 200, "the child reads: it holds the pages (%ld free, start %ld)", low,
	       base);
	is_kr(task_terminate(child), KERN_SUCCESS, "the child killed while reading");
	mach_port_deallocate(self, child);
	mach_port_deallocate(self, t.thread);
	uthread_sleep(50);

	/*
	 * Its death dropped the last send right: no-senders closed the device.
	 * Were it still open, this open would count 2 and one close would
	 * leave the port alive.
	 */
	d = open_dev(D_READ, &kr);
	is_kr(kr, D_SUCCESS, "device_open after the child's death");
	is_kr(device_close(d), D_SUCCESS, "one device_close");
	size_of(d, &kr);
	is_kr(kr, MACH_SEND_INVALID_DEST,
	      "closes it: the child's open was released "
	      "(MACH_SEND_INVALID_DEST after)");
	mach_port_deallocate(self, d);
	long now = settled_free_pages();
	tap_ok(now >= base - PAGES_SLACK,
	       "free pages back after the child's death (%ld, start %ld)", now, base);
}

int
main(int argc, char **argv)
{
	ipc_init();
	crc_init();
	if (argc < 5) {
		printf("usage: dev-disk MASTER NAME rw|ro SECTORS [RUN]\n");
		return 1;
	}
	master = (mach_port_t)strtoul(argv[1], NULL, 0);
	name = argv[2];
	int rw = strcmp(argv[3], "rw") == 0;
	sectors = strtoul(argv[4], NULL, 0);
	run = argc > 5 ? strtoul(argv[5], NULL, 0) : 0;

	kern_return_t kr;
	if (!rw) {
		tap_plan(8);
		open_dev(D_READ | D_WRITE, &kr);
		is_kr(kr, D_READ_ONLY, "device_open of read-only %s for writing: D_READ_ONLY",
		      name);
		open_dev(D_WRITE, &kr);
		is_kr(kr, D_READ_ONLY, "and for D_WRITE alone: D_READ_ONLY");
		mach_port_t d = open_dev(D_READ, &kr);
		is_kr(kr, D_SUCCESS, "device_open for reading");
		char in[IO_INBAND_MAX];
		mach_msg_type_number_t cnt = sizeof(in);
		int written = -1;
		is_kr(device_read_inband(d, D_READ, 0, 128, in, &cnt), D_SUCCESS, "it reads");
		is_kr(device_write_inband(d, D_WRITE, 0, in, 128, &written), D_READ_ONLY,
		      "device_write_inband: D_READ_ONLY");
		vm_address_t buf = 0;
		vm_allocate(self, &buf, 4096, TRUE);
		is_kr(device_write(d, D_WRITE, 0, (io_buf_ptr_t)buf, 4096, &written), D_READ_ONLY,
		      "device_write: D_READ_ONLY");
		tap_is_int(size_of(d, &kr), (long)(sectors * REC), "DEV_GET_SIZE");
		is_kr(device_close(d), D_SUCCESS, "device_close");
		return tap_done();
	}

	tap_plan(47);
	mach_port_t d = open_dev(D_READ | D_WRITE, &kr);
	is_kr(kr, D_SUCCESS, "device_open(%s, D_READ | D_WRITE)", name);
	test_crc(d);
	test_write(d);
	test_edges(d);
	is_kr(device_close(d), D_SUCCESS, "device_close");
	mach_port_deallocate(self, d);
	test_open_close();
	test_dying_task();
	return tap_done();
}
