// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The time of day (kern/realtime.h). Its state is a base (the time of day
 * at monotonic 0) and the adjustment still to slew, under a sequence
 * counter: writers (the tick, host_set_time, host_adjust_time) run with
 * interrupts off and make it odd while they write; readers retry until
 * they saw one even value before and after. The time page, once
 * published, is written at every tick and every change, under rt_lock.
 */
#include "kern/realtime.h"

#include "kern/clock.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "kern/vvar_write.h"
#include "x86_64/machine.h"

#define NS_PER_SEC 1000000000ULL
/* GNU Mach slews 240000 / (60 * hz) us per tick: 40 us at 100 Hz. */
#define SLEW_NS_PER_TICK (240000000ULL / (60 * CLOCK_TICK_HZ))

static volatile uint32_t rt_seq;
static volatile uint64_t rt_base_ns;  /* time of day at monotonic 0 */
static volatile int64_t rt_adjust_ns; /* still to slew */
static struct spinlock rt_lock = SPINLOCK_INIT("realtime", LOCK_RANK_REALTIME);
static volatile struct mapped_time_value *rt_page; /* the time page, once published */
static volatile struct vvar_data *rt_vvar;         /* the vvar page, once published */
static bool rt_vvar_slow;                          /* readers sent to the slow path */
static bool rt_vvar_stress;                        /* vvar_stress=on: alternate anchors (tests) */
static unsigned long rt_vvar_writes;

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

/*
 * Write the time page and the vvar for the clock now. The time page: a
 * reader that sees the same seconds in a value and in its check field
 * knows that the fraction between them is theirs (it reads seconds,
 * fraction, check; GNU Mach's order). The vvar: under its own sequence
 * counter (kern/vvar_write.c), from the same cycle, so both and
 * realtime_ns() agree. Under rt_lock, interrupts off.
 */
static void
publish(void)
{
	volatile struct mapped_time_value *mt = rt_page;
	struct clock_segment seg;
	uint64_t tsc, mono_ns, now;
	int64_t secs, ns, up_secs, up_ns;

	clock_segment_get(&seg);
	tsc = machine_cycles();
	if (rt_vvar) {
		/*
		 * vvar_stress=on (tests/qemu/vdso.t): every other write anchors
		 * the page half a second back. Both give every reader the same
		 * time, but a read that mixed two writes would be 0.5 s off.
		 */
		uint64_t anchor = tsc, back = seg.cs_hz / 2;
		if (rt_vvar_stress && (rt_vvar_writes++ & 1) && tsc > back)
			anchor = tsc - back;
		vvar_write(rt_vvar, &seg, tsc, anchor, rt_base_ns, rt_vvar_slow);
	}
	if (!mt)
		return;
	mono_ns = (uint64_t)(clock_segment_at(&seg, tsc) >> CLOCK_SHIFT);
	now = rt_base_ns + mono_ns;
	secs = (int64_t)(now / NS_PER_SEC);
	ns = (int64_t)(now % NS_PER_SEC);
	up_secs = (int64_t)(mono_ns / NS_PER_SEC);
	up_ns = (int64_t)(mono_ns % NS_PER_SEC);
	mt->check_seconds = (integer_t)secs;
	mt->check_seconds64 = secs;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	mt->microseconds = (integer_t)(ns / 1000);
	mt->time_value.nanoseconds = ns;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	mt->seconds = (integer_t)secs;
	mt->time_value.seconds = secs;

	mt->check_upseconds64 = up_secs;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	mt->uptime_value.nanoseconds = up_ns;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	mt->uptime_value.seconds = up_secs;
}

void
realtime_publish(volatile struct mapped_time_value *mt)
{
	uint64_t f = spin_lock_irqsave(&rt_lock);

	rt_page = mt;
	publish();
	spin_unlock_irqrestore(&rt_lock, f);
}

void
realtime_publish_vvar(struct vvar_data *v, bool slow, bool stress)
{
	uint64_t f = spin_lock_irqsave(&rt_lock);

	rt_vvar = v;
	rt_vvar_slow = slow;
	rt_vvar_stress = stress;
	publish();
	spin_unlock_irqrestore(&rt_lock, f);
}

void
realtime_set(uint64_t ns)
{
	uint64_t f = write_begin(), mono = clock_monotonic_ns();

	rt_base_ns = ns - mono;
	rt_adjust_ns = 0;
	publish();
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
	uint64_t f = write_begin();

	/* The refinement's new segment and its publication in one critical section. */
	clock_refine();
	if (rt_adjust_ns) {
		step = rt_adjust_ns > 0 ? (int64_t)SLEW_NS_PER_TICK : -(int64_t)SLEW_NS_PER_TICK;
		if (rt_adjust_ns > 0 ? step > rt_adjust_ns : step < rt_adjust_ns)
			step = rt_adjust_ns;
		rt_base_ns += step;
		rt_adjust_ns -= step;
	}
	publish();
	write_end(f);
}
