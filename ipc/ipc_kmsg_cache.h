/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message buffers kept for reuse. Most messages are small (a null RPC, a
 * kernel reply, a notification) and the kernel servers write each reply
 * into a buffer of the largest reply's size: buffers of exactly those two
 * sizes (IPC_KMSG_SMALL_ALLOC, IPC_KMSG_LARGE_ALLOC) come from and go back
 * to a short free list, without the heap's lookups; any other size is
 * kmalloc's. The kernel's message ops (ipc/mach_msg.c) allocate through
 * here. Small buffers go first to a stash per CPU (no lock, interrupts
 * off); the lists have a lock: ipc_kmsg_cache (LOCK_RANK_IPC_KMSG_CACHE), around the lists
 * only.
 */
#ifndef IPC_IPC_KMSG_CACHE_H
#define IPC_IPC_KMSG_CACHE_H

#include <stddef.h>

/* The larger cached size: a kernel server's reply buffer (kern/ipc_kobject.c). */
#define IPC_KMSG_LARGE_ALLOC 8192u

/* len bytes (any size), or NULL when the heap is short. */
void *ipc_kmsg_cache_alloc(size_t len);
/* Gives back p, of len bytes, from ipc_kmsg_cache_alloc(). */
void ipc_kmsg_cache_free(void *p, size_t len);
/* Gives every kept buffer back to the heap (before the heap counts its free pages). */
void ipc_kmsg_cache_drain(void);

#endif
