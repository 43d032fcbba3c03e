// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel servers through the MIG user stubs: out-of-line data and
 * port arrays both ways, rights in replies, the conversions' answers for a
 * port of the wrong kind, task and thread calls, host and processor-set
 * calls. Checked on GNU Mach first (tests/gnumach/ipc.t), then on vmach
 * (tests/qemu/ipc-programs.t).
 */
#include <mach/gnumach.h>
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

static mach_port_t self;

static void
test_ool_data(void)
{
	vm_address_t a = 0;
	vm_offset_t data = 0;
	mach_msg_type_number_t n = 0;

	vm_allocate(self, &a, 2 * 4096, TRUE);
	for (int i = 0; i < 4096; i++)
		((char *)a)[i] = (char)(i * 3);
	kern_return_t kr = vm_read(self, a, 4096, &data, &n);
	tap_ok(kr == KERN_SUCCESS && n == 4096 && data != a &&
	           memcmp((void *)data, (void *)a, 4096) == 0,
	       "vm_read: the page comes back out of line (kr %d, %u bytes)", kr, n);
	tap_is_int(vm_write(self, a + 4096, data, 4096), KERN_SUCCESS, "vm_write it back");
	tap_ok(memcmp((void *)(a + 4096), (void *)a, 4096) == 0, "the second page is a copy");
	tap_is_int(vm_read(self, 0x1000, 4096, &data, &n), KERN_INVALID_ADDRESS,
	           "vm_read of unmapped memory: KERN_INVALID_ADDRESS");
	vm_deallocate(self, a, 2 * 4096);
}

static void
test_port_arrays(void)
{
	mach_port_t p = MACH_PORT_NULL, regs[2];
	mach_port_array_t got = 0;
	mach_msg_type_number_t n = 0;

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
	mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND);
	regs[0] = p;
	regs[1] = MACH_PORT_NULL;
	tap_is_int(mach_ports_register(self, regs, 2), KERN_SUCCESS,
	           "mach_ports_register: a port array in a request");
	kern_return_t kr = mach_ports_lookup(self, &got, &n);
	tap_ok(kr == KERN_SUCCESS && n == 4 && got[0] == p && got[1] == MACH_PORT_NULL,
	       "mach_ports_lookup: the array comes back (kr %d, %u: %u %u)", kr, n, n ? got[0] : 0,
	       n > 1 ? got[1] : 0);
	mach_port_urefs_t refs = 0;
	mach_port_get_refs(self, p, MACH_PORT_RIGHT_SEND, &refs);
	tap_is_int(refs, 2, "the looked-up right joined the name's references");

	thread_array_t threads = 0;
	kr = task_threads(self, &threads, &n);
	tap_ok(kr == KERN_SUCCESS && n == 1 && threads[0] != MACH_PORT_NULL,
	       "task_threads: one thread (kr %d, %u)", kr, n);
	mach_port_t me = mach_thread_self();
	tap_ok(kr == KERN_SUCCESS && n == 1 && threads[0] == me,
	       "it is the thread's own port name (%u, %u)", n ? threads[0] : 0, me);

	mach_port_array_t names = 0;
	mach_port_type_array_t types = 0;
	mach_msg_type_number_t nn = 0, nt = 0;
	kr = mach_port_names(self, &names, &nn, &types, &nt);
	int found = 0;
	for (unsigned i = 0; kr == KERN_SUCCESS && i < nn; i++)
		found |=
		    names[i] == p && types[i] == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
	tap_ok(kr == KERN_SUCCESS && nn == nt && found,
	       "mach_port_names: two arrays, p among them (kr %d, %u names)", kr, nn);
}

static void
test_wrong_ports(void)
{
	mach_port_type_t t;
	time_value_t tv;

	tap_is_int(mach_port_type(mach_host_self(), 1, &t), KERN_INVALID_TASK,
	           "mach_port_type on the host port: KERN_INVALID_TASK");
	tap_is_int(task_suspend(mach_host_self()), KERN_INVALID_ARGUMENT,
	           "task_suspend on the host port: KERN_INVALID_ARGUMENT");
	tap_is_int(host_get_time(self, &tv), KERN_INVALID_HOST,
	           "host_get_time on the task port: KERN_INVALID_HOST");
	tap_is_int(host_set_time(mach_host_self(), tv), KERN_INVALID_HOST,
	           "host_set_time on the unprivileged host port: KERN_INVALID_HOST");
}

static void
test_tasks_and_threads(void)
{
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL;
	kern_return_t kr = task_create(self, FALSE, &child);

	tap_ok(kr == KERN_SUCCESS && child != MACH_PORT_NULL, "task_create (kr %d)", kr);
	struct task_basic_info bi;
	mach_msg_type_number_t n = TASK_BASIC_INFO_COUNT;
	kr = task_info(child, TASK_BASIC_INFO, (task_info_t)&bi, &n);
	tap_ok(kr == KERN_SUCCESS && n == TASK_BASIC_INFO_COUNT && bi.suspend_count == 0,
	       "task_info of the child (kr %d, count %u)", kr, n);
	kr = thread_create(child, &th);
	tap_ok(kr == KERN_SUCCESS && th != MACH_PORT_NULL, "thread_create in it (kr %d)", kr);
	struct i386_thread_state st;
	n = i386_THREAD_STATE_COUNT;
	kr = thread_get_state(th, i386_THREAD_STATE, (thread_state_t)&st, &n);
	tap_ok(kr == KERN_SUCCESS && n == i386_THREAD_STATE_COUNT && st.rip == 0,
	       "thread_get_state of the new thread: zeroed (kr %d, count %u)", kr, n);
	mach_port_t special = MACH_PORT_NULL;
	kr = task_get_special_port(child, TASK_KERNEL_PORT, &special);
	tap_ok(kr == KERN_SUCCESS && special == child,
	       "task_get_special_port: the child's port is the name we hold (%u, %u)", special,
	       child);
	tap_is_int(task_terminate(child), KERN_SUCCESS, "task_terminate the child");
	tap_is_int(task_info(child, TASK_BASIC_INFO, (task_info_t)&bi, &n), MACH_SEND_INVALID_DEST,
	           "its port is dead: MACH_SEND_INVALID_DEST");
}

static void
test_host(void)
{
	mach_port_t host = mach_host_self(), pset = MACH_PORT_NULL;
	kernel_version_t version;
	struct host_basic_info hi;
	mach_msg_type_number_t n = HOST_BASIC_INFO_COUNT;

	kern_return_t kr = host_info(host, HOST_BASIC_INFO, (host_info_t)&hi, &n);
	tap_ok(kr == KERN_SUCCESS && hi.avail_cpus >= 1 && hi.memory_size > 0,
	       "host_info: %d cpus, %lu bytes", hi.avail_cpus, (unsigned long)hi.memory_size);
	memset(version, 0, sizeof(version));
	kr = host_get_kernel_version(host, version);
	tap_ok(kr == KERN_SUCCESS && version[0] != 0, "host_get_kernel_version: %s", version);
	kr = processor_set_default(host, &pset);
	tap_ok(kr == KERN_SUCCESS && pset != MACH_PORT_NULL, "processor_set_default (kr %d)", kr);
	struct processor_set_basic_info pi;
	mach_port_t phost = MACH_PORT_NULL;
	n = PROCESSOR_SET_BASIC_INFO_COUNT;
	kr = processor_set_info(pset, PROCESSOR_SET_BASIC_INFO, &phost, (processor_set_info_t)&pi,
	                        &n);
	tap_ok(kr == KERN_SUCCESS && pi.processor_count >= 1 && phost == host,
	       "processor_set_info: %d processor(s), the host port back (%u, %u)",
	       pi.processor_count, phost, host);
	kernel_debug_name_t name = "kserver-main";
	kernel_debug_name_t back = {0};
	tap_is_int(thread_set_name(mach_thread_self(), name), KERN_SUCCESS, "thread_set_name");
	kr = thread_get_name(mach_thread_self(), back);
	tap_ok(kr == KERN_SUCCESS && strcmp(back, name) == 0, "thread_get_name: %s", back);
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(27);
	test_ool_data();
	test_port_arrays();
	test_wrong_ports();
	test_tasks_and_threads();
	test_host();
	return tap_done();
}
