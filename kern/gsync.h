/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gsync: GNU Mach's futex-like wait and wake on a 32-bit word of a task's
 * memory (gnumach.defs: gsync_wait, gsync_wake, gsync_requeue). These are
 * the kernel functions; the IPC issue serves them as RPCs.
 *
 * A word is named by a key: the task's map and the address (private), or,
 * with GSYNC_SHARED, the physical page and offset, so that two tasks that
 * share the memory (VM_INHERIT_SHARE) name the same word from different
 * addresses. Return codes are GNU Mach's:
 *   wait:    KERN_SUCCESS (woken), KERN_INVALID_ARGUMENT (the word, or the
 *            pair with GSYNC_QUAD, does not hold the values), KERN_TIMEDOUT
 *            (GSYNC_TIMED, msec passed), KERN_INTERRUPTED (thread_abort or
 *            termination), KERN_INVALID_ADDRESS (unaligned or unmapped)
 *   wake:    KERN_SUCCESS when a waiter was woken, KERN_INVALID_ARGUMENT when
 *            none waited (GSYNC_MUTATE stores val either way)
 *   requeue: KERN_INVALID_ARGUMENT when none waited on src
 * and KERN_INVALID_TASK for no task.
 */
#ifndef KERN_GSYNC_H
#define KERN_GSYNC_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <stdint.h>

#define GSYNC_SHARED 0x01
#define GSYNC_QUAD 0x02
#define GSYNC_TIMED 0x04
#define GSYNC_BROADCAST 0x08
#define GSYNC_MUTATE 0x10

struct task;

kern_return_t gsync_wait(struct task *task, uint64_t addr, uint32_t lo, uint32_t hi, uint32_t msec,
                         int flags);
kern_return_t gsync_wake(struct task *task, uint64_t addr, uint32_t val, int flags);
kern_return_t gsync_requeue(struct task *task, uint64_t src, uint64_t dst, boolean_t wake_one,
                            int flags);

#endif
