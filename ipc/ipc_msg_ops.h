/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the message layer needs from ports, spaces and memory, as callbacks,
 * so that ipc_kmsg.c builds and is tested on the host without ipc/ports.
 * The sender's side (copyin*, right_copyin/undo, ool_copyin) and the
 * receiver's side (copyout*, right_copyout, ool_copyout) share one table.
 */
#ifndef IPC_IPC_MSG_OPS_H
#define IPC_IPC_MSG_OPS_H

#include <mach/kern_return.h>
#include <mach/message.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipc_port;
struct vm_copy;

struct ipc_msg_ops {
	void *ctx;
	/* Bytes of the sender's / receiver's user memory; false when unmapped. */
	bool (*copyin)(void *ctx, uint64_t uaddr, void *kbuf, uint64_t len);
	bool (*copyout)(void *ctx, const void *kbuf, uint64_t uaddr, uint64_t len);
	/* Kernel memory for the message and OOL port arrays; NULL when short. */
	void *(*alloc)(void *ctx, size_t len);
	void (*free)(void *ctx, void *p, size_t len);
	/*
	 * The right named name with disposition disp from the sender's space
	 * (MACH_PORT_DEAD gives a NULL-like dead port the layer may represent
	 * as it likes): KERN_SUCCESS and *port, or any failure.
	 */
	kern_return_t (*right_copyin)(void *ctx, mach_port_name_t name, mach_msg_type_name_t disp,
	                              struct ipc_port **port);
	/*
	 * Puts back a right right_copyin took (a failed send); with
	 * header_copyin set, destroys it instead (GNU Mach's rule for a
	 * failed body).
	 */
	void (*right_undo)(void *ctx, mach_port_name_t name, mach_msg_type_name_t disp,
	                   struct ipc_port *port);
	/*
	 * Optional (NULL: right_copyin and right_undo, one right at a time).
	 * Both header rights at once: the destination dn with the header's
	 * remote disposition, and the reply rn with its local one when rn is
	 * a name (neither NULL nor DEAD), checked and taken as right_copyin
	 * would, and kept: on failure (MACH_SEND_INVALID_DEST, _REPLY) nothing
	 * is held. A body that fails after them destroys what was taken, as
	 * GNU Mach does: the destination, then the reply (right_release), then
	 * the body's rights in order (right_undo).
	 */
	mach_msg_return_t (*header_copyin)(void *ctx, const mach_msg_header_t *h,
	                                   mach_port_name_t dn, mach_port_name_t rn,
	                                   struct ipc_port **dest, struct ipc_port **reply);
	/* Drops a right in transit of type PORT_RECEIVE/SEND/SEND_ONCE (destroyed message). */
	void (*right_release)(void *ctx, struct ipc_port *port, mach_msg_type_name_t type);
	/*
	 * The destination's right in transit is dropped; the answer is what the
	 * header's local field shows: the name of the receiver's receive right
	 * for the port, or MACH_PORT_NULL (GNU Mach's copyout of the
	 * destination), or, for a port with a protected payload, the payload,
	 * with *local_type set to MACH_MSG_TYPE_PROTECTED_PAYLOAD (else left).
	 */
	uint64_t (*dest_copyout)(void *ctx, struct ipc_port *port, mach_msg_type_name_t type,
	                         mach_msg_type_name_t *local_type);
	/*
	 * A right the kernel makes from a port it holds (ipc_kmsg_copyin_kernel):
	 * COPY_SEND or MAKE_SEND gives a send right, MAKE_SEND_ONCE a send-once
	 * right; the result is the port (or dead, for a dead port's send right).
	 */
	struct ipc_port *(*right_make)(void *ctx, struct ipc_port *port, mach_msg_type_name_t disp);
	/* Gives the right in transit to the receiver's space; its name there. */
	mach_port_name_t (*right_copyout)(void *ctx, struct ipc_port *port,
	                                  mach_msg_type_name_t type);
	/*
	 * [uaddr, uaddr + size) of the sender's map as a copy-on-write copy.
	 * move: the region is sent with deallocate and shares no page with
	 * the message's other regions, so the copy may take it whole when
	 * the move is committed (ool_move_commit).
	 */
	kern_return_t (*ool_copyin)(void *ctx, uint64_t uaddr, uint64_t size, bool move,
	                            struct vm_copy **copy);
	/*
	 * Removes [uaddr, uaddr + size) from the sender's map (msgt_deallocate:
	 * a move), copy being its copy. Called only once the whole message is
	 * in, so that a failed send leaves the sender's memory as it was.
	 */
	void (*ool_move_commit)(void *ctx, uint64_t uaddr, uint64_t size, struct vm_copy *copy);
	/* Maps copy in the receiver's map and consumes it; on failure it stays ours. */
	kern_return_t (*ool_copyout)(void *ctx, struct vm_copy *copy, uint64_t *uaddr);
	void (*ool_discard)(void *ctx, struct vm_copy *copy);
	/* A copy of len bytes of kernel memory (the names of an OOL port array). */
	kern_return_t (*ool_from_kernel)(void *ctx, const void *buf, uint64_t len,
	                                 struct vm_copy **copy);
};

#endif
