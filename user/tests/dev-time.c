// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mapped `time` device, read as GNU Mach programs read it (the Hurd's
 * maptime): device_open "time", device_map, vm_map of the pager it gives,
 * then struct mapped_time_value (<mach/time_value.h>) read under its check
 * fields. Checks that the three clocks in it agree with each other and
 * with host_get_time within a tick, that they move in ticks, and that the
 * mapping cannot be made writable. argv[1] is the device master port
 * (${device-port}), argv[2] the host port (${host-port}). Checked on GNU
 * Mach first (tests/gnumach/devices.t).
 */
#include <device/device.h>
#include <mach/mach_host.h>
#include <mach/time_value.h>
#include <stdlib.h>

#include "ipc-util.h"

#define US_PER_S 1000000LL
/* One 10 ms tick, and what two reads of different clocks may differ by. */
#define TICK_US 10000LL
#define SLACK_US (2 * TICK_US)

static volatile const struct mapped_time_value *mt;

/* The 32-bit time of day, microseconds, read the way the header says. */
static long long
read_time32(void)
{
	int32_t secs, usecs;

	do {
		secs = mt->seconds;
		__sync_synchronize();
		usecs = mt->microseconds;
		__sync_synchronize();
	} while (secs != mt->check_seconds);
	return secs * US_PER_S + usecs;
}

/* The 64-bit time of day, in microseconds. */
static long long
read_time64(void)
{
	int64_t secs, nsecs;

	do {
		secs = mt->time_value.seconds;
		__sync_synchronize();
		nsecs = mt->time_value.nanoseconds;
		__sync_synchronize();
	} while (secs != mt->check_seconds64);
	return secs * US_PER_S + nsecs / 1000;
}

/* Time since boot, in microseconds. */
static long long
read_uptime(void)
{
	int64_t secs, nsecs;

	do {
		secs = mt->uptime_value.seconds;
		__sync_synchronize();
		nsecs = mt->uptime_value.nanoseconds;
		__sync_synchronize();
	} while (secs != mt->check_upseconds64);
	return secs * US_PER_S + nsecs / 1000;
}

static long long
host_time_us(mach_port_t host)
{
	time_value_t tv = {0, 0};
	kern_return_t kr = host_get_time(host, &tv);

	if (kr != KERN_SUCCESS)
		tap_diag("host_get_time: %#x", kr);
	return tv.seconds * US_PER_S + tv.microseconds;
}

static long long
absdiff(long long a, long long b)
{
	return a > b ? a - b : b - a;
}

int
main(int argc, char **argv)
{
	mach_port_t master = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 0) : MACH_PORT_NULL;
	mach_port_t host = argc > 2 ? (mach_port_t)strtoul(argv[2], NULL, 0) : MACH_PORT_NULL;
	mach_port_t dev = MACH_PORT_NULL, pager = MACH_PORT_NULL;
	vm_address_t addr = 0;

	ipc_init();
	tap_plan(14);
	is_kr(device_open(master, D_READ, "time", &dev), D_SUCCESS, "device_open \"time\"");
	is_kr(device_map(dev, VM_PROT_READ, 0, sizeof(struct mapped_time_value), &pager, 0),
	      D_SUCCESS, "device_map of its 64 bytes, read-only");
	tap_ok(ptype(pager) == MACH_PORT_TYPE_SEND, "the pager is a send right (type %#x)",
	       ptype(pager));
	is_kr(vm_map(self, &addr, sizeof(struct mapped_time_value), 0, TRUE, pager, 0, FALSE,
	             VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE),
	      KERN_SUCCESS, "vm_map of the pager, anywhere");
	is_kr(mach_port_deallocate(self, pager), KERN_SUCCESS,
	      "the pager's right is ours to drop after vm_map");
	if (!addr) {
		tap_diag("no time page: the rest cannot run");
		return tap_done();
	}
	mt = (volatile const struct mapped_time_value *)addr;

	long long t32 = read_time32(), t64 = read_time64(), host_now = host_time_us(host);
	long long up = read_uptime();
	tap_diag("time %lld.%06lld s, uptime %lld.%06lld s", t32 / US_PER_S, t32 % US_PER_S,
	         up / US_PER_S, up % US_PER_S);
	tap_ok(t32 / US_PER_S > 1500000000LL, "the time of day is after 2017 (%lld s)",
	       t32 / US_PER_S);
	tap_ok(absdiff(t32, t64) <= SLACK_US, "the 32- and 64-bit values agree (%lld us apart)",
	       absdiff(t32, t64));
	tap_ok(absdiff(t64, host_now) <= SLACK_US,
	       "host_get_time agrees within two ticks (%lld us apart)", absdiff(t64, host_now));
	tap_ok(up > 0 && up < 3600 * US_PER_S, "the uptime is under an hour (%lld us)", up);

	/* Watch the page move: each change is about a tick, and the uptime
	 * moves with the time of day. */
	long long first = read_time64(), prev = first, up_first = read_uptime();
	long long steps[20], changes = 0;
	while (changes < 20) {
		long long now = read_time64();
		if (now < prev) {
			tap_diag("went back from %lld to %lld", prev, now);
			break;
		}
		if (now != prev) {
			steps[changes++] = now - prev;
			prev = now;
		}
	}
	long long up_moved = read_uptime() - up_first;
	/* The median step: a loaded host delays some ticks of a TCG guest. */
	for (int i = 1; i < changes; i++)
		for (int j = i; j > 0 && steps[j] < steps[j - 1]; j--) {
			long long t = steps[j];
			steps[j] = steps[j - 1];
			steps[j - 1] = t;
		}
	long long median = changes ? steps[changes / 2] : 0;
	tap_ok(changes == 20, "the time moves forward, 20 changes seen");
	tap_ok(median > 0 && median <= TICK_US + TICK_US / 2,
	       "in steps of about a tick (median %lld us, largest %lld us)", median,
	       changes ? steps[changes - 1] : 0);
	tap_ok(absdiff(up_moved, prev - first) <= SLACK_US,
	       "the uptime moved as much (%lld us against %lld us)", up_moved, prev - first);

	/* The mapping's most access is read: it cannot be made writable. */
	is_kr(vm_protect(self, addr, 4096, FALSE, VM_PROT_READ | VM_PROT_WRITE),
	      KERN_PROTECTION_FAILURE, "vm_protect to read-write is refused");
	is_kr(vm_deallocate(self, addr, 4096), KERN_SUCCESS, "vm_deallocate of the page");
	device_close(dev);
	return tap_done();
}
