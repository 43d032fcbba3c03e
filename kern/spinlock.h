/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Spinlocks. spin_lock_irqsave() is the normal form: it disables interrupts
 * on this CPU, so a lock taken in an interrupt handler cannot deadlock
 * against the code it interrupted. Lock order: docs/locking.md.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <stdint.h>

#include "x86_64/machine.h"

struct spinlock {
	volatile uint32_t sl_locked;
	const char *sl_name;
};

#define SPINLOCK_INIT(name)                                                                        \
	{                                                                                          \
		0, name                                                                            \
	}

static inline void
spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->sl_locked, 1, __ATOMIC_ACQUIRE))
		while (l->sl_locked)
			cpu_relax();
}

static inline void
spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->sl_locked, 0, __ATOMIC_RELEASE);
}

static inline uint64_t
spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags = irq_save();
	spin_lock(l);
	return flags;
}

static inline void
spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	spin_unlock(l);
	irq_restore(flags);
}

#endif
