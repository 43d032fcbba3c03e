/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * C prototypes of the trap stubs that build/user/traps.s defines from
 * <mach/syscall_sw.h> (user/traps.S). The numbers live only in that header;
 * the argument types here follow GNU Mach's kern/syscall_sw.c and
 * ipc/mach_msg.h. mach_msg_trap takes 7 arguments: the 7th goes on the
 * stack, where the stub leaves it for the kernel ([rsp+8] at `syscall`).
 */
#ifndef USER_TRAPS_H
#define USER_TRAPS_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>
#include <mach/std_types.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

kern_return_t mach_print(const char *string);

mach_port_t mach_task_self(void);
mach_port_t mach_thread_self(void);
mach_port_t mach_host_self(void);
mach_port_t mach_reply_port(void);
mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
                                mach_msg_size_t send_size, mach_msg_size_t rcv_size,
                                mach_port_t rcv_name, mach_msg_timeout_t timeout,
                                mach_port_t notify);

boolean_t swtch(void);
boolean_t swtch_pri(int pri);
kern_return_t thread_switch(mach_port_t thread, int option, mach_msg_timeout_t option_time);

kern_return_t syscall_task_terminate(mach_port_t task);
/* 11 arguments: the last five go on the stack, 8 bytes each (user/traps.S leaves them there). */
kern_return_t syscall_vm_map(mach_port_t task, vm_address_t *addr, vm_size_t size,
                             vm_address_t mask, boolean_t anywhere, mach_port_t memory_object,
                             vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
                             vm_prot_t max_protection, vm_inherit_t inheritance);
kern_return_t syscall_vm_allocate(mach_port_t task, vm_address_t *addr, vm_size_t size,
                                  boolean_t anywhere);
kern_return_t syscall_vm_deallocate(mach_port_t task, vm_address_t addr, vm_size_t size);
kern_return_t syscall_task_create(mach_port_t parent, boolean_t inherit, mach_port_t *child);
kern_return_t syscall_task_suspend(mach_port_t task);
kern_return_t syscall_task_set_special_port(mach_port_t task, int which, mach_port_t port);
kern_return_t syscall_mach_port_allocate(mach_port_t task, mach_port_right_t right,
                                         mach_port_t *name);
kern_return_t syscall_mach_port_deallocate(mach_port_t task, mach_port_t name);
kern_return_t syscall_mach_port_insert_right(mach_port_t task, mach_port_t name, mach_port_t right,
                                             mach_msg_type_name_t type);
kern_return_t syscall_mach_port_allocate_name(mach_port_t task, mach_port_right_t right,
                                              mach_port_t name);
kern_return_t syscall_thread_depress_abort(mach_port_t thread);

#endif
