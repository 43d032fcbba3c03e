/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Spinlocks. spin_lock_irqsave() is the normal form: it disables interrupts
 * on this CPU, so a lock taken in an interrupt handler cannot deadlock
 * against the code it interrupted. Plain spin_lock() is for code that
 * already runs with interrupts off (an interrupt handler).
 *
 * Every lock has a rank (kern/lock_rank.h; docs/locking.md says what each
 * lock protects and who takes it), and a CPU takes locks in increasing
 * rank only. Nothing waits while it holds a spinlock: no halt, no sleep,
 * no polling a device.
 *
 * The checker: the test image's objects are built with VMACH_LOCK_CHECK
 * (see the Makefile), and there each CPU keeps the list of spinlocks it
 * holds (struct cpu), spin_lock() panics naming both locks when a lock
 * comes out of order (or is taken twice), spin_unlock() panics when the
 * lock is not held, assert_held() panics when this CPU does not hold the
 * lock, and wait_until(), cpu_idle_wait() and virtio_delay_us() panic when
 * called with a spinlock held. The release image (build/vmach) is built
 * without it: there all of this compiles to nothing, and the locks cost
 * what they did before ranks.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/lock_rank.h"
#include "x86_64/machine.h"

struct spinlock {
	volatile uint32_t sl_locked;
	uint32_t sl_rank; /* enum lock_rank */
	const char *sl_name;
};

#define SPINLOCK_INIT(name, rank)                                                                  \
	{                                                                                          \
		.sl_locked = 0, .sl_rank = (rank), .sl_name = (name)                               \
	}

/* A lock inside an allocated structure. */
static inline void
spin_init(struct spinlock *l, const char *name, enum lock_rank rank)
{
	*l = (struct spinlock)SPINLOCK_INIT(name, rank);
}

#ifdef VMACH_LOCK_CHECK
/*
 * The checker (kern/spinlock.c), while lock_check_on: lock_check_acquire()
 * records l as held by this CPU, first checking its rank against every
 * lock held when ordered; lock_check_release() drops it from the record.
 * The kernel option lockcheck=off turns it off for good at the first
 * start-up hook (the benchmarks: their figures are the kernel's cost, not
 * the checker's); a checker panic turns it off too.
 */
extern bool lock_check_on;
void lock_check_acquire(struct spinlock *l, bool ordered);
void lock_check_release(struct spinlock *l);
void lock_check_assert_held(const struct spinlock *l, const char *func);
void lock_check_assert_none(const char *who, const char *what);
#define LOCK_CHECK_ON() __builtin_expect(lock_check_on, 1)
#define assert_held(l)                                                                             \
	do {                                                                                       \
		if (LOCK_CHECK_ON())                                                               \
			lock_check_assert_held((l), __func__);                                     \
	} while (0)
#else
#define LOCK_CHECK_ON() 0
static inline void
lock_check_acquire(struct spinlock *l, bool ordered)
{
}
static inline void
lock_check_release(struct spinlock *l)
{
}
static inline void
lock_check_assert_none(const char *who, const char *what)
{
}
#define assert_held(l) ((void)(l))
#endif

/*
 * Panics, naming who (and what it waits for, when not NULL) and a lock,
 * if this CPU holds any spinlock (test builds; nothing otherwise). For
 * functions that wait: wait_until(), cpu_idle_wait(), virtio_delay_us().
 */
static inline void
spin_assert_none_held(const char *who, const char *what)
{
	if (LOCK_CHECK_ON())
		lock_check_assert_none(who, what);
}

static inline void
spin_lock(struct spinlock *l)
{
	/* Checked before spinning: an out-of-order lock is reported, not deadlocked on. */
	if (LOCK_CHECK_ON())
		lock_check_acquire(l, true);
	while (__atomic_exchange_n(&l->sl_locked, 1, __ATOMIC_ACQUIRE))
		while (l->sl_locked)
			cpu_relax();
}

/* Takes l if it is free, without waiting: true when taken. Exempt from the order. */
static inline bool
spin_trylock(struct spinlock *l)
{
	if (l->sl_locked || __atomic_exchange_n(&l->sl_locked, 1, __ATOMIC_ACQUIRE))
		return false;
	if (LOCK_CHECK_ON())
		lock_check_acquire(l, false);
	return true;
}

static inline void
spin_unlock(struct spinlock *l)
{
	if (LOCK_CHECK_ON())
		lock_check_release(l);
	__atomic_store_n(&l->sl_locked, 0, __ATOMIC_RELEASE);
}

static inline uint64_t
spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags = irq_save();
	spin_lock(l);
	return flags;
}

/* spin_trylock() with interrupts off on success; *flags for the unlock. */
static inline bool
spin_trylock_irqsave(struct spinlock *l, uint64_t *flags)
{
	*flags = irq_save();
	if (spin_trylock(l))
		return true;
	irq_restore(*flags);
	return false;
}

static inline void
spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	spin_unlock(l);
	irq_restore(flags);
}

#endif
