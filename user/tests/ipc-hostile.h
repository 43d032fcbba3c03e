/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hostile-task test (user/tests/ipc-hostile.c): what its three parts
 * share. The driver owns the names the random calls may use (struct
 * hostile_names); the generator (ipc-hostile-gen.c) fires one random
 * mach_msg or trap at a time with them; the echo server
 * (ipc-hostile-server.c) runs in a child task and answers RPCs.
 */
#ifndef USER_TESTS_IPC_HOSTILE_H
#define USER_TESTS_IPC_HOSTILE_H

#include <mach/message.h>
#include <mach/port.h>
#include <stdint.h>

#define HOSTILE_ECHO_ID 7100        /* the server's one routine: value * 7 + 1 */
#define HOSTILE_TOYS 6              /* receive rights (each with a send right) per round */
#define HOSTILE_SONCE 2             /* send-once rights per round */
#define HOSTILE_BUF 65536           /* the send and receive buffer */
#define HOSTILE_SCRATCH 32          /* pages of OOL source memory per round */
#define HOSTILE_BOGUS_ID 0x7ffe0000 /* an id no kernel server knows */

struct hostile_echo_req {
	mach_msg_header_t head;
	mach_msg_type_t type; /* INTEGER_64, 64 bits, 1, inline */
	int64_t value;
};

struct hostile_echo_reply {
	mach_msg_header_t head;
	mach_msg_type_t ret_type; /* INTEGER_32, 32 bits, 1, inline (MIG's RetCode) */
	kern_return_t ret;
	uint32_t pad;
	mach_msg_type_t type;
	int64_t value;
};

/*
 * The names of one round. Pool names come and go with the round: the
 * random calls may move, make or destroy their rights. Kept names (the
 * kernel ports, the server's port) outlive it and are only ever sent
 * COPY_SEND: a right the driver needs is never moved away.
 */
struct hostile_names {
	mach_port_t toy[HOSTILE_TOYS]; /* receive + send; the last two in pset */
	mach_port_t sonce[HOSTILE_SONCE];
	mach_port_t dead;
	mach_port_t pset;
	mach_port_t sink;   /* only ever gets bare messages: for bad receive buffers */
	mach_port_t server; /* send right to the echo server */
	mach_port_t host;   /* mach_host_self() */
	mach_port_t task;   /* this task */
	mach_port_t thread; /* this thread */
	mach_port_t victim; /* a throwaway task: any kernel call may go to it */
	mach_port_t victim_thread;
	vm_address_t scratch;    /* HOSTILE_SCRATCH pages, freed at the round's end */
	const mach_port_t *kept; /* every name the round must not lose (sorted not needed) */
	unsigned nkept;
	int debug; /* this round's end reports its steps */
};

/* Counters of one run. */
struct hostile_stats {
	uint64_t calls, msgs, kmsgs, traps, received;
	uint64_t bad_codes;    /* returns outside mach_msg_return_t / kern_return_t */
	uint64_t rpc_ok;       /* echo RPCs to the server answered right */
	uint64_t kept_changed; /* rounds that changed a kept name's rights */
};

/* xorshift64*: deterministic, so a seed reproduces a failure. */
uint64_t hostile_rand(void);
void hostile_seed(uint64_t seed);

/* What the last call was (its arguments and result), for a failure's report. */
extern char hostile_last[200];
void hostile_dump(void);

/* Touches the generator's buffers, so that their pages are taken before a count. */
void hostile_prefault(void);

/* One random call at the kernel; counts it in st. */
void hostile_call(const struct hostile_names *n, struct hostile_stats *st);

/*
 * Gets rid of a message received into this task: its reply right is
 * deallocated, its body (rights and out-of-line memory, moved) goes to
 * the kernel with an id nobody serves, which destroys it. task is the
 * caller's task port name; it works from any task, with traps only.
 */
mach_msg_return_t hostile_discard(mach_msg_header_t *m, mach_port_t task);

/* The echo server's loop, run in a child task on the receive right port. */
void hostile_serve(void *port);

/* Whether mr is a mach_msg_return_t GNU Mach defines (special bits allowed). */
int hostile_valid_mr(mach_msg_return_t mr);

#endif
