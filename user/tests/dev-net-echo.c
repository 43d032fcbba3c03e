// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A user-space frame echo on a network interface through the device
 * interface (tests/qemu/dev-net.t runs it against build/net-peer): the
 * interface's status and address, a filter that takes every received
 * frame (device_set_filter, NETF), frames received as net_rcv_msg and sent
 * back with the addresses swapped (device_write_inband up to 128 bytes,
 * device_write out of line above). It ends after IDLE_MS without a frame
 * once frames have come, and checks that it sent back every frame it got.
 * argv: ${device-port}, the interface, its MAC as 12 hex digits, and
 * "bench" to echo without end (the bench kills the machine) and print,
 * every 500 frames, the guest cycles and halted time from the first frame
 * received to the last sent (bench/dev: instructions per echoed frame
 * under icount, where an idle guest's clock runs ahead of real time, so no
 * timeout can tell the peer's end):
 *   dev-net-echo: # bench dev.NAME ops=N cycles=C idle_ns=I
 */
#include <device/device.h>
#include <device/net_status.h>
#include <stdlib.h>

#include "ipc-util.h"

#define IDLE_MS 3000
#define DEV_GET_VMACH_IDLE 0x766d0001 /* vmach's own flavour: device/dev.h */

static uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The CPU's halted time so far, in ns (0 on a kernel without the flavour). */
static uint64_t
idle_ns(mach_port_t dev)
{
	int st[2];
	mach_msg_type_number_t n = 2;

	if (device_get_status(dev, DEV_GET_VMACH_IDLE, st, &n) != D_SUCCESS || n != 2)
		return 0;
	return (uint64_t)(uint32_t)st[0] | (uint64_t)(uint32_t)st[1] << 32;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
main(int argc, char **argv)
{
	mach_port_t master = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 0) : MACH_PORT_NULL;
	const char *ifname = argc > 2 ? argv[2] : "eth0";
	const char *mac_hex = argc > 3 ? argv[3] : "";
	int bench = argc > 4 && !strcmp(argv[4], "bench");
	uint64_t t0 = 0, i0 = 0, t1 = 0, i1 = 0;
	unsigned max_len = 0;
	mach_port_t dev = MACH_PORT_NULL, rcv;
	static struct net_rcv_msg m;
	static char frame[1514];

	ipc_init();
	tap_plan(19);
	is_kr(device_open(master, D_READ | D_WRITE, (char *)ifname, &dev), D_SUCCESS,
	      "device_open \"%s\"", ifname);

	int st[NET_STATUS_COUNT];
	mach_msg_type_number_t n = NET_STATUS_COUNT;
	is_kr(device_get_status(dev, NET_STATUS, st, &n), D_SUCCESS, "NET_STATUS");
	struct net_status *ns = (struct net_status *)st;
	tap_ok(n == NET_STATUS_COUNT && ns->header_format == HDR_ETHERNET &&
	           ns->header_size == 14 && ns->address_size == 6 && ns->min_packet_size == 14 &&
	           ns->max_packet_size == 1514,
	       "Ethernet, 14-byte header, 6-byte address, 14..1514 bytes (max %d, flags %#x)",
	       ns->max_packet_size, ns->flags);

	int addr[2] = {0, 0};
	n = 2;
	is_kr(device_get_status(dev, NET_ADDRESS, addr, &n), D_SUCCESS, "NET_ADDRESS");
	unsigned char mac[8] = {0};
	for (int i = 0; i < 2; i++) { /* each int in network order */
		uint32_t v = (uint32_t)addr[i];
		mac[4 * i] = (unsigned char)(v >> 24);
		mac[4 * i + 1] = (unsigned char)(v >> 16);
		mac[4 * i + 2] = (unsigned char)(v >> 8);
		mac[4 * i + 3] = (unsigned char)v;
	}
	int same = n == 2 && strlen(mac_hex) == 12;
	for (int i = 0; same && i < 6; i++)
		same = hexval(mac_hex[2 * i]) * 16 + hexval(mac_hex[2 * i + 1]) == mac[i];
	tap_ok(same, "the address is %02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
	       mac[4], mac[5]);

	/* NET_FLAGS: up, broadcast, running; promiscuous on and off again. */
	int flags = 0;
	n = 1;
	is_kr(device_get_status(dev, NET_FLAGS, &flags, &n), D_SUCCESS, "NET_FLAGS");
	tap_ok((flags & 0x43) == 0x43 && !(flags & 0x300), "up, broadcast, running (%#x)", flags);
	n = 2;
	is_kr(device_get_status(dev, NET_FLAGS, st, &n), D_INVALID_SIZE, "NET_FLAGS wants one int");
	int promisc = flags | 0x100;
	is_kr(device_set_status(dev, NET_FLAGS, &promisc, 1), D_SUCCESS, "promiscuous on");
	n = 1;
	device_get_status(dev, NET_FLAGS, &flags, &n);
	tap_ok(flags & 0x100, "NET_FLAGS says so (%#x)", flags);
	int plain = flags & ~0x300;
	is_kr(device_set_status(dev, NET_FLAGS, &plain, 1), D_SUCCESS, "promiscuous off");

	/* What an interface refuses. */
	char small[128] = {0};
	int w = 0;
	is_kr(device_write_inband(dev, 0, 0, small, 13, &w), D_INVALID_SIZE,
	      "a frame shorter than its header");
	static char big[1515];
	is_kr(device_write(dev, 0, 0, (io_buf_ptr_t)big, sizeof(big), &w), D_INVALID_SIZE,
	      "a frame longer than the header and the MTU");
	io_buf_ptr_t none = 0;
	mach_msg_type_number_t nn = 0;
	is_kr(device_read(dev, 0, 0, 64, &none, &nn), D_INVALID_OPERATION,
	      "device_read: frames come through filters");
	filter_t nodir[] = {0};
	mach_port_t scratch = new_receive();
	is_kr(device_set_filter(dev, scratch, MACH_MSG_TYPE_MAKE_SEND, 0, nodir, 1),
	      D_INVALID_OPERATION, "a filter with neither NETF_IN nor NETF_OUT");
	mach_port_destroy(self, scratch);

	rcv = new_receive();
	mach_port_set_qlimit(self, rcv, MACH_PORT_QLIMIT_MAX);
	filter_t all[] = {NETF_IN};
	is_kr(device_set_filter(dev, rcv, MACH_MSG_TYPE_MAKE_SEND, 0, all, 1), D_SUCCESS,
	      "device_set_filter: every received frame");

	unsigned got = 0, sent = 0, bad = 0;
	kern_return_t werr = D_SUCCESS;
	for (;;) {
		mach_msg_return_t mr =
		    mach_msg(&m.msg_hdr, MACH_RCV_MSG | (bench ? 0 : MACH_RCV_TIMEOUT), 0, sizeof(m), rcv,
		             got ? IDLE_MS : 60000, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			if (got && mr != MACH_RCV_TIMED_OUT)
				tap_diag("receive: %#x", mr);
			break;
		}
		unsigned count = m.packet_type.msgt_number;
		if (m.msg_hdr.msgh_id != NET_RCV_MSG_ID || count < sizeof(struct packet_header) ||
		    count - sizeof(struct packet_header) > sizeof(frame) - 14) {
			bad++;
			continue;
		}
		if (bench && !got) {
			i0 = idle_ns(dev);
			t0 = rdtsc();
		}
		got++;
		unsigned len = 14 + count - (unsigned)sizeof(struct packet_header);
		memcpy(frame, m.header + 6, 6); /* back to its source */
		memcpy(frame + 6, m.header, 6);
		memcpy(frame + 12, m.header + 12, 2);
		memcpy(frame + 14, m.packet + sizeof(struct packet_header), len - 14);
		int written = 0;
		if (len <= IO_INBAND_MAX) {
			werr = device_write_inband(dev, 0, 0, frame, len, &written);
		} else {
			werr = device_write(dev, 0, 0, (io_buf_ptr_t)frame, len, &written);
		}
		if (werr != D_SUCCESS || written != (int)len)
			break;
		sent++;
		if (len > max_len)
			max_len = len;
		if (bench && sent % 500 == 1 && sent > 1) {
			t1 = rdtsc();
			i1 = idle_ns(dev);
			tap_diag("bench dev.echo%u ops=%u cycles=%llu idle_ns=%llu", max_len, sent - 1,
			         (unsigned long long)(t1 - t0), (unsigned long long)(i1 - i0));
		}
	}
	tap_diag("%u frames received, %u sent back, %u malformed", got, sent, bad);
	is_kr(werr, D_SUCCESS, "every write succeeded");
	tap_ok(got > 0 && sent == got && bad == 0, "every frame went back (%u)", got);
	is_kr(device_close(dev), D_SUCCESS, "device_close");
	return tap_done();
}
