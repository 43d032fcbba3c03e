// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dev bench family's program (bench/dev, docs/bench.md "dev"): disk
 * reads through the Mach device interface from a user task, at queue
 * depth 1, at random 4 KiB-aligned places of the disk:
 *
 *   dev.read4k_kept   device_read of 4 KiB, the pages kept (unmapped after the run)
 *   dev.read4k_freed  device_read of 4 KiB then vm_deallocate of the data
 *   dev.inband128     device_read_inband of 128 bytes
 *
 * Each is N calls between two cycle-counter reads, less the time the CPU
 * spent halted waiting for the disk (vmach's DEV_GET_VMACH_IDLE status,
 * device/dev.h; under icount an idle CPU's clock jumps to the next timer,
 * so halted time says nothing of the path), best of three runs. Prints,
 * besides its TAP:
 *
 *   dev-bench: # bench dev.NAME ops=N cycles=C idle_ns=I
 *
 * bench/dev converts cycles with the kernel's "clock: TSC F MHz" line.
 * Usage: dev-bench MASTER NAME [N [FIGURE]] (default 1000 calls, every
 * figure; FIGURE alone, for scripts/profile-guest-style profiles).
 */
#include <device/device.h>
#include <mach/mach_interface.h>
#include <stdint.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

#include "bench-args.h"

#define OPS_DEFAULT 1000
#define OPS_MAX 4096
#define DEV_GET_VMACH_IDLE 0x766d0001 /* device/dev.h */

static mach_port_t self, dev;
static uint64_t sectors, rnd = 0x9e3779b97f4a7c15ull;
static vm_address_t kept[OPS_MAX];

static uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t
idle_ns(void)
{
	int st[2];
	mach_msg_type_number_t n = 2;

	if (device_get_status(dev, DEV_GET_VMACH_IDLE, st, &n) != D_SUCCESS || n != 2)
		return UINT64_MAX;
	return (uint64_t)(uint32_t)st[1] << 32 | (uint32_t)st[0];
}

/* A random 4 KiB-aligned record (xorshift64). */
static recnum_t
next_rec(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return (rnd % (sectors / 8)) * 8;
}

enum kind { KEPT, FREED, INBAND };

/* One run of n calls: cycles and idle ns; false when a call failed. */
static int
run(enum kind k, unsigned n, uint64_t *cycles, uint64_t *idle)
{
	char in[IO_INBAND_MAX];
	int ok = 1;
	uint64_t i0 = idle_ns(), t0 = rdtsc();

	for (unsigned i = 0; i < n; i++) {
		io_buf_ptr_t data = 0;
		mach_msg_type_number_t cnt = 0;
		kern_return_t kr;
		if (k == INBAND) {
			cnt = sizeof(in);
			kr = device_read_inband(dev, D_READ, next_rec(), IO_INBAND_MAX, in, &cnt);
			ok &= kr == D_SUCCESS && cnt == IO_INBAND_MAX;
			continue;
		}
		kr = device_read(dev, D_READ, next_rec(), 4096, &data, &cnt);
		ok &= kr == D_SUCCESS && cnt == 4096;
		if (k == FREED)
			vm_deallocate(self, (vm_address_t)data, 4096);
		else
			kept[i] = (vm_address_t)data;
	}
	uint64_t t1 = rdtsc(), i1 = idle_ns();
	*cycles = t1 - t0;
	*idle = i1 - i0;
	if (k == KEPT)
		for (unsigned i = 0; i < n; i++)
			vm_deallocate(self, kept[i], 4096);
	return ok;
}

static const char *only; /* the one figure to run, or NULL */

static void
figure(const char *name, enum kind k, unsigned n)
{
	uint64_t best_c = 0, best_i = 0, c, idle;
	int ok = 1;

	if (only && strcmp(only, name) != 0) {
		tap_ok(1, "%s: skipped", name);
		return;
	}
	for (int r = 0; r < 3; r++) {
		ok &= run(k, n, &c, &idle);
		/* The best is the least busy time (cycles are ns under icount: 1000 MHz). */
		if (r == 0 || c - idle < best_c - best_i)
			best_c = c, best_i = idle;
	}
	if (tap_ok(ok, "%s: %u calls answered D_SUCCESS with the bytes asked", name, n))
		tap_diag("bench dev.%s ops=%u cycles=%lu idle_ns=%lu", name, n,
		         (unsigned long)best_c, (unsigned long)best_i);
}

int
main(int argc, char **argv)
{
	unsigned n = OPS_DEFAULT;
	kern_return_t kr;

	tap_plan(4);
	self = mach_task_self();
	if (argc < 3) {
		tap_diag("usage: dev-bench MASTER NAME [N]");
		return tap_done();
	}
	if (argc > 3 && decimal(argv[3]))
		n = (unsigned)decimal(argv[3]);
	if (n > OPS_MAX)
		n = OPS_MAX;
	if (argc > 4)
		only = argv[4];
	kr = device_open((mach_port_t)decimal(argv[1]), D_READ, argv[2], &dev);
	int st[2];
	mach_msg_type_number_t cnt = 2;
	if (kr == D_SUCCESS)
		kr = device_get_status(dev, DEV_GET_RECORDS, st, &cnt);
	sectors = kr == D_SUCCESS ? (uint32_t)st[0] : 0;
	if (!tap_ok(kr == D_SUCCESS && sectors >= 8 && idle_ns() != UINT64_MAX,
	            "device_open(%s): %lu records, idle time readable (%#x)", argv[2],
	            (unsigned long)sectors, kr))
		return tap_done();
	uint64_t c, i;
	run(FREED, 64, &c, &i); /* warm-up: caches, the reply port, page tables */
	figure("read4k_kept", KEPT, n);
	figure("read4k_freed", FREED, n);
	figure("inband128", INBAND, n);
	device_close(dev);
	return tap_done();
}
