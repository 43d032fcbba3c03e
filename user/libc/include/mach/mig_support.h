/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What MIG-generated user stubs call (glibc provides this header on the
 * Hurd; our user runtime has no glibc). user/libc/mig_support.c.
 */
#ifndef USER_MACH_MIG_SUPPORT_H
#define USER_MACH_MIG_SUPPORT_H

#include <mach/mach_types.h>
#include <mach/message.h>
#include <stddef.h>

void mig_init(void *first);
mach_port_t mig_get_reply_port(void);
void mig_dealloc_reply_port(mach_port_t port);
void mig_put_reply_port(mach_port_t port);
void mig_allocate(vm_address_t *addr, vm_size_t size);
void mig_deallocate(vm_address_t addr, vm_size_t size);
vm_size_t mig_strncpy(char *dst, const char *src, vm_size_t len);

/*
 * Threads (user/libc/thread.c): a thread whose stack is [lo, hi) gets a
 * reply port of its own. Register before the thread runs; unregister after
 * it ended, which frees its reply port.
 */
int mig_thread_register(vm_address_t lo, vm_address_t hi);
void mig_thread_unregister(vm_address_t lo);

#include <string.h> /* the generated code calls memcpy */

#endif
