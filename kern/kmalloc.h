/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel heap. Requests up to KMALLOC_MAX_SMALL bytes come from size
 * classes (16, 32, ... 2048 bytes), each a list of one-page slabs carved
 * from the page allocator; larger requests get whole pages (a buddy block,
 * so up to 4 MiB). Per-page state is kept in the page allocator's metadata
 * (struct page_meta owner fields), so kfree() needs no size and objects
 * carry no header.
 *
 * Alignment: every object is aligned to its class size (at least 16
 * bytes), large allocations to their power-of-two block size (at least a
 * page). Memory comes from the direct map (phys_to_virt()), so
 * virt_to_phys() of a heap pointer gives its physical address; objects of
 * more than one page are physically contiguous.
 *
 * Locking: one spinlock (kmalloc, LOCK_RANK_KMALLOC), taken with
 * interrupts disabled, ranked before the page allocator's (a slab grows
 * under it). All functions may be called from any context after
 * kmalloc_init() and never block. Exhaustion returns NULL; a kfree() of a
 * pointer kmalloc did not return, or a double kfree(), panics.
 */
#ifndef KERN_KMALLOC_H
#define KERN_KMALLOC_H

#include <stddef.h>
#include <stdint.h>

#define KMALLOC_MIN_SIZE 16
#define KMALLOC_MAX_SMALL 2048
#define KMALLOC_NCLASSES 8 /* 16 << 0 ... 16 << 7 */

struct kmalloc_class_stats {
	uint64_t kcs_size;   /* object size of the class */
	uint64_t kcs_pages;  /* slab pages held */
	uint64_t kcs_in_use; /* objects handed out */
	uint64_t kcs_free;   /* objects free in the held pages */
};

struct kmalloc_stats {
	struct kmalloc_class_stats ks_class[KMALLOC_NCLASSES];
	uint64_t ks_large_allocs; /* live page-granular allocations */
	uint64_t ks_large_bytes;  /* bytes of pages they hold */
	uint64_t ks_failures;     /* requests that returned NULL */
};

/* Resets the heap to empty; call once after the page allocator is ready. */
void kmalloc_init(void);

/* size bytes, or NULL on exhaustion. kmalloc(0) returns a 16-byte object. */
void *kmalloc(size_t size);

/* kmalloc(), zero-filled. */
void *kzalloc(size_t size);

/*
 * size bytes aligned to align (a power of two, up to 4 MiB), or NULL on
 * exhaustion or a bad align. Freed with kfree().
 */
void *kmalloc_aligned(size_t size, size_t align);

/* Frees p (NULL is ignored). Panics if p is not a live kmalloc pointer. */
void kfree(void *p);

/* Gives the slab pages with no object in use back to the page allocator. */
void kmalloc_reclaim(void);

/* A snapshot of the counters (for the monitor's `mem`). */
void kmalloc_stats(struct kmalloc_stats *st);

#endif
