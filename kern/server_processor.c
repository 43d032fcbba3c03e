// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The processor, processor-set and scheduling routines of mach_host.defs
 * (kern/ipc_kobject.h), for vmach's one processor in its one default set
 * (kern/processor.h). As in GNU Mach built without MACH_HOST (Debian's),
 * sets cannot be created, destroyed or assigned to: KERN_FAILURE. A port
 * that names no such object: KERN_INVALID_ARGUMENT.
 */
#include <mach/machine.h>
#include <mach/policy.h>

#include "ipc/ipc_kmsg.h"
#include "kern/host.h"
#include "kern/kmalloc.h"
#include "kern/processor.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "mig/mach_host_server.h"

/* An OOL port array of count rights for a reply (ipc_kmsg.h's kernel form). */
static ipc_port_t *
port_array(unsigned count)
{
	return count ? kzalloc(ipc_kmsg_ool_ports_size(count)) : NULL;
}

kern_return_t
S_host_processors(host_t host_priv, processor_array_t *list, mach_msg_type_number_t *count)
{
	ipc_port_t *ports;

	if (!host_priv)
		return KERN_INVALID_ARGUMENT;
	ports = port_array(1);
	if (!ports)
		return KERN_RESOURCE_SHORTAGE;
	ports[0] = ipc_port_make_send(processor_boot.pr_self);
	*list = (processor_array_t)ports;
	*count = 1;
	return KERN_SUCCESS;
}

kern_return_t
S_host_processor_sets(host_t host, processor_set_name_array_t *list, mach_msg_type_number_t *count)
{
	ipc_port_t *ports;

	if (!host)
		return KERN_INVALID_ARGUMENT;
	ports = port_array(1);
	if (!ports)
		return KERN_RESOURCE_SHORTAGE;
	ports[0] = convert_pset_name_to_port(&default_pset);
	*list = (processor_set_name_array_t)ports;
	*count = 1;
	return KERN_SUCCESS;
}

kern_return_t
S_host_processor_set_priv(host_t host_priv, processor_set_t set_name, processor_set_t *set)
{
	if (!host_priv || !set_name)
		return KERN_INVALID_ARGUMENT;
	*set = set_name;
	return KERN_SUCCESS;
}

kern_return_t
S_processor_set_default(host_t host, processor_set_t *set)
{
	if (!host)
		return KERN_INVALID_ARGUMENT;
	*set = &default_pset;
	return KERN_SUCCESS;
}

/* The only processor is running and cannot stop. */
kern_return_t
S_processor_start(processor_t processor)
{
	return processor ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_processor_exit(processor_t processor)
{
	return processor ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_processor_control(processor_t processor, const processor_info_t cmd, mach_msg_type_number_t count)
{
	return processor ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_processor_info(processor_t processor, int flavor, host_t *host, processor_info_t out,
                 mach_msg_type_number_t *count)
{
	struct processor_basic_info *bi = (struct processor_basic_info *)out;

	if (!processor || flavor != PROCESSOR_BASIC_INFO || *count < PROCESSOR_BASIC_INFO_COUNT)
		return KERN_FAILURE;
	bi->cpu_type = CPU_TYPE_X86_64;
	bi->cpu_subtype = CPU_SUBTYPE_AT386;
	bi->running = 1;
	bi->slot_num = processor->pr_slot;
	bi->is_master = 1;
	*count = PROCESSOR_BASIC_INFO_COUNT;
	*host = &host_plain;
	return KERN_SUCCESS;
}

kern_return_t
S_processor_set_info(processor_set_t set, int flavor, host_t *host, processor_set_info_t out,
                     mach_msg_type_number_t *count)
{
	if (!set)
		return KERN_INVALID_ARGUMENT;
	if (flavor == PROCESSOR_SET_BASIC_INFO) {
		struct processor_set_basic_info *bi = (struct processor_set_basic_info *)out;
		if (*count < PROCESSOR_SET_BASIC_INFO_COUNT)
			return KERN_FAILURE;
		memset(bi, 0, sizeof(*bi));
		bi->processor_count = 1;
		bi->task_count = (integer_t)task_count();
		*count = PROCESSOR_SET_BASIC_INFO_COUNT;
	} else if (flavor == PROCESSOR_SET_SCHED_INFO) {
		struct processor_set_sched_info *si = (struct processor_set_sched_info *)out;
		if (*count < PROCESSOR_SET_SCHED_INFO_COUNT)
			return KERN_FAILURE;
		si->policies = set->ps_policies;
		si->max_priority = set->ps_max_priority;
		*count = PROCESSOR_SET_SCHED_INFO_COUNT;
	} else {
		return KERN_INVALID_ARGUMENT;
	}
	*host = &host_plain;
	return KERN_SUCCESS;
}

kern_return_t
S_processor_set_create(host_t host, processor_set_t *new_set, processor_set_t *new_name)
{
	return host ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_processor_set_destroy(processor_set_t set)
{
	return set ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_processor_assign(processor_t processor, processor_set_t new_set, boolean_t wait)
{
	return processor && new_set ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_processor_get_assignment(processor_t processor, processor_set_t *assigned_set)
{
	if (!processor)
		return KERN_INVALID_ARGUMENT;
	*assigned_set = &default_pset;
	return KERN_SUCCESS;
}

kern_return_t
S_thread_assign(thread_t thread, processor_set_t new_set)
{
	return thread && new_set ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_thread_assign_default(thread_t thread)
{
	return thread ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_thread_get_assignment(thread_t thread, processor_set_t *assigned_set)
{
	if (!thread)
		return KERN_INVALID_ARGUMENT;
	*assigned_set = &default_pset;
	return KERN_SUCCESS;
}

kern_return_t
S_task_assign(task_t task, processor_set_t new_set, boolean_t assign_threads)
{
	return task && new_set ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_task_assign_default(task_t task, boolean_t assign_threads)
{
	return task ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_task_get_assignment(task_t task, processor_set_t *assigned_set)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	*assigned_set = &default_pset;
	return KERN_SUCCESS;
}

static bool
valid_pri(int pri)
{
	return pri >= PRI_HIGHEST && pri <= PRI_LOWEST;
}

/*
 * GNU Mach's rule: a priority better than the thread's maximum needs
 * set_max. vmach keeps no maximum per thread: the set's is every thread's.
 */
kern_return_t
S_thread_priority(thread_t thread, int priority, boolean_t set_max)
{
	uint64_t f;

	if (!thread || !valid_pri(priority))
		return KERN_INVALID_ARGUMENT;
	if (!set_max && priority < default_pset.ps_max_priority)
		return KERN_FAILURE;
	f = spin_lock_irqsave(&sched_lock);
	sched_set_base_pri(thread, priority);
	spin_unlock_irqrestore(&sched_lock, f);
	return KERN_SUCCESS;
}

/* Accepted and checked; with no per-thread maximum it changes nothing. */
kern_return_t
S_thread_max_priority(thread_t thread, processor_set_t pset, int max_priority)
{
	if (!thread || !pset || !valid_pri(max_priority))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

kern_return_t
S_task_priority(task_t task, int priority, boolean_t change_threads)
{
	struct list_node *n, *tmp;
	kern_return_t kr = KERN_SUCCESS;
	uint64_t f;

	if (!task || !valid_pri(priority))
		return KERN_INVALID_ARGUMENT;
	if (!change_threads)
		return KERN_SUCCESS; /* new threads start at BASEPRI_USER regardless */
	f = spin_lock_irqsave(&sched_lock);
	list_for_each_safe(n, tmp, &task->tk_threads)
	{
		struct thread *th = list_entry(n, struct thread, th_task_link);
		if (priority < default_pset.ps_max_priority)
			kr = KERN_FAILURE;
		else
			sched_set_base_pri(th, priority);
	}
	spin_unlock_irqrestore(&sched_lock, f);
	return kr;
}

kern_return_t
S_processor_set_max_priority(processor_set_t set, int max_priority, boolean_t change_threads)
{
	if (!set || !valid_pri(max_priority))
		return KERN_INVALID_ARGUMENT;
	set->ps_max_priority = max_priority;
	return KERN_SUCCESS;
}

kern_return_t
S_thread_policy(thread_t thread, int policy, int data)
{
	if (!thread || invalid_policy(policy))
		return KERN_INVALID_ARGUMENT;
	/* Fixed priority runs as timesharing: the quantum (data) is the scheduler's. */
	return (default_pset.ps_policies & policy) ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t
S_processor_set_policy_enable(processor_set_t set, int policy)
{
	if (!set || invalid_policy(policy))
		return KERN_INVALID_ARGUMENT;
	set->ps_policies |= policy;
	return KERN_SUCCESS;
}

kern_return_t
S_processor_set_policy_disable(processor_set_t set, int policy, boolean_t change_threads)
{
	if (!set || invalid_policy(policy) || policy == POLICY_TIMESHARE)
		return KERN_INVALID_ARGUMENT;
	set->ps_policies &= ~policy;
	return KERN_SUCCESS;
}

/* Every task alive, as send rights to their ports. */
kern_return_t
S_processor_set_tasks(processor_set_t set, task_array_t *list, mach_msg_type_number_t *count)
{
	unsigned cap, n;
	struct task **tasks;
	ipc_port_t *ports;

	if (!set)
		return KERN_INVALID_ARGUMENT;
	cap = task_count() + 4;
	tasks = kzalloc(cap * sizeof(*tasks));
	if (!tasks)
		return KERN_RESOURCE_SHORTAGE;
	n = task_collect(tasks, cap);
	ports = port_array(n);
	for (unsigned i = 0; i < n; i++) {
		ipc_port_t p = convert_task_to_port(tasks[i]); /* consumes the reference */
		if (ports)
			ports[i] = p;
		else
			ipc_port_release_send(p);
	}
	kfree(tasks);
	if (n && !ports)
		return KERN_RESOURCE_SHORTAGE;
	*list = (task_array_t)ports;
	*count = n;
	return KERN_SUCCESS;
}

/* Not served yet (a thread list across tasks): KERN_FAILURE. task_threads lists one task's. */
kern_return_t
S_processor_set_threads(processor_set_t set, thread_array_t *list, mach_msg_type_number_t *count)
{
	return set ? KERN_FAILURE : KERN_INVALID_ARGUMENT;
}

kern_return_t
S_thread_depress_abort(thread_t thread)
{
	uint64_t f;

	if (!thread)
		return KERN_INVALID_ARGUMENT;
	f = spin_lock_irqsave(&sched_lock);
	sched_undepress(thread);
	spin_unlock_irqrestore(&sched_lock, f);
	return KERN_SUCCESS;
}

/* vmach never pages kernel stacks or threads out: wiring changes nothing. */
kern_return_t
S_thread_wire(host_t host_priv, thread_t thread, boolean_t wired)
{
	if (!host_priv || !thread)
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}
