// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ipc bench's echo server and the helpers that start it as a second
 * thread or in a child task (user/bench/ipc-bench.h). The server calls the
 * mach_msg trap itself: it shares no MIG reply port with the client (the
 * cache in user/libc/mig_support.c is per task) and, in a child task, has
 * no port names but its receive right and the reply rights that come with
 * requests.
 */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_support.h>
#include <mach/x86_64/thread_status.h>
#include <traps.h>

#include "ipc-bench.h"

#define STACK_SIZE (64 * 1024)

/* The child task's own port name, for the server's vm_deallocate. */
static mach_port_t child_self;

_Noreturn void
ipc_bench_serve(uint64_t port)
{
	union {
		mach_msg_header_t head;
		struct ipc_bench_inline in;
		struct ipc_bench_ool ool;
	} m;
	mach_msg_return_t r = mach_msg_trap(&m.head, MACH_RCV_MSG, 0, sizeof(m), port, 0, 0);

	for (;;) {
		mach_msg_size_t size = sizeof(m.head);
		mach_msg_bits_t complex = 0;
		uint64_t pages;

		if (r != MACH_MSG_SUCCESS) {
			/* A failed send (a dead reply right) did not receive: receive alone. */
			r = mach_msg_trap(&m.head, MACH_RCV_MSG, 0, sizeof(m), port, 0, 0);
			continue;
		}
		switch (m.head.msgh_id) {
		case IPC_BENCH_ECHO_MOVE:
			m.ool.type.msgt_deallocate = 1;
			/* fall through */
		case IPC_BENCH_ECHO:
			size = m.head.msgh_size;
			complex = m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX;
			break;
		case IPC_BENCH_TOUCH:
			/* The region stays mapped: each write is a copy-on-write fault. */
			pages = (uint64_t)m.ool.type.msgt_number * m.ool.type.msgt_size / 8 /
			        IPC_BENCH_PAGE;
			for (uint64_t i = 0; i < pages; i++)
				((volatile uint8_t *)m.ool.address)[i * IPC_BENCH_PAGE] = 1;
			break;
		case IPC_BENCH_SINK_FREE:
			/* A failed deallocation answers under another id: the client sees it. */
			if (vm_deallocate(child_self, m.ool.address,
			                  (vm_size_t)m.ool.type.msgt_number * m.ool.type.msgt_size /
			                      8) != KERN_SUCCESS)
				m.head.msgh_id += 100;
			break;
		default:
			/* NULL, SINK: a bare header (a SINK's copy stays mapped, untouched). */
			break;
		}
		/* The reply goes on the request's send-once right, which the message moves. */
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) | complex;
		m.head.msgh_size = size;
		m.head.msgh_local_port = MACH_PORT_NULL;
		m.head.msgh_id += 100;
		r = mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, size, sizeof(m), port, 0,
		                  0);
	}
}

kern_return_t
ipc_bench_thread_start(mach_port_t task, void (*entry)(uint64_t), uint64_t arg, mach_port_t *thread)
{
	struct i386_thread_state st;
	mach_msg_type_number_t count = i386_THREAD_STATE_COUNT;
	vm_address_t stack = 0;
	kern_return_t kr;

	kr = vm_allocate(task, &stack, STACK_SIZE, TRUE);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_create(task, thread);
	if (kr != KERN_SUCCESS)
		return kr;
	/* The kernel's initial state gives the user segments and flags; set the rest. */
	kr = thread_get_state(*thread, i386_THREAD_STATE, (thread_state_t)&st, &count);
	if (kr == KERN_SUCCESS) {
		st.rip = (uint64_t)entry;
		st.rdi = arg;
		st.rbp = 0;
		/* As after a call: rsp + 8 is 16-byte aligned at the entry. */
		st.ursp = stack + STACK_SIZE - 8;
		kr = thread_set_state(*thread, i386_THREAD_STATE, (thread_state_t)&st, count);
	}
	if (kr == KERN_SUCCESS)
		kr = thread_resume(*thread);
	if (kr != KERN_SUCCESS)
		(void)thread_terminate(*thread);
	return kr;
}

/*
 * The child's thread: its memory is the parent's, MIG's reply port cache
 * included, whose name means nothing here; start the stubs afresh.
 */
static _Noreturn void
child_entry(uint64_t port)
{
	mig_init(NULL);
	child_self = mach_task_self();
	ipc_bench_serve(port);
}

kern_return_t
ipc_bench_task_start(mach_port_t port, mach_port_name_t name, mach_port_t *task)
{
	mach_port_t thread;
	kern_return_t kr;

	/* The child's memory is a copy of ours: the server's code is there. */
	kr = task_create(mach_task_self(), TRUE, task);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_insert_right(*task, name, port, MACH_MSG_TYPE_MOVE_RECEIVE);
	if (kr == KERN_SUCCESS)
		kr = ipc_bench_thread_start(*task, child_entry, name, &thread);
	if (kr != KERN_SUCCESS)
		(void)task_terminate(*task);
	return kr;
}
