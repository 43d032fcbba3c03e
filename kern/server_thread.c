// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The thread routines of mach.defs (kern/ipc_kobject.h): creation,
 * termination, suspension, abort, machine state, information and special
 * ports. A request port that names no thread: KERN_INVALID_ARGUMENT, as
 * GNU Mach answers.
 */
#include <mach/thread_special_ports.h>

#include "kern/ipc_tt.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "mig/mach_server.h"

kern_return_t
S_thread_create(task_t task, thread_t *child)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	return thread_create(task, child);
}

/* On itself, the thread ends on its way back to user mode: the RPC completes first. */
kern_return_t
S_thread_terminate(thread_t th)
{
	if (!th || th->th_task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	thread_terminate(th);
	return KERN_SUCCESS;
}

kern_return_t
S_thread_suspend(thread_t th)
{
	if (!th || th->th_task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	return thread_suspend(th);
}

kern_return_t
S_thread_resume(thread_t th)
{
	if (!th || th->th_task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	return thread_resume(th);
}

kern_return_t
S_thread_abort(thread_t th)
{
	if (!th)
		return KERN_INVALID_ARGUMENT;
	return thread_abort(th);
}

/*
 * GNU Mach stops the thread while it reads or writes its state, and
 * refuses the caller's own (it is running). vmach's machine state is the
 * saved user frame, which a thread in the kernel or stopped does not touch.
 */
kern_return_t
S_thread_get_state(thread_t th, int flavor, thread_state_t state, mach_msg_type_number_t *count)
{
	if (!th || th == current_thread() || th->th_task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	return machine_thread_get_state(&th->th_machine, flavor, (uint32_t *)state, count);
}

kern_return_t
S_thread_set_state(thread_t th, int flavor, const thread_state_t state,
                   mach_msg_type_number_t count)
{
	if (!th || th == current_thread() || th->th_task == &kernel_task)
		return KERN_INVALID_ARGUMENT;
	return machine_thread_set_state(&th->th_machine, flavor, (const uint32_t *)state, count);
}

static int
run_state(unsigned state)
{
	if (state & (TH_SUSP | TH_TERMINATED))
		return TH_STATE_STOPPED;
	if ((state & TH_WAIT) && (state & TH_UNINT))
		return TH_STATE_UNINTERRUPTIBLE;
	if (state & TH_WAIT)
		return TH_STATE_WAITING;
	return TH_STATE_RUNNING;
}

static void
basic_info(thread_t th, struct thread_basic_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->base_priority = th->th_base_pri;
	bi->cur_priority = th->th_sched_pri;
	bi->run_state = run_state(thread_state(th));
	bi->flags = (th->th_state & TH_IDLE) ? TH_FLAGS_IDLE : 0;
	bi->suspend_count = th->th_suspend_count;
}

static void
sched_info(thread_t th, struct thread_sched_info *si)
{
	memset(si, 0, sizeof(*si));
	si->policy = 1; /* POLICY_TIMESHARE */
	si->base_priority = th->th_base_pri;
	si->max_priority = BASEPRI_USER;
	si->cur_priority = th->th_sched_pri;
	si->depressed = th->th_depressed;
	si->depress_priority = th->th_depressed ? th->th_base_pri : 0;
}

/* The fields before the 64-bit times: what callers built before 2023 ask for. */
#define THREAD_BASIC_INFO_OLD_COUNT                                                                \
	(offsetof(struct thread_basic_info, user_time64) / sizeof(natural_t))

kern_return_t
S_thread_info(thread_t th, int flavor, thread_info_t out, mach_msg_type_number_t *count)
{
	if (!th)
		return KERN_INVALID_ARGUMENT;
	if (flavor == THREAD_BASIC_INFO) {
		struct thread_basic_info bi;
		if (*count < THREAD_BASIC_INFO_OLD_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (*count > THREAD_BASIC_INFO_COUNT)
			*count = THREAD_BASIC_INFO_COUNT;
		basic_info(th, &bi);
		memcpy(out, &bi, *count * sizeof(natural_t));
		return KERN_SUCCESS;
	}
	if (flavor == THREAD_SCHED_INFO) {
		struct thread_sched_info si;
		if (*count < THREAD_SCHED_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		*count = THREAD_SCHED_INFO_COUNT;
		sched_info(th, &si);
		memcpy(out, &si, sizeof(si));
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

kern_return_t
S_thread_get_special_port(thread_t th, int which, ipc_port_t *port)
{
	if (!th)
		return KERN_INVALID_ARGUMENT;
	return ipc_thread_get_special(th, which, port);
}

kern_return_t
S_thread_set_special_port(thread_t th, int which, ipc_port_t port)
{
	if (!th)
		return KERN_INVALID_ARGUMENT;
	return ipc_thread_set_special(th, which, port);
}
