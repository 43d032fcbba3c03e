// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The support MIG-generated user stubs call (build/mig/user/, mig/mig.mk):
 * the reply port, the message wrapper and memory for out-of-line data.
 * Programs are single-threaded, so one reply port is cached per task, as
 * glibc does per thread.
 */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_support.h>
#include <traps.h>

static mach_port_t reply_port = MACH_PORT_NULL;

/* mach_task_self() adds a uref per call: take it once, not per allocation. */
static mach_port_t
task_self(void)
{
	static mach_port_t self = MACH_PORT_NULL;
	if (self == MACH_PORT_NULL)
		self = mach_task_self();
	return self;
}

void
mig_init(void *first)
{
	(void)first;
	reply_port = MACH_PORT_NULL;
}

mach_port_t
mig_get_reply_port(void)
{
	if (reply_port == MACH_PORT_NULL)
		reply_port = mach_reply_port();
	return reply_port;
}

/*
 * A stub calls this when the RPC failed in a way that may leave a stale
 * reply queued: the port is dropped and a fresh one made next time.
 */
void
mig_dealloc_reply_port(mach_port_t port)
{
	/*
	 * Freeing the port is itself an RPC, which calls here again when it
	 * fails too (a kernel without IPC): the guard stops that recursion,
	 * leaking the name instead of the stack.
	 */
	static int freeing;
	mach_port_t old = reply_port;
	reply_port = MACH_PORT_NULL;
	if (old != MACH_PORT_NULL && !freeing) {
		freeing = 1;
		(void)mach_port_mod_refs(task_self(), old, MACH_PORT_RIGHT_RECEIVE, -1);
		freeing = 0;
	}
	(void)port;
}

void
mig_put_reply_port(mach_port_t port)
{
	(void)port; /* kept cached: nothing to give back */
}

void
mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(task_self(), addr, size, TRUE) != KERN_SUCCESS)
		*addr = 0;
}

void
mig_deallocate(vm_address_t addr, vm_size_t size)
{
	(void)vm_deallocate(task_self(), addr, size);
}

/* Copies up to len bytes, always NUL-terminating; returns the length copied with the NUL. */
vm_size_t
mig_strncpy(char *dst, const char *src, vm_size_t len)
{
	vm_size_t i;
	if (len == 0)
		return 0;
	for (i = 0; i < len - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return i + 1;
}

/*
 * What <mach/mach_traps.h> programs call: the trap, retried when it was
 * interrupted part-way (the send half already done or not), as glibc does.
 */
mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
         mach_msg_size_t rcv_size, mach_port_t rcv_name, mach_msg_timeout_t timeout,
         mach_port_t notify)
{
	mach_msg_return_t r =
	    mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	while (r == MACH_SEND_INTERRUPTED && (option & MACH_SEND_INTERRUPT) == 0)
		r = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	while (r == MACH_RCV_INTERRUPTED && (option & MACH_RCV_INTERRUPT) == 0)
		r = mach_msg_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size, rcv_name, timeout,
		                  notify);
	return r;
}
