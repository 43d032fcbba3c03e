// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monotonic clock (kern/clock.h): the machine's cycle counter scaled
 * to nanoseconds by a segment (a base, a starting cycle and a multiplier)
 * under a sequence counter, and the tick counter the periodic timer
 * advances. The segment changes once, when the first second's refinement
 * against the HPET replaces the boot measurement; its writer is the tick,
 * under kern/realtime.c's lock, which then publishes the vvar.
 */
#include "kern/clock.h"

#include "kern/initcall.h"
#include "kern/log.h"
#include "kern/realtime.h"
#include "kern/sched.h"
#include "kern/vvar.h"
#include "x86_64/machine.h"

#define NS_PER_SEC 1000000000ULL
/* A refinement further than this from the boot measurement is taken for a broken reference. */
#define REFINE_MAX_PPM 50000

static struct clock_segment seg;
static volatile uint32_t seg_seq;
static volatile uint64_t ticks;
/* The refinement's starting point: the cycle counter and the reference counter. */
static uint64_t ref_tsc0, ref_count0, ref_hz;
static bool ref_started, ref_done;
static volatile bool ref_ready; /* the reference counter is mapped (refine_init) */

void
clock_segment_get(struct clock_segment *out)
{
	uint32_t s;

	do {
		s = __atomic_load_n(&seg_seq, __ATOMIC_ACQUIRE);
		*out = seg;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((s & 1) || s != __atomic_load_n(&seg_seq, __ATOMIC_RELAXED));
}

uint64_t
clock_tsc_to_ns(uint64_t t)
{
	return (uint64_t)(((unsigned __int128)t * seg.cs_mult) >> CLOCK_SHIFT);
}

uint64_t
clock_monotonic_ns(void)
{
	struct clock_segment s;

	clock_segment_get(&s);
	if (!s.cs_mult)
		return 0;
	/* Time counts from cycle 0, i.e. from machine reset. */
	return (uint64_t)(clock_segment_at(&s, machine_cycles()) >> CLOCK_SHIFT);
}

uint64_t
clock_tsc_hz(void)
{
	return seg.cs_hz;
}

uint64_t
clock_ticks(void)
{
	return ticks;
}

void
clock_tick(void)
{
	ticks++;
	realtime_tick();
	sched_tick();
}

void
clock_delay_ns(uint64_t ns)
{
	uint64_t end = machine_cycles() + ns * seg.cs_hz / NS_PER_SEC;

	while (machine_cycles() < end)
		cpu_relax();
}

/* The reference counter's value at the middle of two cycle counter reads. */
static uint64_t
ref_sample(uint64_t *tsc)
{
	uint64_t a = machine_cycles(), c, b;

	machine_refclock(&c);
	b = machine_cycles();
	*tsc = a + (b - a) / 2;
	return c;
}

bool
clock_refine(void)
{
	uint64_t tsc, count, hz, boot = seg.cs_hz, dt, dc;
	int64_t ppm;

	if (ref_done || !boot || !ref_ready)
		return false;
	if (!ref_started) {
		ref_hz = machine_refclock(&count);
		if (!ref_hz) {
			ref_done = true;
			log_info("clock: no HPET: the boot measurement of the TSC stays");
			return false;
		}
		ref_count0 = ref_sample(&ref_tsc0);
		ref_started = true;
		return false;
	}
	if (machine_cycles() - ref_tsc0 < boot)
		return false; /* not a second yet */
	count = ref_sample(&tsc);
	ref_done = true;
	dt = tsc - ref_tsc0;
	dc = count - ref_count0;
	if (!dc)
		return false;
	if (__builtin_mul_overflow(dt, ref_hz, &hz))
		return false; /* not after one second of a sane counter */
	hz /= dc;
	ppm = hz / 2 > boot || hz < boot / 2 ? INT64_MAX
	                                     : ((int64_t)hz - (int64_t)boot) * 1000000 / (int64_t)boot;
	if (ppm > REFINE_MAX_PPM || ppm < -REFINE_MAX_PPM) {
		log_warn("clock: the HPET says the TSC runs at %lu Hz, %ld ppm from the boot "
		         "measurement: ignored", hz, ppm);
		return false;
	}
	/* A new segment from now on: its base is the old one's value now, so no step. */
	__atomic_add_fetch(&seg_seq, 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tsc = machine_cycles();
	seg.cs_base = clock_segment_at(&seg, tsc);
	seg.cs_tsc_base = tsc;
	seg.cs_mult = clock_mult_for_hz(hz);
	seg.cs_hz = hz;
	seg.cs_source = VVAR_SOURCE_TSC_REFINED;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_add_fetch(&seg_seq, 1, __ATOMIC_RELEASE);
	log_info("clock: TSC refined against the HPET over %lu ms: %lu Hz (%ld ppm from boot)",
	         dc * 1000 / ref_hz, hz, ppm);
	return true;
}

/* Maps the reference counter, where the MMIO window may be taken (not from the tick). */
static void
refine_init(void)
{
	machine_refclock_init();
	__atomic_store_n(&ref_ready, true, __ATOMIC_RELEASE);
}
INITCALL(INIT_BUS, "clock_refine", refine_init);

void
clock_init(void)
{
	uint64_t hz = machine_cycles_measure_hz();

	seg.cs_tsc_base = 0;
	seg.cs_base = 0;
	seg.cs_mult = clock_mult_for_hz(hz);
	seg.cs_hz = hz;
	seg.cs_source = VVAR_SOURCE_TSC_BOOT;
	log_info("clock: TSC %lu.%03lu MHz (%s)", hz / 1000000, (hz / 1000) % 1000,
	         machine_cycles_hz_source());
}
