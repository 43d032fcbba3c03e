// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User-mode exceptions and page faults (kern/user_entry.h). Until the IPC
 * issue brings exception ports, an exception terminates the task with one
 * log line naming the task, the thread, what happened, the address and pc.
 */
#include <mach/exception.h>

#include "kern/log.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/user_entry.h"
#include "vm/vm_fault.h"

static const char *
exception_name(int exc)
{
	switch (exc) {
	case EXC_BAD_ACCESS:
		return "EXC_BAD_ACCESS";
	case EXC_BAD_INSTRUCTION:
		return "EXC_BAD_INSTRUCTION";
	case EXC_ARITHMETIC:
		return "EXC_ARITHMETIC";
	case EXC_EMULATION:
		return "EXC_EMULATION";
	case EXC_SOFTWARE:
		return "EXC_SOFTWARE";
	case EXC_BREAKPOINT:
		return "EXC_BREAKPOINT";
	}
	return "exception";
}

static const char *
access_code_name(int code)
{
	switch (code) {
	case KERN_INVALID_ADDRESS:
		return "KERN_INVALID_ADDRESS";
	case KERN_PROTECTION_FAILURE:
		return "KERN_PROTECTION_FAILURE";
	case KERN_RESOURCE_SHORTAGE:
		return "KERN_RESOURCE_SHORTAGE: out of memory";
	}
	return "code";
}

void
user_exception(int exception, int code, uint64_t subcode, uint64_t pc)
{
	struct thread *th = current_thread();
	struct task *t = th->th_task;

	if (exception == EXC_BAD_ACCESS)
		log_warn("task %s (%lu) thread %lu: %s (%s) at %#lx, pc %#lx: terminated",
		         t->tk_name, t->tk_id, th->th_id, exception_name(exception),
		         access_code_name(code), subcode, pc);
	else
		log_warn(
		    "task %s (%lu) thread %lu: %s (code %d, subcode %#lx), pc %#lx: terminated",
		    t->tk_name, t->tk_id, th->th_id, exception_name(exception), code, subcode, pc);
	t->tk_killed = true;
	task_terminate(t);
	thread_terminate_self(); /* the task was already terminating */
}

kern_return_t
user_page_fault(uint64_t addr, unsigned access)
{
	struct task *t = current_thread()->th_task;

	if (!t->tk_map)
		return KERN_INVALID_ADDRESS;
	return vm_fault(t->tk_map, addr, access);
}

void
sched_preempt_point(void)
{
	if (current_thread()->th_task != &kernel_task)
		thread_safe_point();
}
