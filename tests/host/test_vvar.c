// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vvar's arithmetic and protocol (kern/vvar.h, kern/vvar_write.c,
 * kern/clock.h): the multiplier and the 128-bit product across TSC rates
 * from 1 MHz to 100 GHz and uptimes up to 200 years, without overflow and
 * within a nanosecond of exact; the reader's formula (user/vdso/
 * clock_gettime.S's, modelled here with an injected cycle count) against
 * the kernel's clock, never ahead, never back across re-bases or a change
 * of rate; and the sequence lock under a concurrent writer that
 * re-anchors the page so that any torn read shows as a jump of half a
 * second.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kern/vvar_write.h"

#define NS 1000000000ULL

/* The vDSO's read, as clock_gettime.S does it, at cycle t; -1 if it must retry or go slow. */
static int
model_read(const volatile struct vvar_data *v, const volatile struct vvar_base *b, uint64_t t,
           int64_t *sec, uint64_t *nsec)
{
	uint32_t seq = __atomic_load_n(&v->seq, __ATOMIC_ACQUIRE) & ~VVAR_SEQ_MASK;
	uint64_t d = t - v->tsc_base;
	uint64_t ns = (uint64_t)(((unsigned __int128)d * v->mult) >> VVAR_SHIFT) + b->nsec;
	int64_t s = b->sec;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (seq != __atomic_load_n(&v->seq, __ATOMIC_RELAXED))
		return -1;
	while (ns >= NS) {
		ns -= NS;
		s++;
	}
	*sec = s;
	*nsec = ns;
	return 0;
}

static uint64_t
exact_ns(uint64_t t, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)t * NS / hz);
}

static struct clock_segment
segment(uint64_t hz)
{
	struct clock_segment s = {0};

	s.cs_mult = clock_mult_for_hz(hz);
	s.cs_hz = hz;
	s.cs_source = VVAR_SOURCE_TSC_BOOT;
	return s;
}

/* mult/shift: every rate, every uptime, within 1 ns per ~2^32 ns of exact, no overflow. */
static void
test_mult_range(void **state)
{
	static const uint64_t rates[] = {1000000ULL,    999999937ULL,  1000000000ULL,
	                                 2599960439ULL, 3999999999ULL, 100000000000ULL};
	static const uint64_t years[] = {0, 1, 10, 100, 200};

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct clock_segment s = segment(rates[i]);
		for (size_t j = 0; j < sizeof(years) / sizeof(years[0]); j++) {
			uint64_t up_ns = years[j] * 365 * 86400 * NS + 123456789;
			uint64_t t = (uint64_t)((unsigned __int128)up_ns * rates[i] / NS);
			uint64_t got = (uint64_t)(clock_segment_at(&s, t) >> CLOCK_SHIFT);
			uint64_t want = exact_ns(t, rates[i]);
			uint64_t err = got > want ? got - want : want - got;
			/* The rounded mult is off by at most 0.5 / mult relative. */
			uint64_t bound = (uint64_t)((unsigned __int128)want / s.cs_mult) + 2;
			assert_true(err <= bound);
		}
	}
}

/* The reader against the kernel's clock: at most 1 ns behind, never ahead, never back. */
static void
test_reader_agrees(void **state)
{
	struct vvar_data v = {0};
	struct clock_segment s = segment(2599960439ULL);
	uint64_t t = 5000000000ULL, last = 0;

	(void)state;
	for (int tick = 0; tick < 2000; tick++) {
		vvar_write(&v, &s, t, t, 1796500000ULL * NS, false);
		if (tick == 1000) {
			/* A refinement: a new segment from t, the old value there. */
			s.cs_base = clock_segment_at(&s, t);
			s.cs_tsc_base = t;
			s.cs_mult = clock_mult_for_hz(2600000000ULL);
			vvar_write(&v, &s, t, t, 1796500000ULL * NS, false);
		}
		for (uint64_t k = 0; k < 26000000; k += 999983) {
			int64_t sec;
			uint64_t nsec, mono, kern = (uint64_t)(clock_segment_at(&s, t + k) >> CLOCK_SHIFT);
			assert_int_equal(model_read(&v, &v.mono, t + k, &sec, &nsec), 0);
			assert_true(nsec < NS);
			mono = (uint64_t)sec * NS + nsec;
			assert_true(mono <= kern && kern - mono <= 1);
			assert_true(mono >= last);
			last = mono;
			assert_int_equal(model_read(&v, &v.real, t + k, &sec, &nsec), 0);
			assert_true((uint64_t)sec * NS + nsec - mono == 1796500000ULL * NS);
		}
		t += 26000000; /* a 10 ms tick at 2.6 GHz */
	}
}

/* The flags: a write in progress and the slow flag both fail the read; counting keeps the flag. */
static void
test_seq_flags(void **state)
{
	struct vvar_data v = {0};
	struct clock_segment s = segment(1000000000ULL);
	int64_t sec;
	uint64_t nsec;

	(void)state;
	vvar_write(&v, &s, 100, 100, 0, true);
	assert_int_equal(v.seq & VVAR_SEQ_MASK, VVAR_SEQ_SLOW);
	assert_int_equal(model_read(&v, &v.mono, 200, &sec, &nsec), -1);
	vvar_write(&v, &s, 300, 300, 0, true);
	assert_int_equal(v.seq, 2 * VVAR_SEQ_STEP | VVAR_SEQ_SLOW);
	vvar_write(&v, &s, 400, 400, 0, false);
	assert_int_equal(v.seq & VVAR_SEQ_MASK, 0);
	assert_int_equal(model_read(&v, &v.mono, 500, &sec, &nsec), 0);
	v.seq |= VVAR_SEQ_WRITING;
	assert_int_equal(model_read(&v, &v.mono, 500, &sec, &nsec), -1);
}

/* A concurrent writer re-anchoring half a second either side: no torn read gets through. */
static struct vvar_data shared;
static volatile int stop;
static struct clock_segment wseg;
#define HALF_SEC_CYCLES 500000000ULL
#define NOW 10000000000ULL

static void *
writer(void *arg)
{
	unsigned long n = 0;

	(void)arg;
	while (!stop) {
		uint64_t anchor = (n++ & 1) ? NOW - HALF_SEC_CYCLES : NOW;
		vvar_write(&shared, &wseg, NOW, anchor, 0, false);
	}
	return (void *)n;
}

static void
test_seqlock_concurrent(void **state)
{
	pthread_t w;
	void *writes;
	unsigned long ok = 0, retries = 0;
	uint64_t want;

	(void)state;
	wseg = segment(1000000000ULL);
	vvar_write(&shared, &wseg, NOW, NOW, 0, false);
	want = (uint64_t)(clock_segment_at(&wseg, NOW + 1000) >> CLOCK_SHIFT);
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	while (ok < 2000000) {
		int64_t sec;
		uint64_t nsec;
		if (model_read(&shared, &shared.mono, NOW + 1000, &sec, &nsec)) {
			retries++;
			continue;
		}
		/* Both anchors give the same value at every cycle >= NOW; a mix is 0.5 s off. */
		assert_true((uint64_t)sec * NS + nsec == want);
		ok++;
	}
	stop = 1;
	pthread_join(w, &writes);
	print_message("# %lu reads, %lu retries, %lu writes\n", ok, retries, (unsigned long)writes);
	assert_true((unsigned long)writes > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mult_range),
	    cmocka_unit_test(test_reader_agrees),
	    cmocka_unit_test(test_seq_flags),
	    cmocka_unit_test(test_seqlock_concurrent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
