/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-CPU state. Only the boot CPU runs today, but everything per-CPU lives
 * here and is reached through cpu_self() (GS base), so SMP bring-up adds
 * CPUs without touching the users.
 */
#ifndef KERN_CPU_H
#define KERN_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/run_queue.h"
#include "x86_64/machine.h"

#define MAX_CPUS 64
/* Spinlocks one CPU may hold at once (the deepest nesting is about five). */
#define CPU_LOCKS_MAX 16

struct spinlock;
struct thread;

/*
 * The first four words have fixed offsets: the machine's syscall and trap
 * entry code reaches them through %gs (x86_64/machine.h, CPU_OFF_*).
 */
struct cpu {
	struct cpu *cpu_self;      /* at %gs:0 */
	uint64_t cpu_kstack_top;   /* at %gs:8: the running thread's kernel stack top */
	uint64_t cpu_user_rsp;     /* at %gs:16: scratch for the syscall entry */
	struct thread *cpu_thread; /* at %gs:24: the running thread */
	/*
	 * At %gs:32: the way back to user mode must stop at the safe point
	 * (kern/thread.h): a switch is wanted, or the running thread has work
	 * there (terminate, suspend). Under sched_lock; read without it by the
	 * syscall exit, which skips the safe point while it is zero.
	 */
	uint64_t cpu_need_resched;
	unsigned cpu_index;
	uint32_t cpu_apic_id;
	uint64_t cpu_idle_tsc;  /* TSC ticks spent halted in cpu_idle_wait() */
	uint64_t cpu_halt_tsc;  /* TSC when the current halt began, 0 when running */
	uint64_t cpu_irq_depth; /* > 0 while handling an interrupt */
	/*
	 * The spinlocks this CPU holds, in the order taken: kept by the lock
	 * checker of test builds (kern/spinlock.h), empty in the release image.
	 */
	unsigned cpu_nlocks;
	const struct spinlock *cpu_locks[CPU_LOCKS_MAX];
	/*
	 * The first of cpu_locks an interrupt handler's locks are ordered
	 * against: those it interrupted were taken with interrupts on, so
	 * never in a handler (kern/spinlock.c says why that is safe on one CPU).
	 */
	unsigned cpu_lock_base;
	/* In console_write(): output from inside it goes to the machine console only. */
	bool cpu_in_console;
	/* The scheduler's per-CPU part (kern/sched.c), under sched_lock. */
	struct run_queue cpu_runq;
	struct thread *cpu_idle_thread;
	struct thread *cpu_dead; /* terminated, to be freed once off its stack */
	uint64_t cpu_context_switches;
};

_Static_assert(__builtin_offsetof(struct cpu, cpu_kstack_top) == CPU_OFF_KSTACK_TOP, "entry code");
_Static_assert(__builtin_offsetof(struct cpu, cpu_user_rsp) == CPU_OFF_USER_RSP, "entry code");
_Static_assert(__builtin_offsetof(struct cpu, cpu_thread) == CPU_OFF_THREAD, "entry code");
_Static_assert(__builtin_offsetof(struct cpu, cpu_need_resched) == CPU_OFF_NEED_RESCHED,
               "entry code");

extern struct cpu cpus[MAX_CPUS];
extern unsigned cpu_count;

static inline struct cpu *
cpu_self(void)
{
	return machine_cpu_self();
}

/* The boot CPU's per-CPU area, and the machine's early set-up (console, traps). */
void cpu_init_boot(void);
/*
 * Halts until the next interrupt, with interrupts enabled while halted,
 * and accounts the halted time as idle. Returns with the caller's
 * interrupt flag restored. Not with a spinlock held (test builds panic).
 */
void cpu_idle_wait(void);
/*
 * Ends the idle period of this CPU, if it was halted: the interrupt that
 * woke it is busy time. Called first thing on interrupt entry.
 */
static inline void
cpu_idle_end(struct cpu *c, uint64_t now)
{
	if (c->cpu_halt_tsc) {
		c->cpu_idle_tsc += now - c->cpu_halt_tsc;
		c->cpu_halt_tsc = 0;
	}
}

/* Idle time of this CPU in nanoseconds (needs the TSC frequency). */
uint64_t cpu_idle_ns(const struct cpu *c);

#endif
