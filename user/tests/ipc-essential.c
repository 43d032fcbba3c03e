// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Essential tasks (gnumach.defs' task_set_essential). GNU Mach 2025 only
 * records the mark: an essential task terminated, or dead of a fault, ends
 * like any other and the system runs on. Three children, named so that the
 * kernel's log tells them apart: ess-term (essential, terminated),
 * ess-crash (essential, its thread faults) and ess-cleared (marked, then
 * unmarked, terminated); then this task marks itself and ends. vmach logs
 * the end of the first two and of this task, which tests/qemu/ipc-tasks.t
 * asserts. Checked on GNU Mach first (tests/gnumach/ipc-tasks.t).
 */
#include <mach/gnumach.h>
#include <thread.h>

#include "ipc-util.h"

static void
fault(void *arg)
{
	volatile int *volatile bad = (int *)8;
	*bad = 1;
	for (;;)
		;
}

/* A child with a name; no memory of ours unless inherit. */
static mach_port_t
child(const char *name, boolean_t inherit)
{
	mach_port_t c = MACH_PORT_NULL;
	is_kr(task_create(self, inherit, &c), KERN_SUCCESS, "task_create %s", name);
	task_set_name(c, name);
	return c;
}

/* A dead-name request on c's task port: its notification says the task died. */
static mach_port_t
watch(mach_port_t c)
{
	mach_port_t notify = new_receive(), prev = MACH_PORT_NULL;
	mach_port_request_notification(self, c, MACH_NOTIFY_DEAD_NAME, 0, notify,
	                               MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	return notify;
}

static int
died(mach_port_t notify, mach_port_t c)
{
	mach_dead_name_notification_t dn;
	memset(&dn, 0, sizeof(dn));
	mach_msg_return_t mr = mach_msg(&dn.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
	                                sizeof(dn), notify, 3000, MACH_PORT_NULL);
	return mr == MACH_MSG_SUCCESS && dn.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME &&
	       dn.not_port == c;
}

/* The system still answers: an RPC and a message to ourselves. */
static int
alive(void)
{
	mach_port_t p = MACH_PORT_NULL;
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS)
		return 0;
	mach_msg_header_t h = {.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0),
	                       .msgh_size = sizeof(h),
	                       .msgh_remote_port = p};
	int ok = msg_send(&h, sizeof(h)) == MACH_MSG_SUCCESS &&
	         msg_recv(&h, sizeof(h), p) == MACH_MSG_SUCCESS;
	mach_port_destroy(self, p);
	return ok;
}

int
main(void)
{
	ipc_init();
	tap_plan(15);

	/* A simpleroutine: the stub returns the send's result. */
	mach_port_t term = child("ess-term", FALSE);
	is_kr(task_set_essential(term, TRUE), MACH_MSG_SUCCESS, "task_set_essential(ess-term)");
	mach_port_t n = watch(term);
	is_kr(task_terminate(term), KERN_SUCCESS, "task_terminate of the essential task");
	tap_ok(died(n, term), "it dies as any task does (dead-name notification)");
	tap_ok(alive(), "the system runs on");
	is_kr(task_set_essential(term, TRUE), MACH_SEND_INVALID_DEST,
	      "task_set_essential of the dead task: MACH_SEND_INVALID_DEST");

	mach_port_t crash = child("ess-crash", TRUE);
	is_kr(task_set_essential(crash, TRUE), MACH_MSG_SUCCESS, "task_set_essential(ess-crash)");
	n = watch(crash);
	struct uthread t;
	is_kr(uthread_create(crash, fault, NULL, 1, &t), KERN_SUCCESS,
	      "a thread in it that faults, with no exception port");
	tap_ok(died(n, crash), "the fault ends it (dead-name notification)");
	tap_ok(alive(), "the system runs on");

	mach_port_t cleared = child("ess-cleared", FALSE);
	task_set_essential(cleared, TRUE);
	is_kr(task_set_essential(cleared, FALSE), MACH_MSG_SUCCESS,
	      "ess-cleared marked, then unmarked");
	is_kr(task_terminate(cleared), KERN_SUCCESS, "task_terminate of it");

	/* Our own end, essential: the boot still ends as usual. */
	is_kr(task_set_essential(self, TRUE), MACH_MSG_SUCCESS, "this task marks itself");
	return tap_done();
}
