/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing the vvar page (kern/vvar.h) from a clock segment: pure
 * arithmetic under the page's sequence counter, so the host tests run it
 * against the vDSO's reader (tests/host/test_vvar.c).
 */
#ifndef KERN_VVAR_WRITE_H
#define KERN_VVAR_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/clock.h"
#include "kern/vvar.h"

/*
 * Publishes the clocks as segment s gives them at cycle now, with
 * REALTIME = MONOTONIC + rt_base_ns, anchored at cycle anchor (<= now; now
 * itself but for the stress test, which anchors elsewhere to make a torn
 * read visible: the values are the same for every cycle >= now). slow sets
 * VVAR_SEQ_SLOW. One writer at a time (the caller's lock).
 */
void vvar_write(volatile struct vvar_data *v, const struct clock_segment *s, uint64_t now,
                uint64_t anchor, uint64_t rt_base_ns, bool slow);
/* Splits a count of ns << VVAR_SHIFT into seconds and nanoseconds (the fraction dropped). */
void vvar_split(unsigned __int128 x, int64_t *sec, uint64_t *nsec);

#endif
