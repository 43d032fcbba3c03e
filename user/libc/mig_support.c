// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The support MIG-generated user stubs call (build/mig/user/, mig/mig.mk):
 * the reply port, the message wrapper and memory for out-of-line data.
 *
 * Reply ports: one per thread, made on the thread's first RPC and kept, as
 * glibc does. Without thread-local storage a thread is known by its stack:
 * user/libc/thread.c registers each stack it hands out, and the main
 * thread (on no registered stack) uses main_reply. A fresh port per RPC
 * would also be safe, but would cost a port and two more traps per call
 * and grow the name space without end in a long test. Two threads must
 * never share a reply port: a reply could go to the wrong caller.
 */
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_support.h>
#include <traps.h>

#define MIG_THREADS_MAX 32

static mach_port_t main_reply = MACH_PORT_NULL;

/*
 * The registered stacks. A slot is written only by its creator before the
 * thread runs and after it ended, and its reply port only by the thread
 * itself: no lock is needed.
 */
static struct {
	vm_address_t lo, hi; /* hi 0: a free slot */
	mach_port_t reply;
} mig_threads[MIG_THREADS_MAX];
/* Slots at and above this one have never been used: the search stops there. */
static int mig_threads_used;

/* mach_task_self() adds a uref per call: take it once, not per allocation. */
static mach_port_t
task_self(void)
{
	static mach_port_t self = MACH_PORT_NULL;
	if (self == MACH_PORT_NULL)
		self = mach_task_self();
	return self;
}

/* The calling thread's reply port slot, found by where its stack is. */
static mach_port_t *
reply_slot(void)
{
	vm_address_t sp = (vm_address_t)__builtin_frame_address(0);
	for (int i = 0; i < mig_threads_used; i++)
		if (sp >= mig_threads[i].lo && sp < mig_threads[i].hi)
			return &mig_threads[i].reply;
	return &main_reply;
}

int
mig_thread_register(vm_address_t lo, vm_address_t hi)
{
	for (int i = 0; i < MIG_THREADS_MAX; i++)
		if (mig_threads[i].hi == 0) {
			mig_threads[i].reply = MACH_PORT_NULL;
			mig_threads[i].lo = lo;
			mig_threads[i].hi = hi;
			if (i >= mig_threads_used)
				mig_threads_used = i + 1;
			return 0;
		}
	return -1;
}

void
mig_thread_unregister(vm_address_t lo)
{
	for (int i = 0; i < mig_threads_used; i++)
		if (mig_threads[i].hi != 0 && mig_threads[i].lo == lo) {
			if (mig_threads[i].reply != MACH_PORT_NULL)
				(void)mach_port_mod_refs(task_self(), mig_threads[i].reply,
				                         MACH_PORT_RIGHT_RECEIVE, -1);
			mig_threads[i].hi = 0;
			mig_threads[i].lo = 0;
			mig_threads[i].reply = MACH_PORT_NULL;
		}
}

void
mig_init(void *first)
{
	(void)first;
	main_reply = MACH_PORT_NULL;
}

/* The calling thread's port, made on its first RPC. */
static __attribute__((noinline)) mach_port_t
reply_port_lookup(void)
{
	mach_port_t *slot = reply_slot();
	if (*slot == MACH_PORT_NULL)
		*slot = mach_reply_port();
	return *slot;
}

mach_port_t
mig_get_reply_port(void)
{
	/* With no thread registered, every caller is the main thread: no stack to look at. */
	if (__builtin_expect(mig_threads_used == 0, 1) && main_reply != MACH_PORT_NULL)
		return main_reply;
	return reply_port_lookup();
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
	 * leaking the name instead of the stack. One flag for all threads:
	 * at worst another thread's port leaks too.
	 */
	static int freeing;
	mach_port_t *slot = reply_slot();
	mach_port_t old = *slot;
	*slot = MACH_PORT_NULL;
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
 * mach_msg() is user/traps.S's: the trap, and here when it was
 * interrupted part-way (r), the rest of glibc's retries: the send half
 * again while it was not done, then the receive alone.
 */
_Static_assert(MACH_SEND_INTERRUPTED == 0x10000007 && MACH_RCV_INTERRUPTED == 0x10004005,
               "user/traps.S's mach_msg compares with these values");
mach_msg_return_t mach_msg_retry(mach_msg_return_t r, mach_msg_header_t *msg,
                                 mach_msg_option_t option, mach_msg_size_t send_size,
                                 mach_msg_size_t rcv_size, mach_port_t rcv_name,
                                 mach_msg_timeout_t timeout, mach_port_t notify);

mach_msg_return_t
mach_msg_retry(mach_msg_return_t r, mach_msg_header_t *msg, mach_msg_option_t option,
               mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_t rcv_name,
               mach_msg_timeout_t timeout, mach_port_t notify)
{
	while (r == MACH_SEND_INTERRUPTED && (option & MACH_SEND_INTERRUPT) == 0)
		r = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	while (r == MACH_RCV_INTERRUPTED && (option & MACH_RCV_INTERRUPT) == 0)
		r = mach_msg_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size, rcv_name, timeout,
		                  notify);
	return r;
}
