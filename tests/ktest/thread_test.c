// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel threads and the scheduler: blocking and waking, timeouts, abort,
 * priorities, yielding, suspension, and that finished threads give back
 * every page. Run by tests/qemu/threads.t.
 */
#include "debug/ktest.h"
#include "tests/ktest/ktest_sleep.h"
#include "kern/clock.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/sched.h"
#include "kern/task.h"
#include "kern/thread.h"

static struct wait_event done_ev = WAIT_EVENT_INIT("test done");
static volatile unsigned done_count;

static void
finished(void)
{
	__atomic_add_fetch(&done_count, 1, __ATOMIC_SEQ_CST);
	thread_wakeup(&done_ev);
}

static bool
done_reached(void *arg)
{
	return done_count >= (unsigned)(uintptr_t)arg;
}

/* Waits until n threads called finished() since the count was reset. */
static bool
wait_done(unsigned n)
{
	return wait_until(&done_ev, done_reached, (void *)(uintptr_t)n, 5000000000ULL) ==
	       KERN_SUCCESS;
}

/* ---- ping-pong between two threads ---- */

#define PINGPONG_ROUNDS 1000
static struct wait_event ping_ev = WAIT_EVENT_INIT("ping"), pong_ev = WAIT_EVENT_INIT("pong");
static volatile unsigned ping_turn; /* even: ping's turn, odd: pong's */
static volatile bool pingpong_order_ok = true;

static void
pingpong(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	struct wait_event *mine = me ? &pong_ev : &ping_ev, *other = me ? &ping_ev : &pong_ev;

	for (unsigned i = 0; i < PINGPONG_ROUNDS; i++) {
		for (;;) {
			thread_assert_wait(mine, false);
			if (ping_turn % 2 == me) {
				thread_clear_wait();
				break;
			}
			thread_block(WAIT_FOREVER);
		}
		if (ping_turn != 2 * i + me)
			pingpong_order_ok = false;
		ping_turn++;
		thread_wakeup(other);
	}
	finished();
}

/* ---- wait results ---- */

static struct wait_event never_ev = WAIT_EVENT_INIT("never");
static volatile int wait_result = -1;
static volatile uint64_t wait_elapsed_ns;

static void
waiter(void *arg)
{
	uint64_t t0 = clock_monotonic_ns();
	bool interruptible = (uintptr_t)arg & 1;
	uint64_t timeout = (uintptr_t)arg & 2 ? 50000000 : WAIT_FOREVER;

	thread_assert_wait(&never_ev, interruptible);
	wait_result = thread_block(timeout);
	wait_elapsed_ns = clock_monotonic_ns() - t0;
	finished();
}

/* ---- priorities and yielding ---- */

static volatile char order[8];
static volatile unsigned order_n;
static struct wait_event go_ev = WAIT_EVENT_INIT("go");
static volatile bool go;

static bool
go_set(void *arg)
{
	(void)arg;
	return go;
}

static void
record(void *arg)
{
	wait_until(&go_ev, go_set, NULL, WAIT_FOREVER);
	order[order_n++] = (char)(uintptr_t)arg;
	finished();
}

#define YIELD_ROUNDS 100
static volatile unsigned yield_count[2];
static volatile unsigned yield_max_gap;

static void
yielder(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < YIELD_ROUNDS; i++) {
		yield_count[me]++;
		unsigned a = yield_count[0], b = yield_count[1];
		unsigned gap = a > b ? a - b : b - a;
		if (gap > yield_max_gap)
			yield_max_gap = gap;
		thread_yield();
	}
	finished();
}

static void
noop(void *arg)
{
	(void)arg;
	finished();
}

static void
reset(void)
{
	done_count = 0;
}

/* Starts and ends 200 threads; true when all finished. */
static bool
many_threads(void)
{
	reset();
	for (int i = 0; i < 200; i++)
		if (kthread_create(noop, NULL, "noop", BASEPRI_USER, NULL) != KERN_SUCCESS)
			return false;
	bool all = wait_done(200);
	ktest_sleep_ms(20); /* the last one is reaped by the next thread to run */
	kmalloc_reclaim();
	return all;
}

KTEST(threads, "kernel threads: wake-ups, timeouts, abort, priorities, yield, reaping")
{
	struct thread *t;
	struct page_stats before, after;
	bool ok; /* each wait comes first: the check's message reads what it waited for */

	ktap_plan(12);

	reset();
	ping_turn = 0;
	kthread_create(pingpong, (void *)0, "ping", BASEPRI_USER, NULL);
	kthread_create(pingpong, (void *)1, "pong", BASEPRI_USER, NULL);
	ok = wait_done(2);
	ktap_ok(ok && ping_turn == 2 * PINGPONG_ROUNDS && pingpong_order_ok,
	        "two threads take %d turns each through wake-ups, in order (turns %u)",
	        PINGPONG_ROUNDS, ping_turn);

	reset();
	kthread_create(waiter, (void *)2, "timed", BASEPRI_USER, NULL);
	ok = wait_done(1);
	ktap_ok(ok && wait_result == THREAD_TIMED_OUT && wait_elapsed_ns >= 50000000 &&
	            wait_elapsed_ns < 200000000,
	        "a 50 ms wait times out after %lu us", wait_elapsed_ns / 1000);

	reset();
	wait_result = -1;
	kthread_create(waiter, (void *)1, "abortable", BASEPRI_USER, &t);
	ktest_sleep_ms(20); /* let it block */
	ktap_ok(thread_state(t) & TH_WAIT, "the interruptible waiter is waiting (state %#x)",
	        thread_state(t));
	thread_abort(t);
	ok = wait_done(1);
	ktap_ok(ok && wait_result == THREAD_INTERRUPTED,
	        "thread_abort ends an interruptible wait with THREAD_INTERRUPTED (%d)",
	        wait_result);
	thread_deallocate(t);

	reset();
	wait_result = -1;
	kthread_create(waiter, (void *)2 /* uninterruptible, 50 ms */, "unint", BASEPRI_USER, &t);
	ktest_sleep_ms(10);
	thread_abort(t);
	ok = wait_done(1);
	ktap_ok(ok && wait_result == THREAD_TIMED_OUT,
	        "thread_abort leaves an uninterruptible wait alone (%d)", wait_result);
	thread_deallocate(t);

	/* Threads of priorities 30, 10, 20 made runnable together run best first. */
	reset();
	go = false;
	order_n = 0;
	kthread_create(record, (void *)'l', "low", 30, NULL);
	kthread_create(record, (void *)'h', "high", 10, NULL);
	kthread_create(record, (void *)'m', "mid", 20, NULL);
	ktest_sleep_ms(20);
	go = true;
	wait_wake(&go_ev);
	ok = wait_done(3);
	ktap_ok(ok && order[0] == 'h' && order[1] == 'm' && order[2] == 'l',
	        "woken together, priorities 10, 20, 30 run in that order (%c%c%c)", order[0],
	        order[1], order[2]);

	/* A woken thread of higher priority runs before the waker goes on. */
	reset();
	go = false;
	order_n = 0;
	kthread_create(record, (void *)'h', "high", BASEPRI_SYSTEM - 1, NULL);
	ktest_sleep_ms(20);
	go = true;
	wait_wake(&go_ev);
	thread_yield(); /* our priority is below it: it runs now */
	order[order_n++] = 'w';
	ok = wait_done(1);
	ktap_ok(ok && order[0] == 'h' && order[1] == 'w',
	        "a higher-priority thread runs as soon as the waker yields (%c%c)", order[0],
	        order[1]);

	reset();
	yield_count[0] = yield_count[1] = 0;
	yield_max_gap = 0;
	kthread_create(yielder, (void *)0, "yield0", BASEPRI_USER, NULL);
	kthread_create(yielder, (void *)1, "yield1", BASEPRI_USER, NULL);
	ok = wait_done(2);
	ktap_ok(ok && yield_count[0] == YIELD_ROUNDS && yield_count[1] == YIELD_ROUNDS &&
	            yield_max_gap <= 1,
	        "two yielding threads of one priority alternate (largest lead %u)", yield_max_gap);

	/* Equal-priority threads on the queue: FIFO. */
	reset();
	go = false;
	order_n = 0;
	kthread_create(record, (void *)'1', "first", 20, NULL);
	kthread_create(record, (void *)'2', "second", 20, NULL);
	kthread_create(record, (void *)'3', "third", 20, NULL);
	ktest_sleep_ms(20);
	go = true;
	wait_wake(&go_ev);
	ok = wait_done(3);
	ktap_ok(ok && order[0] == '1' && order[1] == '2' && order[2] == '3',
	        "threads of one priority run in the order they were woken (%c%c%c)", order[0],
	        order[1], order[2]);

	/* 200 threads that end, twice: the second time, every page comes back. */
	bool all = many_threads();
	page_alloc_stats(&before);
	all = many_threads() && all;
	page_alloc_stats(&after);
	ktap_ok(all, "2 x 200 threads created and finished");
	ktap_ok(after.free_pages == before.free_pages,
	        "their stacks came back: free pages %lu before, %lu after", before.free_pages,
	        after.free_pages);

	ktap_ok(task_count() == 1, "only the kernel task exists (%u tasks)", task_count());
}

/* ---- a kernel stack overflow hits the guard page ---- */

static volatile uint64_t recurse_sink;

static volatile uint64_t recurse_limit = UINT64_MAX; /* never reached: the stack ends first */

static uint64_t
recurse(uint64_t depth)
{
	volatile uint64_t frame[64];

	frame[depth % 64] = depth;
	recurse_sink += frame[(depth + 1) % 64];
	if (depth >= recurse_limit)
		return depth;
	return recurse(depth + 1) + frame[depth % 64];
}

static void
overflow(void *arg)
{
	(void)arg;
	recurse_sink = recurse(0);
}

KTEST(kstack_overflow, "a kernel thread that overflows its stack faults on the guard page")
{
	static struct wait_event ev = WAIT_EVENT_INIT("overflow");

	ktap_plan(1);
	kthread_create(overflow, NULL, "overflow", BASEPRI_SYSTEM, NULL);
	wait_until(&ev, ktest_never, NULL, 2000000000ULL);
	ktap_ok(false, "the overflowing thread came back without a fault");
}
