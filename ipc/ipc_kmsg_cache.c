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

/*
 * Each CPU first keeps a few small buffers of its own, taken and given
 * with interrupts off and no lock: a null RPC's request and reply come
 * and go here. Only that CPU touches its stash (the drain too, on one
 * CPU; SMP will need the drain to run on each CPU).
 */
#define STASH_SMALL 16
#define STASH_LARGE 2
struct cpu_stash {
	unsigned small_count, large_count;
	void *small[STASH_SMALL];
	void *large[STASH_LARGE];
} __attribute__((aligned(64)));
static struct cpu_stash stashes[MAX_CPUS];

static struct buf_list *
list_for(size_t len)
{
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (lists[i].len == len)
			return &lists[i];
	return NULL;
}

void *
ipc_kmsg_cache_alloc(size_t len)
{
	struct buf_list *l;
	struct free_buf *b = NULL;

	if (len == IPC_KMSG_SMALL_ALLOC || len == IPC_KMSG_LARGE_ALLOC) {
		uint64_t flags = irq_save();
		struct cpu_stash *st = &stashes[cpu_self()->cpu_index];
		if (len == IPC_KMSG_SMALL_ALLOC) {
			if (st->small_count)
				b = st->small[--st->small_count];
		} else if (st->large_count) {
			b = st->large[--st->large_count];
		}
		irq_restore(flags);
		if (b)
			return b;
	}
	l = list_for(len);
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
ipc_kmsg_cache_free(void *p, size_t len)
{
	struct buf_list *l;

	if (!p)
		return;
	if (len == IPC_KMSG_SMALL_ALLOC || len == IPC_KMSG_LARGE_ALLOC) {
		uint64_t flags = irq_save();
		struct cpu_stash *st = &stashes[cpu_self()->cpu_index];
		bool kept = false;
		if (len == IPC_KMSG_SMALL_ALLOC) {
			if ((kept = st->small_count < STASH_SMALL))
				st->small[st->small_count++] = p;
		} else if ((kept = st->large_count < STASH_LARGE)) {
			st->large[st->large_count++] = p;
		}
		irq_restore(flags);
		if (kept)
			return;
	}
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
	struct cpu_stash *st = &stashes[cpu_self()->cpu_index];
	while (st->small_count)
		kfree(st->small[--st->small_count]);
	while (st->large_count)
		kfree(st->large[--st->large_count]);
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
