// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The task routines of mach.defs (kern/ipc_kobject.h): creation,
 * termination, suspension, information, threads, special and registered
 * ports. A request port that names no task gives KERN_INVALID_ARGUMENT
 * (KERN_INVALID_TASK for task_create), as GNU Mach answers.
 */
#include <mach/mach_param.h>
#include <mach/task_special_ports.h>

#include "ipc/ipc_kmsg.h"
#include "kern/ipc_tt.h"
#include "kern/kmalloc.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "mig/mach_server.h"
#include "vm/vm_map.h"

_Static_assert(TASK_PORT_REGISTER_MAX == TASK_REGISTERED_MAX, "registered ports");

kern_return_t
S_task_create(task_t parent, boolean_t inherit_memory, task_t *child_task)
{
	kern_return_t kr;

	if (!parent)
		return KERN_INVALID_TASK;
	kr = task_create(parent, inherit_memory, parent->tk_name, child_task);
	if (kr != KERN_SUCCESS)
		return kr;
	/*
	 * A Mach task lives until terminated, threads or not: it keeps a
	 * reference of its own (task_terminate drops it), the reply's port
	 * takes the caller's.
	 */
	task_reference(*child_task);
	(*child_task)->tk_held = true;
	return KERN_SUCCESS;
}

kern_return_t
S_task_terminate(task_t task)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	return task_terminate_deferred(task);
}

kern_return_t
S_task_suspend(task_t task)
{
	if (!task || task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	return task_suspend(task);
}

kern_return_t
S_task_resume(task_t task)
{
	if (!task || task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	return task_resume(task);
}

static void
basic_info(task_t task, struct task_basic_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->suspend_count = task->tk_suspend_count;
	bi->base_priority = BASEPRI_USER;
	bi->virtual_size = task->tk_map ? task->tk_map->m_size : 0;
	/* Pages are not counted per map yet: what is mapped is the most that is resident. */
	bi->resident_size = bi->virtual_size;
}

/* The fields before the 64-bit times: what callers built before 2023 ask for. */
#define TASK_BASIC_INFO_OLD_COUNT                                                                  \
	(offsetof(struct task_basic_info, user_time64) / sizeof(integer_t))

kern_return_t
S_task_info(task_t task, int flavor, task_info_t out, mach_msg_type_number_t *count)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case TASK_BASIC_INFO: {
		struct task_basic_info bi;
		if (*count < TASK_BASIC_INFO_OLD_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (*count > TASK_BASIC_INFO_COUNT)
			*count = TASK_BASIC_INFO_COUNT;
		basic_info(task, &bi);
		memcpy(out, &bi, *count * sizeof(integer_t));
		return KERN_SUCCESS;
	}
	case TASK_EVENTS_INFO:
		if (*count < TASK_EVENTS_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		*count = TASK_EVENTS_INFO_COUNT;
		memset(out, 0, *count * sizeof(integer_t));
		return KERN_SUCCESS;
	case TASK_THREAD_TIMES_INFO:
		if (*count < TASK_THREAD_TIMES_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		*count = TASK_THREAD_TIMES_INFO_COUNT;
		memset(out, 0, *count * sizeof(integer_t));
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* An OOL port array of count send rights for a reply (ipc_kmsg.h's kernel form). */
static ipc_port_t *
port_array(unsigned count)
{
	return count ? kzalloc(ipc_kmsg_ool_ports_size(count)) : NULL;
}

kern_return_t
S_task_threads(task_t task, thread_array_t *list, mach_msg_type_number_t *count)
{
	ipc_port_t *ports;
	unsigned n = 0, cap;
	struct list_node *l, *tmp;
	uint64_t f;

	if (!task)
		return KERN_INVALID_ARGUMENT;
	/* Make room first: the thread list is under sched_lock, which kmalloc may not nest in. */
	cap = __atomic_load_n(&task->tk_thread_count, __ATOMIC_RELAXED) + 4;
	struct thread **ths = kzalloc(cap * sizeof(*ths));
	if (!ths)
		return KERN_RESOURCE_SHORTAGE;
	f = spin_lock_irqsave(&sched_lock);
	if (!task->tk_active) {
		spin_unlock_irqrestore(&sched_lock, f);
		kfree(ths);
		return KERN_FAILURE;
	}
	list_for_each_safe(l, tmp, &task->tk_threads)
	{
		struct thread *th = list_entry(l, struct thread, th_task_link);
		if (n < cap && !(th->th_state & TH_TERMINATED)) {
			__atomic_add_fetch(&th->th_ref, 1, __ATOMIC_RELAXED);
			ths[n++] = th;
		}
	}
	spin_unlock_irqrestore(&sched_lock, f);
	ports = port_array(n);
	for (unsigned i = 0; i < n; i++) {
		ipc_port_t p = convert_thread_to_port(ths[i]); /* consumes the reference */
		if (ports)
			ports[i] = p;
		else
			ipc_port_release_send(p);
	}
	kfree(ths);
	if (n && !ports)
		return KERN_RESOURCE_SHORTAGE;
	*list = (thread_array_t)ports;
	*count = n;
	return KERN_SUCCESS;
}

kern_return_t
S_task_get_special_port(task_t task, int which, ipc_port_t *port)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	return ipc_task_get_special(task, which, port);
}

kern_return_t
S_task_set_special_port(task_t task, int which, ipc_port_t port)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	return ipc_task_set_special(task, which, port);
}

kern_return_t
S_mach_ports_register(task_t task, mach_port_array_t ports, mach_msg_type_number_t count)
{
	ipc_port_t *in = (ipc_port_t *)ports, old[TASK_PORT_REGISTER_MAX];

	if (!task || count > TASK_PORT_REGISTER_MAX)
		return KERN_INVALID_ARGUMENT;
	spin_lock(&task->tk_ports_lock);
	for (unsigned i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		old[i] = task->tk_registered[i];
		task->tk_registered[i] = i < count ? in[i] : IP_NULL;
	}
	spin_unlock(&task->tk_ports_lock);
	for (unsigned i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		ipc_port_release_send(old[i]);
	kfree(in); /* the rights are the task's now; the array was the request's */
	return KERN_SUCCESS;
}

kern_return_t
S_mach_ports_lookup(task_t task, mach_port_array_t *ports, mach_msg_type_number_t *count)
{
	ipc_port_t *out;

	if (!task)
		return KERN_INVALID_ARGUMENT;
	out = port_array(TASK_PORT_REGISTER_MAX);
	if (!out)
		return KERN_RESOURCE_SHORTAGE;
	spin_lock(&task->tk_ports_lock);
	for (unsigned i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		out[i] = ipc_port_copy_send(task->tk_registered[i]);
	spin_unlock(&task->tk_ports_lock);
	*ports = (mach_port_array_t)out;
	*count = TASK_PORT_REGISTER_MAX;
	return KERN_SUCCESS;
}

/* Syscall emulation and restartable atomic sequences: not in GNU Mach's x86_64 kernel. */
kern_return_t
S_task_get_emulation_vector(task_t task, int *vector_start, emulation_vector_t *vector,
                            mach_msg_type_number_t *count)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_task_set_emulation_vector(task_t task, int vector_start, emulation_vector_t vector,
                            mach_msg_type_number_t count)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_task_set_emulation(task_t task, vm_address_t routine_entry_pt, int routine_number)
{
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_task_ras_control(task_t task, vm_address_t basepc, vm_address_t boundspc, int flavor)
{
	return KERN_FAILURE;
}
