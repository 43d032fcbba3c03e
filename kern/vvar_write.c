// SPDX-License-Identifier: GPL-2.0-or-later
/* Writing the vvar page (kern/vvar_write.h). */
#include "kern/vvar_write.h"

#define NS_PER_SEC 1000000000ULL

_Static_assert(VVAR_SHIFT == CLOCK_SHIFT, "the vvar publishes the clock's own fixed point");

void
vvar_split(unsigned __int128 x, int64_t *sec, uint64_t *nsec)
{
	uint64_t ns = (uint64_t)(x >> VVAR_SHIFT);

	*sec = (int64_t)(ns / NS_PER_SEC);
	*nsec = ns % NS_PER_SEC;
}

void
vvar_write(volatile struct vvar_data *v, const struct clock_segment *s, uint64_t now,
           uint64_t anchor, uint64_t rt_base_ns, bool slow)
{
	unsigned __int128 mono = clock_segment_at(s, now) - (unsigned __int128)(now - anchor) * s->cs_mult;
	unsigned __int128 real = mono + ((unsigned __int128)rt_base_ns << VVAR_SHIFT);
	uint32_t seq = v->seq;
	int64_t sec;
	uint64_t nsec;

	__atomic_store_n(&v->seq, seq | VVAR_SEQ_WRITING, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	v->source = s->cs_source;
	v->tsc_base = anchor;
	v->mult = s->cs_mult;
	v->shift = VVAR_SHIFT;
	vvar_split(mono, &sec, &nsec);
	v->mono.sec = sec;
	v->mono.nsec = nsec;
	vvar_split(real, &sec, &nsec);
	v->real.sec = sec;
	v->real.nsec = nsec;
	v->real_offset_ns = (int64_t)rt_base_ns;
	v->tsc_hz = s->cs_hz;
	v->updates++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&v->seq, ((seq & ~VVAR_SEQ_MASK) + VVAR_SEQ_STEP) | (slow ? VVAR_SEQ_SLOW : 0),
	                 __ATOMIC_RELAXED);
}
