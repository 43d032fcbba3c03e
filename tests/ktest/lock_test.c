// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lock checker of the test image (kern/spinlock.h): locks taken in
 * rank order are recorded and pass; a lock out of order, a lock taken
 * twice, assert_held() on a lock not held, and a wait or a halt with a
 * spinlock held all panic naming the locks (tests/qemu/locks.t checks the
 * messages). Two locks of their own, with the ranks of the heap and the
 * page allocator, which the kernel takes in that order.
 */
#include "debug/ktest.h"
#include "kern/cpu.h"
#include "kern/spinlock.h"
#include "kern/wait.h"

static struct spinlock ktest_outer = SPINLOCK_INIT("ktest_outer", LOCK_RANK_KMALLOC);
static struct spinlock ktest_inner = SPINLOCK_INIT("ktest_inner", LOCK_RANK_PAGE_ALLOC);
static struct wait_event ktest_event = WAIT_EVENT_INIT("ktest_event");

static bool
never(void *arg)
{
	return false;
}

KTEST(lock_order, "locks in rank order pass, and the checker records them")
{
	unsigned base = cpu_self()->cpu_nlocks;
	uint64_t f;

	ktap_plan(6);
	ktap_ok(lock_check_on, "the test image checks lock order");
	f = spin_lock_irqsave(&ktest_outer);
	spin_lock(&ktest_inner);
	ktap_ok(cpu_self()->cpu_nlocks == base + 2, "two locks recorded as held");
	assert_held(&ktest_outer);
	assert_held(&ktest_inner);
	ktap_ok(true, "assert_held passes for both");
	/* Released out of order: allowed, only taking is ordered. */
	spin_unlock(&ktest_outer);
	spin_unlock(&ktest_inner);
	irq_restore(f);
	ktap_ok(cpu_self()->cpu_nlocks == base, "none held after the unlocks");
	/* A try cannot deadlock: out of order is fine. */
	f = spin_lock_irqsave(&ktest_inner);
	ktap_ok(spin_trylock(&ktest_outer), "spin_trylock out of rank order is allowed");
	ktap_ok(!spin_trylock(&ktest_outer), "spin_trylock of a held lock fails");
	spin_unlock(&ktest_outer);
	spin_unlock_irqrestore(&ktest_inner, f);
}

KTEST(lock_order_panic, "a lock taken out of rank order panics naming both")
{
	ktap_plan(1);
	uint64_t f = spin_lock_irqsave(&ktest_inner);
	spin_lock(&ktest_outer);
	ktap_ok(false, "took %s while holding %s", ktest_outer.sl_name, ktest_inner.sl_name);
	spin_unlock(&ktest_outer);
	spin_unlock_irqrestore(&ktest_inner, f);
}

KTEST(lock_twice_panic, "a lock taken twice by one CPU panics instead of deadlocking")
{
	ktap_plan(1);
	uint64_t f = spin_lock_irqsave(&ktest_outer);
	spin_lock(&ktest_outer);
	ktap_ok(false, "took %s twice", ktest_outer.sl_name);
	spin_unlock_irqrestore(&ktest_outer, f);
}

KTEST(lock_assert_panic, "assert_held on a lock not held panics naming it")
{
	ktap_plan(1);
	assert_held(&ktest_outer);
	ktap_ok(false, "assert_held(%s) passed without the lock", ktest_outer.sl_name);
}

KTEST(lock_wait_panic, "wait_until with a spinlock held panics naming the lock")
{
	ktap_plan(1);
	/* Plain spin_lock: interrupts stay on, so only the lock is wrong. */
	spin_lock(&ktest_outer);
	wait_until(&ktest_event, never, NULL, 1000000);
	spin_unlock(&ktest_outer);
	ktap_ok(false, "wait_until returned with %s held", ktest_outer.sl_name);
}

KTEST(lock_halt_panic, "halting (cpu_idle_wait) with a spinlock held panics")
{
	ktap_plan(1);
	uint64_t f = spin_lock_irqsave(&ktest_inner);
	cpu_idle_wait();
	spin_unlock_irqrestore(&ktest_inner, f);
	ktap_ok(false, "cpu_idle_wait returned with %s held", ktest_inner.sl_name);
}
