// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Exceptions: a thread faults (a read at 0x28, a write to .rodata, ud2,
 * int3, a divide by zero) and a handler thread receives exception_raise
 * (the 112-byte message of MACH-ABI.md), fixes the thread's state and
 * replies KERN_SUCCESS so that it goes on. Then which port is asked (the
 * thread's before the task's; a failure reply from the thread's port
 * passes the exception to the task's), and a failure reply with no other
 * port left, which ends the task (a child task here, watched through a
 * dead-name notification on its task port). Checked on GNU Mach first
 * (tests/gnumach/ipc-tasks.t).
 */
#include <mach/exception.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <stddef.h>
#include <string.h>
#include <tap.h>
#include <thread.h>
#include <traps.h>

#define EXC_RAISE_ID 2400 /* exc.defs: subsystem exc 2400, exception_raise its first routine */

/* exception_raise as GNU Mach sends it (MACH-ABI.md "Ports and messages"). */
struct exc_msg {
	mach_msg_header_t head;
	mach_msg_type_t thread_type;
	mach_port_t thread;
	uint32_t pad1;
	mach_msg_type_t task_type;
	mach_port_t task;
	uint32_t pad2;
	mach_msg_type_t exc_type;
	integer_t exception;
	uint32_t pad3;
	mach_msg_type_t code_type;
	integer_t code;
	uint32_t pad4;
	mach_msg_type_t subcode_type;
	int64_t subcode;
};
_Static_assert(sizeof(struct exc_msg) == 112, "exception_raise is 112 bytes");
_Static_assert(offsetof(struct exc_msg, exception) == 72, "exception at 72");
_Static_assert(offsetof(struct exc_msg, code) == 88, "code at 88");
_Static_assert(offsetof(struct exc_msg, subcode) == 104, "subcode at 104");

/*
 * fault_seq(): five faults in a row, each followed by a label where the
 * handler resumes it. The read at 0x28 loads rbx, which the handler sets to
 * 0x5a5a instead; fault_seq stores it in fault_rbx. Returns normally.
 * fault_ud2(): one ud2, resumed at fault_ud2_end, then returns.
 */
extern char fault_seq[], fault_read[], fault_read_end[], fault_write[], fault_write_end[],
    fault_inv[], fault_inv_end[], fault_bpt[], fault_bpt_end[], fault_div[], fault_div_end[],
    fault_ud2[], fault_ud2_at[], fault_ud2_end[];
extern uint64_t fault_rbx;
extern const uint32_t fault_rodata;
__asm__(".text\n"
        "fault_seq:\n"
        "	push %rbx\n"
        "	xorl %eax, %eax\n"
        "fault_read:\n"
        "	movq 0x28(%rax), %rbx\n"
        "fault_read_end:\n"
        "	movq %rbx, fault_rbx(%rip)\n"
        "fault_write:\n"
        "	movl $1, fault_rodata(%rip)\n"
        "fault_write_end:\n"
        "fault_inv:\n"
        "	ud2\n"
        "fault_inv_end:\n"
        "fault_bpt:\n"
        "	int3\n"
        "fault_bpt_end:\n"
        "	movl $7, %eax\n"
        "	xorl %edx, %edx\n"
        "	xorl %ecx, %ecx\n"
        "fault_div:\n"
        "	divl %ecx\n"
        "fault_div_end:\n"
        "	pop %rbx\n"
        "	ret\n"
        "fault_ud2:\n"
        "fault_ud2_at:\n"
        "	ud2\n"
        "fault_ud2_end:\n"
        "	ret\n"
        ".data\n"
        ".balign 8\n"
        "fault_rbx: .quad 0\n"
        ".section .rodata\n"
        ".balign 4096\n"
        "fault_rodata: .long 0\n"
        ".text\n");

static mach_port_t self;

/* What the handler saw of one exception. */
struct seen {
	mach_port_t at; /* the port it came to */
	mach_msg_bits_t bits;
	mach_msg_size_t size;
	mach_msg_id_t id;
	mach_port_t thread, task;
	int exception, code;
	int64_t subcode;
	uint64_t rip; /* the thread's rip when it was raised */
};

#define SEEN_MAX 16

static struct {
	mach_port_t set, thread_port, task_port; /* the handler's receive rights */
	/* The reply it gives at the thread's port (KERN_SUCCESS after fixing). */
	volatile kern_return_t thread_reply;
	struct seen seen[SEEN_MAX];
	volatile int n;
} h;

/* Where to resume after a fault at rip, and what to load in rbx; 0 if unknown. */
static uint64_t
resume_at(uint64_t rip)
{
	static const struct {
		char *at, *to;
	} fixes[] = {
	    {fault_read, fault_read_end}, {fault_write, fault_write_end},
	    {fault_inv, fault_inv_end},   {fault_bpt_end, fault_bpt_end},
	    {fault_div, fault_div_end},   {fault_ud2_at, fault_ud2_end},
	};
	for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (rip == (uint64_t)fixes[i].at)
			return (uint64_t)fixes[i].to;
	return 0;
}

static void
reply(struct exc_msg *m, kern_return_t code)
{
	mig_reply_header_t r;
	memset(&r, 0, sizeof(r));
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.Head.msgh_size = sizeof(r);
	r.Head.msgh_remote_port = m->head.msgh_remote_port;
	r.Head.msgh_id = m->head.msgh_id + 100;
	r.RetCodeType.msgt_name = MACH_MSG_TYPE_INTEGER_32;
	r.RetCodeType.msgt_size = 32;
	r.RetCodeType.msgt_number = 1;
	r.RetCodeType.msgt_inline = 1;
	r.RetCode = code;
	mach_msg(&r.Head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* Records the exception; with fix, moves the thread past the fault (0 if it cannot). */
static int
record(struct exc_msg *m, int fix)
{
	struct seen *s = &h.seen[h.n < SEEN_MAX ? h.n : SEEN_MAX - 1];
	struct i386_thread_state st;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	s->at = m->head.msgh_local_port;
	s->bits = m->head.msgh_bits;
	s->size = m->head.msgh_size;
	s->id = m->head.msgh_id;
	s->thread = m->thread;
	s->task = m->task;
	s->exception = m->exception;
	s->code = m->code;
	s->subcode = m->subcode;
	s->rip = 0;
	int ok = 0;
	if (thread_get_state(m->thread, i386_THREAD_STATE, (thread_state_t)&st, &n) ==
	    KERN_SUCCESS) {
		s->rip = st.rip;
		uint64_t to = resume_at(st.rip);
		if (fix && to) {
			st.rip = to;
			st.rbx = 0x5a5a;
			ok = thread_set_state(m->thread, i386_THREAD_STATE, (thread_state_t)&st,
			                      i386_THREAD_STATE_COUNT) == KERN_SUCCESS;
		}
	}
	h.n++;
	return ok;
}

/* The handler thread: the thread's port answers h.thread_reply, the task's fixes. */
static void
handler(void *arg)
{
	struct exc_msg m;
	for (;;) {
		memset(&m, 0, sizeof(m));
		if (mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), h.set, 0, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS)
			continue;
		if (m.head.msgh_id != EXC_RAISE_ID) {
			h.n++; /* counted, so that a stray message shows */
			continue;
		}
		int at_thread = m.head.msgh_local_port == h.thread_port;
		kern_return_t answer = at_thread ? h.thread_reply : KERN_SUCCESS;
		int fixed = record(&m, answer == KERN_SUCCESS);
		reply(&m, answer == KERN_SUCCESS && !fixed ? KERN_FAILURE : answer);
	}
}

static volatile int seq_done, ud2_done;

static void
run_seq(void *arg)
{
	((void (*)(void))fault_seq)();
	seq_done = 1;
}

static void
run_ud2(void *arg)
{
	((void (*)(void))fault_ud2)();
	ud2_done = 1;
}

static mach_port_urefs_t
refs(mach_port_t n)
{
	mach_port_urefs_t u = 0;
	mach_port_get_refs(self, n, MACH_PORT_RIGHT_SEND, &u);
	return u;
}

static int
seen_is(int i, mach_port_t at, int exc, int code, int64_t subcode, char *rip)
{
	struct seen *s = &h.seen[i];
	return i < h.n && s->at == at && s->exception == exc && s->code == code &&
	       s->subcode == subcode && s->rip == (uint64_t)rip;
}

static void
show(int i)
{
	struct seen *s = &h.seen[i];
	tap_diag("exception %d: port %u exc %d code %d subcode %#lx rip %#lx", i, s->at,
	         s->exception, s->code, (unsigned long)s->subcode, (unsigned long)s->rip);
}

/* Starts fn in a new thread whose exception port is port (or none); waits for *done. */
static int
run_with_port(void (*fn)(void *), mach_port_t port, volatile int *done)
{
	struct uthread t;
	*done = 0;
	uthread_create(self, fn, NULL, 0, &t);
	if (port != MACH_PORT_NULL)
		thread_set_special_port(t.thread, THREAD_EXCEPTION_PORT, port);
	thread_resume(t.thread);
	int ok = uthread_wait_flag(done, 3000);
	uthread_destroy(&t);
	return ok;
}

static mach_port_t
new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
	mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND);
	return p;
}

static void
test_faults(void)
{
	struct uthread t;
	mach_port_urefs_t self_refs = refs(self);

	h.n = 0;
	h.thread_reply = KERN_SUCCESS;
	uthread_create(self, run_seq, NULL, 0, &t);
	tap_is_int(thread_set_special_port(t.thread, THREAD_EXCEPTION_PORT, h.thread_port),
	           KERN_SUCCESS, "thread_set_special_port THREAD_EXCEPTION_PORT");
	mach_port_t got = MACH_PORT_NULL;
	/* Each value printed is computed first: argument order is unspecified. */
	kern_return_t kr = thread_get_special_port(t.thread, THREAD_EXCEPTION_PORT, &got);
	tap_ok(kr == KERN_SUCCESS && got == h.thread_port,
	       "thread_get_special_port gives it back under its name (%u)", got);
	mach_port_deallocate(self, got);
	thread_resume(t.thread);
	int ran = uthread_wait_flag(&seq_done, 3000);
	tap_ok(ran && fault_rbx == 0x5a5a,
	       "the faulting thread ran to its end, rbx as the handler set it (%#lx)",
	       (unsigned long)fault_rbx);
	tap_is_int(h.n, 5, "five exceptions");
	for (int i = 0; i < h.n && i < 5; i++)
		show(i);

	struct seen *s = &h.seen[0];
	tap_ok(s->size == 112 && s->bits == 0x80001112 && s->id == EXC_RAISE_ID &&
	           s->thread == t.thread && s->task == self,
	       "exception_raise: 112 bytes, bits 0x80001112, id 2400, the thread's and task's "
	       "names (size %u bits %#x id %d thread %u task %u)",
	       s->size, s->bits, s->id, s->thread, s->task);
	tap_ok(seen_is(0, h.thread_port, EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, 0x28, fault_read),
	       "read at 0x28: EXC_BAD_ACCESS, KERN_INVALID_ADDRESS, subcode the address");
	tap_ok(seen_is(1, h.thread_port, EXC_BAD_ACCESS, KERN_PROTECTION_FAILURE,
	               (int64_t)&fault_rodata, fault_write),
	       "write to .rodata: EXC_BAD_ACCESS, KERN_PROTECTION_FAILURE, subcode the address");
	tap_ok(seen_is(2, h.thread_port, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, fault_inv),
	       "ud2: EXC_BAD_INSTRUCTION, EXC_I386_INVOP, rip at the ud2");
	/* int3 is a trap: the thread's rip is already past it. */
	tap_ok(seen_is(3, h.thread_port, EXC_BREAKPOINT, EXC_I386_BPT, 0, fault_bpt_end),
	       "int3: EXC_BREAKPOINT, EXC_I386_BPT, rip after the int3");
	tap_ok(seen_is(4, h.thread_port, EXC_ARITHMETIC, EXC_I386_DIV, 0, fault_div),
	       "divide by zero: EXC_ARITHMETIC, EXC_I386_DIV, rip at the div");
	/* Each message brought a send right to the task port: one more uref under its name. */
	mach_port_urefs_t now = refs(self);
	tap_is_int(now, self_refs + 5, "five more urefs on the task's name (was %u)", self_refs);
	mach_port_mod_refs(self, self, MACH_PORT_RIGHT_SEND, -5);
	uthread_destroy(&t);
}

static void
test_precedence(void)
{
	mach_port_t old = 0xdead; /* must be written */
	kern_return_t kr = task_get_special_port(self, TASK_EXCEPTION_PORT, &old);
	tap_is_int(kr, KERN_SUCCESS, "task_get_special_port TASK_EXCEPTION_PORT");
	tap_ok(kr == KERN_SUCCESS && old == MACH_PORT_NULL,
	       "a boot task has no exception port (%u)", old);
	tap_is_int(task_set_special_port(self, TASK_EXCEPTION_PORT, h.task_port), KERN_SUCCESS,
	           "task_set_special_port TASK_EXCEPTION_PORT");

	h.n = 0;
	h.thread_reply = KERN_SUCCESS;
	int ran = run_with_port(run_ud2, h.thread_port, &ud2_done);
	tap_ok(ran && h.n == 1 &&
	           seen_is(0, h.thread_port, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, fault_ud2_at),
	       "with both ports set, the thread's port gets the exception (n %d)", h.n);

	h.n = 0;
	ran = run_with_port(run_ud2, MACH_PORT_NULL, &ud2_done);
	tap_ok(ran && h.n == 1 &&
	           seen_is(0, h.task_port, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, fault_ud2_at),
	       "a thread without a port: the task's port gets it (n %d)", h.n);

	h.n = 0;
	h.thread_reply = KERN_FAILURE;
	ran = run_with_port(run_ud2, h.thread_port, &ud2_done);
	tap_ok(
	    ran && h.n == 2 &&
	        seen_is(0, h.thread_port, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, fault_ud2_at) &&
	        seen_is(1, h.task_port, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 0, fault_ud2_at),
	    "a failure reply from the thread's port: the task's port gets it next (n %d)", h.n);
	for (int i = 0; i < h.n; i++)
		show(i);
	h.thread_reply = KERN_SUCCESS;
}

/* A child task (this program's memory) whose thread faults; a failure reply ends the task. */
static void
test_death(void)
{
	mach_port_t child = MACH_PORT_NULL, notify = new_port(), exc = new_port(), prev;
	struct uthread t;
	kern_return_t kr = task_create(self, TRUE, &child);
	tap_is_int(kr, KERN_SUCCESS, "task_create");
	mach_port_t inherited = MACH_PORT_NULL;
	task_get_special_port(child, TASK_EXCEPTION_PORT, &inherited);
	tap_ok(inherited == h.task_port && inherited != MACH_PORT_NULL,
	       "the child inherits the task exception port (%u)", inherited);
	mach_port_deallocate(self, inherited);
	task_set_special_port(child, TASK_EXCEPTION_PORT, exc);
	mach_port_request_notification(self, child, MACH_NOTIFY_DEAD_NAME, 0, notify,
	                               MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	uthread_create(child, run_ud2, NULL, 1, &t);

	struct exc_msg m;
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr =
	    mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), exc, 3000, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == EXC_RAISE_ID && m.task == child &&
	           m.thread == t.thread && m.exception == EXC_BAD_INSTRUCTION,
	       "the child's exception names the child task and thread (mr %#x task %u/%u)", mr,
	       m.task, child);
	reply(&m, KERN_FAILURE);
	mach_dead_name_notification_t dn;
	memset(&dn, 0, sizeof(dn));
	mr = mach_msg(&dn.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(dn), notify, 3000,
	              0);
	tap_ok(mr == MACH_MSG_SUCCESS && dn.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME &&
	           dn.not_port == child,
	       "a failure reply with no other port: the task dies (dead name %u, mr %#x id %d)",
	       dn.not_port, mr, dn.not_header.msgh_id);
	thread_array_t threads;
	mach_msg_type_number_t n;
	tap_is_int(task_threads(child, &threads, &n), MACH_SEND_INVALID_DEST,
	           "task_threads of the dead child: MACH_SEND_INVALID_DEST");
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(23);
	struct uthread ht;
	h.thread_port = new_port();
	h.task_port = new_port();
	mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &h.set);
	mach_port_move_member(self, h.thread_port, h.set);
	mach_port_move_member(self, h.task_port, h.set);
	tap_is_int(uthread_create(self, handler, NULL, 1, &ht), KERN_SUCCESS, "the handler thread");
	test_faults();
	test_precedence();
	test_death();
	return tap_done();
}
