/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tasks and threads behind ports (docs/ipc.md "Kernel objects"). Every
 * task has a port name space and a kernel port, a port the kernel
 * receives on (IKOT_TASK) that names the task in RPCs; every thread has
 * one too (IKOT_THREAD). Their special ports are send rights the task or
 * thread holds for others: the kernel port's send right (what
 * mach_task_self gives out), the exception port and the bootstrap port,
 * and a task's registered ports.
 *
 * Life cycle: ipc_task_init() at creation; ipc_task_disable() when the
 * task is terminated (its kernel port stops naming it, so RPCs to it fail
 * with MACH_SEND_INVALID_DEST... as GNU Mach's do); ipc_task_end() when
 * its last thread is gone (the space's rights go); ipc_task_free() at its
 * last reference. The same for threads.
 *
 * Locking: tk_ports_lock / th_ports_lock (LOCK_RANK_TASK_PORTS) over the
 * special ports.
 */
#ifndef KERN_IPC_TT_H
#define KERN_IPC_TT_H

#include <mach/kern_return.h>
#include <mach/port.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_space.h"
#include "kern/task.h"
#include "kern/thread.h"

/* A space, a kernel port and, from parent (if any), the bootstrap and exception ports. */
kern_return_t ipc_task_init(struct task *t, struct task *parent);
void ipc_task_disable(struct task *t);
void ipc_task_end(struct task *t);
void ipc_task_free(struct task *t);

kern_return_t ipc_thread_init(struct thread *th);
void ipc_thread_disable(struct thread *th);
void ipc_thread_free(struct thread *th);

/*
 * Puts a send right (consumed) into t's space: its name there, or
 * MACH_PORT_NULL for a NULL port or no room (the right is dropped).
 */
mach_port_name_t ipc_task_copyout_send(struct task *t, struct ipc_port *send);
/*
 * mach_task_self's common case: t's space already names its self send
 * right; that name gains a user reference, as a copied-out send right
 * would give it. MACH_PORT_NULL when that is not the case (no such name,
 * a dead port, references at the limit): the general path then decides.
 */
mach_port_name_t ipc_task_self_name(struct task *t);

/*
 * A send right copied from the one t names name (the caller drops it with
 * ipc_right_release), or NULL when name is not a live send right
 * (kern/ipc_traps.c).
 */
struct ipc_port *ipc_task_name_to_send(struct task *t, mach_port_name_t name);

/* A send right to the special port which (TASK_*_PORT), or NULL; KERN_INVALID_ARGUMENT. */
kern_return_t ipc_task_get_special(struct task *t, int which, struct ipc_port **send);
/* Replaces it with send (consumed; NULL clears it). */
kern_return_t ipc_task_set_special(struct task *t, int which, struct ipc_port *send);
kern_return_t ipc_thread_get_special(struct thread *th, int which, struct ipc_port **send);
kern_return_t ipc_thread_set_special(struct thread *th, int which, struct ipc_port *send);

/* Conversions for the MIG servers: a new reference to the object, or NULL. */
struct task *ipc_port_to_task(struct ipc_port *p);
struct thread *ipc_port_to_thread(struct ipc_port *p);
/* A send right to the object's kernel port, made from its own (NULL if it has none). */
struct ipc_port *ipc_task_make_send(struct task *t);
struct ipc_port *ipc_thread_make_send(struct thread *th);

#endif
