/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the MIG kernel server stubs (build/mig/kernel/, mig/mig.mk) need from
 * the kernel, force-included before them: GNU Mach's kernel types and the
 * intran/outtran/destructor functions the .defs name under KERNEL_SERVER.
 * kern/server_convert.c defines the functions; kern/ipc_kobject.c and
 * kern/server_*.c are built with this header too (docs/ipc.md, "Kernel
 * servers").
 */
#ifndef VMACH_MIG_KERNEL_TYPES_H
#define VMACH_MIG_KERNEL_TYPES_H

#include <stdint.h>

/* <mach/machine.h> sizes machine_slot[] by it under MACH_KERNEL. */
#define NCPUS 64

/* Kernel objects behind the ports (opaque here). */
typedef struct ipc_port *ipc_port_t;
typedef struct ipc_space *ipc_space_t;
typedef struct vm_map *vm_map_t;
typedef struct vm_object *vm_object_t;
typedef struct host *host_t;
typedef struct host *host_priv_t;
typedef struct device *device_t;
typedef struct processor *processor_t;
typedef struct processor_set *processor_set_t;
typedef processor_set_t processor_set_name_t;
typedef struct task *task_t;
typedef struct thread *thread_t;
typedef vm_map_t vm_task_t;
typedef task_t *task_array_t;
typedef thread_t *thread_array_t;
typedef processor_t *processor_array_t;
typedef processor_set_t *processor_set_name_array_t;
/* mach_types.h gives this only outside MACH_KERNEL; its element is vm_offset_t. */
typedef uintptr_t *emulation_vector_t;

/* Port to object (intran) and back (outtran); the reference the intran took is dropped by the
 * destructor. */
task_t convert_port_to_task(ipc_port_t port);
ipc_port_t convert_task_to_port(task_t task);
void task_deallocate(task_t task);
thread_t convert_port_to_thread(ipc_port_t port);
ipc_port_t convert_thread_to_port(thread_t thread);
void thread_deallocate(thread_t thread);
vm_map_t convert_port_to_map(ipc_port_t port);
void vm_map_deallocate(vm_map_t map);
ipc_space_t convert_port_to_space(ipc_port_t port);
void space_deallocate(ipc_space_t space);
host_t convert_port_to_host(ipc_port_t port);
host_t convert_port_to_host_priv(ipc_port_t port);
ipc_port_t convert_host_to_port(host_t host);
processor_t convert_port_to_processor(ipc_port_t port);
processor_set_t convert_port_to_pset(ipc_port_t port);
processor_set_t convert_port_to_pset_name(ipc_port_t port);
ipc_port_t convert_pset_to_port(processor_set_t pset);
ipc_port_t convert_pset_name_to_port(processor_set_t pset);
void pset_deallocate(processor_set_t pset);
vm_object_t vm_object_lookup(ipc_port_t port);
vm_object_t vm_object_lookup_name(ipc_port_t port);
void vm_object_deallocate(vm_object_t object);
/* The intran of plain port arguments: the port itself. */
#define null_conversion(port) (port)
device_t dev_port_lookup(ipc_port_t port);
ipc_port_t convert_device_to_port(device_t device);

/* Port rights carried in messages: a send right the stub drops on failure. */
#define IP_NULL ((ipc_port_t)0)
#define IP_DEAD ((ipc_port_t)-1)
#define IP_VALID(port) ((port) != IP_NULL && (port) != IP_DEAD)
void ipc_port_release_send(ipc_port_t port);
/* Whether moving a receive right into a message would make a loop (mach_msg's rules). */
int ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest);

#endif
