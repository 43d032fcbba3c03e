/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPC traps (numbers from <mach/syscall_sw.h>): mach_msg_trap and the
 * self-port traps, for kern/syscall.c's table.
 */
#ifndef KERN_IPC_TRAPS_H
#define KERN_IPC_TRAPS_H

#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

struct ipc_port;
struct vm_map;

uint64_t trap_mach_msg(const uint64_t *args);
uint64_t trap_mach_reply_port(const uint64_t *args);
uint64_t trap_mach_thread_self(const uint64_t *args);
uint64_t trap_mach_task_self(const uint64_t *args);
uint64_t trap_mach_host_self(const uint64_t *args);
uint64_t trap_task_terminate(const uint64_t *args);

/* The syscall_* shortcuts (kern/syscall_shortcuts.c). */
uint64_t trap_syscall_vm_map(const uint64_t *args);
uint64_t trap_syscall_vm_allocate(const uint64_t *args);
uint64_t trap_syscall_vm_deallocate(const uint64_t *args);
uint64_t trap_syscall_task_create(const uint64_t *args);
uint64_t trap_syscall_task_suspend(const uint64_t *args);
uint64_t trap_syscall_task_set_special_port(const uint64_t *args);
uint64_t trap_syscall_mach_port_allocate(const uint64_t *args);
uint64_t trap_syscall_mach_port_deallocate(const uint64_t *args);
uint64_t trap_syscall_mach_port_insert_right(const uint64_t *args);
uint64_t trap_syscall_mach_port_allocate_name(const uint64_t *args);
uint64_t trap_syscall_thread_depress_abort(const uint64_t *args);

/*
 * vm_map, the work of the RPC and of syscall_vm_map (kern/server_vm.c):
 * anonymous memory (no memory object) or a kernel pager's object
 * (kern/kpager.h); any other port gives KERN_INVALID_ARGUMENT, as vmach
 * has no external pagers yet. *address in and out; the memory object's
 * right is the caller's to release.
 */
kern_return_t vm_map_port(struct vm_map *map, uint64_t *address, uint64_t size, uint64_t mask,
                          bool anywhere, struct ipc_port *memory_object, uint64_t offset, bool copy,
                          vm_prot_t cur_protection, vm_prot_t max_protection,
                          vm_inherit_t inheritance);

#endif
