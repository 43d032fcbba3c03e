// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `console` device from a user task (tests/qemu/dev-console.t drives
 * it): a write through it reaches the serial line; once it is open the
 * console input is the task's, not the monitor's: the host sends COUNT
 * bytes of a known pattern at full speed (more than the kernel's 2 KiB
 * input ring), which this program, after half a second's pause (time for
 * the monitor to steal them, were it still reading), reads by
 * device_read_inband and device_read in turn and checks byte by byte. argv[1] is the device
 * master port (${device-port}), argv[2] COUNT.
 */
#include <device/device.h>
#include <stdlib.h>

#include "ipc-util.h"

/* The host's pattern (tests/qemu/console-feed.pl): letters only. */
static char
pattern(unsigned i)
{
	return (char)('a' + (i * 7 + i / 26) % 26);
}

int
main(int argc, char **argv)
{
	mach_port_t master = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 0) : MACH_PORT_NULL;
	unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 0;
	mach_port_t dev = MACH_PORT_NULL;
	static const char hello[] = "dev-console: hello through the console device\n";
	char out[128]; /* the stub's in-band type is 128 bytes */

	ipc_init();
	tap_plan(6);
	is_kr(device_open(master, D_READ | D_WRITE, "console", &dev), D_SUCCESS,
	      "device_open \"console\"");
	int written = 0;
	memset(out, 0, sizeof(out));
	memcpy(out, hello, sizeof(hello) - 1);
	is_kr(device_write_inband(dev, 0, 0, out, sizeof(hello) - 1, &written), D_SUCCESS,
	      "device_write_inband");
	tap_ok(written == (int)sizeof(hello) - 1, "all %d bytes written", written);
	tap_diag("ready for %u bytes", count);
	/* Let the bytes arrive before reading any: were the monitor still
	 * reading the console, it would take them meanwhile. */
	mach_port_t idle = new_receive();
	mach_msg_header_t h;
	mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), idle, 500, MACH_PORT_NULL);
	mach_port_destroy(self, idle);

	unsigned got = 0, bad_at = ~0u, inband_reads = 0, ool_reads = 0;
	kern_return_t kr = D_SUCCESS;
	while (got < count && kr == D_SUCCESS) {
		char in[128];
		mach_msg_type_number_t n = 0;
		const char *p = in;
		io_buf_ptr_t ool = 0;

		if ((inband_reads + ool_reads) % 2 == 0) {
			n = sizeof(in);
			kr = device_read_inband(dev, 0, 0, sizeof(in), in, &n);
			inband_reads++;
		} else {
			kr = device_read(dev, 0, 0, 1000, &ool, &n);
			p = (const char *)ool;
			ool_reads++;
		}
		for (unsigned i = 0; kr == D_SUCCESS && i < n; i++, got++)
			if (bad_at == ~0u && (got >= count || p[i] != pattern(got)))
				bad_at = got;
		if (ool)
			vm_deallocate(self, (vm_address_t)ool, n);
	}
	is_kr(kr, D_SUCCESS, "reads succeed (%u in band, %u out of line)", inband_reads, ool_reads);
	tap_ok(got == count && bad_at == ~0u, "%u bytes read, in order (first wrong: %d)", got,
	       bad_at == ~0u ? -1 : (int)bad_at);
	is_kr(device_close(dev), D_SUCCESS, "device_close: the monitor has the input again");
	return tap_done();
}
