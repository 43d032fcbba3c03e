/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPC traps (numbers from <mach/syscall_sw.h>): mach_msg_trap and the
 * self-port traps, for kern/syscall.c's table.
 */
#ifndef KERN_IPC_TRAPS_H
#define KERN_IPC_TRAPS_H

#include <stdint.h>

uint64_t trap_mach_msg(const uint64_t *args);
uint64_t trap_mach_reply_port(const uint64_t *args);
uint64_t trap_mach_thread_self(const uint64_t *args);
uint64_t trap_mach_task_self(const uint64_t *args);
uint64_t trap_mach_host_self(const uint64_t *args);
uint64_t trap_task_terminate(const uint64_t *args);

#endif
