// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The memory-object calls a pager makes on the kernel (mach.defs'
 * memory_object_*, gnumach.defs' vm_object_sync, mach4.defs' proxies) and
 * vm_set_default_memory_manager. vmach has no external pagers yet, so no
 * port names a memory object: every call on one gets GNU Mach's answer
 * for a port that is no memory control port, KERN_INVALID_ARGUMENT.
 */
#include "kern/ipc_host.h"
#include "kern/spinlock.h"
#include "mig/gnumach_server.h"
#include "mig/mach4_server.h"
#include "mig/mach_server.h"

kern_return_t
S_memory_object_data_unavailable(vm_object_t object, vm_offset_t offset, vm_size_t size)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_get_attributes(vm_object_t object, boolean_t *object_ready, boolean_t *may_cache,
                               memory_object_copy_strategy_t *copy_strategy)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_lock_request(vm_object_t object, vm_offset_t offset, vm_size_t size,
                             memory_object_return_t should_return, boolean_t should_flush,
                             vm_prot_t lock_value, ipc_port_t reply_to,
                             mach_msg_type_name_t reply_toPoly)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_data_error(vm_object_t object, vm_offset_t offset, vm_size_t size,
                           kern_return_t error_value)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_destroy(vm_object_t object, kern_return_t reason)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_data_supply(vm_object_t object, vm_offset_t offset, vm_offset_t data,
                            mach_msg_type_number_t count, vm_prot_t lock_value, boolean_t precious,
                            ipc_port_t reply_to, mach_msg_type_name_t reply_toPoly)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_ready(vm_object_t object, boolean_t may_cache,
                      memory_object_copy_strategy_t copy_strategy)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_change_attributes(vm_object_t object, boolean_t may_cache,
                                  memory_object_copy_strategy_t copy_strategy, ipc_port_t reply_to,
                                  mach_msg_type_name_t reply_toPoly)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_vm_object_sync(vm_object_t object, vm_offset_t offset, vm_size_t size, boolean_t should_flush,
                 boolean_t should_return, boolean_t should_iosync)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_memory_object_create_proxy(ipc_space_t space, vm_prot_t max_protection,
                             const memory_object_array_t object, mach_msg_type_number_t objectCnt,
                             const rpc_vm_offset_array_t offset, mach_msg_type_number_t offsetCnt,
                             const rpc_vm_offset_array_t start, mach_msg_type_number_t startCnt,
                             const rpc_vm_size_array_t len, mach_msg_type_number_t lenCnt,
                             ipc_port_t *proxy)
{
	if (!space)
		return KERN_INVALID_TASK;
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_vm_region_create_proxy(task_t task, vm_address_t address, vm_prot_t max_protection, vm_size_t len,
                         ipc_port_t *proxy)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	return KERN_INVALID_ARGUMENT;
}

/*
 * The default pager's port (a send right), which no VM path calls yet:
 * GNU Mach's rules, a NULL new manager reads it, another replaces it.
 */
static struct spinlock default_manager_lock =
    SPINLOCK_INIT("default_manager", LOCK_RANK_TASK_PORTS);
static ipc_port_t default_manager;

kern_return_t
S_vm_set_default_memory_manager(host_t host_priv, ipc_port_t *manager)
{
	ipc_port_t old;

	if (!host_priv)
		return KERN_INVALID_HOST;
	spin_lock(&default_manager_lock);
	old = default_manager;
	if (IP_VALID(*manager))
		default_manager = *manager;
	else
		old = ipc_port_copy_send(old);
	spin_unlock(&default_manager_lock);
	*manager = old;
	return KERN_SUCCESS;
}
