// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The time of day (kern/realtime.h). Its state is a base (the time of day
 * at monotonic 0) and the adjustment still to slew, under a sequence
 * counter: writers (the tick, host_set_time, host_adjust_time) run with
 * interrupts off and make it odd while they write; readers retry until
 * they saw one even value before and after.
 */
#include "kern/realtime.h"

#include "kern/clock.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "x86_64/machine.h"

#define NS_PER_SEC 1000000000ULL
/* GNU Mach slews 240000 / (60 * hz) us per tick: 40 us at 100 Hz. */
#define SLEW_NS_PER_TICK (240000000ULL / (60 * CLOCK_TICK_HZ))

static volatile uint32_t rt_seq;
static volatile uint64_t rt_base_ns;  /* time of day at monotonic 0 */
static volatile int64_t rt_adjust_ns; /* still to slew */
static struct spinlock rt_lock = SPINLOCK_INIT("realtime", LOCK_RANK_REALTIME);

static uint64_t
write_begin(void)
{
	uint64_t f = spin_lock_irqsave(&rt_lock);

	__atomic_add_fetch(&rt_seq, 1, __ATOMIC_RELEASE);
	return f;
}

static void
write_end(uint64_t f)
{
	__atomic_add_fetch(&rt_seq, 1, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&rt_lock, f);
}

void
realtime_init(void)
{
	uint64_t secs = machine_rtc_seconds(), f;

	f = write_begin();
	rt_base_ns = secs * NS_PER_SEC - clock_monotonic_ns();
	write_end(f);
	log_info("clock: time of day %lu s since 1970 (battery clock)", secs);
}

uint64_t
realtime_ns(void)
{
	uint32_t s;
	uint64_t base;

	do {
		s = __atomic_load_n(&rt_seq, __ATOMIC_ACQUIRE);
		base = rt_base_ns;
	} while ((s & 1) || s != __atomic_load_n(&rt_seq, __ATOMIC_ACQUIRE));
	return base + clock_monotonic_ns();
}

void
realtime_set(uint64_t ns)
{
	uint64_t f = write_begin();

	rt_base_ns = ns - clock_monotonic_ns();
	rt_adjust_ns = 0;
	write_end(f);
}

int64_t
realtime_adjust(int64_t delta_ns)
{
	uint64_t f = write_begin();
	int64_t old = rt_adjust_ns;

	rt_adjust_ns = delta_ns;
	write_end(f);
	return old;
}

void
realtime_tick(void)
{
	int64_t step;
	uint64_t f;

	if (!rt_adjust_ns)
		return;
	f = write_begin();
	step = rt_adjust_ns > 0 ? (int64_t)SLEW_NS_PER_TICK : -(int64_t)SLEW_NS_PER_TICK;
	if (rt_adjust_ns > 0 ? step > rt_adjust_ns : step < rt_adjust_ns)
		step = rt_adjust_ns;
	rt_base_ns += step;
	rt_adjust_ns -= step;
	write_end(f);
}
