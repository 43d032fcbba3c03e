// SPDX-License-Identifier: GPL-2.0-or-later
/* The host environment of ipc/ tests (tests/host/ipc_host.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/ipc_host.h"
#include "host/kmalloc_host.h"
#include "kern/kmalloc.h"
#include "kern/wait.h"

struct ipc_host_note ipc_host_notes[IPC_HOST_NOTES];
unsigned ipc_host_nnotes;
unsigned ipc_host_msgs_freed;
unsigned ipc_host_wakes;

void
wait_wake(struct wait_event *ev)
{
	ipc_host_wakes++;
}

/*
 * Records the notification, then disposes of it as no delivery would:
 * the send-once right is released, a handed-over receive right destroyed.
 */
static void
record_notify(enum ipc_notify_kind kind, struct ipc_port *notify, mach_port_name_t name,
              struct ipc_port *port, mach_port_mscount_t mscount)
{
	if (ipc_host_nnotes < IPC_HOST_NOTES)
		ipc_host_notes[ipc_host_nnotes++] =
		    (struct ipc_host_note){kind, notify, name, port, mscount};
	ipc_port_sonce_release(notify);
	if (port)
		ipc_port_destroy(port);
}

static void
record_free(struct ipc_msg_head *m)
{
	ipc_host_msgs_freed++;
	kfree(m);
}

int
ipc_host_setup(void **state)
{
	ipc_notify_hook = record_notify;
	ipc_msg_free_hook = record_free;
	ipc_host_nnotes = 0;
	ipc_host_msgs_freed = 0;
	kmalloc_host_fail_at = -1;
	return 0;
}

int
ipc_host_teardown(void **state)
{
	assert_int_equal(ipc_port_count, 0);
	assert_int_equal(ipc_pset_count, 0);
	assert_int_equal(ipc_space_count, 0);
	assert_int_equal(kmalloc_host_live, 0);
	return 0;
}

struct ipc_port *
ipc_host_port(struct ipc_space *s, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(s, name);

	assert_non_null(e);
	return e->ie_object;
}

mach_port_name_t
ipc_host_alloc(struct ipc_space *s, mach_port_right_t right)
{
	mach_port_name_t n = 0;

	assert_int_equal(ipc_mach_port_allocate(s, right, &n), KERN_SUCCESS);
	return n;
}

mach_port_type_t
ipc_host_type(struct ipc_space *s, mach_port_name_t name)
{
	mach_port_type_t t = 0;

	assert_int_equal(ipc_mach_port_type(s, name, &t), KERN_SUCCESS);
	return t;
}
