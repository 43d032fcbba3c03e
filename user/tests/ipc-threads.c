// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Threads of one task (user/libc/thread.c): an RPC between two threads
 * (send-once reply, send and receive in one mach_msg), thread_abort of a
 * thread blocked in a receive and in a send to a full port, thread state
 * (registers and the x87 state) of a suspended thread, thread_info and the
 * suspend count, thread_terminate, and gsync_wait/gsync_wake between
 * threads. Checked on GNU Mach first (tests/gnumach/ipc-tasks.t), the oracle
 * for vmach (tests/qemu/ipc-tasks.t.pending).
 *
 * Only the main thread prints (thread.h): the others leave their results
 * in globals that the main thread checks.
 */
#include <mach/gnumach.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/thread_info.h>
#include <string.h>
#include <tap.h>
#include <thread.h>
#include <traps.h>

/* GNU Mach's kern/gsync.h flags (not in the ABI headers). */
#define GSYNC_TIMED 0x04
#define GSYNC_BROADCAST 0x08
#define GSYNC_MUTATE 0x10

static mach_port_t self;

static mach_port_t
new_port(int with_send)
{
	mach_port_t p = MACH_PORT_NULL;
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	if (with_send)
		mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND);
	return p;
}

/* The thread's run state and suspend count (-1 when thread_info fails). */
static int
thread_state_of(mach_port_t th, int *suspend_count, kern_return_t *kr)
{
	struct thread_basic_info info;
	mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;
	*kr = thread_info(th, THREAD_BASIC_INFO, (thread_info_t)&info, &n);
	if (*kr != KERN_SUCCESS)
		return -1;
	if (suspend_count)
		*suspend_count = info.suspend_count;
	return info.run_state;
}

/* ---- An RPC between two threads ---- */

#define RPC_WORDS 8
#define RPC_ROUNDS 500
#define RPC_ID 4000
#define RPC_STOP 4999

struct rpc_msg {
	mach_msg_header_t head;
	mach_msg_type_t type;
	int64_t w[RPC_WORDS];
};

static struct {
	mach_port_t port;
	int served, errors;
	mach_msg_bits_t first_bits;
	volatile int done;
} srv;

static void
rpc_server(void *arg)
{
	struct rpc_msg m;
	for (;;) {
		mach_msg_return_t mr =
		    mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), srv.port, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			srv.errors++;
			continue;
		}
		if (srv.served == 0)
			srv.first_bits = m.head.msgh_bits;
		for (int i = 0; i < RPC_WORDS; i++)
			m.w[i] = m.w[i] * 3 + i;
		int stop = m.head.msgh_id == RPC_STOP;
		/* Back through the send-once right the request carried. */
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.head.msgh_local_port = MACH_PORT_NULL;
		m.head.msgh_id += 100;
		mr = mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
		              MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			srv.errors++;
		srv.served++;
		if (stop)
			break;
	}
	srv.done = 1;
}

/* One round trip: send and receive in one mach_msg; returns 1 when the reply is right. */
static int
rpc_call(mach_port_t reply, int id, int64_t seed)
{
	struct rpc_msg m;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = srv.port;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = id;
	m.type.msgt_name = MACH_MSG_TYPE_INTEGER_64;
	m.type.msgt_size = 64;
	m.type.msgt_number = RPC_WORDS;
	m.type.msgt_inline = 1;
	for (int i = 0; i < RPC_WORDS; i++)
		m.w[i] = seed + i * 1000;
	mach_msg_return_t mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m), sizeof(m),
	                                reply, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS || m.head.msgh_id != id + 100 || m.head.msgh_size != sizeof(m) ||
	    m.head.msgh_local_port != reply)
		return 0;
	for (int i = 0; i < RPC_WORDS; i++)
		if (m.w[i] != (seed + i * 1000) * 3 + i)
			return 0;
	return 1;
}

static void
test_rpc(void)
{
	struct uthread t;
	srv.port = new_port(1);
	tap_is_int(uthread_create(self, rpc_server, NULL, 1, &t), KERN_SUCCESS,
	           "uthread_create of the server thread");
	mach_port_t reply = mach_reply_port();
	int good = 0;
	for (int i = 0; i < RPC_ROUNDS; i++)
		good += rpc_call(reply, RPC_ID + (i & 7), (int64_t)i << 20);
	tap_is_int(good, RPC_ROUNDS, "%d round trips between two threads, data checked",
	           RPC_ROUNDS);
	tap_ok(MACH_MSGH_BITS_REMOTE(srv.first_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	           MACH_MSGH_BITS_LOCAL(srv.first_bits) == MACH_MSG_TYPE_PORT_SEND,
	       "the server got the reply port as a send-once right (bits %#x)", srv.first_bits);
	int stopped = rpc_call(reply, RPC_STOP, 7) && uthread_wait_flag(&srv.done, 2000);
	tap_ok(stopped && srv.errors == 0, "the server stops after its last reply (errors %d)",
	       srv.errors);
	tap_is_int(uthread_destroy(&t), KERN_SUCCESS, "the server thread ended by itself");
	mach_port_mod_refs(self, reply, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(self, srv.port, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* ---- thread_abort of blocked threads ---- */

struct blocked {
	mach_port_t port;
	volatile mach_msg_return_t mr;
	volatile int done;
	volatile int64_t value;
};

static void
block_in_receive(void *arg)
{
	struct blocked *b = arg;
	struct rpc_msg m;
	b->mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_INTERRUPT, 0, sizeof(m), b->port, 0,
	                 MACH_PORT_NULL);
	b->done = 1;
}

/*
 * The same receive without MACH_RCV_INTERRUPT: mach_msg() (user/traps.S,
 * user/libc/mig_support.c) takes the trap's MACH_RCV_INTERRUPTED and
 * receives again with the same arguments, as glibc's does.
 */
static void
block_in_receive_retried(void *arg)
{
	struct blocked *b = arg;
	struct rpc_msg m;
	memset(&m, 0, sizeof(m));
	b->mr = mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), b->port, 0, MACH_PORT_NULL);
	b->value = b->mr == MACH_MSG_SUCCESS && m.head.msgh_size == sizeof(m) ? m.w[0] : -1;
	b->done = 1;
}

static void
make_int_msg(struct rpc_msg *m, mach_port_t dest, int64_t v)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = dest;
	m->head.msgh_id = RPC_ID;
	m->type.msgt_name = MACH_MSG_TYPE_INTEGER_64;
	m->type.msgt_size = 64;
	m->type.msgt_number = RPC_WORDS;
	m->type.msgt_inline = 1;
	m->w[0] = v;
}

static void
block_in_send(void *arg)
{
	struct blocked *b = arg;
	struct rpc_msg m;
	make_int_msg(&m, b->port, 2);
	/* No timeout: the queue is full, so this blocks until aborted. */
	b->mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_INTERRUPT, sizeof(m), 0, MACH_PORT_NULL,
	                 0, MACH_PORT_NULL);
	b->done = 1;
}

static void
test_abort(void)
{
	struct uthread t;
	struct blocked b = {.port = new_port(1)};

	uthread_create(self, block_in_receive, &b, 1, &t);
	tap_ok(uthread_wait_blocked(t.thread, 2000),
	       "a thread blocked in receive is TH_STATE_WAITING");
	tap_is_int(thread_abort(t.thread), KERN_SUCCESS, "thread_abort of it");
	uthread_wait_flag(&b.done, 2000);
	tap_is_int(b.mr, MACH_RCV_INTERRUPTED, "its receive returns MACH_RCV_INTERRUPTED");
	uthread_destroy(&t);

	struct rpc_msg m;
	b.done = 0;
	uthread_create(self, block_in_receive_retried, &b, 1, &t);
	tap_ok(uthread_wait_blocked(t.thread, 2000), "a receive without MACH_RCV_INTERRUPT waits");
	tap_is_int(thread_abort(t.thread), KERN_SUCCESS, "thread_abort of it");
	int again = uthread_wait_blocked(t.thread, 2000) && !b.done;
	make_int_msg(&m, b.port, 5);
	tap_is_int(mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
	                    MACH_PORT_NULL, 0, MACH_PORT_NULL),
	           MACH_MSG_SUCCESS, "a message for it");
	uthread_wait_flag(&b.done, 2000);
	tap_ok(again && b.mr == MACH_MSG_SUCCESS && b.value == 5,
	       "mach_msg received again and got the message (%#x, value %ld)", b.mr, (long)b.value);
	uthread_destroy(&t);

	mach_port_set_qlimit(self, b.port, 1);
	make_int_msg(&m, b.port, 1);
	tap_is_int(mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
	                    MACH_PORT_NULL, 0, MACH_PORT_NULL),
	           MACH_MSG_SUCCESS, "one message fills a port of qlimit 1");
	make_int_msg(&m, b.port, 9);
	tap_is_int(mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
	                    MACH_PORT_NULL, 0, MACH_PORT_NULL),
	           MACH_SEND_TIMED_OUT, "a second send with timeout 0: MACH_SEND_TIMED_OUT");
	b.done = 0;
	b.mr = 0;
	uthread_create(self, block_in_send, &b, 1, &t);
	tap_ok(uthread_wait_blocked(t.thread, 2000) && !b.done,
	       "a thread blocked in send to the full port waits");
	tap_is_int(thread_abort(t.thread), KERN_SUCCESS, "thread_abort of it");
	uthread_wait_flag(&b.done, 2000);
	tap_is_int(b.mr, MACH_SEND_INTERRUPTED, "its send returns MACH_SEND_INTERRUPTED");
	uthread_destroy(&t);
	mach_port_status_t st;
	kern_return_t kr = mach_port_get_receive_status(self, b.port, &st);
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
	                                b.port, 0, MACH_PORT_NULL);
	tap_ok(kr == KERN_SUCCESS && st.mps_msgcount == 1 && mr == MACH_MSG_SUCCESS && m.w[0] == 1,
	       "the interrupted message was not queued: only the first (count %u, value %ld)",
	       st.mps_msgcount, (long)m.w[0]);
	mach_port_mod_refs(self, b.port, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* ---- Thread state ---- */

/*
 * regs_entry: started by thread_set_state with every register chosen; it
 * stores the 16 general registers in regs_seen (rax, rbx, rcx, rdx, rsi,
 * rdi, rbp, rsp, r8..r15), loads pi onto a fresh x87 stack, sets
 * regs_dumped and spins in regs_spin without touching a register.
 * x87_store_entry: stores st(0) as 10 bytes in x87_seen, sets x87_stored, spins.
 */
extern char regs_entry[], regs_spin[], regs_spin_end[], x87_store_entry[];
extern uint64_t regs_seen[16];
extern volatile int regs_dumped, x87_stored;
extern unsigned char x87_seen[16];
__asm__(".text\n"
        "regs_entry:\n"
        "	movq %rax, regs_seen+0(%rip)\n"
        "	movq %rbx, regs_seen+8(%rip)\n"
        "	movq %rcx, regs_seen+16(%rip)\n"
        "	movq %rdx, regs_seen+24(%rip)\n"
        "	movq %rsi, regs_seen+32(%rip)\n"
        "	movq %rdi, regs_seen+40(%rip)\n"
        "	movq %rbp, regs_seen+48(%rip)\n"
        "	movq %rsp, regs_seen+56(%rip)\n"
        "	movq %r8, regs_seen+64(%rip)\n"
        "	movq %r9, regs_seen+72(%rip)\n"
        "	movq %r10, regs_seen+80(%rip)\n"
        "	movq %r11, regs_seen+88(%rip)\n"
        "	movq %r12, regs_seen+96(%rip)\n"
        "	movq %r13, regs_seen+104(%rip)\n"
        "	movq %r14, regs_seen+112(%rip)\n"
        "	movq %r15, regs_seen+120(%rip)\n"
        "	fninit\n"
        "	fldpi\n"
        "	movl $1, regs_dumped(%rip)\n"
        "regs_spin:\n"
        "	pause\n"
        "	jmp regs_spin\n"
        "regs_spin_end:\n"
        "x87_store_entry:\n"
        "	fstpt x87_seen(%rip)\n"
        "	movl $1, x87_stored(%rip)\n"
        "1:	pause\n"
        "	jmp 1b\n"
        ".data\n"
        ".balign 8\n"
        "regs_seen: .fill 16, 8, 0\n"
        "x87_seen: .fill 16, 1, 0\n"
        "regs_dumped: .long 0\n"
        "x87_stored: .long 0\n"
        ".text\n");

/* pi as the x87 holds it: 80 bits, little-endian. */
static const unsigned char x87_pi[10] = {0x35, 0xc2, 0x68, 0x21, 0xa2,
                                         0xda, 0x0f, 0xc9, 0x00, 0x40};
/* 1.5: sign 0, exponent 0x3fff, mantissa 0xc000000000000000. */
static const unsigned char x87_one_half[10] = {0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0x3f};

/* The pattern of register i (regs_seen order). */
static uint64_t
pattern(int i)
{
	return 0x1111111111111111ull * (uint64_t)(i + 1) ^ 0x0f0f000000000000ull;
}

static void
state_from_patterns(struct i386_thread_state *st, struct uthread *t)
{
	uint64_t *slot[16] = {&st->rax, &st->rbx,  &st->rcx, &st->rdx, &st->rsi, &st->rdi,
	                      &st->rbp, &st->ursp, &st->r8,  &st->r9,  &st->r10, &st->r11,
	                      &st->r12, &st->r13,  &st->r14, &st->r15};
	for (int i = 0; i < 16; i++)
		*slot[i] = pattern(i);
	st->ursp = t->stack + UTHREAD_STACK_SIZE - 64; /* a real stack: the kernel may push on it */
	st->rip = (uint64_t)regs_entry;
}

static int
regs_match(const struct i386_thread_state *st, struct uthread *t, int *first_bad)
{
	const uint64_t got[16] = {st->rax, st->rbx,  st->rcx, st->rdx, st->rsi, st->rdi,
	                          st->rbp, st->ursp, st->r8,  st->r9,  st->r10, st->r11,
	                          st->r12, st->r13,  st->r14, st->r15};
	for (int i = 0; i < 16; i++) {
		uint64_t want = i == 7 ? t->stack + UTHREAD_STACK_SIZE - 64 : pattern(i);
		if (got[i] != want) {
			*first_bad = i;
			return 0;
		}
	}
	return 1;
}

static int
seen_match(struct uthread *t, int *first_bad)
{
	for (int i = 0; i < 16; i++) {
		uint64_t want = i == 7 ? t->stack + UTHREAD_STACK_SIZE - 64 : pattern(i);
		if (regs_seen[i] != want) {
			*first_bad = i;
			return 0;
		}
	}
	return 1;
}

static void
never(void *arg)
{
}

/* The thread's registers; 0 and *kr set when thread_get_state fails. */
static int
get_regs(struct uthread *t, struct i386_thread_state *st, kern_return_t *kr)
{
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	*kr = thread_get_state(t->thread, i386_THREAD_STATE, (thread_state_t)st, &n);
	return *kr == KERN_SUCCESS;
}

static void
test_state(void)
{
	struct uthread t;
	struct i386_thread_state st;
	mach_msg_type_number_t n;
	kern_return_t kr;
	int bad = -1, count = -1;

	tap_is_int(uthread_create(self, never, NULL, 0, &t), KERN_SUCCESS,
	           "a thread created and not resumed");
	int rs = thread_state_of(t.thread, &count, &kr);
	tap_ok(kr == KERN_SUCCESS && count == 1, "a new thread's suspend count is 1 (%d, state %d)",
	       count, rs);
	/* Both codes: a kernel that fails every RPC with 4 must not pass. */
	n = i386_THREAD_STATE_COUNT;
	kern_return_t exact =
	    thread_get_state(t.thread, i386_THREAD_STATE, (thread_state_t)&st, &n);
	n = i386_THREAD_STATE_COUNT - 1;
	kr = thread_get_state(t.thread, i386_THREAD_STATE, (thread_state_t)&st, &n);
	tap_ok(exact == KERN_SUCCESS && kr == KERN_INVALID_ARGUMENT,
	       "thread_get_state: count 42 works, 41 is KERN_INVALID_ARGUMENT (%d, %d)", exact, kr);
	uint32_t big[64];
	n = 64;
	kr = thread_get_state(t.thread, i386_THREAD_STATE, (thread_state_t)big, &n);
	tap_ok(kr == KERN_SUCCESS && n == 42, "a larger count is answered with 42 (kr %d, %u)", kr,
	       n);

	get_regs(&t, &st, &kr);
	state_from_patterns(&st, &t);
	tap_is_int(thread_set_state(t.thread, i386_THREAD_STATE, (thread_state_t)&st,
	                            i386_THREAD_STATE_COUNT),
	           KERN_SUCCESS, "thread_set_state of the suspended thread");
	memset(&st, 0, sizeof(st));
	/* Printed values are computed first: argument order is unspecified. */
	int ok = get_regs(&t, &st, &kr) && regs_match(&st, &t, &bad);
	tap_ok(ok && st.rip == (uint64_t)regs_entry,
	       "thread_get_state gives back the registers set (kr %d, first wrong %d)", kr, bad);

	tap_is_int(thread_resume(t.thread), KERN_SUCCESS, "thread_resume");
	ok = uthread_wait_flag(&regs_dumped, 2000) && seen_match(&t, &bad);
	tap_ok(ok, "it ran with those 16 registers (first wrong %d)", bad);

	tap_is_int(thread_suspend(t.thread), KERN_SUCCESS, "thread_suspend of the spinning thread");
	thread_suspend(t.thread);
	rs = thread_state_of(t.thread, &count, &kr);
	tap_ok(rs == TH_STATE_STOPPED && count == 2,
	       "after two suspends: stopped, suspend count 2 (state %d, count %d)", rs, count);
	ok = get_regs(&t, &st, &kr) && regs_match(&st, &t, &bad);
	tap_ok(ok && st.rip >= (uint64_t)regs_spin && st.rip < (uint64_t)regs_spin_end,
	       "its state: rip in its loop, the registers it was given (rip %#lx, wrong %d)",
	       (unsigned long)st.rip, bad);

	struct i386_float_state fs;
	n = i386_FLOAT_STATE_COUNT;
	kr = thread_get_state(t.thread, i386_FLOAT_STATE, (thread_state_t)&fs, &n);
	/* The legacy FNSAVE image: 28 bytes of environment, then st(0)..st(7), 10 bytes each. */
	tap_ok(kr == KERN_SUCCESS && n == i386_FLOAT_STATE_COUNT && fs.initialized &&
	           memcmp(fs.hw_state + sizeof(struct i386_fp_save), x87_pi, 10) == 0,
	       "i386_FLOAT_STATE (count %u): st(0) holds pi (kr %d, kind %d, init %d)", n, kr,
	       fs.fpkind, fs.initialized);
	memcpy(fs.hw_state + sizeof(struct i386_fp_save), x87_one_half, 10);
	tap_is_int(thread_set_state(t.thread, i386_FLOAT_STATE, (thread_state_t)&fs,
	                            i386_FLOAT_STATE_COUNT),
	           KERN_SUCCESS, "set st(0) to 1.5 with i386_FLOAT_STATE");
	get_regs(&t, &st, &kr);
	st.rip = (uint64_t)x87_store_entry;
	thread_set_state(t.thread, i386_THREAD_STATE, (thread_state_t)&st, i386_THREAD_STATE_COUNT);

	thread_resume(t.thread);
	uthread_sleep(50);
	rs = thread_state_of(t.thread, &count, &kr);
	tap_ok(count == 1 && !x87_stored, "one resume of two suspends: count 1, it does not run");
	thread_resume(t.thread);
	tap_ok(uthread_wait_flag(&x87_stored, 2000) && memcmp(x87_seen, x87_one_half, 10) == 0,
	       "the second resume runs it, and st(0) is 1.5");
	rs = thread_state_of(t.thread, &count, &kr);
	tap_ok(count == 0 && rs == TH_STATE_RUNNING, "running: count 0 (state %d)", rs);
	tap_is_int(thread_resume(t.thread), KERN_FAILURE, "thread_resume at count 0: KERN_FAILURE");

	tap_is_int(thread_terminate(t.thread), KERN_SUCCESS,
	           "thread_terminate of the spinning thread");
	thread_state_of(t.thread, &count, &kr);
	tap_is_int(kr, MACH_SEND_INVALID_DEST, "thread_info on it after: MACH_SEND_INVALID_DEST");
	mach_port_type_t type = 0;
	mach_port_type(self, t.thread, &type);
	tap_is_int(type, MACH_PORT_TYPE_DEAD_NAME, "the thread's name is a dead name");
	uthread_destroy(&t);
}

/* ---- gsync ---- */

static struct {
	uint32_t word;
	uint32_t lock;
	long counter;
	int woke, finished, waits;
	kern_return_t wait_kr[4];
} gs;

static void
gsync_waiter(void *arg)
{
	long i = (long)arg;
	gs.wait_kr[i] = gsync_wait(self, (vm_address_t)&gs.word, 0, 0, 0, 0);
	__atomic_add_fetch(&gs.woke, 1, __ATOMIC_SEQ_CST);
}

static uint32_t
cas(uint32_t *p, uint32_t old, uint32_t new)
{
	__atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

/* A lock word: 0 free, 1 held, 2 held with waiters (as glibc's lowlevellock). */
static void
lock(uint32_t *l)
{
	uint32_t c = cas(l, 0, 1);
	while (c != 0) {
		if (c == 2 || cas(l, 1, 2) != 0)
			if (gsync_wait(self, (vm_address_t)l, 2, 0, 0, 0) == KERN_SUCCESS)
				__atomic_add_fetch(&gs.waits, 1, __ATOMIC_SEQ_CST);
		c = cas(l, 0, 2);
	}
}

static void
unlock(uint32_t *l)
{
	/* With waiters, the kernel stores the 0 and wakes one (GSYNC_MUTATE). */
	if (__atomic_fetch_sub(l, 1, __ATOMIC_SEQ_CST) != 1)
		gsync_wake(self, (vm_address_t)l, 0, GSYNC_MUTATE);
}

#define GS_THREADS 3
#define GS_ROUNDS 100

static void
gsync_worker(void *arg)
{
	for (int i = 0; i < GS_ROUNDS; i++) {
		lock(&gs.lock);
		long c = gs.counter;
		/* Yield holding the lock: the others find it taken and wait in the kernel. */
		swtch_pri(0);
		gs.counter = c + 1;
		unlock(&gs.lock);
	}
	__atomic_add_fetch(&gs.finished, 1, __ATOMIC_SEQ_CST);
}

static void
test_gsync(void)
{
	struct uthread t[GS_THREADS];
	vm_address_t w = (vm_address_t)&gs.word;

	gs.word = 5;
	kern_return_t timed = gsync_wait(self, w, 5, 0, 50, GSYNC_TIMED);
	tap_is_int(timed, KERN_TIMEDOUT, "gsync_wait of a matching value, 50 ms: KERN_TIMEDOUT");
	/* No timeout: a wait here would never end. */
	kern_return_t kr = gsync_wait(self, w, 6, 0, 0, 0);
	tap_ok(timed == KERN_TIMEDOUT && kr == KERN_INVALID_ARGUMENT,
	       "gsync_wait of another value returns at once: KERN_INVALID_ARGUMENT (%d)", kr);
	tap_is_int(gsync_wake(self, w, 0, 0), KERN_SUCCESS, "gsync_wake with no waiter");

	gs.word = 0;
	int blocked = 0;
	for (long i = 0; i < GS_THREADS; i++)
		uthread_create(self, gsync_waiter, (void *)i, 1, &t[i]);
	for (int i = 0; i < GS_THREADS; i++)
		blocked += uthread_wait_blocked(t[i].thread, 2000);
	tap_ok(blocked == GS_THREADS && gs.woke == 0, "%d threads wait in gsync_wait", blocked);
	gsync_wake(self, w, 0, 0);
	uthread_sleep(100);
	tap_is_int(gs.woke, 1, "gsync_wake wakes one");
	gsync_wake(self, w, 0, GSYNC_BROADCAST);
	for (int i = 0; i < 200 && gs.woke < GS_THREADS; i++)
		uthread_sleep(10);
	tap_ok(gs.woke == GS_THREADS && gs.wait_kr[0] == KERN_SUCCESS &&
	           gs.wait_kr[1] == KERN_SUCCESS && gs.wait_kr[2] == KERN_SUCCESS,
	       "GSYNC_BROADCAST wakes the others; each gsync_wait returned KERN_SUCCESS (%d woke)",
	       gs.woke);
	for (int i = 0; i < GS_THREADS; i++)
		uthread_destroy(&t[i]);

	for (int i = 0; i < GS_THREADS; i++)
		uthread_create(self, gsync_worker, NULL, 1, &t[i]);
	for (int i = 0; i < 1000 && gs.finished < GS_THREADS; i++)
		uthread_sleep(10);
	tap_ok(gs.finished == GS_THREADS && gs.counter == GS_THREADS * GS_ROUNDS,
	       "a gsync lock between %d threads: counter %ld of %d", GS_THREADS, gs.counter,
	       GS_THREADS * GS_ROUNDS);
	tap_ok(gs.waits > 0 && gs.lock == 0,
	       "the threads waited in the kernel (%d waits), lock free", gs.waits);
	for (int i = 0; i < GS_THREADS; i++)
		uthread_destroy(&t[i]);
}

int
main(void)
{
	self = mach_task_self();
	tap_plan(46);
	test_rpc();
	test_abort();
	test_state();
	test_gsync();
	return tap_done();
}
