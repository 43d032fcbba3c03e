/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Port sets: a receiver waits on every member port at once. */
#ifndef IPC_IPC_PSET_H
#define IPC_IPC_PSET_H

#include "ipc/ipc_port.h"

struct ipc_pset {
	struct spinlock ps_lock;
	struct list_node ps_members; /* ports, by ip_pset_link */
	unsigned ps_count;
	struct wait_event ps_recv_wait;
	struct ipc_space *ps_space;
	mach_port_name_t ps_name;
};

struct ipc_pset *ipc_pset_alloc(void);
/* Removes every member, then frees the set. */
void ipc_pset_destroy(struct ipc_pset *ps);
/* Moves p into ps (out of any other set); ps NULL: out of its set. */
void ipc_pset_move(struct ipc_port *p, struct ipc_pset *ps);
/* The first member with a queued message, or NULL. */
struct ipc_port *ipc_pset_ready(struct ipc_pset *ps);
extern long ipc_pset_count;

#endif
