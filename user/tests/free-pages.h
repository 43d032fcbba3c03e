/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's free page count, for the leak checks of the hostile and
 * exhaustion tests. On vmach vm_statistics drains the message buffer
 * cache and reclaims the heap's empty slabs first (kern/server_vm.c), so
 * a task that freed everything it made sees its pages back.
 */
#ifndef USER_TESTS_FREE_PAGES_H
#define USER_TESTS_FREE_PAGES_H

#include <mach/mach_interface.h>
#include <traps.h>
#include <thread.h>

static inline long
free_pages(void)
{
	static mach_port_t task; /* asked once: each mach_task_self adds a user reference */
	vm_statistics_data_t st;

	if (!task)
		task = mach_task_self();
	if (vm_statistics(task, &st) != KERN_SUCCESS)
		return -1;
	return st.free_count;
}

/* The free count once it has settled: the same twice, 10 ms apart. */
static inline long
settled_free_pages(void)
{
	long last = free_pages(), now = last;

	for (int i = 0; i < 50; i++) {
		uthread_sleep(10);
		now = free_pages();
		if (now == last)
			break;
		last = now;
	}
	return now;
}

#endif
