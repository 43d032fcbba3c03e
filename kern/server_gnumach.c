// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gnumach.defs' task and thread routines (kern/ipc_kobject.h): gsync over
 * kern/gsync.h, debug names, thread_terminate_release, the new-task
 * notification's registration (kern/task_notify.c) and essential tasks. Its VM routines are in
 * kern/server_vm.c, vm_object_sync in kern/server_memobj.c.
 */
#include "ipc/mach_port.h"
#include "kern/gsync.h"
#include "kern/string.h"
#include "kern/task_notify.h"
#include "kern/thread.h"
#include "mig/gnumach_server.h"
#include "vm/vm_user.h"

kern_return_t
S_gsync_wait(task_t task, vm_address_t addr, unsigned val1, unsigned val2, natural_t msec,
             int flags)
{
	return gsync_wait(task, addr, val1, val2, msec, flags);
}

kern_return_t
S_gsync_wake(task_t task, vm_address_t addr, unsigned val, int flags)
{
	return gsync_wake(task, addr, val, flags);
}

kern_return_t
S_gsync_requeue(task_t task, vm_address_t src_addr, vm_address_t dst_addr, boolean_t wake_one,
                int flags)
{
	return gsync_requeue(task, src_addr, dst_addr, wake_one, flags);
}

kern_return_t
S_task_set_name(task_t task, const_kernel_debug_name_t name)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	strlcpy(task->tk_name, name, sizeof(task->tk_name));
	return KERN_SUCCESS;
}

kern_return_t
S_thread_set_name(thread_t thread, const_kernel_debug_name_t name)
{
	if (!thread)
		return KERN_INVALID_ARGUMENT;
	strlcpy(thread->th_name, name, sizeof(thread->th_name));
	return KERN_SUCCESS;
}

kern_return_t
S_thread_get_name(thread_t thread, kernel_debug_name_t name)
{
	if (!thread)
		return KERN_INVALID_ARGUMENT;
	strlcpy(name, thread->th_name, sizeof(kernel_debug_name_t));
	return KERN_SUCCESS;
}

/*
 * A thread's last act (glibc's pthread exit): its port name, its reply
 * port and its stack go from task, then the thread ends (on itself: on its
 * way back to user mode, after this RPC).
 */
kern_return_t
S_thread_terminate_release(thread_t thread, task_t task, mach_port_name_t thread_name,
                           mach_port_name_t reply_port, vm_address_t address, vm_size_t size)
{
	if (!thread || !task || thread->th_task != task)
		return KERN_INVALID_ARGUMENT;
	ipc_mach_port_deallocate(task->tk_space, thread_name);
	if (reply_port != MACH_PORT_NULL)
		ipc_mach_port_destroy(task->tk_space, reply_port);
	if (size)
		vm_deallocate(task->tk_map, address, size);
	thread_terminate(thread);
	return KERN_SUCCESS;
}

/* The port that should hear of every new task (the Hurd's proc server): kern/task_notify.c. */
kern_return_t
S_register_new_task_notification(host_t host_priv, ipc_port_t notification)
{
	if (!host_priv)
		return KERN_INVALID_HOST;
	return task_notify_register(notification);
}

/*
 * "The whole system will crash if this task crashes", says gnumach.defs;
 * GNU Mach 2025 only records the mark: its tasks so marked are terminated,
 * or die of a fault, like any other, and the system runs on (the Hurd's
 * startup server is what halts it). vmach records it and logs such an end
 * (kern/task.c).
 */
kern_return_t
S_task_set_essential(task_t task, boolean_t essential)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	__atomic_store_n(&task->tk_essential, essential != 0, __ATOMIC_RELAXED);
	return KERN_SUCCESS;
}
