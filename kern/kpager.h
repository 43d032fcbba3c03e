/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory objects the kernel serves itself, behind ports (GNU Mach's device
 * pagers): what device_map hands a task, and what vm_map then maps. A
 * kernel pager names a physical object (vm/vm_object.h) and the most
 * access it grants; its port lives as long as the pager, which lives as
 * long as the kernel (the devices that make them never go away), so a
 * send right given to a task can never dangle.
 */
#ifndef KERN_KPAGER_H
#define KERN_KPAGER_H

#include <mach/vm_prot.h>

#include "vm/vm_object.h"

struct ipc_port;

struct kpager {
	struct vm_object *kp_object; /* a reference, kept */
	vm_prot_t kp_max_prot;       /* the most any mapping of it gets */
	struct ipc_port *kp_port;    /* IKOT_PAGER */
};

/* A pager for ob (its reference moves to the pager) granting at most
 * max_prot, with its port; NULL without memory. */
struct kpager *kpager_create(struct vm_object *ob, vm_prot_t max_prot);
/* A new send right to the pager's port. */
struct ipc_port *kpager_make_send(struct kpager *kp);
/* The pager behind port p, or NULL when p names none. */
struct kpager *kpager_from_port(struct ipc_port *p);

#endif
