// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stand-ins for kern/user_entry.h until kern/ provides it (issue 9, part
 * 1: threads, tasks and the VM are the lead's and vm/'s). They are weak, so
 * kern/'s definitions replace them without a change here; delete this file
 * when they land. Without tasks nothing runs in user mode but the tests'.
 */
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/user_entry.h"

/* No traps yet: every number is unused, which GNU Mach answers with KERN_INVALID_ARGUMENT. */
__attribute__((weak)) uint64_t
syscall_dispatch(int64_t number, const uint64_t args[6])
{
	return KERN_INVALID_ARGUMENT;
}

/* No tasks to terminate yet. */
__attribute__((weak)) void
user_exception(int exception, int code, uint64_t subcode, uint64_t pc)
{
	panic("user_exception: exception %d code %d subcode %#lx at pc %#lx, and no task to end",
	      exception, code, subcode, pc);
}

/* No VM yet: nothing in the user half can be mapped on demand. */
__attribute__((weak)) kern_return_t
user_page_fault(uint64_t addr, unsigned access)
{
	return KERN_INVALID_ADDRESS;
}

/* No scheduler yet: nothing to switch to. */
__attribute__((weak)) void
sched_preempt_point(void)
{
}
