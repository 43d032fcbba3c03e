/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ipc bench family's program (bench/ipc, docs/bench.md "ipc"): what its
 * client (user/bench/ipc-bench.c) and its echo server (user/bench/ipc-peer.c)
 * share. The server runs as a second thread of the bench task or as the
 * thread of a child task, started by the private helpers below (not a
 * thread library: the bench needs one thread per peer and nothing else).
 */
#ifndef USER_BENCH_IPC_BENCH_H
#define USER_BENCH_IPC_BENCH_H

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>
#include <stdint.h>

/*
 * What the server does with a request (msgh_id). Every request carries a
 * send-once reply right; the server answers on it and receives the next
 * request in the same mach_msg (send and receive combined).
 */
enum {
	IPC_BENCH_NULL = 1000, /* answer with a bare header */
	IPC_BENCH_ECHO, /* answer with the request's body as it came (inline data, moved rights) */
	IPC_BENCH_ECHO_MOVE, /* the same, with the one out-of-line region moved back */
	IPC_BENCH_SINK,      /* keep what came (an out-of-line copy, untouched); a bare header */
	IPC_BENCH_TOUCH,     /* write a byte per page of the one region, keep it; a bare header */
	IPC_BENCH_SINK_FREE, /* vm_deallocate the one region (child task only); a bare header */
};

/* The largest request: a header, a type and 4 KiB inline. */
#define IPC_BENCH_INLINE_MAX 4096
#define IPC_BENCH_PAGE 4096

struct ipc_bench_inline {
	mach_msg_header_t head;
	mach_msg_type_t type;
	uint64_t data[IPC_BENCH_INLINE_MAX / 8];
};

/* One out-of-line region (or one port right: the "address" is then its name). */
struct ipc_bench_ool {
	mach_msg_header_t head;
	mach_msg_type_t type;
	uint64_t address;
};

/* The server's loop on a receive right; never returns (its thread is terminated). */
_Noreturn void ipc_bench_serve(uint64_t port);

/*
 * Starts a thread in task (this task or a child) at entry(arg), on a stack
 * it allocates in that task. Returns the thread port in *thread.
 */
kern_return_t ipc_bench_thread_start(mach_port_t task, void (*entry)(uint64_t), uint64_t arg,
                                     mach_port_t *thread);

/*
 * A child task that inherits this task's memory (the server's code), with
 * the receive right `port` moved into it under the name `name`.
 */
kern_return_t ipc_bench_task_start(mach_port_t port, mach_port_name_t name, mach_port_t *task);

#endif
