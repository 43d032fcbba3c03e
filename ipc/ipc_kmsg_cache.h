/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message buffers kept for reuse. Most messages are small (a null RPC, a
 * kernel reply, a notification) and the kernel servers write each reply
 * into a buffer of the largest reply's size: buffers of exactly those two
 * sizes (IPC_KMSG_SMALL_ALLOC, IPC_KMSG_LARGE_ALLOC) come from and go back
 * to a short free list, without the heap's lookups; any other size is
 * kmalloc's. The kernel's message ops (ipc/mach_msg.c) allocate through
 * here. Buffers go first to a stash per CPU (no lock, interrupts
 * off); the lists have a lock: ipc_kmsg_cache (LOCK_RANK_IPC_KMSG_CACHE), around the lists
 * only.
 */
#ifndef IPC_IPC_KMSG_CACHE_H
#define IPC_IPC_KMSG_CACHE_H

#include <stddef.h>

#include "kern/cpu.h"
#include "kern/panic.h"
#include "x86_64/machine.h"

/* The smaller cached size (ipc/ipc_kmsg.h's IPC_KMSG_SMALL_ALLOC). */
#define IPC_KMSG_CACHE_SMALL 256u
/* The larger cached size: a kernel server's reply buffer (kern/ipc_kobject.c). */
#define IPC_KMSG_LARGE_ALLOC 8192u

/*
 * Each CPU first keeps a few buffers of each size of its own, taken and
 * given inline with no lock and interrupts left on: a null RPC's request
 * and reply, a kernel RPC's request and reply buffer come and go here.
 * Only that CPU touches its stash, and nothing comes between a take and
 * its return: the kernel is not preemptible (x86_64/trap.c) and no
 * interrupt handler makes or frees a message (test kernels check it,
 * VMACH_LOCK_CHECK). The drain runs on one CPU; SMP will need it to run
 * on each.
 */
#define IPC_KMSG_STASH_SMALL 16
#define IPC_KMSG_STASH_LARGE 2
struct ipc_kmsg_stash {
	unsigned small_count, large_count;
	void *small[IPC_KMSG_STASH_SMALL];
	void *large[IPC_KMSG_STASH_LARGE];
} __attribute__((aligned(64)));
extern struct ipc_kmsg_stash ipc_kmsg_stashes[MAX_CPUS];

/* This CPU's stash. */
static inline struct ipc_kmsg_stash *
ipc_kmsg_stash_self(void)
{
#ifdef VMACH_LOCK_CHECK
	if (cpu_self()->cpu_irq_depth)
		panic("ipc_kmsg_cache: a message buffer taken or given in an interrupt");
#endif
	return &ipc_kmsg_stashes[cpu_self()->cpu_index];
}

/* The lists and the heap, when the stash has none (or keeps no more). */
void *ipc_kmsg_cache_alloc_slow(size_t len);
void ipc_kmsg_cache_free_slow(void *p, size_t len);

/* len bytes (any size), or NULL when the heap is short. */
static inline void *
ipc_kmsg_cache_alloc(size_t len)
{
	if (len == IPC_KMSG_CACHE_SMALL || len == IPC_KMSG_LARGE_ALLOC) {
		void *b = NULL;
		struct ipc_kmsg_stash *st = ipc_kmsg_stash_self();
		if (len == IPC_KMSG_CACHE_SMALL) {
			if (st->small_count)
				b = st->small[--st->small_count];
		} else if (st->large_count) {
			b = st->large[--st->large_count];
		}
		if (b)
			return b;
	}
	return ipc_kmsg_cache_alloc_slow(len);
}

/* Gives back p, of len bytes, from ipc_kmsg_cache_alloc(). */
static inline void
ipc_kmsg_cache_free(void *p, size_t len)
{
	if (p && (len == IPC_KMSG_CACHE_SMALL || len == IPC_KMSG_LARGE_ALLOC)) {
		bool kept = false;
		struct ipc_kmsg_stash *st = ipc_kmsg_stash_self();
		if (len == IPC_KMSG_CACHE_SMALL) {
			if ((kept = st->small_count < IPC_KMSG_STASH_SMALL))
				st->small[st->small_count++] = p;
		} else if ((kept = st->large_count < IPC_KMSG_STASH_LARGE)) {
			st->large[st->large_count++] = p;
		}
		if (kept)
			return;
	}
	ipc_kmsg_cache_free_slow(p, len);
}
/* Gives every kept buffer back to the heap (before the heap counts its free pages). */
void ipc_kmsg_cache_drain(void);

#endif
