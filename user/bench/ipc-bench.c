// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ipc bench family (bench/ipc, docs/bench.md "ipc"): the self-port
 * trap, kernel RPCs through MIG stubs, and round trips to an echo server
 * (user/bench/ipc-peer.c) in a second thread of this task, then in a child
 * task: null, inline data, out-of-line memory moved and copied, a send
 * right moved. Each figure is the cycle counter over N operations in a
 * loop, less the same loop calling an empty operation, best of three runs
 * (a timer tick may land in one). Every operation checks its answer; a
 * figure whose operation or set-up fails prints the error instead, and
 * the figures after it still run:
 *
 *   ipc-bench: # bench ipc.rpc.task ops=N cycles=C loop_cycles=E
 *   ipc-bench: # bench ipc.rpc.task error=0x4 at=mach_port_allocate
 *
 * (at=op: the measured operation itself failed.) The round trips call the
 * mach_msg trap once, send and receive combined, with a send-once reply
 * right made from one reply port; the server answers and receives the next
 * request in one trap too. The out-of-line copies stay mapped in the
 * server (untouched, or written once per page), except ool_copy1m.free's,
 * which the server deallocates through its MIG stub before answering.
 * bench/ipc converts cycles with the kernel's "clock: TSC ... MHz" line.
 * Usage: ipc-bench [SCALE [FIGURE]]: SCALE the percent of the counts below
 * (default 100); FIGURE (rpc.thread, port_type...) runs only that figure,
 * for a profile (scripts/profile-guest); its checks of other figures fail.
 */
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

#include "ipc-bench.h"
#include "bench-args.h"

/* Not a Mach code: an answer that came but was wrong. */
#define BAD_REPLY 0x7fff0001
#define WARMUP 16
#define MIB (1024 * 1024)
/* The child task's name for the server's receive right. */
#define CHILD_SERVER_NAME 0x4000

typedef kern_return_t op_fn(void);

static uint64_t scale = 100;
static const char *only; /* run only this figure (scripts/profile-guest), or all */
static mach_port_t self, host, reply;
static mach_port_t server;   /* the send right of the peer being measured */
static const char *setup_at; /* why the peer's figures cannot run, else NULL */
static kern_return_t setup_kr;
static mach_port_t self_name; /* mach_task_self's first answer */

/* The request buffer: every round trip sends from and receives into it. */
static union {
	mach_msg_header_t head;
	struct ipc_bench_inline in;
	struct ipc_bench_ool ool;
} msg;
static uint64_t inline_len; /* bytes of inline data in an echo */
static uint64_t stamp;      /* changes each echo; must come back */
static vm_address_t region; /* the out-of-line region */
static vm_size_t region_size;
static mach_port_t moved_port; /* the port whose send right travels */

static uint64_t
rdtsc(void)
{
	return __builtin_ia32_rdtsc();
}

static kern_return_t
op_empty(void)
{
	__asm__ volatile("");
	return KERN_SUCCESS;
}

/*
 * n operations; returns the cycles, *kr the first failure (the loop stops
 * there, so a failing figure costs nothing).
 */
static __attribute__((noinline)) uint64_t
run(op_fn *op, uint64_t n, kern_return_t *kr)
{
	uint64_t t0 = rdtsc();

	*kr = KERN_SUCCESS;
	for (uint64_t i = 0; i < n; i++) {
		kern_return_t r = op();
		if (r != KERN_SUCCESS) {
			*kr = r;
			break;
		}
	}
	return rdtsc() - t0;
}

static void
error_line(const char *name, kern_return_t kr, const char *at)
{
	tap_ok(0, "%s: %s failed (%#x)", name, at, (unsigned)kr);
	tap_diag("bench ipc.%s error=%#x at=%s", name, (unsigned)kr, at);
}

/*
 * One figure: warm-up, then the best of three runs of ops against the
 * empty loop. Returns whether it was measured.
 */
static int
figure(const char *name, op_fn *op, uint64_t ops)
{
	uint64_t with = UINT64_MAX, without = UINT64_MAX, c;
	kern_return_t kr;

	ops = ops * scale / 100 ? ops * scale / 100 : 1;
	if (only && strcmp(only, name) != 0)
		return 0;
	if (setup_at) {
		error_line(name, setup_kr, setup_at);
		return 0;
	}
	run(op, WARMUP, &kr);
	for (int i = 0; kr == KERN_SUCCESS && i < 3; i++) {
		c = run(op, ops, &kr);
		with = c < with ? c : with;
		c = run(op_empty, ops, &(kern_return_t){0});
		without = c < without ? c : without;
	}
	if (kr != KERN_SUCCESS) {
		error_line(name, kr, "op");
		return 0;
	}
	if (!tap_ok(with > without, "%s: %lu operations answered right", name, (unsigned long)ops))
		return 0;
	tap_diag("bench ipc.%s ops=%lu cycles=%lu loop_cycles=%lu", name, (unsigned long)ops,
	         (unsigned long)(with - without), (unsigned long)without);
	return 1;
}

/* The trap that names this task's port (one more user reference each time). */
static kern_return_t
op_task_self(void)
{
	return mach_task_self() == self_name ? KERN_SUCCESS : BAD_REPLY;
}

/* A kernel RPC through its MIG stub: the type of our own task port's name. */
static kern_return_t
op_port_type(void)
{
	mach_port_type_t t = 0;
	kern_return_t kr = mach_port_type(self, self_name, &t);

	if (kr != KERN_SUCCESS)
		return kr;
	return t & MACH_PORT_TYPE_SEND ? KERN_SUCCESS : BAD_REPLY;
}

static kern_return_t
op_host_time(void)
{
	time_value_t tv = {0, 0};
	kern_return_t kr = host_get_time(host, &tv);

	if (kr != KERN_SUCCESS)
		return kr;
	return tv.seconds > 0 && tv.microseconds >= 0 && tv.microseconds < 1000000 ? KERN_SUCCESS
	                                                                           : BAD_REPLY;
}

/*
 * A fresh reply port, as a stub that does not cache one makes per call
 * (each stays: the name space grows by one per call).
 */
static kern_return_t
op_reply_port(void)
{
	static mach_port_t last = MACH_PORT_NULL;
	mach_port_t p = mach_reply_port();

	if (p == MACH_PORT_NULL || p == last)
		return BAD_REPLY;
	last = p;
	return KERN_SUCCESS;
}

/* The request's header: to the server, a send-once right to our reply port made from it. */
static void
request(mach_msg_id_t id, mach_msg_size_t size, mach_msg_bits_t complex)
{
	msg.head.msgh_bits =
	    MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) | complex;
	msg.head.msgh_size = size;
	msg.head.msgh_remote_port = server;
	msg.head.msgh_local_port = reply;
	msg.head.msgh_id = id;
}

/* Send and receive in one trap; the answer must have the reply's id and the size wanted. */
static kern_return_t
round_trip(mach_msg_size_t size, mach_msg_size_t want)
{
	mach_msg_return_t r = mach_msg_trap(&msg.head, MACH_SEND_MSG | MACH_RCV_MSG, size,
	                                    sizeof(msg), reply, 0, MACH_PORT_NULL);
	if (r != MACH_MSG_SUCCESS)
		return r;
	return msg.head.msgh_size == want ? KERN_SUCCESS : BAD_REPLY;
}

static kern_return_t
op_null(void)
{
	request(IPC_BENCH_NULL, sizeof(msg.head), 0);
	kern_return_t kr = round_trip(sizeof(msg.head), sizeof(msg.head));
	return kr == KERN_SUCCESS && msg.head.msgh_id != IPC_BENCH_NULL + 100 ? BAD_REPLY : kr;
}

/* Inline data echoed: the stamps in its first and last words must come back. */
static kern_return_t
op_echo(void)
{
	mach_msg_size_t size = sizeof(msg.head) + sizeof(msg.in.type) + inline_len;
	uint64_t last = inline_len / 8 - 1;
	kern_return_t kr;

	msg.in.type = (mach_msg_type_t){
	    .msgt_name = MACH_MSG_TYPE_BYTE,
	    .msgt_size = 8,
	    .msgt_number = inline_len,
	    .msgt_inline = 1,
	};
	stamp++;
	msg.in.data[0] = stamp;
	msg.in.data[last] = ~stamp;
	request(IPC_BENCH_ECHO, size, 0);
	kr = round_trip(size, size);
	if (kr != KERN_SUCCESS)
		return kr;
	return msg.in.data[0] == stamp && msg.in.data[last] == ~stamp ? KERN_SUCCESS : BAD_REPLY;
}

static void
ool_type(vm_size_t size, int dealloc)
{
	msg.ool.type = (mach_msg_type_t){
	    .msgt_name = MACH_MSG_TYPE_BYTE,
	    .msgt_size = 8,
	    .msgt_number = size,
	    .msgt_inline = 0,
	    .msgt_deallocate = dealloc,
	};
	msg.ool.address = region;
}

/* The region moved to the server and moved back: it is ours again, wherever it landed. */
static kern_return_t
op_ool_move(void)
{
	kern_return_t kr;

	ool_type(region_size, 1);
	request(IPC_BENCH_ECHO_MOVE, sizeof(msg.ool), MACH_MSGH_BITS_COMPLEX);
	kr = round_trip(sizeof(msg.ool), sizeof(msg.ool));
	if (kr != KERN_SUCCESS)
		return kr;
	if (msg.ool.type.msgt_inline || msg.ool.type.msgt_number != region_size || !msg.ool.address)
		return BAD_REPLY;
	region = msg.ool.address;
	return KERN_SUCCESS;
}

/* The region copied to the server, which keeps it untouched (or touches it) and answers bare. */
static kern_return_t
ool_copy(mach_msg_id_t id)
{
	kern_return_t kr;

	ool_type(region_size, 0);
	request(id, sizeof(msg.ool), MACH_MSGH_BITS_COMPLEX);
	kr = round_trip(sizeof(msg.ool), sizeof(msg.head));
	return kr == KERN_SUCCESS && msg.head.msgh_id != id + 100 ? BAD_REPLY : kr;
}

static kern_return_t
op_ool_copy(void)
{
	return ool_copy(IPC_BENCH_SINK);
}

static kern_return_t
op_ool_copy_free(void)
{
	return ool_copy(IPC_BENCH_SINK_FREE);
}

static kern_return_t
op_ool_touch(void)
{
	return ool_copy(IPC_BENCH_TOUCH);
}

/* A send right moved to the server and moved back: it comes back under its name. */
static kern_return_t
op_port_move(void)
{
	kern_return_t kr;

	msg.ool.type = (mach_msg_type_t){
	    .msgt_name = MACH_MSG_TYPE_MOVE_SEND,
	    .msgt_size = 64,
	    .msgt_number = 1,
	    .msgt_inline = 1,
	};
	msg.ool.address = moved_port;
	request(IPC_BENCH_ECHO, sizeof(msg.ool), MACH_MSGH_BITS_COMPLEX);
	kr = round_trip(sizeof(msg.ool), sizeof(msg.ool));
	if (kr != KERN_SUCCESS)
		return kr;
	return msg.ool.type.msgt_name == MACH_MSG_TYPE_PORT_SEND &&
	               (mach_port_t)msg.ool.address == moved_port
	           ? KERN_SUCCESS
	           : BAD_REPLY;
}

/* A receive right with a send right under the same name. */
static kern_return_t
new_port(mach_port_t *p)
{
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, p);

	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(self, *p, *p, MACH_MSG_TYPE_MAKE_SEND);
	return kr;
}

static void
setup_failed(const char *at, kern_return_t kr)
{
	if (!setup_at && kr != KERN_SUCCESS) {
		setup_at = at;
		setup_kr = kr;
	}
}

/* An anonymous region with a stamp written in each page (so each page is resident). */
static kern_return_t
new_region(vm_size_t size)
{
	kern_return_t kr;

	region = 0;
	region_size = size;
	kr = vm_allocate(self, &region, size, TRUE);
	for (vm_size_t o = 0; kr == KERN_SUCCESS && o < size; o += IPC_BENCH_PAGE)
		*(volatile uint64_t *)(region + o) = o ^ 0x1b3c5d7e;
	return kr;
}

/* After the moves: the region that came back still holds every page's stamp. */
static void
check_region(const char *name)
{
	int ok = 1;

	for (vm_size_t o = 0; o < region_size; o += IPC_BENCH_PAGE)
		ok &= *(volatile uint64_t *)(region + o) == (o ^ 0x1b3c5d7e);
	tap_ok(ok, "%s: the region came back whole at %#lx", name, (unsigned long)region);
}

/* Inline echoes of 64 B, 1 KiB and 4 KiB to the current peer. */
static void
echo_figures(const char *peer)
{
	static const uint64_t sizes[] = {64, 1024, 4096};
	static const char *const names[] = {"echo64", "echo1k", "echo4k"};
	char name[32];

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s.%s", names[i], peer);
		inline_len = sizes[i];
		figure(name, op_echo, 1000);
	}
}

static void
thread_figures(void)
{
	mach_port_t port = MACH_PORT_NULL, thread = MACH_PORT_NULL;

	setup_at = NULL;
	setup_failed("mach_port_allocate", new_port(&port));
	if (!setup_at)
		setup_failed("thread_start",
		             ipc_bench_thread_start(self, ipc_bench_serve, port, &thread));
	server = port;
	figure("rpc.thread", op_null, 2000);
	echo_figures("thread");
	tap_ok(thread != MACH_PORT_NULL && thread_terminate(thread) == KERN_SUCCESS,
	       "the server thread ends");
}

static void
task_figures(void)
{
	mach_port_t port = MACH_PORT_NULL, task = MACH_PORT_NULL;

	setup_at = NULL;
	setup_failed("mach_port_allocate", new_port(&port));
	if (!setup_at)
		setup_failed("task_start", ipc_bench_task_start(port, CHILD_SERVER_NAME, &task));
	server = port;
	figure("rpc.task", op_null, 2000);
	echo_figures("task");
	if (!setup_at)
		setup_failed("vm_allocate", new_region(MIB));
	/* Only a region that came back can be read: a failed move may have taken it. */
	if (figure("ool_move1m", op_ool_move, 200))
		check_region("ool_move1m");
	else
		tap_ok(0, "ool_move1m: no region to check");
	figure("ool_copy1m", op_ool_copy, 200);
	figure("ool_copy1m.free", op_ool_copy_free, 200);
	if (!setup_at) {
		(void)vm_deallocate(self, region, region_size);
		setup_failed("vm_allocate", new_region(64 * 1024));
	}
	figure("ool_touch64k", op_ool_touch, 50);
	if (!setup_at)
		setup_failed("mach_port_allocate", new_port(&moved_port));
	figure("port_move", op_port_move, 1000);
	tap_ok(task != MACH_PORT_NULL && task_terminate(task) == KERN_SUCCESS,
	       "the server task ends");
}

int
main(int argc, char **argv)
{
	if (argc > 1 && decimal(argv[1]))
		scale = decimal(argv[1]);
	if (argc > 2)
		only = argv[2];
	tap_plan(20);
	self = mach_task_self();
	self_name = self;
	host = mach_host_self();
	reply = mach_reply_port();
	figure("task_self", op_task_self, 10000);
	figure("port_type", op_port_type, 2000);
	figure("host_get_time", op_host_time, 2000);
	thread_figures();
	task_figures();
	/* Last: the names it leaves would weigh on the figures after it. */
	setup_at = NULL;
	figure("reply_port", op_reply_port, 1000);
	return tap_done();
}
