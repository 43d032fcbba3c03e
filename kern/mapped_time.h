/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GNU Mach's mapped time: one page whose first 64 bytes are a struct
 * mapped_time_value (<mach/time_value.h>), written at every tick and at
 * every step of the time of day (kern/realtime.c), which tasks map
 * read-only through the `time` device (device_open "time", device_map,
 * vm_map).
 */
#ifndef KERN_MAPPED_TIME_H
#define KERN_MAPPED_TIME_H

struct kpager;

/* The page's pager (read-only), made at start-up. */
struct kpager *mapped_time_pager(void);

#endif
