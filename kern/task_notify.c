// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The new-task notification (kern/task_notify.h). The message is
 * task_notify.defs' simpleroutine as GNU Mach's kernel sends it, id 4400,
 * 64 bytes, complex:
 *
 *	header: remote = a copy of the registered send right, no reply port
 *	task:   MACH_MSG_TYPE_MOVE_SEND, 64 bits, a send right to the new task
 *	parent: MACH_MSG_TYPE_MOVE_SEND, 64 bits, one to its parent (or null)
 *
 * It is queued whatever the queue's limit (a kernel message never waits),
 * and dropped if the port has died or names a kernel object.
 */
#include "kern/task_notify.h"

#include "ipc/ipc_mqueue.h"
#include "kern/ipc_tt.h"
#include "kern/spinlock.h"
#include "kern/string.h"

#define NEW_TASK_ID 4400 /* task_notify.defs: subsystem task_notify 4400 */

struct new_task_msg {
	mach_msg_header_t head;
	mach_msg_type_t task_type;
	uint64_t task; /* port pointers in kernel form */
	mach_msg_type_t parent_type;
	uint64_t parent;
};
_Static_assert(sizeof(struct new_task_msg) == 64, "task_notify.defs: 64 bytes");

static struct spinlock lock = SPINLOCK_INIT("new_task_notify", LOCK_RANK_TASK_PORTS);
static struct ipc_port *registered; /* a send right, held for good once set */

kern_return_t
task_notify_register(struct ipc_port *port)
{
	kern_return_t kr = KERN_SUCCESS;

	spin_lock(&lock);
	if (registered)
		kr = KERN_NO_ACCESS;
	else
		registered = port;
	spin_unlock(&lock);
	return kr;
}

static void
put_port(void *slot, struct ipc_port *p)
{
	memcpy(slot, &p, sizeof p);
}

static mach_msg_type_t
send_right_type(void)
{
	return (mach_msg_type_t){.msgt_name = MACH_MSG_TYPE_MOVE_SEND,
	                         .msgt_size = 64,
	                         .msgt_number = 1,
	                         .msgt_inline = 1};
}

void
task_notify_new(struct task *t, struct task *parent)
{
	struct ipc_port *dest;
	struct ipc_kmsg km;

	spin_lock(&lock);
	dest = ipc_port_copy_send(registered);
	spin_unlock(&lock);
	if (!dest)
		return;
	if (!ipc_kmsg_alloc(&ipc_kernel_msg_ops, sizeof(struct new_task_msg), &km)) {
		if (IPC_PORT_VALID(dest))
			ipc_port_send_release(dest);
		return;
	}
	struct new_task_msg *m = (struct new_task_msg *)km.buf;
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, 0);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_id = NEW_TASK_ID;
	put_port((uint8_t *)m + 8, dest); /* the header's 8-byte remote slot */
	m->task_type = send_right_type();
	put_port(&m->task, ipc_task_make_send(t));
	m->parent_type = send_right_type();
	put_port(&m->parent, parent ? ipc_task_make_send(parent) : NULL);
	ipc_mqueue_send_kernel(&km);
}
