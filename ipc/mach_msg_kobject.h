/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mach_msg's kernel RPC path (docs/ipc.md "The kernel RPC path"), for
 * ipc/mach_msg.c: a request to a kernel object whose reply comes back to
 * the caller, served and answered without kernel messages in between.
 */
#ifndef IPC_MACH_MSG_KOBJECT_H
#define IPC_MACH_MSG_KOBJECT_H

#include "ipc/ipc_mqueue.h"

struct vm_map;

/* mach_msg's fast paths declined: they did nothing, the general path runs. */
#define RPC_DECLINED ((mach_msg_return_t)-1)

/*
 * km: a request without a body read from the caller at msg (header bits
 * bits, cleaned by ipc_kmsg_header_check), COPY_SEND to a name whose
 * port, dest, was a kernel object's when looked up, with a MAKE_SEND_ONCE
 * reply port: the receive right rp that rcv_name names, where the caller
 * receives next (rcv_size bytes at msg, no option). Called with space
 * locked; returns with it unlocked. Makes the reply right as the general
 * copyin does, borrows the destination's send right (a reference only:
 * ipc/mach_msg_kobject.c) and serves the request (ipc_kobject_serve_hook); a simple
 * reply that can go straight to the caller is written out here, any
 * other goes the general way (ipc_rpc_receive). Returns the receive's
 * result, or RPC_DECLINED (nothing done) when dest is dead or no kernel
 * object's by now, or no kernel server is linked.
 */
mach_msg_return_t ipc_kobject_rpc(struct ipc_space *space, struct vm_map *map, struct ipc_kmsg *km,
                                  mach_msg_bits_t bits, struct ipc_port *dest, struct ipc_port *rp,
                                  uint64_t msg, mach_msg_size_t rcv_size,
                                  mach_port_name_t rcv_name);

/*
 * The receive half of an RPC whose send went the general way
 * (ipc/mach_msg.c): a kernel object's reply (reply; buf NULL: none)
 * straight to the caller when it can, else queued, then the receive.
 */
mach_msg_return_t ipc_rpc_receive(struct ipc_space *space, struct vm_map *map,
                                  struct ipc_kmsg *reply, uint64_t msg, mach_msg_option_t option,
                                  mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
                                  uint64_t timeout_ns);

#endif
