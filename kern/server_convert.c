// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The intran, outtran and destructor functions the .defs name for the
 * kernel servers (mig/kernel-types.h). An intran gives the object behind a
 * port with a reference (or NULL when the port names no such object), its
 * destructor drops that reference; an outtran consumes the object's
 * reference and gives a send right to its port. The host, processors and
 * processor sets live forever: no references. A space of the calling
 * thread's own task is lent, not referenced (convert_port_to_space).
 */
#include "ipc/ipc_space.h"
#include "kern/ipc_host.h"
#include "kern/ipc_tt.h"
#include "kern/processor.h"
#include "kern/thread.h"
#include "vm/vm_map.h"

task_t
convert_port_to_task(ipc_port_t port)
{
	return ipc_port_to_task(port);
}

ipc_port_t
convert_task_to_port(task_t task)
{
	ipc_port_t port;

	if (!task)
		return IP_NULL;
	port = ipc_task_make_send(task);
	task_deallocate(task);
	return port;
}

thread_t
convert_port_to_thread(ipc_port_t port)
{
	return ipc_port_to_thread(port);
}

ipc_port_t
convert_thread_to_port(thread_t thread)
{
	ipc_port_t port;

	if (!thread)
		return IP_NULL;
	port = ipc_thread_make_send(thread);
	thread_deallocate(thread);
	return port;
}

vm_map_t
convert_port_to_map(ipc_port_t port)
{
	struct task *t = ipc_port_to_task(port);
	struct vm_map *map = t ? t->tk_map : NULL;

	if (map)
		vm_map_reference(map);
	task_deallocate(t);
	return map;
}

/*
 * A space is reached through its task: the reference taken is the task's,
 * which keeps the space (freed with the task) alive until space_deallocate.
 * The caller's own task (most mach_port calls name mach_task_self) is not
 * referenced: the calling thread's reference to it (kern/thread.c) holds
 * it, and its space, until the thread ends, which is after the stub's
 * destructor ran. Its port is tested without its lock: ip_kobject and
 * ip_kotype of a task port never change while it is active, and a task
 * port going inactive at that moment is a conversion that came first.
 * space_deallocate tells the two cases by the space's owner, which a
 * space never changes.
 */
ipc_space_t
convert_port_to_space(ipc_port_t port)
{
	struct task *self = current_thread()->th_task;
	struct task *t;

	if (IP_VALID(port) && port->ip_kobject == self && port->ip_kotype == IKOT_TASK &&
	    port->ip_active && self->tk_space)
		return self->tk_space;
	t = ipc_port_to_task(port);
	if (t && !t->tk_space) {
		task_deallocate(t);
		t = NULL;
	}
	return t ? t->tk_space : NULL;
}

void
space_deallocate(ipc_space_t space)
{
	if (space && space->is_owner != current_thread()->th_task)
		task_deallocate(space->is_owner);
}

/*
 * The host's ports (kern/ipc_host.c) are never destroyed and no port
 * becomes one: their kind and object are read without the port's lock.
 */
static inline host_t
port_host(ipc_port_t port, bool priv_only)
{
	if (!IP_VALID(port) || !port->ip_active)
		return NULL;
	enum ipc_kobject_type k = port->ip_kotype;
	return k == IKOT_HOST_PRIV || (!priv_only && k == IKOT_HOST) ? port->ip_kobject : NULL;
}

host_t
convert_port_to_host(ipc_port_t port)
{
	return port_host(port, false);
}

host_t
convert_port_to_host_priv(ipc_port_t port)
{
	return port_host(port, true);
}

/* GNU Mach gives out the host's name port, whichever host object. */
ipc_port_t
convert_host_to_port(host_t host)
{
	return host ? host_port_make_send() : IP_NULL;
}

processor_t
convert_port_to_processor(ipc_port_t port)
{
	return ipc_port_to_processor(port);
}

processor_set_t
convert_port_to_pset(ipc_port_t port)
{
	return ipc_port_to_pset(port, false);
}

processor_set_t
convert_port_to_pset_name(ipc_port_t port)
{
	return ipc_port_to_pset(port, true);
}

ipc_port_t
convert_pset_to_port(processor_set_t pset)
{
	return pset ? ipc_port_make_send(pset->ps_self) : IP_NULL;
}

ipc_port_t
convert_pset_name_to_port(processor_set_t pset)
{
	return pset ? ipc_port_make_send(pset->ps_name_self) : IP_NULL;
}

void
pset_deallocate(processor_set_t pset)
{
	(void)pset;
}

/* vmach has no memory objects yet: no port names one. */
vm_object_t
vm_object_lookup(ipc_port_t port)
{
	(void)port;
	return NULL;
}

vm_object_t
vm_object_lookup_name(ipc_port_t port)
{
	(void)port;
	return NULL;
}

void
vm_object_deallocate(vm_object_t object)
{
	(void)object;
}

void
ipc_port_release_send(ipc_port_t port)
{
	if (IP_VALID(port))
		ipc_port_send_release(port);
}

/* A receive right moved into a message the kernel serves never loops back into itself. */
int
ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest)
{
	(void)port;
	(void)dest;
	return 0;
}
