// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lock checker of test builds (kern/spinlock.h): each CPU's record of
 * the spinlocks it holds, the rank check, assert_held() and the "nothing
 * waits with a spinlock held" check. Built only into the test image's
 * objects (VMACH_LOCK_CHECK); in the release image this file is empty.
 *
 * The record lives in struct cpu and is touched only by its own CPU, with
 * interrupts off or from code an interrupt handler nests inside of, so it
 * needs no lock: an interrupt handler takes and releases its locks before
 * it returns, leaving the record as it found it.
 */
#include "kern/spinlock.h"

#ifdef VMACH_LOCK_CHECK

#include <stdarg.h>

#include "kern/cmdline.h"
#include "kern/cpu.h"
#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"

bool lock_check_on = true;

static void __attribute__((noreturn, format(printf, 1, 2))) lock_check_panic(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	/*
	 * Off before the panic: it prints through locks of its own (console,
	 * log), and a second report from inside the first would hide it.
	 */
	lock_check_on = false;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic("%s", msg);
}

void
lock_check_acquire(struct spinlock *l, bool ordered)
{
	struct cpu *c = cpu_self();

	for (unsigned i = 0; ordered && i < c->cpu_nlocks; i++) {
		const struct spinlock *h = c->cpu_locks[i];

		if (h == l)
			lock_check_panic(
			    "lock order: %s (rank %u) taken again while held: deadlock", l->sl_name,
			    l->sl_rank);
		/*
		 * An interrupt handler's locks are ordered among themselves
		 * only: the interrupted code took its locks with interrupts on
		 * (IPC's, under mach_msg), so no handler ever takes those, and
		 * on one CPU no cycle can pass through them. With several CPUs
		 * one could (a handler waiting for a lock whose holder waits for
		 * one the interrupted code holds): SMP will need such locks
		 * taken with interrupts off, or handlers that defer their work.
		 */
		if (i < c->cpu_lock_base)
			continue;
		if (h->sl_rank >= l->sl_rank)
			lock_check_panic(
			    "lock order: %s (rank %u) taken while holding %s (rank %u)", l->sl_name,
			    l->sl_rank, h->sl_name, h->sl_rank);
	}
	if (c->cpu_nlocks == CPU_LOCKS_MAX)
		lock_check_panic("lock order: %s taken with %u spinlocks held already", l->sl_name,
		                 c->cpu_nlocks);
	c->cpu_locks[c->cpu_nlocks++] = l;
}

void
lock_check_release(struct spinlock *l)
{
	struct cpu *c = cpu_self();
	unsigned i = c->cpu_nlocks;

	/* Usually the last one taken; locks may be released in any order. */
	while (i > 0 && c->cpu_locks[i - 1] != l)
		i--;
	if (i == 0)
		lock_check_panic("spin_unlock: %s (rank %u) is not held by this CPU", l->sl_name,
		                 l->sl_rank);
	for (; i < c->cpu_nlocks; i++)
		c->cpu_locks[i - 1] = c->cpu_locks[i];
	c->cpu_nlocks--;
}

void
lock_check_assert_held(const struct spinlock *l, const char *func)
{
	struct cpu *c = cpu_self();

	for (unsigned i = 0; i < c->cpu_nlocks; i++)
		if (c->cpu_locks[i] == l)
			return;
	lock_check_panic("assert_held: %s (rank %u) is not held by this CPU in %s()", l->sl_name,
	                 l->sl_rank, func);
}

void
lock_check_assert_none(const char *who, const char *what)
{
	struct cpu *c = cpu_self();
	const struct spinlock *h;

	if (c->cpu_nlocks == 0)
		return;
	h = c->cpu_locks[c->cpu_nlocks - 1];
	lock_check_panic("%s%s%s%s: waits while holding spinlock %s (rank %u)%s", who,
	                 what ? "(" : "", what ? what : "", what ? ")" : "", h->sl_name, h->sl_rank,
	                 c->cpu_nlocks > 1 ? " and others" : "");
}

/*
 * lockcheck=off: at the first start-up hook no lock is held, so the record
 * is empty and stays consistent without the checker (before SMP, no other
 * CPU is running).
 */
static void
lock_check_option(void)
{
	const char *opt = kernel_option("lockcheck");

	if (!opt || strcmp(opt, "off")) {
		log_info("locks: rank checker on");
		return;
	}
	if (cpu_self()->cpu_nlocks)
		panic("lockcheck=off: a spinlock is held at start-up");
	lock_check_on = false;
	log_info("locks: rank checker off (lockcheck=off)");
}
INITCALL(INIT_BUS, "lockcheck", lock_check_option);

#endif
