/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run queue: one FIFO list of runnable threads per Mach priority (0 the
 * highest) and a bitmap of the non-empty ones, so the next thread is found
 * with one bit scan. One per CPU (struct cpu), under sched_lock.
 */
#ifndef KERN_RUN_QUEUE_H
#define KERN_RUN_QUEUE_H

#include <stdint.h>

#include "kern/list.h"

#define RUNQ_LEVELS 50

struct run_queue {
	uint64_t rq_bitmap; /* bit p set: rq_levels[p] is not empty */
	unsigned rq_count;
	struct list_node rq_levels[RUNQ_LEVELS];
};

#endif
