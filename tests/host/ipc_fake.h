/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake port/space/memory layer for ipc/ipc_kmsg.c on the host: the
 * sender's and the receiver's user memory are arrays with unmapped pages,
 * the sender's space a table of names and rights, and every reference the
 * message layer takes (a right in transit, a copy, a heap block) is counted
 * so tests can check it is all given back.
 */
#ifndef TESTS_HOST_IPC_FAKE_H
#define TESTS_HOST_IPC_FAKE_H

#include "ipc/ipc_msg_ops.h"

#define FAKE_BASE 0x10000u
#define FAKE_MEM (16u * 4096u)
#define FAKE_NPORTS 16
#define FAKE_RNAME(i) (1000u + (i)) /* the receiver's name of fake port i */

struct fake_entry { /* the sender's name i + 1 */
	int port;   /* index, -1: no entry */
	bool recv;
	unsigned send; /* user references */
	unsigned sonce;
};

struct fake_ipc {
	uint8_t smem[FAKE_MEM], rmem[FAKE_MEM];
	bool smapped[FAKE_MEM / 4096], rmapped[FAKE_MEM / 4096];
	struct fake_entry space[FAKE_NPORTS];
	int transit[FAKE_NPORTS];     /* rights of each port inside messages */
	unsigned rcv[FAKE_NPORTS][3]; /* rights received: receive, send, send-once */
	unsigned dest[FAKE_NPORTS];   /* destination rights the receiver consumed */
	unsigned made[FAKE_NPORTS];   /* rights made by ops->right_make */
	long copies, allocs;          /* live vm copies and heap blocks */
	long alloc_fail_at;           /* allocation number that fails (0: none) */
	long nalloc;
	uint64_t rnext; /* where the receiver's next OOL region goes */
};

void fake_ipc_init(struct fake_ipc *f, struct ipc_msg_ops *ops);
/* Sum of transit[]: 0 when no right is held by a message. */
int fake_transit_total(const struct fake_ipc *f);

#endif
