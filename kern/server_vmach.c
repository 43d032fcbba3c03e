// SPDX-License-Identifier: GPL-2.0-or-later
/* vmach's own interface (mig/vmach.defs): the kernel's side. */
#include "kern/task.h"
#include "kern/vdso.h"
#include "mig/vmach_server.h"

kern_return_t
S_vmach_vdso_find(task_t task, vm_address_t *addr, vm_size_t *size)
{
	uint64_t a, s;
	kern_return_t kr;

	if (!task || !task->tk_map)
		return KERN_INVALID_ARGUMENT;
	kr = vdso_find(task->tk_map, &a, &s);
	if (kr == KERN_SUCCESS) {
		*addr = a;
		*size = s;
	}
	return kr;
}
