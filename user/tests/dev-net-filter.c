// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet filters on a real interface (tests/qemu/dev-net.t runs it against
 * build/net-peer's respond mode, which sends COUNT frames of EtherType
 * 0x88b5 whose first payload byte is a tag, on request): BPF and NETF
 * filters picking tags, a priority-100 filter that keeps its frames from
 * the filters after it, two session filters of one program told apart by
 * their key, a NETF_OUT filter that sees the requests this program sends,
 * and a port that dies (its filter goes; the others go on). Every port's
 * frames are counted exactly. argv: ${device-port}, the interface.
 */
#include <device/bpf.h>
#include <device/device.h>
#include <device/net_status.h>
#include <stdlib.h>

#include "ipc-util.h"

enum { P_BPF1, P_NETF2, P_HI3, P_ALL, P_KEY4, P_KEY5, P_OUT, NPORTS };
static mach_port_t port[NPORTS];
static unsigned got[NPORTS];
static mach_port_t dev;

static const char peer_mac[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01};
static const char my_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

#define STMT(c, k)                                                                                 \
	{                                                                                          \
		(unsigned short)(c), 0, 0, (int)(k)                                                \
	}
#define JUMP(c, k, t, f)                                                                           \
	{                                                                                          \
		(unsigned short)(c), (t), (f), (int)(k)                                            \
	}

static kern_return_t
set_bpf(mach_port_t p, int pri, const struct bpf_insn *prog, unsigned n)
{
	return device_set_filter(dev, p, MACH_MSG_TYPE_MAKE_SEND, pri, (filter_t *)prog,
	                         n * (sizeof(struct bpf_insn) / sizeof(filter_t)));
}

/* Ask the peer for count frames of tag (count 0: the peer stops). */
static kern_return_t
request(unsigned count, unsigned tag)
{
	char f[128];
	int w = 0;

	memset(f, 0, sizeof(f));
	memcpy(f, peer_mac, 6);
	memcpy(f + 6, my_mac, 6);
	f[12] = (char)0x88;
	f[13] = (char)0xb6;
	memcpy(f + 14, my_mac, 6);
	f[20] = (char)(count >> 8);
	f[21] = (char)count;
	f[22] = (char)tag;
	f[23] = 0;
	f[24] = 60;
	return device_write_inband(dev, 0, 0, f, 60, &w);
}

/* Receive from every live port until none has had a frame for idle_ms. */
static void
drain(unsigned idle_ms)
{
	static struct net_rcv_msg m;
	int quiet = 0;

	while (quiet < (int)idle_ms / 50) {
		int any = 0;
		for (int i = 0; i < NPORTS; i++) {
			if (!port[i])
				continue;
			while (mach_msg(&m.msg_hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
			                port[i], 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS) {
				got[i]++;
				any = 1;
			}
		}
		if (any) {
			quiet = 0;
			continue;
		}
		mach_port_t idle = new_receive();
		mach_msg_header_t h;
		mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), idle, 50,
		         MACH_PORT_NULL);
		mach_port_destroy(self, idle);
		quiet++;
	}
}

int
main(int argc, char **argv)
{
	mach_port_t master = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 0) : MACH_PORT_NULL;
	const char *ifname = argc > 2 ? argv[2] : "eth0";

	ipc_init();
	tap_plan(15);
	is_kr(device_open(master, D_READ | D_WRITE, (char *)ifname, &dev), D_SUCCESS,
	      "device_open \"%s\"", ifname);
	for (int i = 0; i < NPORTS; i++) {
		port[i] = new_receive();
		mach_port_set_qlimit(self, port[i], MACH_PORT_QLIMIT_MAX);
	}

	/* BPF: EtherType 0x88b5 and tag 1. */
	struct bpf_insn tag1[] = {
	    {NETF_BPF | NETF_IN, 0, 0, 0},
	    STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x88b5, 0, 3),
	    STMT(BPF_LD | BPF_B | BPF_ABS, 14),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
	    STMT(BPF_RET | BPF_K, 1514),
	    STMT(BPF_RET | BPF_K, 0),
	};
	/* NETF: the packet header's type word, then the first payload byte. */
	filter_t tag2[] = {NETF_IN, (NETF_PUSHWORD + 1) | NETF_NOP, NETF_PUSHLIT | NETF_CAND,
	                   0xb588,  (NETF_PUSHWORD + 2) | NETF_NOP, NETF_PUSHLIT | NETF_AND,
	                   0xff,    NETF_PUSHLIT | NETF_EQ,         2};
	/* Tag 3 at priority 100: the frame goes nowhere else. */
	struct bpf_insn tag3[7];
	memcpy(tag3, tag1, sizeof(tag1));
	tag3[4].k = 3;
	/* Every 0x88b5 frame, at priority 0. */
	struct bpf_insn all[] = {
	    {NETF_BPF | NETF_IN, 0, 0, 0},
	    STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x88b5, 0, 1),
	    STMT(BPF_RET | BPF_K, -1),
	    STMT(BPF_RET | BPF_K, 0),
	};
	/* One session program, the tag as its key. */
	struct bpf_insn session[] = {
	    {NETF_BPF | NETF_IN, 0, 0, 0},
	    STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x88b5, 0, 4),
	    STMT(BPF_LD | BPF_B | BPF_ABS, 14),
	    STMT(BPF_ST, 0),
	    JUMP(BPF_RET | BPF_MATCH_IMM, -1, 1, 0),
	    STMT(BPF_MISC | BPF_KEY, 4),
	    STMT(BPF_RET | BPF_K, 0),
	};
	/* The requests this program sends (EtherType 0x88b6), seen going out. */
	struct bpf_insn out[] = {
	    {NETF_BPF | NETF_OUT, 0, 0, 0},
	    STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x88b6, 0, 1),
	    STMT(BPF_RET | BPF_K, -1),
	    STMT(BPF_RET | BPF_K, 0),
	};
	kern_return_t kr = set_bpf(port[P_ALL], 0, all, 5);
	if (kr == D_SUCCESS)
		kr = set_bpf(port[P_BPF1], 0, tag1, 7);
	if (kr == D_SUCCESS)
		kr = device_set_filter(dev, port[P_NETF2], MACH_MSG_TYPE_MAKE_SEND, 0, tag2, 9);
	if (kr == D_SUCCESS)
		kr = set_bpf(port[P_HI3], NET_HI_PRI, tag3, 7);
	if (kr == D_SUCCESS)
		kr = set_bpf(port[P_KEY4], 0, session, 8);
	session[6].k = 5;
	if (kr == D_SUCCESS)
		kr = set_bpf(port[P_KEY5], 0, session, 8);
	if (kr == D_SUCCESS)
		kr = set_bpf(port[P_OUT], 0, out, 5);
	is_kr(kr, D_SUCCESS, "seven filters set (BPF, NETF, priority 100, two sessions, NETF_OUT)");

	/* Tag t: t + 2 frames (3 to 7), one request at a time, the ports drained. */
	for (unsigned t = 1; t <= 5; t++) {
		request(t + 2, t);
		drain(600);
	}
	tap_ok(got[P_BPF1] == 3, "BPF tag 1: 3 frames (%u)", got[P_BPF1]);
	tap_ok(got[P_NETF2] == 4, "NETF tag 2: 4 frames (%u)", got[P_NETF2]);
	tap_ok(got[P_HI3] == 5, "priority 100, tag 3: 5 frames (%u)", got[P_HI3]);
	tap_ok(got[P_ALL] == 3 + 4 + 6 + 7,
	       "every other frame to the catch-all, none of tag 3 (%u of 20)", got[P_ALL]);
	tap_ok(got[P_KEY4] == 6 && got[P_KEY5] == 7, "the sessions by key: 6 and 7 frames (%u, %u)",
	       got[P_KEY4], got[P_KEY5]);
	tap_ok(got[P_OUT] == 5, "NETF_OUT: the 5 requests sent (%u)", got[P_OUT]);

	/* Port BPF1 dies: tag 1 still reaches the catch-all, and nothing breaks. */
	mach_port_destroy(self, port[P_BPF1]);
	port[P_BPF1] = MACH_PORT_NULL;
	unsigned all_before = got[P_ALL];
	is_kr(request(3, 1), D_SUCCESS, "another request for tag 1");
	drain(600);
	tap_ok(got[P_ALL] == all_before + 3,
	       "after its port died, tag 1 goes on to the catch-all (%u)", got[P_ALL] - all_before);

	/* The same port's new filter replaces its old one. */
	struct bpf_insn none[] = {{NETF_BPF | NETF_IN, 0, 0, 0}, STMT(BPF_RET | BPF_K, 0)};
	is_kr(set_bpf(port[P_ALL], 0, none, 2), D_SUCCESS,
	      "the catch-all's port sets a filter taking nothing");
	all_before = got[P_ALL];
	request(4, 2);
	drain(600);
	tap_ok(got[P_ALL] == all_before && got[P_NETF2] == 8,
	       "it gets no more frames; tag 2 still reaches its filter (%u, %u)",
	       got[P_ALL] - all_before, got[P_NETF2]);

	request(0, 0); /* the peer ends */
	mach_port_status_t before;
	memset(&before, 0, sizeof(before));
	mach_port_get_receive_status(self, port[P_KEY4], &before);
	tap_ok(before.mps_srights, "while open, the interface holds a session's send right");
	is_kr(device_close(dev), D_SUCCESS, "device_close");
	/* The close removed every filter: their send rights are gone. */
	mach_port_status_t ps;
	memset(&ps, 0xff, sizeof(ps));
	mach_port_get_receive_status(self, port[P_KEY4], &ps);
	tap_ok(ps.mps_srights == 0, "the filters' send rights went with the close (%u)",
	       ps.mps_srights);
	return tap_done();
}
