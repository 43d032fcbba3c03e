/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mach_msg (trap -25) for a task's space and map: copy the message in,
 * queue it (or hand it to a kernel object), then receive and copy out
 * (docs/ipc.md "mach_msg"). The caller is a thread of the task whose space
 * and map these are: user addresses are the current address space's.
 */
#ifndef IPC_MACH_MSG_H
#define IPC_MACH_MSG_H

#include "ipc/ipc_mqueue.h"

struct vm_map;

mach_msg_return_t ipc_mach_msg(struct ipc_space *space, struct vm_map *map, uint64_t msg,
                               mach_msg_option_t option, mach_msg_size_t send_size,
                               mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
                               mach_msg_timeout_t timeout_ms, mach_port_name_t notify);

#endif
