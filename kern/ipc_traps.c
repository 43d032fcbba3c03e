// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IPC traps (kern/ipc_traps.h). The self-port traps give the caller a
 * send right under its name (one more user reference each call, as GNU
 * Mach does); mach_reply_port a new receive right. Each answers
 * MACH_PORT_NULL when the space is full or dying.
 */
#include "kern/ipc_traps.h"

#include <mach/exception.h>
#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>

#include "ipc/mach_msg.h"
#include "ipc/ipc_right.h"
#include "ipc/mach_port.h"
#include "kern/ipc_host.h"
#include "kern/ipc_tt.h"
#include "kern/user_entry.h"
#include "x86_64/machine.h"

uint64_t
trap_mach_msg(const uint64_t *args)
{
	struct task *t = current_thread()->th_task;
	uint32_t notify = 0;

	/* The 7th argument, notify, is on the user stack; only MACH_SEND_NOTIFY reads it. */
	if ((mach_msg_option_t)args[1] & MACH_SEND_NOTIFY) {
		uint64_t sp = machine_syscall_user_sp(args);
		if (copyin((const void *)(sp + 8), &notify, sizeof notify) != KERN_SUCCESS) {
			user_exception(EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, sp + 8, 0);
			return MACH_SEND_INVALID_DATA;
		}
	}
	return ipc_mach_msg(t->tk_space, t->tk_map, args[0], (mach_msg_option_t)args[1],
	                    (mach_msg_size_t)args[2], (mach_msg_size_t)args[3],
	                    (mach_port_name_t)args[4], (mach_msg_timeout_t)args[5], notify);
}

uint64_t
trap_mach_reply_port(const uint64_t *args)
{
	struct task *t = current_thread()->th_task;
	mach_port_name_t name;

	(void)args;
	if (ipc_mach_port_allocate(t->tk_space, MACH_PORT_RIGHT_RECEIVE, &name) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}

uint64_t
trap_mach_thread_self(const uint64_t *args)
{
	struct thread *th = current_thread();
	struct ipc_port *send = NULL;

	(void)args;
	ipc_thread_get_special(th, THREAD_KERNEL_PORT, &send);
	return ipc_task_copyout_send(th->th_task, send);
}

uint64_t
trap_mach_task_self(const uint64_t *args)
{
	struct task *t = current_thread()->th_task;
	struct ipc_port *send = NULL;
	mach_port_name_t name;

	(void)args;
	name = ipc_task_self_name(t);
	if (name != MACH_PORT_NULL)
		return name;
	ipc_task_get_special(t, TASK_KERNEL_PORT, &send);
	return ipc_task_copyout_send(t, send);
}

uint64_t
trap_mach_host_self(const uint64_t *args)
{
	(void)args;
	return ipc_task_copyout_send(current_thread()->th_task, host_port_make_send());
}

struct ipc_port *
ipc_task_name_to_send(struct task *t, mach_port_name_t name)
{
	struct ipc_copyin_undo u;
	struct ipc_port *p = NULL;
	mach_msg_type_name_t type;
	kern_return_t kr;

	spin_lock(&t->tk_space->is_lock);
	kr = t->tk_space->is_active
	         ? ipc_right_copyin(t->tk_space, name, MACH_MSG_TYPE_COPY_SEND, &p, &type, &u)
	         : KERN_INVALID_TASK;
	if (kr == KERN_SUCCESS)
		ipc_right_copyin_commit(&u);
	spin_unlock(&t->tk_space->is_lock);
	if (kr != KERN_SUCCESS)
		return NULL;
	if (!IPC_PORT_VALID(p)) {
		ipc_right_release(p, MACH_MSG_TYPE_PORT_SEND);
		return NULL;
	}
	return p;
}

/* syscall_task_terminate: task_terminate on a task port name, without a message. */
uint64_t
trap_task_terminate(const uint64_t *args)
{
	struct task *self = current_thread()->th_task;
	struct ipc_port *p = ipc_task_name_to_send(self, (mach_port_name_t)args[0]);
	struct task *t = ipc_port_to_task(p);
	kern_return_t kr;

	if (p)
		ipc_right_release(p, MACH_MSG_TYPE_PORT_SEND);
	if (!t)
		return MACH_SEND_INTERRUPTED;
	kr = task_terminate(t); /* does not return when t is the caller's task */
	task_deallocate(t);
	return kr;
}
