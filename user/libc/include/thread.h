/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User threads over the Mach thread RPCs (user/libc/thread.c): a stack from
 * vm_allocate, thread_create, thread_set_state (i386_THREAD_STATE, the
 * layout of MACH-ABI.md "Threads and time") with rip, the user stack
 * pointer and the first two argument registers, then thread_resume.
 *
 * In this task, fn(arg) runs on its own stack; when it returns, the thread
 * terminates itself. Its MIG stubs get a reply port of their own
 * (mig_support.c finds the thread by the stack it runs on), but printf and
 * the TAP functions keep one line buffer per task: only one thread may
 * print.
 *
 * In another task (task_create with inherited memory, so the code is there
 * too), fn must use only traps and raw mach_msg: the copies of libc's
 * caches there (the task port's name, the reply ports) hold this task's
 * names, which mean nothing in the other space. When fn returns, the other
 * task ends (the task_terminate trap).
 */
#ifndef USER_THREAD_H
#define USER_THREAD_H

#include <mach/mach_types.h>
#include <mach/machine/thread_status.h>

#define UTHREAD_STACK_SIZE (64 * 1024)

struct uthread {
	mach_port_t task;   /* the task it runs in (not a reference of its own) */
	mach_port_t thread; /* a send right to the thread's kernel port */
	vm_address_t stack; /* UTHREAD_STACK_SIZE bytes in that task */
};

/*
 * Creates a thread in task that runs fn(arg). It is left suspended when
 * start is 0 (thread_resume starts it). Returns the first failing RPC's code.
 */
kern_return_t uthread_create(mach_port_t task, void (*fn)(void *), void *arg, int start,
                             struct uthread *t);

/*
 * Points the suspended thread t at fn(arg) on its own stack, all other
 * registers zero: what uthread_create does before it resumes.
 */
kern_return_t uthread_aim(struct uthread *t, void (*fn)(void *), void *arg);

/*
 * Terminates t if it still runs, frees its stack and its reply port and
 * drops every right under the thread port's name (the thread's own
 * mach_thread_self() added one). The return is thread_terminate's, KERN_SUCCESS
 * when the thread had ended already.
 */
kern_return_t uthread_destroy(struct uthread *t);

/* Waits about ms milliseconds (a receive that times out). */
void uthread_sleep(unsigned ms);

/*
 * Waits until *flag is non-zero, for about ms milliseconds at most;
 * returns the flag.
 */
int uthread_wait_flag(volatile int *flag, unsigned ms);

/*
 * Waits until thread (a send right to a thread's port) is blocked
 * (TH_STATE_WAITING), for about ms milliseconds at most; returns whether it is.
 */
int uthread_wait_blocked(mach_port_t thread, unsigned ms);

#endif
