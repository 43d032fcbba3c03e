// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User-mode exceptions and page faults (kern/user_entry.h). An exception
 * becomes an exception_raise message (exc.defs, 112 bytes: MACH-ABI.md)
 * to the thread's exception port, then, if there is none or its handler
 * answers with an error, to the task's. A KERN_SUCCESS reply resumes the
 * thread (with whatever state the handler set). With no port left, the
 * task is terminated with one log line naming the task, the thread, what
 * happened, the address and pc.
 */
#include <mach/exception.h>
#include <mach/mig_errors.h>
#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>

#include "ipc/ipc_mqueue.h"
#include "kern/ipc_tt.h"
#include "kern/log.h"
#include "kern/string.h"
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

/* exception_raise as GNU Mach's kernel sends it (exc.defs, x86_64). */
#define EXC_RAISE_ID 2400
struct exc_raise_msg {
	mach_msg_header_t head;
	mach_msg_type_t thread_type;
	uint64_t thread; /* port pointers in kernel form */
	mach_msg_type_t task_type;
	uint64_t task;
	mach_msg_type_t exception_type;
	uint64_t exception; /* 32-bit, padded */
	mach_msg_type_t code_type;
	uint64_t code;
	mach_msg_type_t subcode_type;
	uint64_t subcode;
};
_Static_assert(sizeof(struct exc_raise_msg) == 112, "MACH-ABI.md: 112 bytes");

static void
put_port(void *slot, struct ipc_port *p)
{
	memcpy(slot, &p, sizeof p);
}

static mach_msg_type_t
inline_type(unsigned name, unsigned bits)
{
	return (mach_msg_type_t){
	    .msgt_name = name, .msgt_size = bits, .msgt_number = 1, .msgt_inline = 1};
}

/*
 * Sends exception_raise to port (a send right, consumed) and waits for the
 * reply: its return code, or KERN_FAILURE when no reply comes (the handler
 * dropped the reply right), or KERN_ABORTED when the wait is interrupted.
 */
static kern_return_t
exception_raise(struct ipc_port *port, int exception, int code, uint64_t subcode)
{
	struct thread *th = current_thread();
	struct ipc_kmsg km;
	bool have_msg = ipc_kmsg_alloc(&ipc_kernel_msg_ops, sizeof(struct exc_raise_msg), &km);
	struct exc_raise_msg *m = (struct exc_raise_msg *)km.buf;
	struct ipc_port *reply = ipc_port_alloc();
	kern_return_t kr = KERN_FAILURE;

	if (!have_msg || !reply) {
		if (have_msg)
			ipc_kmsg_free(&ipc_kernel_msg_ops, &km);
		if (reply)
			ipc_port_destroy(reply);
		ipc_port_send_release(port);
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS_COMPLEX |
	                    MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_id = EXC_RAISE_ID;
	put_port((uint8_t *)m + 8, port);
	spin_lock(&reply->ip_lock);
	reply->ip_sorights++;
	reply->ip_refs++;
	spin_unlock(&reply->ip_lock);
	put_port((uint8_t *)m + 16, reply);
	m->thread_type = inline_type(MACH_MSG_TYPE_PORT_SEND, 64);
	put_port(&m->thread, ipc_thread_make_send(th));
	m->task_type = inline_type(MACH_MSG_TYPE_PORT_SEND, 64);
	put_port(&m->task, ipc_task_make_send(th->th_task));
	m->exception_type = inline_type(MACH_MSG_TYPE_INTEGER_32, 32);
	m->exception = (uint32_t)exception;
	m->code_type = inline_type(MACH_MSG_TYPE_INTEGER_32, 32);
	m->code = (uint32_t)code;
	m->subcode_type = inline_type(MACH_MSG_TYPE_INTEGER_64, 64);
	m->subcode = subcode;

	mach_msg_return_t mr = ipc_mqueue_send(&km, 0, 0);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_kmsg_destroy(&ipc_kernel_msg_ops, &km);
		kr = mr == MACH_SEND_INTERRUPTED ? KERN_ABORTED : KERN_FAILURE;
	} else {
		struct ipc_kmsg rep;
		mr = ipc_mqueue_receive_kernel(reply, &rep);
		if (mr == MACH_RCV_INTERRUPTED)
			kr = KERN_ABORTED;
		if (mr == MACH_MSG_SUCCESS) {
			const mach_msg_header_t *h = (const mach_msg_header_t *)rep.buf;
			if (h->msgh_id == EXC_RAISE_ID + 100 &&
			    rep.size >= sizeof(mig_reply_header_t))
				kr = ((const mig_reply_header_t *)rep.buf)->RetCode;
			/* The reply came on its send-once right to us: used, not destroyed. */
			struct ipc_port *none = NULL;
			if (MACH_MSGH_BITS_REMOTE(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE)
				ipc_port_sonce_release(reply);
			else
				ipc_port_send_release(reply);
			put_port(rep.buf + 8, none);
			ipc_kmsg_destroy(&ipc_kernel_msg_ops, &rep);
		}
	}
	ipc_port_destroy(reply);
	return kr;
}

/* Raises the exception at the thread's port, then the task's: true when a handler took it. */
static bool
exception_deliver(int exception, int code, uint64_t subcode)
{
	struct thread *th = current_thread();
	struct ipc_port *port = NULL;
	kern_return_t kr;

	ipc_thread_get_special(th, THREAD_EXCEPTION_PORT, &port);
	if (IPC_PORT_VALID(port)) {
		kr = exception_raise(port, exception, code, subcode);
		if (kr == KERN_SUCCESS || kr == KERN_ABORTED)
			return true; /* aborted: the thread runs the instruction again, or ends */
	}
	port = NULL;
	ipc_task_get_special(th->th_task, TASK_EXCEPTION_PORT, &port);
	if (IPC_PORT_VALID(port)) {
		kr = exception_raise(port, exception, code, subcode);
		if (kr == KERN_SUCCESS || kr == KERN_ABORTED)
			return true;
	}
	return false;
}

void
user_exception(int exception, int code, uint64_t subcode, uint64_t pc)
{
	struct thread *th = current_thread();
	struct task *t = th->th_task;

	if (exception_deliver(exception, code, subcode))
		return;
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
