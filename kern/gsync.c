// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gsync (kern/gsync.h). Waiters hang in hash buckets by key; each waits on
 * its own event, so a wake-up names exactly the threads it wakes. The
 * bucket lock is held from the check of the word to the waiter's queueing,
 * and by every waker, so no wake-up falls between the two.
 */
#include "kern/gsync.h"

#include <mach/vm_prot.h>

#include "kern/initcall.h"
#include "kern/list.h"
#include "kern/spinlock.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "x86_64/machine.h"

#define GSYNC_BUCKETS 64

struct gsync_key {
	uint64_t gk_space; /* the map (private), or 0 (shared: physical) */
	uint64_t gk_addr;  /* the address in the map, or the physical address */
};

struct gsync_waiter {
	struct list_node gw_link; /* its bucket's list */
	struct gsync_key gw_key;
	struct wait_event gw_event;
	bool gw_woken;
};

static struct gsync_bucket {
	struct spinlock gb_lock;
	struct list_node gb_waiters;
} gsync_buckets[GSYNC_BUCKETS];

static void
gsync_init(void)
{
	for (unsigned i = 0; i < GSYNC_BUCKETS; i++) {
		spin_init(&gsync_buckets[i].gb_lock, "gsync bucket", LOCK_RANK_GSYNC);
		list_init(&gsync_buckets[i].gb_waiters);
	}
}
INITCALL(INIT_BUS, "gsync", gsync_init);

static struct gsync_bucket *
bucket_of(const struct gsync_key *k)
{
	uint64_t h = (k->gk_space ^ (k->gk_addr >> 2)) * 0x9e3779b97f4a7c15ULL;

	return &gsync_buckets[h >> 58];
}

static bool
key_eq(const struct gsync_key *a, const struct gsync_key *b)
{
	return a->gk_space == b->gk_space && a->gk_addr == b->gk_addr;
}

/*
 * The key of task's word at addr. A shared key is the physical address,
 * so the page is faulted in first (it then stays: anonymous memory is not
 * paged out).
 */
static kern_return_t
make_key(struct task *task, uint64_t addr, int flags, struct gsync_key *k)
{
	uint64_t pa;

	if (!task)
		return KERN_INVALID_TASK;
	if (addr & 3 || !task->tk_map)
		return KERN_INVALID_ADDRESS;
	if (!(flags & GSYNC_SHARED)) {
		k->gk_space = (uint64_t)task->tk_map;
		k->gk_addr = addr;
		return KERN_SUCCESS;
	}
	if (vm_fault(task->tk_map, addr, VM_PROT_READ) != KERN_SUCCESS ||
	    !pmap_extract(vm_map_pmap(task->tk_map), addr & ~(uint64_t)(PAGE_SIZE - 1), &pa))
		return KERN_INVALID_ADDRESS;
	k->gk_space = 0;
	k->gk_addr = pa + (addr & (PAGE_SIZE - 1));
	return KERN_SUCCESS;
}

/*
 * Bucket locks are taken with interrupts on (no interrupt handler wakes a
 * gsync waiter): the word is read and written under them through the VM.
 * The page is faulted in before, so that no allocation, which could wait
 * for the balloon, happens under the lock.
 */
static void
bucket_lock(struct gsync_bucket *b)
{
	spin_lock(&b->gb_lock);
}

static void
bucket_unlock(struct gsync_bucket *b)
{
	spin_unlock(&b->gb_lock);
}

kern_return_t
gsync_wait(struct task *task, uint64_t addr, uint32_t lo, uint32_t hi, uint32_t msec, int flags)
{
	struct gsync_waiter w = {.gw_event = WAIT_EVENT_INIT("gsync")};
	uint32_t words[2];
	size_t len = flags & GSYNC_QUAD ? 8 : 4;
	struct gsync_bucket *b;
	kern_return_t kr;
	int r;

	kr = make_key(task, addr, flags, &w.gw_key);
	if (kr != KERN_SUCCESS)
		return kr;
	/* Faults the words in; the check that counts is the one under the lock. */
	if (vm_map_copy_from_user(task->tk_map, words, addr, len) != KERN_SUCCESS)
		return KERN_INVALID_ADDRESS;
	b = bucket_of(&w.gw_key);
	bucket_lock(b);
	kr = vm_map_copy_from_user(task->tk_map, words, addr, len);
	if (kr != KERN_SUCCESS || words[0] != lo || ((flags & GSYNC_QUAD) && words[1] != hi)) {
		bucket_unlock(b);
		return kr != KERN_SUCCESS ? KERN_INVALID_ADDRESS : KERN_INVALID_ARGUMENT;
	}
	list_append(&b->gb_waiters, &w.gw_link);
	thread_assert_wait(&w.gw_event, true);
	bucket_unlock(b);

	r = thread_block(flags & GSYNC_TIMED ? msec * 1000000ULL : WAIT_FOREVER);
	/* The bucket may have changed: a requeue moves the waiter and its key. */
	for (;;) {
		b = bucket_of(&w.gw_key);
		bucket_lock(b);
		if (b == bucket_of(&w.gw_key))
			break;
		bucket_unlock(b);
	}
	if (!w.gw_woken)
		list_remove(&w.gw_link);
	bucket_unlock(b);
	if (w.gw_woken)
		return KERN_SUCCESS;
	return r == THREAD_INTERRUPTED ? KERN_INTERRUPTED : KERN_TIMEDOUT;
}

/* Wakes w (bucket lock held): off the list, then its thread. */
static void
wake_waiter(struct gsync_waiter *w)
{
	list_remove(&w->gw_link);
	w->gw_woken = true;
	thread_wakeup(&w->gw_event);
}

kern_return_t
gsync_wake(struct task *task, uint64_t addr, uint32_t val, int flags)
{
	struct gsync_key k;
	struct gsync_bucket *b;
	struct list_node *n, *tmp;
	kern_return_t kr = make_key(task, addr, flags, &k);

	if (kr != KERN_SUCCESS)
		return kr;
	if ((flags & GSYNC_MUTATE) && vm_fault(task->tk_map, addr, VM_PROT_WRITE) != KERN_SUCCESS)
		return KERN_INVALID_ADDRESS;
	kr = KERN_INVALID_ARGUMENT;
	b = bucket_of(&k);
	bucket_lock(b);
	if ((flags & GSYNC_MUTATE) &&
	    vm_map_copy_to_user(task->tk_map, addr, &val, sizeof(val)) != KERN_SUCCESS) {
		bucket_unlock(b);
		return KERN_INVALID_ADDRESS;
	}
	list_for_each_safe(n, tmp, &b->gb_waiters)
	{
		struct gsync_waiter *w = list_entry(n, struct gsync_waiter, gw_link);
		if (!key_eq(&w->gw_key, &k))
			continue;
		wake_waiter(w);
		kr = KERN_SUCCESS;
		if (!(flags & GSYNC_BROADCAST))
			break;
	}
	bucket_unlock(b);
	return kr;
}

kern_return_t
gsync_requeue(struct task *task, uint64_t src, uint64_t dst, boolean_t wake_one, int flags)
{
	struct gsync_key ks, kd;
	struct gsync_bucket *bs, *bd, *first, *second;
	struct list_node *n, *tmp;
	kern_return_t kr;
	bool found = false, woke = !wake_one;

	if (!task)
		return KERN_INVALID_TASK;
	if ((src | dst) & 3)
		return KERN_INVALID_ADDRESS;
	if ((kr = make_key(task, src, flags, &ks)) != KERN_SUCCESS ||
	    (kr = make_key(task, dst, flags, &kd)) != KERN_SUCCESS)
		return kr;
	bs = bucket_of(&ks);
	bd = bucket_of(&kd);
	/* Two buckets of one rank: taken in address order, the second with trylock. */
	first = bs < bd ? bs : bd;
	second = bs < bd ? bd : bs;
	bucket_lock(first);
	if (second != first)
		while (!spin_trylock(&second->gb_lock))
			cpu_relax();
	list_for_each_safe(n, tmp, &bs->gb_waiters)
	{
		struct gsync_waiter *w = list_entry(n, struct gsync_waiter, gw_link);
		if (!key_eq(&w->gw_key, &ks))
			continue;
		found = true;
		if (!woke) {
			wake_waiter(w); /* wake_one: the first is woken */
			woke = true;
			continue;
		}
		list_remove(&w->gw_link);
		w->gw_key = kd;
		list_append(&bd->gb_waiters, &w->gw_link);
		if (!(flags & GSYNC_BROADCAST))
			break;
	}
	if (second != first)
		bucket_unlock(second);
	bucket_unlock(first);
	return found ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}
