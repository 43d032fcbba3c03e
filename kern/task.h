/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tasks: an address space (struct vm_map, vm/) and the threads that run
 * in it. The IPC issue adds the task's port name space.
 *
 * Life cycle: task_create() gives a task with one reference for the
 * caller. task_terminate() stops every thread (those blocked in the
 * kernel at their next safe point; interruptible waits are interrupted)
 * and, once the last thread is gone and the last reference dropped, the
 * map and all its memory are freed.
 *
 * kernel_task holds the kernel threads; its map is the kernel's pmap only.
 */
#ifndef KERN_TASK_H
#define KERN_TASK_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/list.h"
#include "kern/spinlock.h"

struct vm_map;
struct pmap;
struct ipc_space;
struct ipc_port;

/* GNU Mach's TASK_PORT_REGISTER_MAX (mach/mach_param.h). */
#define TASK_REGISTERED_MAX 4

struct task {
	struct vm_map *tk_map; /* NULL for kernel_task */
	struct list_node tk_threads;
	unsigned tk_thread_count;
	int tk_suspend_count;
	bool tk_active;    /* false once terminating */
	bool tk_killed;    /* terminated by the kernel (a fault, no memory) */
	bool tk_boot;      /* a boot task (kern/bootstrap.c counts them) */
	bool tk_held;      /* holds a reference of its own until terminated (task_create RPC) */
	bool tk_essential; /* task_set_essential: its end is logged (GNU Mach carries on too) */
	unsigned tk_ref;   /* references (atomic) */
	/* IPC (kern/ipc_tt.h): the name space, the kernel port and the special ports. */
	struct ipc_space *tk_space;
	struct ipc_port *tk_self; /* the kernel port (IKOT_TASK), its receive right */
	struct spinlock tk_ports_lock;
	struct ipc_port *tk_sself; /* send right: TASK_KERNEL_PORT, what mach_task_self gives */
	/* A hint, checked before use: the name tk_sself had in tk_space last time (ipc_tt.c). */
	uint32_t tk_sself_name; /* a mach_port_name_t */
	struct ipc_port *tk_exception;
	struct ipc_port *tk_bootstrap;
	struct ipc_port *tk_registered[TASK_REGISTERED_MAX];
	uint64_t tk_id;
	char tk_name[32];
	struct list_node tk_all_link; /* all_tasks */
};

extern struct task kernel_task;

/* Sets up kernel_task (thread_bootstrap calls it). */
void task_bootstrap(void);

/* Tasks that exist now (for the monitor and tests). */
unsigned task_count(void);
/* Up to cap of the tasks alive (not terminating), each with a reference for the caller; how many.
 */
unsigned task_collect(struct task **out, unsigned cap);

/*
 * A new task with no threads: its map empty, or, when inherit is true,
 * built from parent's map by each region's inheritance (share, copy,
 * none). KERN_RESOURCE_SHORTAGE without memory; KERN_INVALID_ARGUMENT
 * when inheriting from no parent or from the kernel.
 */
kern_return_t task_create(struct task *parent, bool inherit, const char *name, struct task **out);

void task_reference(struct task *t);
void task_deallocate(struct task *t);

/* Suspend counts for all the task's threads. Resuming at count 0 is KERN_FAILURE. */
kern_return_t task_suspend(struct task *t);
kern_return_t task_resume(struct task *t);

/*
 * Terminates every thread of t and frees its memory once they are gone.
 * When the caller is one of t's threads, it does not return.
 * KERN_FAILURE when t is already terminating.
 */
kern_return_t task_terminate(struct task *t);
/*
 * task_terminate() that returns to its caller even when that is one of
 * t's threads: the caller ends on its way back to user mode, so the
 * kernel server answering task_terminate on the task itself finishes the
 * RPC first (its references and buffers released).
 */
kern_return_t task_terminate_deferred(struct task *t);

/* The pmap a thread of t runs on. */
struct pmap *task_pmap(const struct task *t);

/*
 * Called when t's last thread is gone (kern/thread.c), or by
 * task_terminate() for a task without threads. Once t is terminated and
 * has no thread left, the end hook runs, once: the bootstrap counts boot
 * tasks with it.
 */
void task_thread_gone(struct task *t);
typedef void task_end_hook_fn(struct task *t);
void task_set_end_hook(task_end_hook_fn *fn);

#endif
