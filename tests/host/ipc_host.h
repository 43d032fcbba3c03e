/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host environment of ipc/ tests: wait_wake() counted, the
 * notification and message-free hooks recorded, leak checks.
 */
#ifndef TESTS_HOST_IPC_HOST_H
#define TESTS_HOST_IPC_HOST_H

#include "ipc/mach_port.h"
#include "ipc/ipc_pset.h"

struct ipc_host_note {
	enum ipc_notify_kind kind;
	struct ipc_port *notify;
	mach_port_name_t name;
	struct ipc_port *port;
	mach_port_mscount_t mscount;
};
#define IPC_HOST_NOTES 32
extern struct ipc_host_note ipc_host_notes[IPC_HOST_NOTES];
extern unsigned ipc_host_nnotes;
extern unsigned ipc_host_msgs_freed;
extern unsigned ipc_host_wakes;

/* Installs the hooks and clears the records (a cmocka setup). */
int ipc_host_setup(void **state);
/* Fails unless every port, set, space and heap block is gone (a cmocka teardown). */
int ipc_host_teardown(void **state);
/* The port under name in s (any right), for white-box checks. */
struct ipc_port *ipc_host_port(struct ipc_space *s, mach_port_name_t name);
/* A new right in s (the test fails unless it is made), and its name. */
mach_port_name_t ipc_host_alloc(struct ipc_space *s, mach_port_right_t right);
/* The type of name in s (the test fails unless there is one). */
mach_port_type_t ipc_host_type(struct ipc_space *s, mach_port_name_t name);

#endif
