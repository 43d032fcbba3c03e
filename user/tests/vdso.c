// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vDSO (docs/vdso.md), from a boot task: `vdso HOST-PORT [slow |
 * DEVICE-PORT]`; with the device master port, also the mapped `time` page
 * (device_map, GNU Mach's 64-byte layout) against REALTIME and MONOTONIC.
 * The auxiliary vector and the symbols; vmach_vdso_find on itself and on
 * a task it creates (which may deallocate the vDSO; a fixed vm_allocate
 * over it gets KERN_NO_SPACE); two threads reading CLOCK_MONOTONIC
 * 10,000,000 times each, never back; REALTIME against host_get_time
 * within a tick; host_set_time moving REALTIME and not MONOTONIC; the
 * other clocks and entry points. With `slow` (kernel option
 * vdso_slow=on) the vvar sends every read to the trap: the same answers,
 * fewer reads.
 */
#include <device/device.h>
#include <mach/mach_host.h>
#include <mach/time_value.h>
#include <mach/mach_interface.h>
#include <stdlib.h>
#include <string.h>
#include <tap.h>
#include <thread.h>
#include <traps.h>
#include <vdso.h>
#include <vmach/vmach.h>

#define VVAR_ADDR 0x7fff00000000ul
#define VDSO_ADDR 0x7fff00001000ul
#define TICK_NS 10000000L
#define NS 1000000000L
#define READS 10000000L

static vdso_clock_gettime_fn *cg;

static int64_t
ns_of(long clk)
{
	struct vdso_timespec ts;

	if (cg(clk, &ts))
		return -1;
	return ts.tv_sec * NS + ts.tv_nsec;
}

struct reader {
	long reads, back;
	volatile int done;
};

/* READS reads of CLOCK_MONOTONIC, counting those that went back. */
static void
read_mono(void *arg)
{
	struct reader *r = arg;
	struct vdso_timespec ts;
	int64_t last = 0, now;

	for (r->reads = 0; r->reads < READS; r->reads++) {
		cg(1, &ts);
		now = ts.tv_sec * NS + ts.tv_nsec;
		if (now < last || ts.tv_nsec >= NS)
			r->back++;
		last = now;
	}
	r->done = 1;
}

static int64_t
host_time_ns(mach_port_t host)
{
	time_value_t tv;

	if (host_get_time(host, &tv) != KERN_SUCCESS)
		return -1;
	return (int64_t)tv.seconds * NS + (int64_t)tv.microseconds * 1000;
}

/* The mapped time page (NULL when it cannot be mapped). */
static volatile const struct mapped_time_value *
map_time_page(mach_port_t master)
{
	mach_port_t dev = MACH_PORT_NULL, pager = MACH_PORT_NULL;
	vm_address_t addr = 0;

	if (device_open(master, D_READ, "time", &dev) != D_SUCCESS ||
	    device_map(dev, VM_PROT_READ, 0, sizeof(struct mapped_time_value), &pager, 0) !=
	        D_SUCCESS ||
	    vm_map(mach_task_self(), &addr, sizeof(struct mapped_time_value), 0, TRUE, pager, 0,
	           FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE) != KERN_SUCCESS)
		return NULL;
	return (volatile const struct mapped_time_value *)addr;
}

/* The page's time of day and uptime in ns, read under their check fields. */
static void
read_time_page(volatile const struct mapped_time_value *mt, int64_t *tod, int64_t *up)
{
	int64_t s, n;

	do {
		s = mt->time_value.seconds;
		__sync_synchronize();
		n = mt->time_value.nanoseconds;
		__sync_synchronize();
	} while (s != mt->check_seconds64);
	*tod = s * NS + n;
	do {
		s = mt->uptime_value.seconds;
		__sync_synchronize();
		n = mt->uptime_value.nanoseconds;
		__sync_synchronize();
	} while (s != mt->check_upseconds64);
	*up = s * NS + n;
}

int
main(int argc, char **argv)
{
	mach_port_t self = mach_task_self(),
	            host = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 10) : 0;
	int slow = argc > 2 && !strcmp(argv[2], "slow");
	mach_port_t master = argc > 2 && !slow ? (mach_port_t)strtoul(argv[2], NULL, 10) : 0;
	uint64_t base = auxv_get(AT_SYSINFO_EHDR);
	vm_address_t addr = 0;
	vm_size_t size = 0;
	struct vdso_timespec ts;
	int64_t a, b, h;

	tap_plan(slow ? 9 : master ? 27 : 25);
	tap_is_int((long)auxv_get(AT_PAGESZ), 4096, "auxv: AT_PAGESZ 4096");
	tap_ok(base == VDSO_ADDR, "auxv: AT_SYSINFO_EHDR %#lx", (unsigned long)base);
	cg = vdso_sym(base, "__vdso_clock_gettime", VDSO_VERSION);
	tap_ok(cg && vdso_sym(base, "clock_gettime", VDSO_VERSION) == (void *)cg,
	       "__vdso_clock_gettime and clock_gettime@VMACH_1.0 found, the same code");
	if (!cg)
		return tap_done();
	tap_ok((uint32_t)(*(volatile uint32_t *)VVAR_ADDR & 2) == (slow ? 2u : 0u),
	       "the vvar's slow flag is %s", slow ? "set" : "clear");
	a = cg(1, &ts);
	tap_ok(!a && ts.tv_nsec >= 0 && ts.tv_nsec < NS && ts.tv_sec >= 0,
	       "CLOCK_MONOTONIC reads %ld.%09ld", (long)ts.tv_sec, (long)ts.tv_nsec);

	/* REALTIME against host_get_time (microseconds) within one tick. */
	a = ns_of(0);
	h = host_time_ns(host);
	b = ns_of(0);
	tap_ok(h > 0 && a - TICK_NS <= h && h <= b + TICK_NS,
	       "REALTIME agrees with host_get_time within a tick (%ld <= %ld <= %ld)", (long)a,
	       (long)h, (long)b);

	/* The mapped time page: written at every tick, so at most a tick behind. */
	if (master) {
		volatile const struct mapped_time_value *mt = map_time_page(master);
		int64_t tod = 0, up = 0, real, mono;

		tap_ok(mt != NULL, "the time device's page mapped (device_map, vm_map)");
		if (mt) {
			read_time_page(mt, &tod, &up);
			real = ns_of(0);
			mono = ns_of(1);
		}
		tap_ok(mt && tod <= real && real - tod <= 2 * TICK_NS && up <= mono &&
		           mono - up <= 2 * TICK_NS,
		       "the page is behind REALTIME and MONOTONIC by at most a tick or two "
		       "(%ld ns, %ld ns)",
		       mt ? (long)(real - tod) : -1L, mt ? (long)(mono - up) : -1L);
	}

	/* The other clocks. */
	a = ns_of(1);
	b = ns_of(4);
	h = ns_of(7);
	tap_ok(a > 0 && b >= a && h >= b && h - a < TICK_NS,
	       "MONOTONIC_RAW and BOOTTIME follow MONOTONIC");
	tap_is_int(cg(2, &ts), -22, "CLOCK_PROCESS_CPUTIME_ID: the trap's -EINVAL");
	a = ns_of(0);
	b = ns_of(5);
	tap_ok(b >= a - 1 && b - a < TICK_NS, "CLOCK_REALTIME_COARSE through the trap agrees");
	if (slow)
		return tap_done();

	{
		vdso_gettimeofday_fn *gtod = vdso_sym(base, "gettimeofday", VDSO_VERSION);
		vdso_time_fn *tm = vdso_sym(base, "time", VDSO_VERSION);
		vdso_getcpu_fn *gc = vdso_sym(base, "getcpu", VDSO_VERSION);
		struct vdso_timeval tv;
		unsigned cpu = 99, node = 99;
		int64_t t;

		a = ns_of(0);
		tap_ok(gtod && !gtod(&tv, NULL) && tv.tv_usec < 1000000 &&
		           tv.tv_sec * NS + tv.tv_usec * 1000 - a < TICK_NS &&
		           tv.tv_sec * NS + tv.tv_usec * 1000 >= a - 1000,
		       "gettimeofday agrees with REALTIME");
		t = tm ? tm(NULL) : -1;
		tap_ok(tm && (t == a / NS || t == a / NS - 1 || t == a / NS + 1),
		       "time() gives the seconds (%ld)", (long)t);
		tap_ok(gc && !gc(&cpu, &node, NULL) && cpu == 0 && node == 0,
		       "getcpu: CPU 0, node 0");
		tap_ok(!vdso_sym(base, "clock_gettime", "LINUX_2.6") &&
		           !vdso_sym(base, "no_such", NULL),
		       "a wrong version or name is not found");
	}

	/* The smallest step MONOTONIC takes: nanosecond precision, not the tick's. */
	{
		int64_t step = NS, last = ns_of(1), now;
		for (int i = 0; i < 1000; i++) {
			now = ns_of(1);
			if (now > last && now - last < step)
				step = now - last;
			last = now;
		}
		tap_ok(step < 10000, "MONOTONIC moves in steps of %ld ns (< 10 us)", (long)step);
	}

	/* host_set_time moves REALTIME; MONOTONIC does not move back or jump. */
	{
		time_value_t tv;
		int64_t m0 = ns_of(1), r0 = ns_of(0), r1, m1;

		tv.seconds = r0 / NS + 1000;
		tv.microseconds = (r0 % NS) / 1000;
		tap_is_int(host_set_time(host, tv), KERN_SUCCESS, "host_set_time +1000 s");
		r1 = ns_of(0);
		m1 = ns_of(1);
		tap_ok(r1 - r0 >= 999 * NS && r1 - r0 < 1001 * NS, "REALTIME jumped by %ld ms",
		       (long)((r1 - r0) / 1000000));
		tap_ok(m1 >= m0 && m1 - m0 < NS, "MONOTONIC did not (moved %ld us)",
		       (long)((m1 - m0) / 1000));
		h = host_time_ns(host);
		tap_ok(h >= r1 - TICK_NS && h <= ns_of(0) + TICK_NS,
		       "host_get_time agrees with the new REALTIME");
		r1 = ns_of(0) - 1000 * NS;
		tv.seconds = r1 / NS;
		tv.microseconds = (r1 % NS) / 1000;
		host_set_time(host, tv);
	}

	/* Found through the RPC, for itself and for a task it creates. */
	a = vmach_vdso_find(self, &addr, &size);
	tap_ok(a == KERN_SUCCESS && addr == VDSO_ADDR && size > 0 && size <= 8192,
	       "vmach_vdso_find on itself: %#lx, %lu bytes", (unsigned long)addr,
	       (unsigned long)size);
	{
		mach_port_t child;
		vm_offset_t data = 0;
		mach_msg_type_number_t n = 0;
		vm_address_t at = VVAR_ADDR;

		task_create(self, FALSE, &child);
		addr = 0;
		tap_ok(vmach_vdso_find(child, &addr, &size) == KERN_SUCCESS && addr == VDSO_ADDR &&
		           vm_read(child, addr, 4096, &data, &n) == KERN_SUCCESS && n == 4096 &&
		           !memcmp((void *)data, "\177ELF", 4) &&
		           !memcmp((void *)data, (void *)base, 4096),
		       "a created task finds the vDSO through vmach_vdso_find, the same image");
		if (data)
			vm_deallocate(self, data, n);
		tap_is_int(vm_allocate(child, &at, 4096, FALSE), KERN_NO_SPACE,
		           "a fixed vm_allocate over its vvar: KERN_NO_SPACE");
		tap_is_int(vm_protect(child, VVAR_ADDR, 4096, FALSE, VM_PROT_READ | VM_PROT_WRITE),
		           KERN_PROTECTION_FAILURE, "the vvar cannot be made writable");
		tap_ok(vm_deallocate(child, VVAR_ADDR, 3 * 4096) == KERN_SUCCESS &&
		           vmach_vdso_find(child, &addr, &size) == KERN_INVALID_ADDRESS,
		       "deallocated, vmach_vdso_find says KERN_INVALID_ADDRESS");
		at = VVAR_ADDR;
		tap_is_int(vm_allocate(child, &at, 4096, FALSE), KERN_SUCCESS,
		           "the range is then free for a fixed vm_allocate");
		task_terminate(child);
	}

	/* Two threads, 10,000,000 reads each. */
	{
		struct reader r1 = {0}, r2 = {0};
		struct uthread t;
		int ok = uthread_create(self, read_mono, &r2, 1, &t) == KERN_SUCCESS;

		read_mono(&r1);
		while (ok && !r2.done)
			uthread_sleep(10);
		if (ok)
			uthread_destroy(&t);
		tap_ok(ok && r1.reads == READS && r2.reads == READS && !r1.back && !r2.back,
		       "two threads read MONOTONIC %ld + %ld times, never back (%ld, %ld)",
		       r1.reads, r2.reads, r1.back, r2.back);
	}
	return tap_done();
}
