// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler: run queues, the switch, the tick. See kern/sched.h for
 * the rules and kern/thread.c for the thread operations built on it.
 */
#include "kern/sched.h"

#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "x86_64/machine.h"

_Static_assert(RUNQ_LEVELS == NRQS, "one run-queue level per Mach priority");

struct spinlock sched_lock = SPINLOCK_INIT("sched", LOCK_RANK_SCHED);
unsigned sched_quantum_ticks;

/* Threads with a wait deadline or a priority depression to end (th_timeout_link). */
static struct list_node sched_timeouts = LIST_HEAD_INIT(sched_timeouts);

#define QUANTUM_MS_DEFAULT 20

void
sched_init(void)
{
	const char *opt = kernel_option("quantum");
	uint64_t ms = QUANTUM_MS_DEFAULT;

	if (opt && (parse_u64(opt, &ms) || ms == 0 || ms > 10000)) {
		log_warn("sched: quantum=%s is not a number of milliseconds in 1..10000; using %u",
		         opt, QUANTUM_MS_DEFAULT);
		ms = QUANTUM_MS_DEFAULT;
	}
	sched_quantum_ticks = (ms * CLOCK_TICK_HZ + 999) / 1000;
	for (unsigned i = 0; i < cpu_count; i++) {
		struct run_queue *rq = &cpus[i].cpu_runq;
		for (unsigned p = 0; p < RUNQ_LEVELS; p++)
			list_init(&rq->rq_levels[p]);
	}
	log_info("sched: %u priorities, quantum %lu ms (%u ticks)", NRQS, ms, sched_quantum_ticks);
}

static void
runq_insert(struct run_queue *rq, struct thread *th)
{
	int p = th->th_sched_pri;

	list_append(&rq->rq_levels[p], &th->th_queue_link);
	rq->rq_bitmap |= 1ULL << p;
	rq->rq_count++;
}

static void
runq_remove(struct run_queue *rq, struct thread *th)
{
	int p = th->th_sched_pri;

	list_remove(&th->th_queue_link);
	if (list_empty(&rq->rq_levels[p]))
		rq->rq_bitmap &= ~(1ULL << p);
	rq->rq_count--;
}

/* The best runnable thread, taken off the queue; NULL when none. */
static struct thread *
runq_take(struct run_queue *rq)
{
	if (!rq->rq_bitmap)
		return NULL;
	int p = __builtin_ctzll(rq->rq_bitmap);
	struct thread *th = list_entry(list_first(&rq->rq_levels[p]), struct thread, th_queue_link);
	runq_remove(rq, th);
	return th;
}

bool
sched_runnable_at(int pri)
{
	uint64_t bm = cpu_self()->cpu_runq.rq_bitmap;

	return bm && __builtin_ctzll(bm) <= pri;
}

void
sched_make_runnable(struct thread *th)
{
	struct cpu *c = cpu_self();
	struct thread *cur = c->cpu_thread;

	th->th_state = (th->th_state & ~(TH_WAIT | TH_UNINT | TH_SUSP)) | TH_RUN;
	runq_insert(&c->cpu_runq, th);
	if (!cur || (cur->th_state & TH_IDLE) || th->th_sched_pri < cur->th_sched_pri)
		c->cpu_need_resched = true;
}

/* Changes th's scheduling priority, moving it between levels if it is queued. */
static void
sched_set_pri(struct thread *th, int pri)
{
	struct cpu *c = cpu_self();
	bool queued =
	    (th->th_state & TH_RUN) && th != c->cpu_thread && list_linked(&th->th_queue_link);

	if (queued)
		runq_remove(&c->cpu_runq, th);
	th->th_sched_pri = pri;
	if (queued)
		runq_insert(&c->cpu_runq, th);
}

void
sched_set_base_pri(struct thread *th, int pri)
{
	th->th_base_pri = pri;
	if (!th->th_depressed)
		sched_set_pri(th, pri);
}

void
sched_depress(struct thread *th, uint64_t until_ns)
{
	th->th_depressed = true;
	th->th_depress_until_ns = until_ns;
	sched_set_pri(th, DEPRESSPRI);
	if (until_ns && !list_linked(&th->th_timeout_link))
		list_append(&sched_timeouts, &th->th_timeout_link);
}

bool
sched_undepress(struct thread *th)
{
	if (!th->th_depressed)
		return false;
	th->th_depressed = false;
	th->th_depress_until_ns = 0;
	sched_set_pri(th, th->th_base_pri);
	if (!th->th_wait_deadline_ns && list_linked(&th->th_timeout_link))
		list_remove(&th->th_timeout_link);
	return true;
}

void
sched_set_deadline(struct thread *th, uint64_t deadline_ns)
{
	th->th_wait_deadline_ns = deadline_ns;
	if (deadline_ns && !list_linked(&th->th_timeout_link))
		list_append(&sched_timeouts, &th->th_timeout_link);
	if (!deadline_ns && !th->th_depress_until_ns && list_linked(&th->th_timeout_link))
		list_remove(&th->th_timeout_link);
}

/* Switches from cur to next (sched_lock held); returns when cur runs again. */
static inline __attribute__((always_inline)) void
switch_from_to(struct cpu *c, struct thread *cur, struct thread *next)
{
	/* The thread switched to may have work at its safe point already. */
	c->cpu_need_resched = thread_has_work(next);
	if (next == cur)
		return;
	if ((cur->th_state & TH_RUN) && !(cur->th_state & TH_IDLE) &&
	    !list_linked(&cur->th_queue_link))
		panic("sched_switch: runnable thread %s is not queued", cur->th_name);
	next->th_quantum_left = sched_quantum_ticks;
	next->th_switches++;
	c->cpu_context_switches++;
	c->cpu_thread = next;
	if (cur->th_task != next->th_task)
		pmap_activate(task_pmap(next->th_task));
	machine_switch(&cur->th_machine, &next->th_machine);
	/* Back in cur, switched to by some other thread, which left sched_lock held. */
}

void
sched_switch(void)
{
	struct cpu *c = cpu_self();
	struct thread *next = runq_take(&c->cpu_runq);

	switch_from_to(c, c->cpu_thread, next ? next : c->cpu_idle_thread);
}

bool
sched_switch_to(struct thread *next)
{
	struct cpu *c = cpu_self();

	next->th_state |= TH_RUN;
	/* A queued thread of a better priority goes first: next waits its turn. */
	if (sched_runnable_at(next->th_sched_pri - 1)) {
		runq_insert(&c->cpu_runq, next);
		return false;
	}
	switch_from_to(c, c->cpu_thread, next);
	return true;
}

void
sched_reap_dead(void)
{
	struct cpu *c;
	struct thread *dead;
	uint64_t f = irq_save();

	c = cpu_self();
	dead = c->cpu_dead;
	c->cpu_dead = NULL;
	irq_restore(f);
	if (dead)
		thread_reap(dead);
}

void
sched_tick(void)
{
	struct cpu *c = cpu_self();
	struct thread *cur = c->cpu_thread;
	struct list_node *n, *tmp;
	uint64_t now;

	if (!cur)
		return; /* before thread_bootstrap */
	spin_lock(&sched_lock);
	if (!(cur->th_state & TH_IDLE)) {
		if (cur->th_quantum_left)
			cur->th_quantum_left--;
		if (!cur->th_quantum_left && sched_runnable_at(cur->th_sched_pri))
			c->cpu_need_resched = true;
	} else if (c->cpu_runq.rq_count) {
		c->cpu_need_resched = true;
	}
	if (!list_empty(&sched_timeouts)) {
		now = clock_monotonic_ns();
		list_for_each_safe(n, tmp, &sched_timeouts)
		{
			struct thread *th = list_entry(n, struct thread, th_timeout_link);
			if (th->th_depress_until_ns && now >= th->th_depress_until_ns)
				sched_undepress(th);
			if (th->th_wait_deadline_ns && now >= th->th_wait_deadline_ns &&
			    (th->th_state & TH_WAIT))
				thread_wake_locked(th, THREAD_TIMED_OUT);
		}
	}
	spin_unlock(&sched_lock);
}
