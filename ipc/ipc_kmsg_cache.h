/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message buffers kept for reuse. Most messages are small (a null RPC, a
 * kernel reply, a notification) and the kernel servers write each reply
 * into a buffer of the largest reply's size: buffers of exactly those two
 * sizes (IPC_KMSG_SMALL_ALLOC, IPC_KMSG_LARGE_ALLOC) come from and go back
 * to a short free list, without the heap's lookups; any other size is
 * kmalloc's, after the per-CPU stash (below). The kernel's message ops (ipc/mach_msg.c) allocate
 * through here. Buffers go first to a stash per CPU (no lock, interrupts off); the lists have a
 * lock: ipc_kmsg_cache (LOCK_RANK_IPC_KMSG_CACHE), around the lists only.
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
 * Each CPU first keeps a few buffers of each power-of-two size from the
 * small one to the large one (ipc_kmsg_alloc_len rounds every message in
 * that range up to one, as the heap would round it), taken and given
 * inline with no lock and interrupts left on: a null RPC's request and
 * reply, a kernel RPC's request and reply buffer, a 4 KiB echo's two
 * buffers come and go here. Only that CPU touches its stash, and nothing
 * comes between a take and its return: the kernel is not preemptible
 * (x86_64/trap.c) and no interrupt handler makes or frees a message (test
 * kernels check it, VMACH_LOCK_CHECK). The drain runs on one CPU; SMP
 * will need it to run on each.
 */
#define IPC_KMSG_STASH_CLASSES 6 /* 256, 512, ... 8192 bytes */
#define IPC_KMSG_STASH_SMALL 16  /* buffers kept of the small size */
#define IPC_KMSG_STASH_OTHER 2   /* of each other size */
struct ipc_kmsg_stash {
	unsigned count[IPC_KMSG_STASH_CLASSES];
	void *bufs[IPC_KMSG_STASH_CLASSES][IPC_KMSG_STASH_SMALL];
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

/* The stash's class of len bytes, or -1 for a length it does not keep. */
static inline int
ipc_kmsg_stash_class(size_t len)
{
	if (__builtin_expect(len == IPC_KMSG_CACHE_SMALL, 1)) /* most messages */
		return 0;
	if (len == IPC_KMSG_LARGE_ALLOC) /* a kernel server's reply buffer */
		return IPC_KMSG_STASH_CLASSES - 1;
	if (len < IPC_KMSG_CACHE_SMALL || len > IPC_KMSG_LARGE_ALLOC || (len & (len - 1)))
		return -1;
	return __builtin_ctzl(len) - __builtin_ctzl(IPC_KMSG_CACHE_SMALL);
}

/* The lists and the heap, when the stash has none (or keeps no more). */
void *ipc_kmsg_cache_alloc_slow(size_t len);
void ipc_kmsg_cache_free_slow(void *p, size_t len);

/* len bytes (any size), or NULL when the heap is short. */
static inline void *
ipc_kmsg_cache_alloc(size_t len)
{
	int c = ipc_kmsg_stash_class(len);

	if (c >= 0) {
		struct ipc_kmsg_stash *st = ipc_kmsg_stash_self();
		if (st->count[c])
			return st->bufs[c][--st->count[c]];
	}
	return ipc_kmsg_cache_alloc_slow(len);
}

/* Gives back p, of len bytes, from ipc_kmsg_cache_alloc(). */
static inline void
ipc_kmsg_cache_free(void *p, size_t len)
{
	int c = ipc_kmsg_stash_class(len);

	if (p && c >= 0) {
		struct ipc_kmsg_stash *st = ipc_kmsg_stash_self();
		if (st->count[c] < (c ? IPC_KMSG_STASH_OTHER : IPC_KMSG_STASH_SMALL)) {
			st->bufs[c][st->count[c]++] = p;
			return;
		}
	}
	ipc_kmsg_cache_free_slow(p, len);
}
/* Gives every kept buffer back to the heap (before the heap counts its free pages). */
void ipc_kmsg_cache_drain(void);

#endif
