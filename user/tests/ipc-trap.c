// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mach_msg and the self-port traps with no RPC at all: receive rights from
 * mach_reply_port, messages among them, an RPC-shaped exchange with a
 * send-once reply right, rights in the body, timeouts, queue limits and
 * sequence numbers. Checked on GNU Mach first (tests/gnumach/ipc.t).
 */
#include <string.h>
#include <tap.h>
#include <traps.h>

struct int_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t value;
};

struct port_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	mach_port_t port; /* the 4-byte name in an 8-byte slot */
	uint32_t pad;
};

static mach_msg_return_t
send_int(mach_port_t dest, mach_msg_type_name_t disp, mach_port_t reply, mach_msg_type_name_t rdisp,
         int64_t v, mach_msg_option_t extra)
{
	struct int_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(disp, rdisp);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = dest;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = 4000;
	m.type.msgt_name = MACH_MSG_TYPE_INTEGER_64;
	m.type.msgt_size = 64;
	m.type.msgt_number = 1;
	m.type.msgt_inline = 1;
	m.value = v;
	return mach_msg_trap(&m.head, MACH_SEND_MSG | extra, sizeof(m), 0, MACH_PORT_NULL, 0,
	                     MACH_PORT_NULL);
}

static mach_msg_return_t
recv_int(mach_port_t port, struct int_msg *r)
{
	memset(r, 0, sizeof(*r));
	return mach_msg_trap(&r->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*r), port, 0,
	                     MACH_PORT_NULL);
}

int
main(void)
{
	struct int_msg r;

	tap_plan(50);
	mach_port_t self = mach_task_self();
	tap_ok(self != MACH_PORT_NULL && mach_task_self() == self,
	       "mach_task_self answers one name (%u)", self);
	mach_port_t host = mach_host_self();
	tap_ok(host != MACH_PORT_NULL && host != self && mach_host_self() == host,
	       "mach_host_self answers one name of its own (%u)", host);
	mach_port_t th = mach_thread_self();
	tap_ok(th != MACH_PORT_NULL && th != self && th != host && mach_thread_self() == th,
	       "mach_thread_self answers one name of its own (%u)", th);
	mach_port_t a = mach_reply_port(), b = mach_reply_port();
	tap_ok(a != MACH_PORT_NULL && b != MACH_PORT_NULL && a != b && a != self && b != self,
	       "mach_reply_port gives new names (%u, %u)", a, b);

	tap_is_int(send_int(a, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 42, 0), MACH_MSG_SUCCESS,
	           "send to a receive right by MAKE_SEND");
	tap_is_int(recv_int(a, &r), MACH_MSG_SUCCESS, "receive it");
	tap_ok(r.head.msgh_size == sizeof(r) && r.head.msgh_id == 4000 && r.value == 42 &&
	           r.head.msgh_local_port == a && r.head.msgh_remote_port == MACH_PORT_NULL &&
	           r.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND),
	       "size, id, data; local a, remote null, bits %#x", r.head.msgh_bits);
	tap_is_int(recv_int(a, &r), MACH_RCV_TIMED_OUT, "the queue is empty again");

	/* An RPC: a request carrying a send-once right to b, answered on it. */
	tap_is_int(send_int(a, MACH_MSG_TYPE_MAKE_SEND, b, MACH_MSG_TYPE_MAKE_SEND_ONCE, 7, 0),
	           MACH_MSG_SUCCESS, "request with a MAKE_SEND_ONCE reply port");
	tap_is_int(recv_int(a, &r), MACH_MSG_SUCCESS, "the server receives it");
	mach_port_t so = r.head.msgh_remote_port;
	tap_ok(so != MACH_PORT_NULL && so != b && so != a &&
	           MACH_MSGH_BITS_REMOTE(r.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
	       "the reply right is a send-once right under a new name (%u, bits %#x)", so,
	       r.head.msgh_bits);
	tap_is_int(send_int(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 8, 0),
	           MACH_MSG_SUCCESS, "reply by MOVE_SEND_ONCE");
	tap_is_int(recv_int(b, &r), MACH_MSG_SUCCESS, "the client receives the reply on b");
	tap_ok(r.value == 8 && r.head.msgh_local_port == b &&
	           MACH_MSGH_BITS_LOCAL(r.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
	       "the reply's data and local port (bits %#x, value %ld, local %u)", r.head.msgh_bits,
	       (long)r.value, r.head.msgh_local_port);
	tap_is_int(send_int(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 9, 0),
	           MACH_SEND_INVALID_DEST, "the send-once right is gone after its use");

	/* Send and receive in one call. */
	struct int_msg m;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = a;
	m.head.msgh_id = 4001;
	m.type = (mach_msg_type_t){.msgt_name = MACH_MSG_TYPE_INTEGER_64,
	                           .msgt_size = 64,
	                           .msgt_number = 1,
	                           .msgt_inline = 1};
	m.value = 99;
	tap_is_int(mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m), sizeof(m), a, 0,
	                         MACH_PORT_NULL),
	           MACH_MSG_SUCCESS, "send and receive in one call");
	tap_ok(m.value == 99 && m.head.msgh_id == 4001, "got its own message back");

	/* A right in the body: the send right to a port the task receives on is merged. */
	struct port_msg pm;
	memset(&pm, 0, sizeof(pm));
	pm.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	pm.head.msgh_size = sizeof(pm);
	pm.head.msgh_remote_port = a;
	pm.type = (mach_msg_type_t){.msgt_name = MACH_MSG_TYPE_MAKE_SEND,
	                            .msgt_size = 64,
	                            .msgt_number = 1,
	                            .msgt_inline = 1};
	pm.port = b;
	tap_is_int(mach_msg_trap(&pm.head, MACH_SEND_MSG, sizeof(pm), 0, 0, 0, 0), MACH_MSG_SUCCESS,
	           "send a MAKE_SEND right to b in the body");
	memset(&pm, 0, sizeof(pm));
	tap_is_int(mach_msg_trap(&pm.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(pm), a, 0, 0),
	           MACH_MSG_SUCCESS, "receive it");
	tap_ok(pm.port == b && pm.type.msgt_name == MACH_MSG_TYPE_PORT_SEND &&
	           (pm.head.msgh_bits & MACH_MSGH_BITS_COMPLEX),
	       "the right arrives under b's name as PORT_SEND (%u, name %u)", pm.port,
	       pm.type.msgt_name);
	pm.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	pm.head.msgh_remote_port = a;
	pm.head.msgh_local_port = MACH_PORT_NULL;
	pm.type.msgt_name = MACH_MSG_TYPE_MOVE_SEND;
	pm.port = 0x5151;
	tap_is_int(mach_msg_trap(&pm.head, MACH_SEND_MSG, sizeof(pm), 0, 0, 0, 0),
	           MACH_SEND_INVALID_RIGHT, "a body right under an unused name: INVALID_RIGHT");
	tap_is_int(recv_int(a, &r), MACH_RCV_TIMED_OUT, "and nothing was queued");

	/* The default queue limit (5) and sequence numbers. */
	int sent = 0;
	mach_msg_return_t mr;
	while ((mr = send_int(b, MACH_MSG_TYPE_MAKE_SEND, 0, 0, sent, MACH_SEND_TIMEOUT)) ==
	           MACH_MSG_SUCCESS &&
	       sent < 100)
		sent++;
	tap_is_int(mr, MACH_SEND_TIMED_OUT, "a full queue: MACH_SEND_TIMED_OUT");
	tap_is_int(sent, MACH_PORT_QLIMIT_DEFAULT, "after the default limit of messages");
	int inorder = 1;
	mach_port_seqno_t first = 0;
	for (int i = 0; i < sent; i++) {
		inorder &= recv_int(b, &r) == MACH_MSG_SUCCESS && r.value == i;
		if (i == 0)
			first = r.head.msgh_seqno;
		inorder &= r.head.msgh_seqno == first + i;
	}
	tap_ok(inorder, "they come out in order, with consecutive sequence numbers");
	tap_is_int(send_int(b, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 1, MACH_SEND_TIMEOUT),
	           MACH_MSG_SUCCESS, "room again");

	/* The syscall_* shortcut traps. */
	mach_port_t n = 0;
	tap_is_int(syscall_mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &n), KERN_SUCCESS,
	           "syscall_mach_port_allocate");
	tap_ok(n != MACH_PORT_NULL && n != a && n != b, "a new name (%u)", n);
	tap_is_int(syscall_mach_port_insert_right(self, n, n, MACH_MSG_TYPE_MAKE_SEND),
	           KERN_SUCCESS, "syscall_mach_port_insert_right MAKE_SEND under its own name");
	tap_is_int(send_int(n, MACH_MSG_TYPE_COPY_SEND, 0, 0, 5, MACH_SEND_TIMEOUT),
	           MACH_MSG_SUCCESS, "the send right it made works");
	tap_is_int(syscall_mach_port_deallocate(self, n), KERN_SUCCESS,
	           "syscall_mach_port_deallocate of the send right");
	tap_is_int(syscall_mach_port_deallocate(self, 0x6262), KERN_INVALID_NAME,
	           "syscall_mach_port_deallocate of an unused name: KERN_INVALID_NAME");
	tap_is_int(syscall_mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, 0x700),
	           KERN_SUCCESS, "syscall_mach_port_allocate_name 0x700");
	tap_is_int(syscall_mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, 0x700),
	           KERN_NAME_EXISTS, "again: KERN_NAME_EXISTS");
	vm_address_t va = 0;
	tap_is_int(syscall_vm_allocate(self, &va, 2 * 4096, TRUE), KERN_SUCCESS,
	           "syscall_vm_allocate anywhere");
	tap_ok(va && !(va & 4095) && ((volatile char *)va)[4097] == 0, "page-aligned, zero (%#lx)",
	       (unsigned long)va);
	tap_is_int(syscall_vm_deallocate(self, va, 2 * 4096), KERN_SUCCESS,
	           "syscall_vm_deallocate");
	/* syscall_vm_map: 11 arguments, 5 of them on the stack. */
	va = 0;
	tap_is_int(syscall_vm_map(self, &va, 3 * 4096, 0, TRUE, MACH_PORT_NULL, 0, FALSE,
	                          VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT),
	           KERN_SUCCESS, "syscall_vm_map of anonymous memory, anywhere");
	int rw = va && !(va & 4095) && ((volatile char *)va)[2 * 4096 + 5] == 0;
	if (rw) {
		((volatile char *)va)[2 * 4096 + 5] = 7;
		rw = ((volatile char *)va)[2 * 4096 + 5] == 7;
	}
	tap_ok(rw, "page-aligned, zero, writable (%#lx)", (unsigned long)va);
	vm_address_t fixed = va;
	syscall_vm_deallocate(self, va, 3 * 4096);
	tap_is_int(syscall_vm_map(self, &fixed, 4096, 0, FALSE, MACH_PORT_NULL, 0, FALSE,
	                          VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT),
	           KERN_SUCCESS, "syscall_vm_map at a fixed free address");
	vm_address_t again = fixed;
	tap_ok(fixed == va && syscall_vm_map(self, &again, 4096, 0, FALSE, MACH_PORT_NULL, 0, FALSE,
	                                     VM_PROT_DEFAULT, VM_PROT_ALL,
	                                     VM_INHERIT_DEFAULT) == KERN_NO_SPACE,
	       "there, and there again: KERN_NO_SPACE");
	syscall_vm_deallocate(self, fixed, 4096);
	vm_address_t aligned = 0;
	kern_return_t kr = syscall_vm_map(self, &aligned, 4096, 0xffff, TRUE, MACH_PORT_NULL, 0,
	                                  FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT);
	tap_ok(kr == KERN_SUCCESS && aligned && !(aligned & 0xffff),
	       "with mask 0xffff: 64 KiB aligned (kr %#x, %#lx)", kr, (unsigned long)aligned);
	syscall_vm_deallocate(self, aligned, 4096);
	/* The 11th argument is read: a bad inheritance is refused. */
	tap_is_int(syscall_vm_map(self, &va, 4096, 0, TRUE, MACH_PORT_NULL, 0, FALSE,
	                          VM_PROT_DEFAULT, VM_PROT_ALL, 77),
	           KERN_INVALID_ARGUMENT, "inheritance 77 (from the stack): KERN_INVALID_ARGUMENT");
	tap_is_int(syscall_vm_map(0x6565, &va, 4096, 0, TRUE, MACH_PORT_NULL, 0, FALSE,
	                          VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT),
	           MACH_SEND_INTERRUPTED, "syscall_vm_map on an unused task name");
	tap_is_int(syscall_vm_map(self, &va, 4096, 0, TRUE, 0x6666, 0, FALSE, VM_PROT_DEFAULT,
	                          VM_PROT_ALL, VM_INHERIT_DEFAULT),
	           KERN_INVALID_NAME, "a memory object under an unused name: KERN_INVALID_NAME");
	tap_is_int(syscall_vm_map(self, &va, 4096, 0, TRUE, a, 0, FALSE, VM_PROT_DEFAULT,
	                          VM_PROT_ALL, VM_INHERIT_DEFAULT),
	           KERN_INVALID_RIGHT, "a receive right but no send right: KERN_INVALID_RIGHT");

	/* Not MACH_SEND_INVALID_DEST: GNU Mach answers a bad task name so. */
	tap_is_int(syscall_task_suspend(0x6363), MACH_SEND_INTERRUPTED,
	           "syscall_task_suspend on an unused name: MACH_SEND_INTERRUPTED");
	tap_is_int(syscall_thread_depress_abort(th), KERN_SUCCESS, "syscall_thread_depress_abort");

	tap_is_int(recv_int(0x6161, &r), MACH_RCV_INVALID_NAME, "receive on an unused name");
	tap_is_int(mach_msg_trap(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 0, a, 20, 0),
	           MACH_RCV_TIMED_OUT, "a 20 ms receive timeout on an empty port");
	return tap_done();
}
