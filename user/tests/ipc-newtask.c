// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The new-task notification (gnumach.defs' register_new_task_notification,
 * task_notify.defs' mach_notify_new_task): its error codes, then one
 * message per task_create, with send rights to the child and to this task.
 * Registration holds for the whole boot, so this program has a boot of its
 * own. argv[1] is the privileged host port (${host-port}). Checked on GNU
 * Mach first (tests/gnumach/ipc-tasks.t).
 */
#include <mach/gnumach.h>
#include <stdlib.h>

#include "ipc-util.h"

#define NEW_TASK_ID 4400 /* task_notify.defs */

/* The message as a task receives it: two send rights under its names. */
struct new_task_msg {
	mach_msg_header_t head;
	mach_msg_type_t task_type;
	mach_port_t task;
	uint32_t pad1;
	mach_msg_type_t parent_type;
	mach_port_t parent;
	uint32_t pad2;
};

static int
is_send_right_type(const mach_msg_type_t *t)
{
	return t->msgt_name == MACH_MSG_TYPE_PORT_SEND && t->msgt_size == 64 &&
	       t->msgt_number == 1 && t->msgt_inline && !t->msgt_longform && !t->msgt_deallocate;
}

/* Creates a task (inherit or not), receives its notification and checks every field. */
static void
one_child(mach_port_t notify, boolean_t inherit)
{
	const char *how = inherit ? "with this task's memory" : "empty";
	mach_port_t child = MACH_PORT_NULL;
	is_kr(task_create(self, inherit, &child), KERN_SUCCESS, "task_create (%s)", how);

	struct new_task_msg m;
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
	                                notify, 3000, MACH_PORT_NULL);
	show_header("notification", &m.head);
	is_kr(mr, MACH_MSG_SUCCESS, "a notification comes (%s)", how);
	tap_ok(m.head.msgh_id == NEW_TASK_ID && m.head.msgh_size == 64 &&
	           m.head.msgh_bits ==
	               (MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND)) &&
	           m.head.msgh_local_port == notify && m.head.msgh_remote_port == MACH_PORT_NULL,
	       "id 4400, 64 bytes, complex, on our port, no reply port");
	show_type("task", &m.task_type);
	tap_ok(is_send_right_type(&m.task_type) && is_send_right_type(&m.parent_type),
	       "two send rights, 64-bit, inline");
	tap_ok(m.task == child && m.parent == self,
	       "the task is the child (%u, %u), the parent this task (%u, %u)", m.task, child,
	       m.parent, self);
	/* task_create's right and the notification's share the name. */
	tap_is_int(urefs(child, MACH_PORT_RIGHT_SEND), 2, "the child's name holds 2 references");
	is_kr(task_terminate(child), KERN_SUCCESS, "task_terminate of the child");
	mach_port_mod_refs(self, child, MACH_PORT_RIGHT_DEAD_NAME, -2);
	mach_port_deallocate(self, self); /* the notification's reference to this task */
}

int
main(int argc, char **argv)
{
	ipc_init();
	tap_plan(22);
	mach_port_t host_priv = argc > 1 ? (mach_port_t)strtoul(argv[1], NULL, 0) : MACH_PORT_NULL;
	mach_port_t host = mach_host_self();
	mach_port_t notify = new_receive_send(), other = new_receive();

	/* Not the privileged port: the routine sees no host. The right sent is dropped. */
	is_kr(register_new_task_notification(host, notify, MACH_MSG_TYPE_COPY_SEND),
	      KERN_INVALID_HOST, "with the host port (not privileged): KERN_INVALID_HOST");
	mach_port_status_t st = pstatus(notify);
	tap_ok(st.mps_srights == 1, "the right sent went with the error (%u senders)",
	       st.mps_srights);
	/* A null port registers nothing, and says so with success, as GNU Mach does. */
	is_kr(register_new_task_notification(host_priv, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND),
	      KERN_SUCCESS, "a null port: KERN_SUCCESS, nothing registered");
	is_kr(register_new_task_notification(host_priv, notify, MACH_MSG_TYPE_MAKE_SEND),
	      KERN_SUCCESS, "with the privileged host port: KERN_SUCCESS");
	is_kr(register_new_task_notification(host_priv, other, MACH_MSG_TYPE_MAKE_SEND),
	      KERN_NO_ACCESS, "a second registration: KERN_NO_ACCESS");
	st = pstatus(other);
	tap_ok(st.mps_srights == 0, "its send right went with the error (%u senders)",
	       st.mps_srights);

	one_child(notify, FALSE);
	one_child(notify, TRUE);

	/* The kernel's messages pass a full queue: none is lost at a limit of 1. */
	is_kr(mach_port_set_qlimit(self, notify, 1), KERN_SUCCESS, "notification queue limit 1");
	mach_port_t kids[3];
	int made = 0;
	for (int i = 0; i < 3; i++)
		made += task_create(self, FALSE, &kids[i]) == KERN_SUCCESS;
	st = pstatus(notify);
	tap_ok(made == 3 && st.mps_msgcount == 3,
	       "3 tasks made, 3 notifications queued past the limit (%u)", st.mps_msgcount);
	for (int i = 0; i < made; i++) {
		struct new_task_msg m;
		msg_recv(&m.head, sizeof(m), notify);
		task_terminate(kids[i]);
		mach_port_mod_refs(self, kids[i], MACH_PORT_RIGHT_DEAD_NAME, -2);
		mach_port_deallocate(self, self);
	}
	mach_port_deallocate(self, host);
	return tap_done();
}
