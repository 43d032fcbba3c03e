// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of one interface's filter list (device/net_filter_list.c):
 * replacing a port's filter, priority order, high-priority filters ending
 * the walk, session filters sharing an entry, dead and full ports, limits,
 * and every send right handed back (counted per fake port).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "device/net_filter_list.h"
#include "host/kmalloc_host.h"

/* Fake ports: rights the list holds, what each got, and how it answers. */
#define NPORTS 8
static struct {
	int rights;
	unsigned frames, last_count;
	enum net_deliver_result answer;
} port[NPORTS];
static unsigned order[32], norder;

static void *
P(unsigned i)
{
	return &port[i];
}

static unsigned
index_of(void *p)
{
	return (unsigned)((char *)p - (char *)port) / sizeof(port[0]);
}

static void
release(void *p)
{
	port[index_of(p)].rights--;
}

static enum net_deliver_result
deliver(void *arg, void *p, unsigned count)
{
	unsigned i = index_of(p);

	if (norder < 32)
		order[norder++] = i;
	if (port[i].answer == NET_DELIVERED) {
		port[i].frames++;
		port[i].last_count = count;
	}
	return port[i].answer;
}

/* Set a filter as device_set_filter does: a right given to the list on success. */
static io_return_t
set(struct net_filter_list *l, unsigned i, int pri, const filter_t *w, unsigned n)
{
	io_return_t rc = net_filter_list_set(l, P(i), pri, w, n);

	if (rc == D_SUCCESS)
		port[i].rights++;
	return rc;
}

struct test_frame {
	uint8_t header[NET_HDW_HDR_MAX];
	uint8_t packet[4 + 64];
	struct net_frame fr;
};

/* A 64-byte payload frame whose first payload byte is tag. */
static void
make_frame(struct test_frame *t, uint8_t tag)
{
	memset(t, 0, sizeof(*t));
	t->packet[0] = 68;
	t->packet[4] = tag;
	t->fr = (struct net_frame){.nfr_header = t->header,
	                           .nfr_hlen = 14,
	                           .nfr_packet = t->packet,
	                           .nfr_count = sizeof(t->packet)};
}

static int
setup(void **state)
{
	memset(port, 0, sizeof(port));
	norder = 0;
	kmalloc_host_fail_at = -1;
	return 0;
}

static const filter_t accept_all[] = {NETF_IN};
/* NETF: payload byte 0 (packet word 2, low byte on x86) equals the literal. */
#define TAG_FILTER(tag)                                                                            \
	{                                                                                          \
		NETF_IN, (NETF_PUSHWORD + 2) | NETF_NOP, NETF_PUSHLIT | NETF_AND, 0xff,            \
		    NETF_PUSHLIT | NETF_EQ, (tag)                                                  \
	}

static void
check_no_rights_left(struct net_filter_list *l)
{
	net_filter_list_clear(l);
	for (unsigned i = 0; i < NPORTS; i++)
		assert_int_equal(port[i].rights, 0);
	assert_int_equal(kmalloc_host_live, 0);
}

static void
test_order_and_replace(void **state)
{
	struct net_filter_list l;
	struct test_frame t;

	net_filter_list_init(&l, release);
	make_frame(&t, 1);
	assert_int_equal(set(&l, 0, 10, accept_all, 1), D_SUCCESS);
	assert_int_equal(set(&l, 1, 50, accept_all, 1), D_SUCCESS);
	assert_int_equal(set(&l, 2, 10, accept_all, 1), D_SUCCESS);
	assert_int_equal(set(&l, 3, 99, accept_all, 1), D_SUCCESS);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 4);
	/* Highest priority first, equals in the order they were set. */
	assert_int_equal(norder, 4);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 2);
	assert_int_equal(port[0].last_count, sizeof(t.packet));

	/* Setting again replaces: port 0 now refuses tag 1, and its first
	 * right went back. */
	filter_t tag2[] = TAG_FILTER(2);
	assert_int_equal(set(&l, 0, 10, tag2, 6), D_SUCCESS);
	assert_int_equal(port[0].rights, 1);
	assert_int_equal(l.fl_count, 4);
	norder = 0;
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 3);
	make_frame(&t, 2);
	norder = 0;
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 4);
	/* Sent frames go only to NETF_OUT filters: none here. */
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_OUT, deliver, NULL), 0);

	/* A refused program changes nothing and keeps no right. */
	filter_t bad[] = {NETF_IN, NETF_PUSHLIT | NETF_EQ};
	assert_int_equal(set(&l, 1, 50, bad, 2), D_INVALID_OPERATION);
	assert_int_equal(port[1].rights, 1);
	assert_int_equal(l.fl_count, 4);
	check_no_rights_left(&l);
}

/* A filter of priority NET_HI_PRI or more that takes a frame keeps it. */
static void
test_high_priority_ends_walk(void **state)
{
	struct net_filter_list l;
	struct test_frame t;
	filter_t tag7[] = TAG_FILTER(7);

	net_filter_list_init(&l, release);
	assert_int_equal(set(&l, 0, NET_HI_PRI, tag7, 6), D_SUCCESS);
	assert_int_equal(set(&l, 1, 0, accept_all, 1), D_SUCCESS);
	make_frame(&t, 7);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 1);
	assert_int_equal(port[0].frames, 1);
	assert_int_equal(port[1].frames, 0);
	make_frame(&t, 8); /* not taken by the high one: goes on */
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 1);
	assert_int_equal(port[1].frames, 1);
	check_no_rights_left(&l);
}

/* Full queues lose the frame (counted); dead ports lose their filters. */
static void
test_full_and_dead_ports(void **state)
{
	struct net_filter_list l;
	struct test_frame t;

	net_filter_list_init(&l, release);
	make_frame(&t, 1);
	assert_int_equal(set(&l, 0, 0, accept_all, 1), D_SUCCESS);
	assert_int_equal(set(&l, 1, 0, accept_all, 1), D_SUCCESS);
	assert_int_equal(set(&l, 2, 0, accept_all, 1), D_SUCCESS);
	port[0].answer = NET_DROPPED;
	port[1].answer = NET_PORT_DEAD;
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 1);
	assert_int_equal(l.fl_dropped, 1);
	assert_int_equal(l.fl_count, 2);
	assert_int_equal(port[1].rights, 0); /* its right went back */
	assert_int_equal(port[0].rights, 1);
	net_filter_list_remove_port(&l, P(0));
	assert_int_equal(port[0].rights, 0);
	assert_int_equal(l.fl_count, 1);
	check_no_rights_left(&l);
}

/* A BPF session program: ports told apart by one key, payload byte 0. */
static void
session_prog(filter_t *w, unsigned *n, uint32_t key, int ret)
{
	struct bpf_insn p[] = {
	    {NETF_BPF | NETF_IN, 0, 0, 0},
	    {BPF_LD | BPF_B | BPF_ABS, 0, 0, 14},
	    {BPF_ST, 0, 0, 0},
	    {BPF_RET | BPF_MATCH_IMM, 1, 0, ret},
	    {BPF_MISC | BPF_KEY, 0, 0, (int)key},
	    {BPF_RET | BPF_K, 0, 0, 0},
	};

	memcpy(w, p, sizeof(p));
	*n = (unsigned)(sizeof(p) / (sizeof(filter_t)));
}

static void
test_sessions(void **state)
{
	struct net_filter_list l;
	struct test_frame t;
	filter_t w[64];
	unsigned n;

	net_filter_list_init(&l, release);
	for (unsigned i = 0; i < 4; i++) {
		session_prog(w, &n, 10 + i, -1);
		assert_int_equal(set(&l, i, 5, w, n), D_SUCCESS);
	}
	assert_int_equal(l.fl_count, 1); /* one program, one entry */
	assert_int_equal(l.fl_head->fe_nsessions, 4);
	/* The same program at another priority is another entry. */
	session_prog(w, &n, 20, -1);
	assert_int_equal(set(&l, 4, 6, w, n), D_SUCCESS);
	assert_int_equal(l.fl_count, 2);
	/* Another program (a RET count of 8) is another entry too. */
	session_prog(w, &n, 21, 8);
	assert_int_equal(set(&l, 5, 5, w, n), D_SUCCESS);
	assert_int_equal(l.fl_count, 3);

	make_frame(&t, 12);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 1);
	assert_int_equal(port[2].frames, 1);
	assert_int_equal(port[2].last_count, sizeof(t.packet));
	make_frame(&t, 21);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 1);
	assert_int_equal(port[5].last_count, 4 + 8);
	make_frame(&t, 99); /* no session has it */
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 0);

	/* A port's new key replaces its old session. */
	session_prog(w, &n, 30, -1);
	assert_int_equal(set(&l, 2, 5, w, n), D_SUCCESS);
	assert_int_equal(port[2].rights, 1);
	make_frame(&t, 12);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 0);
	make_frame(&t, 30);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 1);
	assert_int_equal(port[2].frames, 2);

	/* A dead session port goes; the last session takes its entry along. */
	port[4].answer = NET_PORT_DEAD;
	make_frame(&t, 20);
	assert_int_equal(net_filter_list_deliver(&l, &t.fr, NETF_IN, deliver, NULL), 0);
	assert_int_equal(port[4].rights, 0);
	assert_int_equal(l.fl_count, 2);
	for (unsigned i = 0; i < 4; i++)
		net_filter_list_remove_port(&l, P(i));
	assert_int_equal(l.fl_count, 1);
	check_no_rights_left(&l);
}

/* Ports for the limit test: one byte each, the rights it holds. */
static char many[NET_FILTERS_MAX + 1];

static void
release_many(void *p)
{
	(*(char *)p)--;
}

static void
test_limits_and_no_memory(void **state)
{
	struct net_filter_list l, m;

	net_filter_list_init(&m, release_many);
	memset(many, 0, sizeof(many));
	for (unsigned i = 0; i < NET_FILTERS_MAX; i++) {
		assert_int_equal(net_filter_list_set(&m, &many[i], 0, accept_all, 1), D_SUCCESS);
		many[i]++;
	}
	assert_int_equal(net_filter_list_set(&m, &many[NET_FILTERS_MAX], 0, accept_all, 1),
	                 D_NO_MEMORY);
	/* Replacing a filter needs no new room. */
	assert_int_equal(net_filter_list_set(&m, &many[0], 1, accept_all, 1), D_SUCCESS);
	many[0]++;
	assert_int_equal(m.fl_count, NET_FILTERS_MAX);
	assert_int_equal(m.fl_head->fe_port, &many[0]); /* priority 1 first */
	net_filter_list_clear(&m);
	for (unsigned i = 0; i <= NET_FILTERS_MAX; i++)
		assert_int_equal(many[i], 0);

	/* Every allocation of a session filter's set failing in turn. */
	filter_t w[64];
	unsigned n;
	net_filter_list_init(&l, release);
	session_prog(w, &n, 1, -1);
	for (int fail = 0; fail < 3; fail++) {
		kmalloc_host_calls = 0;
		kmalloc_host_fail_at = fail;
		assert_int_equal(set(&l, 0, 0, w, n), D_NO_MEMORY);
		assert_int_equal(port[0].rights, 0);
		assert_int_equal(l.fl_count, 0);
		assert_int_equal(kmalloc_host_live, 0);
	}
	kmalloc_host_fail_at = -1;
	assert_int_equal(set(&l, 0, 0, w, n), D_SUCCESS);
	check_no_rights_left(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_order_and_replace, setup),
	    cmocka_unit_test_setup(test_high_priority_ends_walk, setup),
	    cmocka_unit_test_setup(test_full_and_dead_ports, setup),
	    cmocka_unit_test_setup(test_sessions, setup),
	    cmocka_unit_test_setup(test_limits_and_no_memory, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
