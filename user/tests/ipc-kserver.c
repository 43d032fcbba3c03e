// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel servers through the MIG user stubs: out-of-line data and
 * port arrays both ways, rights in replies, the conversions' answers for a
 * port of the wrong kind, task and thread calls, host and processor-set
 * calls. Then the kernel RPC by hand (mach_msg SEND|RCV with a
 * MAKE_SEND_ONCE reply port, as MIG sends it), at each edge of vmach's
 * kernel RPC path (ipc/mach_msg_kobject.c): the reply's header and
 * sequence numbers, a message queued on the reply port first, a receive
 * buffer too small, a reply port in a set, a receive on another port,
 * another thread already waiting on the reply port, an unknown id, a
 * protected payload, a routine that destroys the reply port, a bad
 * destination. Checked on GNU Mach first (tests/gnumach/ipc.t),
 * then on vmach (tests/qemu/ipc-programs.t).
 */
#include <mach/gnumach.h>
#include <mach/mach_host.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <string.h>
#include <tap.h>
#include <thread.h>
#include <traps.h>

#include "ipc-util.h"

/* mach_port_type's request and reply (mach_port.defs, routine 3201), written by hand. */
struct type_request {
	mach_msg_header_t head;
	mach_msg_type_t name_type;
	mach_port_name_t name;
	char pad[4];
};
struct type_reply {
	mach_msg_header_t head;
	mach_msg_type_t rc_type;
	kern_return_t rc;
	char pad[4];
	mach_msg_type_t type_type;
	mach_port_type_t type;
	char pad2[4];
};
union krpc_msg {
	struct type_request req;
	struct type_reply rep;
	char room[256];
};
_Static_assert(sizeof(struct type_request) == 48, "MIG's request");
_Static_assert(sizeof(struct type_reply) == 64, "MIG's reply");

/* A mach_port_type(dest, name) request, id id, with a send-once right made from reply. */
static void
type_request(union krpc_msg *m, mach_port_t dest, mach_port_t reply, mach_port_name_t name,
             mach_msg_id_t id)
{
	memset(m, 0, sizeof(*m));
	m->req.head.msgh_bits =
	    MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->req.head.msgh_size = sizeof(m->req);
	m->req.head.msgh_remote_port = dest;
	m->req.head.msgh_local_port = reply;
	m->req.head.msgh_id = id;
	m->req.name_type.msgt_name = MACH_MSG_TYPE_PORT_NAME;
	m->req.name_type.msgt_size = 32;
	m->req.name_type.msgt_number = 1;
	m->req.name_type.msgt_inline = TRUE;
	m->req.name = name;
}

/* The RPC as MIG's stubs make it: send, then receive on rcv, no other option. */
static mach_msg_return_t
krpc(union krpc_msg *m, mach_msg_size_t rcv_size, mach_port_t rcv)
{
	return mach_msg(&m->req.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m->req), rcv_size, rcv,
	                MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static mach_msg_return_t
receive_now(union krpc_msg *m, mach_port_t from)
{
	memset(m, 0, sizeof(*m));
	return mach_msg(&m->req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), from, 100,
	                MACH_PORT_NULL);
}

static int
is_type_reply(const union krpc_msg *m, mach_port_t local, mach_port_seqno_t seqno,
              mach_port_type_t type)
{
	const struct type_reply *r = &m->rep;
	int ok = r->head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) &&
	         r->head.msgh_size == sizeof(*r) && r->head.msgh_remote_port == MACH_PORT_NULL &&
	         r->head.msgh_local_port == local && r->head.msgh_seqno == seqno &&
	         r->head.msgh_id == 3301 && r->rc == KERN_SUCCESS && r->type == type;
	if (!ok)
		tap_diag(
		    "reply: bits %#x size %u remote %u local %u seqno %u id %d rc %#x type %#x",
		    r->head.msgh_bits, r->head.msgh_size, r->head.msgh_remote_port,
		    r->head.msgh_local_port, r->head.msgh_seqno, r->head.msgh_id, r->rc, r->type);
	return ok;
}

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

/* The reply's header, turned round, and the reply port's sequence numbers. */
static void
test_krpc_reply(void)
{
	union krpc_msg m;
	mach_port_t r = new_receive();
	int ok = 1;

	for (mach_port_seqno_t i = 0; i < 3; i++) {
		type_request(&m, self, r, r, 3201);
		ok &= krpc(&m, sizeof(m), r) == MACH_MSG_SUCCESS &&
		      is_type_reply(&m, r, i, MACH_PORT_TYPE_RECEIVE);
	}
	tap_ok(ok, "kernel RPC by hand: bits 0x1200, local the reply port, seqnos 0, 1, 2");
	mach_port_status_t st = pstatus(r);
	tap_ok(st.mps_seqno == 3 && st.mps_msgcount == 0 && st.mps_sorights == 0,
	       "the reply port: seqno 3, nothing queued, no send-once right left (%u, %u, %u)",
	       st.mps_seqno, st.mps_msgcount, st.mps_sorights);
	mach_port_type_t t = 0;
	mach_port_type(self, r, &t);
	tap_is_int(t, MACH_PORT_TYPE_RECEIVE, "and its name holds the receive right only");
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* A message queued on the reply port before the reply is received first. */
static void
test_krpc_queued_first(void)
{
	union krpc_msg m;
	mach_port_t r = new_receive();

	msg_send_id(r, 777);
	type_request(&m, self, r, r, 3201);
	mach_msg_return_t mr = krpc(&m, sizeof(m), r);
	tap_ok(mr == MACH_MSG_SUCCESS && m.rep.head.msgh_id == 777 && m.rep.head.msgh_seqno == 0,
	       "a message queued on the reply port comes first (mr %#x, id %d, seqno %u)", mr,
	       m.rep.head.msgh_id, m.rep.head.msgh_seqno);
	mr = receive_now(&m, r);
	tap_ok(mr == MACH_MSG_SUCCESS && is_type_reply(&m, r, 1, MACH_PORT_TYPE_RECEIVE),
	       "then the reply, seqno 1 (mr %#x)", mr);
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* A receive buffer too small for the reply: MACH_RCV_TOO_LARGE, the reply dropped. */
static void
test_krpc_too_large(void)
{
	union krpc_msg m;
	mach_port_t r = new_receive();

	type_request(&m, self, r, r, 3201);
	mach_msg_return_t mr = krpc(&m, sizeof(m.req), r);
	tap_ok(mr == MACH_RCV_TOO_LARGE && m.rep.head.msgh_size == sizeof(m.rep) &&
	           m.rep.head.msgh_local_port == r &&
	           m.rep.head.msgh_remote_port == MACH_PORT_NULL && m.rep.head.msgh_seqno == 0 &&
	           m.rep.head.msgh_id == 3301,
	       "a 48-byte receive buffer: MACH_RCV_TOO_LARGE, the header turned round, size 64 "
	       "(mr %#x)",
	       mr);
	tap_diag("too large: bits %#x size %u remote %u local %u seqno %u id %d",
	         m.rep.head.msgh_bits, m.rep.head.msgh_size, m.rep.head.msgh_remote_port,
	         m.rep.head.msgh_local_port, m.rep.head.msgh_seqno, m.rep.head.msgh_id);
	mr = receive_now(&m, r);
	mach_port_status_t st = pstatus(r);
	tap_ok(mr == MACH_RCV_TIMED_OUT && st.mps_seqno == 1 && st.mps_sorights == 0,
	       "the reply was dropped, its seqno used (mr %#x, seqno %u, sorights %u)", mr,
	       st.mps_seqno, st.mps_sorights);
	type_request(&m, self, r, r, 3201);
	mr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_LARGE, sizeof(m.req),
	              sizeof(m.req), r, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	tap_ok(mr == MACH_RCV_TOO_LARGE && m.rep.head.msgh_size == sizeof(m.rep),
	       "with MACH_RCV_LARGE: MACH_RCV_TOO_LARGE, size 64 (mr %#x)", mr);
	mr = receive_now(&m, r);
	tap_ok(mr == MACH_MSG_SUCCESS && is_type_reply(&m, r, 1, MACH_PORT_TYPE_RECEIVE),
	       "and the reply stayed queued, seqno 1 (mr %#x)", mr);
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* A reply port in a port set: the receive fails, the reply waits in the set. */
static void
test_krpc_in_set(void)
{
	union krpc_msg m;
	mach_port_t r = new_receive(), set = new_set();

	mach_port_move_member(self, r, set);
	type_request(&m, self, r, r, 3201);
	tap_is_int(krpc(&m, sizeof(m), r), MACH_RCV_IN_SET,
	           "a reply port in a set: the receive on it fails, MACH_RCV_IN_SET");
	mach_msg_return_t mr = receive_now(&m, set);
	tap_ok(mr == MACH_MSG_SUCCESS && is_type_reply(&m, r, 0, MACH_PORT_TYPE_RECEIVE),
	       "the reply is received through the set (mr %#x)", mr);
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(self, set, MACH_PORT_RIGHT_PORT_SET, -1);
}

/* The reply to one port, the receive on another. */
static void
test_krpc_other_port(void)
{
	union krpc_msg m;
	mach_port_t r = new_receive(), other = new_receive();

	msg_send_id(other, 778);
	type_request(&m, self, r, r, 3201);
	mach_msg_return_t mr = krpc(&m, sizeof(m), other);
	tap_ok(mr == MACH_MSG_SUCCESS && m.rep.head.msgh_id == 778,
	       "receiving on another port gets that port's message (mr %#x, id %d)", mr,
	       m.rep.head.msgh_id);
	mr = receive_now(&m, r);
	tap_ok(mr == MACH_MSG_SUCCESS && is_type_reply(&m, r, 0, MACH_PORT_TYPE_RECEIVE),
	       "the reply waits on its own port (mr %#x)", mr);
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(self, other, MACH_PORT_RIGHT_RECEIVE, -1);
}

struct other_receiver {
	mach_port_t ready, reply;
	mach_msg_return_t mr, sent;
	mach_msg_id_t id;
	mach_port_seqno_t seqno;
	volatile int done;
};

/* Says it is ready and, in the same call, waits on the reply port; then sends it 999. */
static void
other_receiver(void *arg)
{
	struct other_receiver *o = arg;
	union krpc_msg m;

	memset(&m, 0, sizeof(m));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.req.head.msgh_size = sizeof(m.req.head);
	m.req.head.msgh_remote_port = o->ready;
	m.req.head.msgh_id = 1;
	o->mr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
	                 sizeof(m.req.head), sizeof(m), o->reply, 2000, MACH_PORT_NULL);
	o->id = m.rep.head.msgh_id;
	o->seqno = m.rep.head.msgh_seqno;
	o->sent = msg_send_id(o->reply, 999);
	o->done = 1;
}

/*
 * Another thread waiting on the reply port gets the reply (GNU Mach's
 * kernel_send), with the options MIG uses (vmach's kernel RPC path) or
 * with timeouts (its general path).
 */
static void
test_krpc_other_receiver(mach_msg_option_t extra)
{
	union krpc_msg m;
	struct other_receiver o = {.ready = new_receive(), .reply = new_receive()};
	struct uthread t;

	uthread_create(self, other_receiver, &o, 1, &t);
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr = mach_msg(&m.req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
	                                o.ready, 2000, MACH_PORT_NULL);
	uthread_sleep(50); /* it is waiting on the reply port by now */
	type_request(&m, self, o.reply, o.reply, 3201);
	if (mr == MACH_MSG_SUCCESS)
		mr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | extra, sizeof(m.req),
		              sizeof(m), o.reply, extra ? 2000 : MACH_MSG_TIMEOUT_NONE,
		              MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && m.rep.head.msgh_id == 999 && m.rep.head.msgh_seqno == 1,
	       "a thread waiting on the reply port (options %#x): the caller gets what comes "
	       "next (mr %#x, id %d, seqno %u)",
	       extra, mr, m.rep.head.msgh_id, m.rep.head.msgh_seqno);
	uthread_wait_flag(&o.done, 3000);
	tap_ok(o.done && o.mr == MACH_MSG_SUCCESS && o.id == 3301 && o.seqno == 0 &&
	           o.sent == MACH_MSG_SUCCESS,
	       "and the waiting thread got the reply, seqno 0 (mr %#x, id %d, seqno %u)", o.mr,
	       o.id, o.seqno);
	uthread_destroy(&t);
	mach_port_mod_refs(self, o.ready, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(self, o.reply, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* An id no kernel interface knows, a protected payload, a routine that frees the reply port. */
static void
test_krpc_odd(void)
{
	union krpc_msg m;
	mach_port_t r = new_receive();

	type_request(&m, self, r, r, 9999);
	mach_msg_return_t mr = krpc(&m, sizeof(m), r);
	tap_ok(mr == MACH_MSG_SUCCESS && m.rep.head.msgh_id == 10099 &&
	           m.rep.head.msgh_size == sizeof(mig_reply_header_t) && m.rep.rc == MIG_BAD_ID &&
	           m.rep.head.msgh_local_port == r && m.rep.head.msgh_seqno == 0,
	       "an unknown id: a 48-byte reply, id + 100, MIG_BAD_ID (mr %#x, id %d, rc %d)", mr,
	       m.rep.head.msgh_id, m.rep.rc);

	tap_is_int(mach_port_set_protected_payload(self, r, 0x123456789aUL), KERN_SUCCESS,
	           "a protected payload on the reply port");
	type_request(&m, self, r, r, 3201);
	mr = krpc(&m, sizeof(m), r);
	tap_ok(mr == MACH_MSG_SUCCESS &&
	           m.rep.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PROTECTED_PAYLOAD) &&
	           m.rep.head.msgh_protected_payload == 0x123456789aUL &&
	           m.rep.head.msgh_seqno == 1,
	       "the reply carries it in place of the name (mr %#x, bits %#x, payload %#lx)", mr,
	       m.rep.head.msgh_bits, (unsigned long)m.rep.head.msgh_protected_payload);

	/* mach_port_destroy (3205) of the reply port itself, answered on it. */
	type_request(&m, self, r, r, 3205);
	tap_is_int(krpc(&m, sizeof(m), r), MACH_RCV_INVALID_NAME,
	           "a call that destroys its own reply port: MACH_RCV_INVALID_NAME");
	mach_port_type_t t = 0;
	tap_is_int(mach_port_type(self, r, &t), KERN_INVALID_NAME, "and the name is gone");

	r = new_receive();
	type_request(&m, 0x7ff0, r, r, 3201);
	tap_is_int(krpc(&m, sizeof(m), r), MACH_SEND_INVALID_DEST,
	           "an unused destination name: MACH_SEND_INVALID_DEST");
	mach_port_status_t st = pstatus(r);
	tap_ok(st.mps_seqno == 0 && st.mps_msgcount == 0 && st.mps_sorights == 0,
	       "the reply port untouched (seqno %u, msgcount %u, sorights %u)", st.mps_seqno,
	       st.mps_msgcount, st.mps_sorights);
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(51);
	test_ool_data();
	test_port_arrays();
	test_wrong_ports();
	test_tasks_and_threads();
	test_host();
	test_krpc_reply();
	test_krpc_queued_first();
	test_krpc_too_large();
	test_krpc_in_set();
	test_krpc_other_port();
	test_krpc_other_receiver(0);
	test_krpc_other_receiver(MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT);
	test_krpc_odd();
	return tap_done();
}
