// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipc/ in the test image, under the lock checker: every lock nesting the
 * core has (space, set, port, heap, the wake-ups) taken in a real kernel
 * thread, with results checked. Run by tests/qemu/ipc.t.
 */
#include "debug/ktest.h"
#include "ipc/ipc_pset.h"
#include "ipc/mach_port.h"

KTEST(ipc_core, "ipc core: rights, sets, notifications and teardown under the lock checker")
{
	struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
	mach_port_name_t r = 0, ps = 0, nn = 0;
	mach_port_type_t t = 0;
	mach_port_urefs_t u = 0;
	struct ipc_port *notify, *prev;
	struct ipc_copyin_undo cu;
	mach_msg_type_name_t type;
	long ports = ipc_port_count;

	ktap_plan(7);
	ktap_ok(a && b && ipc_mach_port_allocate(a, MACH_PORT_RIGHT_RECEIVE, &r) == KERN_SUCCESS &&
	            r == 1,
	        "a receive right under name 1");
	ktap_ok(ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &ps) == KERN_SUCCESS &&
	            ipc_mach_port_move_member(a, r, ps) == KERN_SUCCESS,
	        "moved into a port set");
	ktap_ok(
	    ipc_mach_port_insert_right_from(b, 5, a, r, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
	        ipc_mach_port_insert_right_from(b, 5, a, r, MACH_MSG_TYPE_MAKE_SEND) ==
	            KERN_SUCCESS &&
	        ipc_mach_port_get_refs(b, 5, MACH_PORT_RIGHT_SEND, &u) == KERN_SUCCESS && u == 2,
	    "two send rights in another space share one name");
	ipc_mach_port_allocate(b, MACH_PORT_RIGHT_RECEIVE, &nn);
	ipc_right_copyin(b, nn, MACH_MSG_TYPE_MAKE_SEND_ONCE, &notify, &type, &cu);
	ktap_ok(ipc_mach_port_request_notification(b, 5, MACH_NOTIFY_DEAD_NAME, 0, notify, &prev) ==
	                KERN_SUCCESS &&
	            prev == NULL,
	        "dead-name request recorded");
	ktap_ok(ipc_mach_port_destroy(a, r) == KERN_SUCCESS &&
	            ipc_mach_port_type(b, 5, &t) == KERN_SUCCESS && t == MACH_PORT_TYPE_DEAD_NAME,
	        "the receive right destroyed: a dead name in the other space");
	ktap_ok(ipc_mach_port_get_refs(b, 5, MACH_PORT_RIGHT_DEAD_NAME, &u) == KERN_SUCCESS &&
	            u == 3,
	        "the dead name kept its references, plus the notification's");
	ipc_space_destroy(a);
	ipc_space_destroy(b);
	ktap_ok(ipc_port_count == ports, "every port freed with the spaces");
}
