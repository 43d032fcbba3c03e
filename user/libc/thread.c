// SPDX-License-Identifier: GPL-2.0-or-later
/* User threads over thread_create and thread_set_state (user/libc/include/thread.h). */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_support.h>
#include <mach/thread_info.h>
#include <string.h>
#include <thread.h>
#include <traps.h>

static mach_port_t
self_task(void)
{
	static mach_port_t self = MACH_PORT_NULL;
	if (self == MACH_PORT_NULL)
		self = mach_task_self();
	return self;
}

/*
 * Where every thread starts, with fn, arg and own (this task or another)
 * in rdi, rsi and rdx, and rsp as after a call: its "return address" is 0.
 */
static __attribute__((noreturn, used)) void
uthread_entry(void (*fn)(void *), void *arg, long own)
{
	fn(arg);
	if (!own)
		syscall_task_terminate(mach_task_self());
	else
		thread_terminate(mach_thread_self());
	for (;;) /* the kernel refused: stay out of the way */
		swtch_pri(0);
}

kern_return_t
uthread_aim(struct uthread *t, void (*fn)(void *), void *arg)
{
	struct i386_thread_state st;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	/* The kernel's cs, ss and rflags for a user thread, from the new thread itself. */
	kern_return_t kr = thread_get_state(t->thread, i386_THREAD_STATE, (thread_state_t)&st, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	unsigned cs = st.cs, ss = st.ss;
	uint64_t rfl = st.rfl;
	memset(&st, 0, sizeof(st));
	st.cs = cs;
	st.ss = ss;
	st.rfl = rfl;
	st.rip = (uint64_t)uthread_entry;
	st.rdi = (uint64_t)fn;
	st.rsi = (uint64_t)arg;
	st.rdx = t->task == self_task();
	/* GNU Mach takes the user stack pointer from ursp (its rsp slot reads 0). */
	st.ursp = t->stack + UTHREAD_STACK_SIZE - 8;
	return thread_set_state(t->thread, i386_THREAD_STATE, (thread_state_t)&st,
	                        i386_THREAD_STATE_COUNT);
}

kern_return_t
uthread_create(mach_port_t task, void (*fn)(void *), void *arg, int start, struct uthread *t)
{
	memset(t, 0, sizeof(*t));
	t->task = task;
	/* The top 8 bytes hold the entry's return address 0: fresh memory is zero. */
	kern_return_t kr = vm_allocate(task, &t->stack, UTHREAD_STACK_SIZE, TRUE);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_create(task, &t->thread);
	if (kr != KERN_SUCCESS)
		goto no_thread;
	if (task == self_task() &&
	    mig_thread_register(t->stack, t->stack + UTHREAD_STACK_SIZE) != 0) {
		kr = KERN_RESOURCE_SHORTAGE;
		goto no_state;
	}
	kr = uthread_aim(t, fn, arg);
	if (kr != KERN_SUCCESS)
		goto no_state;
	if (start && (kr = thread_resume(t->thread)) != KERN_SUCCESS)
		goto no_state;
	return KERN_SUCCESS;
no_state:
	(void)thread_terminate(t->thread);
	/* Every reference under the name: the thread's own mach_thread_self() in uthread_entry
	 * added one to t->thread's, left as a dead name once it ended. */
	(void)mach_port_destroy(self_task(), t->thread);
	mig_thread_unregister(t->stack);
	t->thread = MACH_PORT_NULL;
no_thread:
	(void)vm_deallocate(task, t->stack, UTHREAD_STACK_SIZE);
	t->stack = 0;
	return kr;
}

kern_return_t
uthread_destroy(struct uthread *t)
{
	kern_return_t kr = thread_terminate(t->thread);
	/* A thread that ended has a dead port: there is nothing left to stop. */
	if (kr == MACH_SEND_INVALID_DEST)
		kr = KERN_SUCCESS;
	/* Every reference under the name: the thread's own mach_thread_self() in uthread_entry
	 * added one to t->thread's, left as a dead name once it ended. */
	(void)mach_port_destroy(self_task(), t->thread);
	if (t->task == self_task())
		mig_thread_unregister(t->stack);
	(void)vm_deallocate(t->task, t->stack, UTHREAD_STACK_SIZE);
	memset(t, 0, sizeof(*t));
	return kr;
}

void
uthread_sleep(unsigned ms)
{
	/* Nobody sends to it: every receive times out. Threads may share it. */
	static mach_port_t idle = MACH_PORT_NULL;
	if (idle == MACH_PORT_NULL)
		idle = mach_reply_port();
	(void)mach_msg(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 0, idle, ms, MACH_PORT_NULL);
}

int
uthread_wait_flag(volatile int *flag, unsigned ms)
{
	/* Timeouts are counted in clock ticks: 10 ms on GNU Mach. */
	for (unsigned waited = 0; !*flag && waited < ms; waited += 10)
		uthread_sleep(10);
	return *flag;
}

int
uthread_wait_blocked(mach_port_t thread, unsigned ms)
{
	for (unsigned waited = 0; waited <= ms; waited += 10) {
		struct thread_basic_info info;
		mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;
		if (thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &n) ==
		        KERN_SUCCESS &&
		    info.run_state == TH_STATE_WAITING)
			return 1;
		uthread_sleep(10);
	}
	return 0;
}
