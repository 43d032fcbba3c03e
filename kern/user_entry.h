/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the machine calls when a thread comes into the kernel from user
 * mode, or touches user memory from the kernel: the machine-independent
 * half of traps. x86_64/ decodes its registers and calls these; they know
 * nothing of x86 registers.
 */
#ifndef KERN_USER_ENTRY_H
#define KERN_USER_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include <mach/kern_return.h>

/*
 * A system call: number is the trap number as the user passed it
 * (negative for Mach traps), args its six register arguments. Runs on the
 * thread's kernel stack with interrupts enabled. The result goes back to
 * the user in the return register.
 */
uint64_t syscall_dispatch(int64_t number, const uint64_t args[6]);

/*
 * The light traps: syscall_light[number + 129] is nonzero for a trap
 * number in GNU Mach's table (-129..-1) whose handler never blocks, never
 * touches user memory and never reads or changes thread state. The
 * machine may then run syscall_dispatch() for it with interrupts off and
 * without saving the registers that C preserves (x86_64/syscall_entry.S).
 * Unused numbers are light; so are the traps that only answer a name.
 */
#define SYSCALL_LIGHT_SPAN 129
extern uint8_t syscall_light[SYSCALL_LIGHT_SPAN];

/*
 * An exception in user mode (EXC_* of <mach/exception.h>, its code and
 * subcode), e.g. EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, fault address.
 * Delivered to the exception port once IPC exists; until then, and when no
 * port is set, the task is terminated with one log line naming the task,
 * the thread, the subcode and pc. Returns only if the thread may resume.
 */
void user_exception(int exception, int code, uint64_t subcode, uint64_t pc);

/*
 * A page fault on a user address, from user mode or from copyin/copyout:
 * resolves it in the current task's map. access is VM_PROT_READ,
 * VM_PROT_WRITE or VM_PROT_EXECUTE. Returns KERN_SUCCESS when the access
 * can be retried, or KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE or
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t user_page_fault(uint64_t addr, unsigned access);

/*
 * On the way out of the kernel (to user mode, or from an interrupt that
 * came in with interrupts enabled and no spinlock held): switches to
 * another thread if the scheduler asked for it. Interrupts disabled.
 */
void sched_preempt_point(void);

#endif
