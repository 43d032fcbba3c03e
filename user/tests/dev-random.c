// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `random` device (virtio-rng behind the device interface): reads out
 * of line and in band give as many bytes as asked (a read past 64 KiB is
 * short), bytes that look random (most of the 256 values in 4 KiB, and two
 * reads differ), and the calls it has no use for are refused. argv[1] is
 * the device master port (${device-port}). vmach only: GNU Mach 2025 has
 * no such device (its answer, D_NO_SUCH_DEVICE, is checked with no rng).
 */
#include <device/device.h>
#include <stdlib.h>

#include "ipc-util.h"

/* How many of the 256 byte values occur in buf. */
static unsigned
distinct(const unsigned char *buf, unsigned n)
{
	unsigned char seen[256] = {0};
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (!seen[buf[i]]++)
			k++;
	return k;
}

int
main(int argc, char **argv)
{
	mach_port_t master = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 0) : MACH_PORT_NULL;
	int expect_none = argc > 2 && !strcmp(argv[2], "none");
	mach_port_t dev = MACH_PORT_NULL;

	ipc_init();
	if (expect_none) {
		tap_plan(1);
		is_kr(device_open(master, D_READ, "random", &dev), D_NO_SUCH_DEVICE,
		      "without a virtio-rng device there is no \"random\"");
		return tap_done();
	}
	tap_plan(11);
	is_kr(device_open(master, D_READ, "random", &dev), D_SUCCESS, "device_open \"random\"");

	io_buf_ptr_t a = 0, b = 0;
	mach_msg_type_number_t na = 0, nb = 0;
	is_kr(device_read(dev, 0, 0, 4096, &a, &na), D_SUCCESS, "device_read of 4 KiB");
	tap_ok(na == 4096 && a, "4096 bytes out of line (%u)", na);
	tap_ok(a && distinct((const unsigned char *)a, na) > 200,
	       "they take most of the 256 values (%u)",
	       a ? distinct((const unsigned char *)a, na) : 0);
	is_kr(device_read(dev, 0, 0, 4096, &b, &nb), D_SUCCESS, "a second read");
	tap_ok(nb == 4096 && b && memcmp(a, b, 4096), "gives other bytes");
	vm_deallocate(self, (vm_address_t)a, na);
	vm_deallocate(self, (vm_address_t)b, nb);

	is_kr(device_read(dev, 0, 0, 100000, &a, &na), D_SUCCESS, "device_read of 100,000 bytes");
	tap_ok(na == 65536, "is cut to 64 KiB (%u)", na);
	vm_deallocate(self, (vm_address_t)a, na);

	char in[128];
	mach_msg_type_number_t nin = sizeof(in);
	memset(in, 0, sizeof(in));
	is_kr(device_read_inband(dev, 0, 0, 64, in, &nin), D_SUCCESS, "device_read_inband of 64");
	tap_ok(nin == 64 && distinct((unsigned char *)in, 64) > 20, "64 bytes in band (%u)", nin);

	int written = 0;
	is_kr(device_write_inband(dev, 0, 0, in, 16, &written), D_INVALID_OPERATION,
	      "device_write_inband is refused");
	device_close(dev);
	return tap_done();
}
