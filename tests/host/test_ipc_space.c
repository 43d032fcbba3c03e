// SPDX-License-Identifier: GPL-2.0-or-later
/* Host tests of ipc/ name spaces and the mach_port routines on names and references. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/ipc_host.h"
#include "ipc/ipc_right.h"
#include "ipc/mach_port.h"
#include "host/kmalloc_host.h"
#include "kern/kmalloc.h"

static mach_port_urefs_t
refs(struct ipc_space *s, mach_port_name_t n, mach_port_right_t r)
{
	mach_port_urefs_t u = 12345;

	assert_int_equal(ipc_mach_port_get_refs(s, n, r, &u), KERN_SUCCESS);
	return u;
}

/* Names come lowest first; freed names come back last-freed first. */
static void
test_name_order(void **state)
{
	struct ipc_space *s = ipc_space_create();

	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE), 1);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET), 2);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME), 3);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE), 4);
	assert_int_equal(ipc_mach_port_destroy(s, 2), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_destroy(s, 1), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_destroy(s, 3), KERN_SUCCESS);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE), 3);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE), 1);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE), 2);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE), 5);
	assert_int_equal(ipc_port_count, 5);
	ipc_space_destroy(s);
}

/* The table grows far past its first size, names staying dense. */
static void
test_table_grows(void **state)
{
	struct ipc_space *s = ipc_space_create();

	for (mach_port_name_t i = 1; i <= 3000; i++)
		assert_int_equal(
		    ipc_host_alloc(s, i % 2 ? MACH_PORT_RIGHT_RECEIVE : MACH_PORT_RIGHT_DEAD_NAME),
		    i);
	for (mach_port_name_t i = 1; i <= 3000; i++)
		assert_int_equal(ipc_host_type(s, i),
		                 i % 2 ? MACH_PORT_TYPE_RECEIVE : MACH_PORT_TYPE_DEAD_NAME);
	assert_int_equal(ipc_port_count, 1500);
	ipc_space_destroy(s);
}

static void
test_allocate_errors(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t n;

	assert_int_equal(ipc_mach_port_allocate(s, MACH_PORT_RIGHT_SEND, &n), KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_allocate(s, MACH_PORT_RIGHT_SEND_ONCE, &n),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_allocate(s, 77, &n), KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, 10), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_allocate_name(s, MACH_PORT_RIGHT_DEAD_NAME, 10),
	                 KERN_NAME_EXISTS);
	assert_int_equal(ipc_host_type(s, 10), MACH_PORT_TYPE_RECEIVE);
	/* The names skipped to reach 10 are handed out lowest first. */
	for (mach_port_name_t i = 1; i < 10; i++)
		assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME), i);
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME), 11);
	/* Out of memory: nothing taken, the same name comes next. */
	kmalloc_host_fail_at = kmalloc_host_calls;
	assert_int_equal(ipc_mach_port_allocate(s, MACH_PORT_RIGHT_RECEIVE, &n),
	                 KERN_RESOURCE_SHORTAGE);
	kmalloc_host_fail_at = -1;
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET), 12);
	kmalloc_host_fail_at = kmalloc_host_calls;
	assert_int_equal(ipc_mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, 20),
	                 KERN_RESOURCE_SHORTAGE);
	kmalloc_host_fail_at = -1;
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME), 13);
	ipc_space_destroy(s);
}

static void
test_type_and_names(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t *names;
	mach_port_type_t *types, t;
	unsigned count;

	ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET);
	ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
	assert_int_equal(ipc_mach_port_destroy(s, 2), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_type(s, 2, &t), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_type(s, 99, &t), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_type(s, MACH_PORT_NULL, &t), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_names(s, &names, &types, &count), KERN_SUCCESS);
	assert_int_equal(count, 2);
	assert_int_equal(names[0], 1);
	assert_int_equal(types[0], MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(names[1], 3);
	assert_int_equal(types[1], MACH_PORT_TYPE_DEAD_NAME);
	kfree(names);
	kfree(types);
	ipc_space_destroy(s);
}

/* One send right per port per space: a second one adds a user reference. */
static void
test_send_urefs(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	struct ipc_port *p = ipc_host_port(s, r);

	assert_int_equal(ipc_mach_port_insert_right_from(s, r, s, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_host_type(s, r), MACH_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(refs(s, r, MACH_PORT_RIGHT_SEND), 1);
	assert_int_equal(refs(s, r, MACH_PORT_RIGHT_RECEIVE), 1);
	assert_int_equal(refs(s, r, MACH_PORT_RIGHT_SEND_ONCE), 0);
	assert_int_equal(p->ip_srights, 1);
	assert_int_equal(p->ip_mscount, 1);
	assert_int_equal(ipc_mach_port_insert_right_from(s, r, s, r, MACH_MSG_TYPE_COPY_SEND),
	                 KERN_SUCCESS);
	assert_int_equal(refs(s, r, MACH_PORT_RIGHT_SEND), 2);
	assert_int_equal(p->ip_srights, 1);
	/* Up to the maximum, and no further. */
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, IPC_UREFS_MAX - 2),
	                 KERN_SUCCESS);
	assert_int_equal(refs(s, r, MACH_PORT_RIGHT_SEND), IPC_UREFS_MAX);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, 1),
	                 KERN_UREFS_OVERFLOW);
	assert_int_equal(ipc_mach_port_insert_right_from(s, r, s, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_UREFS_OVERFLOW);
	/* The failed insert was undone: counts as before. */
	assert_int_equal(p->ip_srights, 1);
	assert_int_equal(p->ip_mscount, 1);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, -IPC_UREFS_MAX - 1),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, -IPC_UREFS_MAX + 1),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_deallocate(s, r), KERN_SUCCESS);
	assert_int_equal(ipc_host_type(s, r), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(p->ip_srights, 0);
	assert_int_equal(ipc_mach_port_deallocate(s, r), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_deallocate(s, 50), KERN_INVALID_NAME);
	ipc_space_destroy(s);
}

static void
test_mod_refs_rules(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t ps = ipc_host_alloc(s, MACH_PORT_RIGHT_PORT_SET);
	mach_port_name_t d = ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
	mach_port_urefs_t u;

	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_NUMBER, 0),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_get_refs(s, r, MACH_PORT_RIGHT_NUMBER, &u),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_mod_refs(s, 40, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_DEAD_NAME, 1),
	                 KERN_INVALID_RIGHT);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_RECEIVE, 1),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_RECEIVE, -2),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_RECEIVE, 0), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_mod_refs(s, ps, MACH_PORT_RIGHT_PORT_SET, 1),
	                 KERN_INVALID_VALUE);
	/* Dead names count references like send rights. */
	assert_int_equal(ipc_mach_port_mod_refs(s, d, MACH_PORT_RIGHT_DEAD_NAME, 4), KERN_SUCCESS);
	assert_int_equal(refs(s, d, MACH_PORT_RIGHT_DEAD_NAME), 5);
	assert_int_equal(ipc_mach_port_mod_refs(s, d, MACH_PORT_RIGHT_DEAD_NAME, -6),
	                 KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_mod_refs(s, d, MACH_PORT_RIGHT_DEAD_NAME, IPC_UREFS_MAX),
	                 KERN_UREFS_OVERFLOW);
	assert_int_equal(ipc_mach_port_deallocate(s, d), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_mod_refs(s, d, MACH_PORT_RIGHT_DEAD_NAME, -4), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_get_refs(s, d, MACH_PORT_RIGHT_DEAD_NAME, &u),
	                 KERN_INVALID_NAME);
	/* -1 drops the one right. */
	assert_int_equal(ipc_mach_port_mod_refs(s, r, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_mod_refs(s, ps, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
	assert_int_equal(ipc_port_count, 0);
	assert_int_equal(ipc_pset_count, 0);
	assert_int_equal(s->is_count, 0);
	ipc_space_destroy(s);
}

/* Send rights to a destroyed port become dead names, keeping their references. */
static void
test_dead_names(void **state)
{
	struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(a, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t so = 7;
	mach_port_type_t t;

	assert_int_equal(ipc_mach_port_insert_right_from(b, 3, a, r, MACH_MSG_TYPE_MAKE_SEND),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_mod_refs(b, 3, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_insert_right_from(b, so, a, r, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	                 KERN_SUCCESS);
	assert_int_equal(ipc_host_type(b, so), MACH_PORT_TYPE_SEND_ONCE);
	assert_int_equal(ipc_mach_port_destroy(a, r), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_type(a, r, &t), KERN_INVALID_NAME);
	/* The port lives on, dead, for b's rights. */
	assert_int_equal(ipc_port_count, 1);
	assert_int_equal(ipc_host_type(b, 3), MACH_PORT_TYPE_DEAD_NAME);
	assert_int_equal(refs(b, 3, MACH_PORT_RIGHT_DEAD_NAME), 3);
	assert_int_equal(refs(b, 3, MACH_PORT_RIGHT_SEND), 0);
	assert_int_equal(ipc_mach_port_mod_refs(b, 3, MACH_PORT_RIGHT_SEND, -1),
	                 KERN_INVALID_RIGHT);
	assert_int_equal(ipc_host_type(b, so), MACH_PORT_TYPE_DEAD_NAME);
	assert_int_equal(ipc_port_count, 0);
	assert_int_equal(refs(b, so, MACH_PORT_RIGHT_DEAD_NAME), 1);
	assert_int_equal(ipc_mach_port_deallocate(b, so), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_type(b, so, &t), KERN_INVALID_NAME);
	ipc_space_destroy(a);
	ipc_space_destroy(b);
}

static void
test_rename(void **state)
{
	struct ipc_space *s = ipc_space_create();
	mach_port_name_t r = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	mach_port_name_t d = ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME);
	struct ipc_port *p = ipc_host_port(s, r);
	mach_port_status_t st;
	mach_port_type_t t;

	assert_int_equal(ipc_mach_port_rename(s, r, MACH_PORT_NULL), KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_rename(s, r, MACH_PORT_DEAD), KERN_INVALID_VALUE);
	assert_int_equal(ipc_mach_port_rename(s, 30, 31), KERN_INVALID_NAME);
	assert_int_equal(ipc_mach_port_rename(s, r, d), KERN_NAME_EXISTS);
	assert_int_equal(ipc_mach_port_rename(s, r, 1000), KERN_SUCCESS);
	assert_int_equal(ipc_mach_port_type(s, r, &t), KERN_INVALID_NAME);
	assert_int_equal(ipc_host_type(s, 1000), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(p->ip_receiver_name, 1000);
	assert_int_equal(ipc_mach_port_get_receive_status(s, 1000, &st), KERN_SUCCESS);
	/* The old name is free again, first in line. */
	assert_int_equal(ipc_host_alloc(s, MACH_PORT_RIGHT_DEAD_NAME), r);
	ipc_space_destroy(s);
}

/*
 * The reverse map (ipc_space_port_name): a send right arriving for a port
 * the space already names folds into that name, for thousands of ports,
 * across renames, deallocations, dead names and name reuse.
 */
static void
test_reverse_map(void **state)
{
	enum { N = 2000 };
	struct ipc_space *o = ipc_space_create(), *s = ipc_space_create();
	static mach_port_name_t recv[N], sent[N];
	struct ipc_copyout_undo u;

	for (int i = 0; i < N; i++) {
		recv[i] = ipc_host_alloc(o, MACH_PORT_RIGHT_RECEIVE);
		struct ipc_port *p = ipc_port_make_send(ipc_host_port(o, recv[i]));
		assert_int_equal(ipc_right_copyout(s, p, MACH_MSG_TYPE_PORT_SEND, &sent[i], &u),
		                 KERN_SUCCESS);
	}
	/* Every second one renamed, every third deallocated. */
	for (int i = 0; i < N; i += 2) {
		assert_int_equal(ipc_mach_port_rename(s, sent[i], 100000 + i), KERN_SUCCESS);
		sent[i] = 100000 + i;
	}
	for (int i = 0; i < N; i += 3) {
		assert_int_equal(ipc_mach_port_deallocate(s, sent[i]), KERN_SUCCESS);
		sent[i] = MACH_PORT_NULL;
	}
	/* Reused names go to new ports: a freed name must not be found for its old port. */
	mach_port_name_t fresh = ipc_host_alloc(s, MACH_PORT_RIGHT_RECEIVE);
	for (int i = 0; i < N; i++) {
		struct ipc_port *p = ipc_host_port(o, recv[i]);
		assert_int_equal(ipc_space_port_name(s, p), sent[i]);
		mach_port_name_t n;
		assert_int_equal(
		    ipc_right_copyout(s, ipc_port_make_send(p), MACH_MSG_TYPE_PORT_SEND, &n, &u),
		    KERN_SUCCESS);
		if (sent[i] != MACH_PORT_NULL) {
			assert_int_equal(n, sent[i]);
			assert_int_equal(refs(s, n, MACH_PORT_RIGHT_SEND), 2);
		} else {
			assert_int_not_equal(n, fresh);
			sent[i] = n;
		}
	}
	/* Dead ports: the names become dead names and stop naming the ports. */
	for (int i = 0; i < N; i += 5) {
		struct ipc_port *p = ipc_host_port(o, recv[i]);
		ipc_port_ref(p);
		assert_int_equal(ipc_mach_port_destroy(o, recv[i]), KERN_SUCCESS);
		assert_int_equal(ipc_host_type(s, sent[i]), MACH_PORT_TYPE_DEAD_NAME);
		assert_int_equal(ipc_space_port_name(s, p), MACH_PORT_NULL);
		ipc_port_release(p);
	}
	ipc_space_destroy(s);
	ipc_space_destroy(o);
	assert_int_equal(ipc_port_count, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_name_order, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_table_grows, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_allocate_errors, ipc_host_setup,
	                                    ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_type_and_names, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_send_urefs, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_mod_refs_rules, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_dead_names, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_rename, ipc_host_setup, ipc_host_teardown),
	    cmocka_unit_test_setup_teardown(test_reverse_map, ipc_host_setup, ipc_host_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
