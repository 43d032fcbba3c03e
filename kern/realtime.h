/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The time of day (REALTIME): the battery clock's reading at boot plus the
 * monotonic clock, moved by host_set_time (a step) and host_adjust_time (a
 * slew of 40 us per 10 ms tick, GNU Mach's rate). MONOTONIC never moves.
 */
#ifndef KERN_REALTIME_H
#define KERN_REALTIME_H

#include <mach/time_value.h>
#include <stdbool.h>
#include <stdint.h>

/* Reads the battery clock (after clock_init). */
void realtime_init(void);
/* Nanoseconds since 1970-01-01 UTC. */
uint64_t realtime_ns(void);
/* Steps the time of day to ns (and drops any adjustment in progress). */
void realtime_set(uint64_t ns);
/* Starts slewing by delta_ns, replacing any adjustment in progress; returns what was left of it. */
int64_t realtime_adjust(int64_t delta_ns);
/* The periodic tick's share: one step of the slew, and the time page's update. */
void realtime_tick(void);
/*
 * From now on, keep *mt (GNU Mach's mapped time page, which user tasks map
 * read-only through the `time` device) up to date: at every tick and at
 * every step of the time of day, under GNU Mach's protocol (the check
 * fields written first, the seconds last, a full barrier between).
 */
void realtime_publish(volatile struct mapped_time_value *mt);
struct vvar_data;
/*
 * From now on, keep the vvar page *v (kern/vvar.h) up to date too, at
 * every tick (re-based there, so its readers' deltas stay short) and every
 * change of the time of day or of the clock's rate; slow sets its flag
 * that sends readers to the trap; stress (a test option) makes every other
 * write anchor the page elsewhere, so that a torn read would show.
 */
void realtime_publish_vvar(struct vvar_data *v, bool slow, bool stress);

#endif
