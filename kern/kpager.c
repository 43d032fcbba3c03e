// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel pagers: physical objects behind ports (kern/kpager.h). */
#include "kern/kpager.h"

#include "ipc/ipc_port.h"
#include "kern/kmalloc.h"

struct kpager *
kpager_create(struct vm_object *ob, vm_prot_t max_prot)
{
	struct kpager *kp = kzalloc(sizeof(*kp));

	if (!kp)
		return NULL;
	kp->kp_port = ipc_port_alloc();
	if (!kp->kp_port) {
		kfree(kp);
		return NULL;
	}
	kp->kp_object = ob;
	kp->kp_max_prot = max_prot & VM_PROT_ALL;
	ipc_port_set_kobject(kp->kp_port, IKOT_PAGER, kp);
	return kp;
}

struct ipc_port *
kpager_make_send(struct kpager *kp)
{
	return ipc_port_make_send(kp->kp_port);
}

struct kpager *
kpager_from_port(struct ipc_port *p)
{
	return p ? ipc_port_kobject(p, IKOT_PAGER, IKOT_PAGER) : NULL;
}
