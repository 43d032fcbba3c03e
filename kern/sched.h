/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scheduler: per-CPU run queues by Mach priority, a time slice (the
 * quantum) taken from the periodic timer, and the switch between threads.
 *
 * sched_lock guards every thread's scheduling state, every run queue and
 * wait queue, and the task thread lists. It is one lock while one CPU
 * runs; the data it guards is already per CPU, so SMP splits it per run
 * queue. It is taken with interrupts off (wake-ups come from interrupt
 * handlers) and it is held across the switch: the thread switched to
 * releases it.
 *
 * The kernel is not preemptible (as GNU Mach): a thread is switched away
 * when it blocks or yields, and a user thread also when it returns to user
 * mode with the quantum used up or a higher-priority thread runnable.
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/cpu.h"
#include "kern/spinlock.h"

struct thread;

extern struct spinlock sched_lock;

/* Ticks of the periodic timer a thread may run before another of its priority. */
extern unsigned sched_quantum_ticks;

/* The run queues of this CPU, and the quantum (option quantum=MS). */
void sched_init(void);

/* Makes th runnable on its CPU (sched_lock held). Sets need_resched if it beats the current one. */
void sched_make_runnable(struct thread *th);

/*
 * Gives the CPU to the best runnable thread; the current thread's state is
 * already set (TH_RUN and queued to yield, TH_WAIT to block). Called with
 * sched_lock held and interrupts off; returns with both, in the current
 * thread, once it runs again.
 */
void sched_switch(void);
/*
 * The same, to next, a thread made runnable but not queued (a hand-off,
 * kern/thread.c), when no queued thread is better: true when it did (and
 * the current thread runs again), false when it queued next instead and
 * the caller should sched_switch().
 */
bool sched_switch_to(struct thread *next);

/* The periodic timer's tick (kern/clock.c): quantum, wait deadlines, depressions. */
void sched_tick(void);

/* Whether a thread of priority pri or better is runnable on this CPU (sched_lock held). */
bool sched_runnable_at(int pri);

/* Frees this CPU's last terminated thread, if any (no lock held). */
void sched_reap_dead(void);
static inline void
sched_reap(void)
{
	/* Read racily: only this CPU sets it, at a switch that has already happened. */
	if (__builtin_expect(cpu_self()->cpu_dead != NULL, 0))
		sched_reap_dead();
}

/*
 * Under sched_lock: a priority depression of th until until_ns (0: until
 * sched_undepress), the end of one (false when th was not depressed), and
 * the deadline of th's wait (0: none), all ended by the tick.
 */
void sched_depress(struct thread *th, uint64_t until_ns);
/* Under sched_lock: th's base priority (its scheduling priority too unless depressed). */
void sched_set_base_pri(struct thread *th, int pri);
bool sched_undepress(struct thread *th);
void sched_set_deadline(struct thread *th, uint64_t deadline_ns);

#endif
