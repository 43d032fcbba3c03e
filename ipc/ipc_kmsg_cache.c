// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The message buffer cache (ipc/ipc_kmsg_cache.h): one free list per
 * cached size, each at most a few buffers long, so that it holds a bounded
 * amount of memory: what a burst of messages freed beyond that goes back
 * to the heap.
 */
#include "ipc/ipc_kmsg_cache.h"

#include "ipc/ipc_kmsg.h"
#include "kern/cpu.h"
#include "kern/kmalloc.h"
#include "kern/spinlock.h"

struct free_buf {
	struct free_buf *next;
};

struct buf_list {
	size_t len;
	unsigned count, max;
	struct free_buf *first;
};

static struct spinlock cache_lock = SPINLOCK_INIT("ipc_kmsg_cache", LOCK_RANK_IPC_KMSG_CACHE);
static struct buf_list lists[] = {
    {.len = IPC_KMSG_SMALL_ALLOC, .max = 64},
    {.len = IPC_KMSG_LARGE_ALLOC, .max = 4},
};

struct ipc_kmsg_stash ipc_kmsg_stashes[MAX_CPUS];
_Static_assert(IPC_KMSG_CACHE_SMALL == IPC_KMSG_SMALL_ALLOC, "the stash keeps the small size");
_Static_assert(IPC_KMSG_CACHE_SMALL << (IPC_KMSG_STASH_CLASSES - 1) == IPC_KMSG_LARGE_ALLOC,
               "the stash's classes run from the small size to the large one");

static struct buf_list *
list_for(size_t len)
{
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (lists[i].len == len)
			return &lists[i];
	return NULL;
}

void *
ipc_kmsg_cache_alloc_slow(size_t len)
{
	struct buf_list *l = list_for(len);
	struct free_buf *b = NULL;

	if (l) {
		uint64_t flags = spin_lock_irqsave(&cache_lock);
		b = l->first;
		if (b) {
			l->first = b->next;
			l->count--;
		}
		spin_unlock_irqrestore(&cache_lock, flags);
	}
	return b ? b : kmalloc(len);
}

void
ipc_kmsg_cache_free_slow(void *p, size_t len)
{
	struct buf_list *l;

	if (!p)
		return;
	l = list_for(len);
	if (l) {
		uint64_t flags = spin_lock_irqsave(&cache_lock);
		if (l->count < l->max) {
			struct free_buf *b = p;
			b->next = l->first;
			l->first = b;
			l->count++;
			p = NULL;
		}
		spin_unlock_irqrestore(&cache_lock, flags);
	}
	kfree(p);
}

void
ipc_kmsg_cache_drain(void)
{
	uint64_t flags = irq_save();
	struct ipc_kmsg_stash *st = &ipc_kmsg_stashes[cpu_self()->cpu_index];
	for (int c = 0; c < IPC_KMSG_STASH_CLASSES; c++)
		while (st->count[c])
			kfree(st->bufs[c][--st->count[c]]);
	irq_restore(flags);
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		for (;;) {
			uint64_t flags = spin_lock_irqsave(&cache_lock);
			struct free_buf *b = lists[i].first;
			if (b) {
				lists[i].first = b->next;
				lists[i].count--;
			}
			spin_unlock_irqrestore(&cache_lock, flags);
			if (!b)
				break;
			kfree(b);
		}
	}
}
