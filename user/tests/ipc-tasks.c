// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tasks: task_create with and without this task's memory, a thread started
 * in the child (thread_create and thread_set_state, user/libc/thread.c),
 * RPCs between the two tasks over a send right inserted into the child's
 * space, task_info, task_threads, task_suspend/resume seen in the child's
 * messages, task_terminate and the child's death as a dead-name
 * notification and a MACH_SEND_INVALID_DEST. Checked on GNU Mach first
 * (tests/gnumach/ipc-tasks.t).
 */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/notify.h>
#include <mach/task_info.h>
#include <string.h>
#include <tap.h>
#include <thread.h>
#include <traps.h>

#define CHILD_SERVER_NAME 0x55 /* the send right's name in the child's space */
#define REQ_ID 5000
#define REPORT_ID 5001
#define PING_ID 5002
#define ROUNDS 200

struct int_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t value;
};

static mach_port_t self;
/* Changed after the child is created: the child keeps its copy. */
static volatile int64_t marker = 0x1234;

static void
make_msg(struct int_msg *m, mach_port_t dest, mach_msg_bits_t bits, int id, int64_t v)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = bits;
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = id;
	m->type.msgt_name = MACH_MSG_TYPE_INTEGER_64;
	m->type.msgt_size = 64;
	m->type.msgt_number = 1;
	m->type.msgt_inline = 1;
	m->value = v;
}

/*
 * The child's thread: traps and mach_msg only (thread.h). ROUNDS calls to
 * the parent, a report of how many were right that carries a send right to
 * a port of the child's, then a ping every 10 ms until the task ends.
 */
static void
child_main(void *arg)
{
	mach_port_t server = (mach_port_t)(uintptr_t)arg;
	mach_port_t reply = mach_reply_port(), mine = mach_reply_port();
	struct int_msg m;
	int good = 0;
	for (int i = 0; i < ROUNDS; i++) {
		make_msg(&m, server,
		         MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		         REQ_ID, i);
		m.head.msgh_local_port = reply;
		if (mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m), sizeof(m), reply, 0,
		             MACH_PORT_NULL) == MACH_MSG_SUCCESS &&
		    m.head.msgh_id == REQ_ID + 100 && m.value == i * 7 + 1)
			good++;
	}
	make_msg(&m, server, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND),
	         REPORT_ID, good);
	m.head.msgh_local_port = mine;
	mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	for (int64_t n = 0;; n++) {
		make_msg(&m, server, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), PING_ID, n);
		mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
		mach_msg(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 0, reply, 10, MACH_PORT_NULL);
	}
}

/* Receives one message on port within ms; returns its id, or -mr. */
static int
receive(mach_port_t port, struct int_msg *m, unsigned ms)
{
	memset(m, 0, sizeof(*m));
	mach_msg_return_t mr =
	    mach_msg(&m->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port, ms, 0);
	return mr == MACH_MSG_SUCCESS ? m->head.msgh_id : -(int)mr;
}

/* Pings that arrive within ms milliseconds. */
static int
count_pings(mach_port_t port, unsigned ms)
{
	struct int_msg m;
	int n = 0;
	for (unsigned waited = 0; waited < ms; waited += 10)
		while (receive(port, &m, 10) == PING_ID)
			n++;
	return n;
}

static void
test_empty_child(void)
{
	mach_port_t empty = MACH_PORT_NULL;
	tap_is_int(task_create(self, FALSE, &empty), KERN_SUCCESS,
	           "task_create without this task's memory");
	vm_offset_t data = 0;
	mach_msg_type_number_t n = 0;
	tap_is_int(vm_read(empty, (vm_address_t)&marker & ~4095ul, 4096, &data, &n),
	           KERN_INVALID_ADDRESS, "vm_read of this task's data there: KERN_INVALID_ADDRESS");
	thread_array_t threads = 0;
	kern_return_t kr = task_threads(empty, &threads, &n);
	tap_ok(kr == KERN_SUCCESS && n == 0, "task_threads: none (kr %d, %u)", kr, n);
	tap_is_int(task_terminate(empty), KERN_SUCCESS, "task_terminate of it");
	struct task_basic_info info;
	n = TASK_BASIC_INFO_COUNT;
	tap_is_int(task_info(empty, TASK_BASIC_INFO, (task_info_t)&info, &n),
	           MACH_SEND_INVALID_DEST, "task_info after: MACH_SEND_INVALID_DEST");
	mach_port_deallocate(self, empty);
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(26);
	test_empty_child();

	mach_port_t child = MACH_PORT_NULL, server = MACH_PORT_NULL, notify = MACH_PORT_NULL;
	tap_is_int(task_create(self, TRUE, &child), KERN_SUCCESS,
	           "task_create with this task's memory");
	marker = 0x5678;
	vm_offset_t data = 0;
	mach_msg_type_number_t n = 0;
	vm_address_t page = (vm_address_t)&marker & ~4095ul;
	kern_return_t kr = vm_read(child, page, 4096, &data, &n);
	int64_t theirs =
	    kr == KERN_SUCCESS ? *(int64_t *)(data + ((vm_address_t)&marker - page)) : 0;
	tap_ok(kr == KERN_SUCCESS && n == 4096 && theirs == 0x1234,
	       "the child has a copy of the memory as it was (kr %d, %#lx)", kr, (long)theirs);
	if (kr == KERN_SUCCESS)
		vm_deallocate(self, data, n);

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &server);
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &notify);
	tap_is_int(
	    mach_port_insert_right(child, CHILD_SERVER_NAME, server, MACH_MSG_TYPE_MAKE_SEND),
	    KERN_SUCCESS, "insert a send right into the child's space");
	mach_port_type_t type = 0;
	mach_port_type(child, CHILD_SERVER_NAME, &type);
	tap_is_int(type, MACH_PORT_TYPE_SEND, "the child holds it as a send right");

	struct uthread t;
	tap_is_int(uthread_create(child, child_main, (void *)(uintptr_t)CHILD_SERVER_NAME, 1, &t),
	           KERN_SUCCESS, "a thread in the child (thread_create, thread_set_state)");

	struct int_msg m;
	int served = 0, once = 0;
	for (int i = 0; i < ROUNDS; i++) {
		if (receive(server, &m, 3000) != REQ_ID)
			break;
		once += MACH_MSGH_BITS_REMOTE(m.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE;
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.head.msgh_local_port = MACH_PORT_NULL;
		m.head.msgh_id += 100;
		m.value = m.value * 7 + 1;
		if (mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0) == MACH_MSG_SUCCESS)
			served++;
	}
	tap_ok(served == ROUNDS && once == ROUNDS,
	       "%d RPCs from the child served, send-once replies", served);
	int id = receive(server, &m, 3000);
	tap_ok(id == REPORT_ID && m.value == ROUNDS, "the child checked every reply (%ld of %d)",
	       (long)m.value, ROUNDS);
	mach_port_t theirs_port = m.head.msgh_remote_port;
	type = 0;
	mach_port_type(self, theirs_port, &type);
	tap_ok(id == REPORT_ID && type == MACH_PORT_TYPE_SEND,
	       "its report brought a send right to a port of the child's (%u, type %#x)",
	       theirs_port, type);
	mach_port_t prev = MACH_PORT_NULL;
	tap_is_int(mach_port_request_notification(self, theirs_port, MACH_NOTIFY_DEAD_NAME, 0,
	                                          notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
	           KERN_SUCCESS, "a dead-name request on it");

	struct task_basic_info info;
	n = TASK_BASIC_INFO_COUNT;
	kr = task_info(child, TASK_BASIC_INFO, (task_info_t)&info, &n);
	tap_ok(kr == KERN_SUCCESS && info.suspend_count == 0 && info.virtual_size > 0,
	       "task_info: suspend count 0, virtual size %lu (kr %d)",
	       (unsigned long)info.virtual_size, kr);
	thread_array_t threads = 0;
	kr = task_threads(child, &threads, &n);
	tap_ok(kr == KERN_SUCCESS && n == 1 && threads[0] == t.thread,
	       "task_threads: one, under the name thread_create gave (kr %d, %u)", kr, n);
	if (kr == KERN_SUCCESS) {
		for (mach_msg_type_number_t i = 0; i < n; i++)
			mach_port_deallocate(self, threads[i]);
		vm_deallocate(self, (vm_address_t)threads, n * sizeof(*threads));
	}

	int pings = count_pings(server, 100);
	tap_ok(pings > 0, "the child pings (%d)", pings);
	tap_is_int(task_suspend(child), KERN_SUCCESS, "task_suspend");
	n = TASK_BASIC_INFO_COUNT;
	task_info(child, TASK_BASIC_INFO, (task_info_t)&info, &n);
	tap_is_int(info.suspend_count, 1, "task_info: suspend count 1");
	count_pings(server, 30); /* one may have been on its way */
	int suspended = count_pings(server, 200);
	tap_ok(pings > 0 && suspended == 0, "no ping while suspended (%d)", suspended);
	tap_is_int(task_resume(child), KERN_SUCCESS, "task_resume");
	tap_ok(count_pings(server, 200) > 0, "the pings come again");

	tap_is_int(task_terminate(child), KERN_SUCCESS, "task_terminate of the child");
	mach_dead_name_notification_t dn;
	memset(&dn, 0, sizeof(dn));
	mach_msg_return_t mr = mach_msg(&dn.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
	                                sizeof(dn), notify, 3000, MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && dn.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME &&
	           dn.not_port == theirs_port,
	       "its port's death comes as a dead-name notification (mr %#x, id %d, name %u)", mr,
	       dn.not_header.msgh_id, dn.not_port);
	make_msg(&m, theirs_port, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 1, 0);
	tap_is_int(mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0), MACH_SEND_INVALID_DEST,
	           "a send to it: MACH_SEND_INVALID_DEST");
	type = 0;
	mach_port_type(self, child, &type);
	tap_is_int(type, MACH_PORT_TYPE_DEAD_NAME, "the child's task port name is a dead name");
	return tap_done();
}
