/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the exhaustion tests (ipc-exhaust.c, ipc-exhaust-task.c):
 * which kernel runs us, this task's name count, the kernel's free pages
 * once settled, and the page bound of a leak check.
 *
 * Free pages: on vmach vm_statistics first drains the message buffer
 * cache and gives the heap's empty slabs back (kern/server_vm.c), so a
 * task that freed all it made sees its pages back, within
 * EXHAUST_VMACH_SLACK (a table grown a little further than the warm-up
 * took it: a page or so). GNU Mach keeps freed kernel objects in its slab
 * caches and its free count moves on its own (EXHAUST_GNUMACH_SLACK, as
 * ipc-hostile.c): there the page checks only catch a gross leak.
 */
#ifndef USER_TESTS_IPC_EXHAUST_H
#define USER_TESTS_IPC_EXHAUST_H

#include <mach/mach_host.h>
#include <thread.h>

#include "free-pages.h"
#include "ipc-util.h"

#define EXHAUST_VMACH_SLACK 4
#define EXHAUST_GNUMACH_SLACK 2048

static int on_vmach;
/* A warm-up round: its page checks are printed, not counted. */
static int warming;

static inline void
exhaust_init(void)
{
	kernel_version_t v;

	ipc_init();
	memset(v, 0, sizeof(v));
	if (host_get_kernel_version(mach_host_self(), v) == KERN_SUCCESS)
		on_vmach = strncmp(v, "vmach", 5) == 0;
	/* uthread_sleep's port, made now so that it is in every count taken. */
	uthread_sleep(1);
	tap_diag("kernel: %s",
	         on_vmach ? "vmach" : "not vmach (GNU Mach): vmach-only checks pass as skipped");
}

/* Passes when the free pages are back to base, within this kernel's slack. */
static inline int
pages_back(long base, const char *what)
{
	long now = settled_free_pages();
	long slack = on_vmach ? EXHAUST_VMACH_SLACK : EXHAUST_GNUMACH_SLACK;

	if (warming) {
		tap_diag("%s (warm-up): %ld free pages, start %ld", what, now, base);
		return 1;
	}
	int ok = tap_ok(base >= 0 && now >= base - slack, "%s: free pages back (%ld, start %ld)",
	                what, now, base);
	return ok;
}

/* The machine's pages (host_info's memory size). */
static inline long
total_pages(void)
{
	struct host_basic_info info;
	mach_msg_type_number_t n = HOST_BASIC_INFO_COUNT;

	if (host_info(mach_host_self(), HOST_BASIC_INFO, (host_info_t)&info, &n) != KERN_SUCCESS)
		return -1;
	return (long)(info.memory_size / 4096);
}

/* A check only vmach makes: on GNU Mach it passes, marked skipped, and why. */
static inline int
vmach_only(int cond, const char *why, const char *desc)
{
	if (!on_vmach)
		return tap_ok(1, "%s # SKIP vmach-only: %s", desc, why);
	return tap_ok(cond, "%s", desc);
}

/* A small message carrying one 64-bit integer. */
struct int_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t value;
};

static inline void
int_msg(struct int_msg *m, mach_port_t dest, mach_msg_type_name_t disp, int id, int64_t v)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(disp, 0);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = id;
	set_type(&m->type, MACH_MSG_TYPE_INTEGER_64, 64, 1, 1);
	m->value = v;
}

/* The kernel and a port still work: an RPC, a vm_allocate touched, a message there and back. */
static inline int
still_works(mach_port_t port)
{
	struct int_msg m;
	vm_address_t a = 0;
	int ok = ptype(port) & MACH_PORT_TYPE_RECEIVE;

	if (vm_allocate(self, &a, 16 * 4096, TRUE) != KERN_SUCCESS)
		return 0;
	for (int i = 0; i < 16; i++)
		((volatile char *)a)[i * 4096] = (char)i;
	ok = ok && ((volatile char *)a)[15 * 4096] == 15;
	vm_deallocate(self, a, 16 * 4096);
	int_msg(&m, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, 4242, 77);
	ok = ok && msg_send(&m, sizeof(m)) == MACH_MSG_SUCCESS;
	memset(&m, 0, sizeof(m));
	ok = ok && msg_recv(&m, sizeof(m), port) == MACH_MSG_SUCCESS && m.head.msgh_id == 4242 &&
	     m.value == 77;
	return ok;
}

#endif
