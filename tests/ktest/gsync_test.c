// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gsync (kern/gsync.h) on a task's memory, driven by kernel threads (a
 * remote task, as GNU Mach 2025 allows): return codes, wake one and all,
 * timeouts, abort, requeue, shared keys across tasks, and a mutex built on
 * it under contention. Run by tests/qemu/threads.t.
 */
#include <mach/vm_inherit.h>

#include "debug/ktest.h"
#include "kern/gsync.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "tests/ktest/ktest_sleep.h"
#include "vm/vm_map.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

#define WORD_VA 0x200000 /* two pages: words at +0, +8, +0x1000 */

static struct task *task_a, *task_b;

struct waiter_arg {
	struct task *task;
	uint64_t addr;
	uint32_t val;
	uint32_t msec;
	int flags;
	volatile int result;
	volatile bool done;
};

static void
waiter(void *arg)
{
	struct waiter_arg *w = arg;

	w->result = gsync_wait(w->task, w->addr, w->val, 0, w->msec, w->flags);
	w->done = true;
}

static struct thread *
start_waiter(struct waiter_arg *w, struct task *t, uint64_t addr, uint32_t val, int flags,
             uint32_t msec)
{
	struct thread *th;

	*w = (struct waiter_arg){
	    .task = t, .addr = addr, .val = val, .msec = msec, .flags = flags, .result = -1};
	if (kthread_create(waiter, w, "gsync waiter", BASEPRI_USER, &th) != KERN_SUCCESS)
		return NULL;
	return th;
}

static uint32_t
word(struct task *t, uint64_t va)
{
	uint32_t v = 0xdeadbeef;

	vm_map_copy_from_user(t->tk_map, &v, va, sizeof(v));
	return v;
}

static void
set_word(struct task *t, uint64_t va, uint32_t v)
{
	vm_map_copy_to_user(t->tk_map, va, &v, sizeof(v));
}

/* The kernel's view of task's word at va (for atomics): through the direct map. */
static volatile uint32_t *
word_ptr(struct task *t, uint64_t va)
{
	uint64_t pa;

	set_word(t, va, word(t, va)); /* faults it in, writable */
	if (!pmap_extract(vm_map_pmap(t->tk_map), va & ~(uint64_t)(PAGE_SIZE - 1), &pa))
		return NULL;
	return phys_to_virt(pa + (va & (PAGE_SIZE - 1)));
}

/* ---- a mutex on gsync: 0 free, 1 taken, 2 taken with waiters ---- */

#define MUTEX_VA (WORD_VA + 0x100)
#define MUTEX_THREADS 4
#define MUTEX_ROUNDS 300
static volatile uint32_t *mutex_word;
static volatile unsigned counter, finished;

static void
mutex_lock(void)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(mutex_word, &c, 1, false, __ATOMIC_ACQUIRE,
	                                __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(mutex_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		gsync_wait(task_a, MUTEX_VA, 2, 0, 0, 0);
		c = __atomic_exchange_n(mutex_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void
mutex_unlock(void)
{
	if (__atomic_exchange_n(mutex_word, 0, __ATOMIC_RELEASE) == 2)
		gsync_wake(task_a, MUTEX_VA, 0, 0);
}

static void
mutex_user(void *arg)
{
	(void)arg;
	for (int i = 0; i < MUTEX_ROUNDS; i++) {
		mutex_lock();
		unsigned c = counter;
		thread_yield(); /* others run, find the mutex taken, and wait */
		counter = c + 1;
		mutex_unlock();
	}
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
}

KTEST(gsync, "gsync: wait, wake, timeouts, abort, requeue, shared keys, a contended mutex")
{
	struct waiter_arg w[3];
	struct thread *th[3];
	uint64_t a = WORD_VA;
	bool ok;

	ktap_plan(16);
	ok = task_create(NULL, false, "gsync-a", &task_a) == KERN_SUCCESS &&
	     vm_allocate(task_a->tk_map, &a, 2 * PAGE_SIZE, false) == KERN_SUCCESS &&
	     vm_inherit(task_a->tk_map, a, 2 * PAGE_SIZE, VM_INHERIT_SHARE) == KERN_SUCCESS &&
	     task_create(task_a, true, "gsync-b", &task_b) == KERN_SUCCESS;
	if (!ktap_ok(ok, "two tasks sharing two pages"))
		return;

	ktap_ok(gsync_wait(task_a, WORD_VA + 2, 0, 0, 0, 0) == KERN_INVALID_ADDRESS &&
	            gsync_wait(task_a, 0x10000000, 0, 0, 0, 0) == KERN_INVALID_ADDRESS &&
	            gsync_wait(NULL, WORD_VA, 0, 0, 0, 0) == KERN_INVALID_TASK,
	        "unaligned and unmapped words are KERN_INVALID_ADDRESS, no task KERN_INVALID_TASK");
	set_word(task_a, WORD_VA, 5);
	set_word(task_a, WORD_VA + 4, 6);
	ktap_ok(gsync_wait(task_a, WORD_VA, 4, 0, 0, 0) == KERN_INVALID_ARGUMENT &&
	            gsync_wait(task_a, WORD_VA, 5, 7, 0, GSYNC_QUAD) == KERN_INVALID_ARGUMENT,
	        "a word (or GSYNC_QUAD pair) that differs returns KERN_INVALID_ARGUMENT at once");
	ktap_ok(gsync_wake(task_a, WORD_VA, 9, GSYNC_MUTATE) == KERN_INVALID_ARGUMENT &&
	            word(task_a, WORD_VA) == 9,
	        "a wake with no waiter is KERN_INVALID_ARGUMENT; GSYNC_MUTATE stores anyway (%u)",
	        word(task_a, WORD_VA));

	th[0] = start_waiter(&w[0], task_a, WORD_VA, 9, GSYNC_TIMED, 30);
	ktest_sleep_ms(100);
	ktap_ok(w[0].done && w[0].result == KERN_TIMEDOUT,
	        "a 30 ms GSYNC_TIMED wait times out (%d)", w[0].result);
	thread_deallocate(th[0]);

	for (int i = 0; i < 3; i++)
		th[i] = start_waiter(&w[i], task_a, WORD_VA, 9, 0, 0);
	ktest_sleep_ms(20);
	ktap_ok(!w[0].done && !w[1].done && !w[2].done, "three waiters wait");
	ktap_ok(gsync_wake(task_a, WORD_VA, 0, 0) == KERN_SUCCESS, "a wake finds a waiter");
	ktest_sleep_ms(20);
	ktap_ok(w[0].done + w[1].done + w[2].done == 1 && w[0].result == KERN_SUCCESS,
	        "it wakes exactly one, the first (%d %d %d)", w[0].done, w[1].done, w[2].done);
	thread_abort(th[1]);
	ktest_sleep_ms(20);
	ktap_ok(w[1].done && w[1].result == KERN_INTERRUPTED,
	        "thread_abort ends a wait with KERN_INTERRUPTED (%d)", w[1].result);
	ktap_ok(gsync_wake(task_a, WORD_VA, 0, GSYNC_BROADCAST) == KERN_SUCCESS, "broadcast");
	ktest_sleep_ms(20);
	ktap_ok(w[2].done && w[2].result == KERN_SUCCESS,
	        "the last waiter is woken by the broadcast");
	for (int i = 0; i < 3; i++)
		thread_deallocate(th[i]);

	/* Requeue both waiters of WORD_VA onto WORD_VA + 8. */
	for (int i = 0; i < 2; i++)
		th[i] = start_waiter(&w[i], task_a, WORD_VA, 9, 0, 0);
	ktest_sleep_ms(20);
	ktap_ok(gsync_requeue(task_a, WORD_VA, WORD_VA + 8, false, GSYNC_BROADCAST) ==
	                KERN_SUCCESS &&
	            gsync_wake(task_a, WORD_VA, 0, GSYNC_BROADCAST) == KERN_INVALID_ARGUMENT &&
	            gsync_requeue(task_a, WORD_VA, WORD_VA + 8, false, 0) == KERN_INVALID_ARGUMENT,
	        "requeue moves both waiters: none are left on the first word");
	ktap_ok(gsync_wake(task_a, WORD_VA + 8, 0, GSYNC_BROADCAST) == KERN_SUCCESS, "wake them");
	ktest_sleep_ms(20);
	ktap_ok(w[0].done && w[1].done && w[0].result == KERN_SUCCESS &&
	            w[1].result == KERN_SUCCESS,
	        "they are woken on the word they were moved to");
	for (int i = 0; i < 2; i++)
		thread_deallocate(th[i]);

	/* Shared keys: task_b maps the same page (VM_INHERIT_SHARE). */
	th[0] = start_waiter(&w[0], task_a, WORD_VA + 0x1000, 0, GSYNC_SHARED, 0);
	ktest_sleep_ms(20);
	ktap_ok(
	    gsync_wake(task_b, WORD_VA + 0x1000, 0, 0) == KERN_INVALID_ARGUMENT &&
	        gsync_wake(task_b, WORD_VA + 0x1000, 0, GSYNC_SHARED) == KERN_SUCCESS,
	    "a shared wait is found from another task sharing the page, with GSYNC_SHARED only");
	ktest_sleep_ms(20);
	thread_deallocate(th[0]);

	/* A mutex: four threads, each adding 1 to a counter 300 times while holding it. */
	mutex_word = word_ptr(task_a, MUTEX_VA);
	*mutex_word = 0;
	counter = finished = 0;
	for (int i = 0; i < MUTEX_THREADS; i++)
		kthread_create(mutex_user, NULL, "gsync mutex", BASEPRI_USER, NULL);
	for (int i = 0; i < 500 && finished < MUTEX_THREADS; i++)
		ktest_sleep_ms(10);
	ktap_ok(finished == MUTEX_THREADS && counter == MUTEX_THREADS * MUTEX_ROUNDS &&
	            *mutex_word == 0,
	        "a gsync mutex under contention: counter %u of %u, word %u", counter,
	        MUTEX_THREADS * MUTEX_ROUNDS, *mutex_word);

	task_terminate(task_b);
	task_terminate(task_a);
	task_deallocate(task_b);
	task_deallocate(task_a);
}
