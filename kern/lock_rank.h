/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rank of every lock class, in one place (docs/locking.md explains
 * each). A CPU takes locks in increasing rank only: a lock may be taken
 * when its rank is above the rank of every lock this CPU holds, so two
 * locks of one rank are never held together. Test builds check this on
 * every spin_lock() (kern/spinlock.h); spin_trylock() cannot deadlock and
 * is not checked against the order.
 *
 * The gaps leave room for locks to come between two levels.
 */
#ifndef KERN_LOCK_RANK_H
#define KERN_LOCK_RANK_H

enum lock_rank {
	/*
	 * Driver level. A glue's own table comes before the device lock,
	 * because the glue looks a device up, then calls into its driver.
	 */
	LOCK_RANK_RNG = 10, /* drivers/viornd_glue.c: the attached devices */
	/*
	 * One per virtio device (drivers/virtio_platform.c): held around the
	 * device's interrupt handlers and by the glue around every call into
	 * its driver, which is how the drivers' "serialised by the caller"
	 * conditions are met.
	 */
	LOCK_RANK_VIRTIO_DEV = 20,
	/* The layers a driver's interrupt calls into, under the device lock. */
	LOCK_RANK_BLK = 30,    /* device/blk.c: the block layer */
	LOCK_RANK_NET_IF = 30, /* device/net.c: one per interface */

	/*
	 * device/ds_routines.c: the open devices and their ports' binding; a
	 * send right to a device port is made under it, so above the IPC locks.
	 */
	LOCK_RANK_DEVICE = 32,
	/*
	 * device/dev_net.c: an interface's frame queue, filled by its receive
	 * callback under the interface's lock; and its filter list, held
	 * while frames are sent to the filters' ports (so below the IPC locks).
	 */
	LOCK_RANK_NET_RXQ = 31,
	LOCK_RANK_NET_FILTERS = 33,

	/*
	 * kern/gsync.c: one per hash bucket of waiters. Held while the word is
	 * read or written through the VM (map and amap locks) and while a
	 * waiter is queued (sched_lock), so below both.
	 */
	LOCK_RANK_GSYNC = 35,

	/*
	 * kern/ipc_tt.c: a task's or thread's special ports (kernel, exception,
	 * bootstrap, registered). Above the IPC locks: a send right is made
	 * under it.
	 */
	LOCK_RANK_TASK_PORTS = 34,

	/*
	 * IPC (ipc/, docs/ipc.md): a space's lock, then a port set's, then a
	 * port's; all allocate from the heap under them, and none is held
	 * across a block (a receiver drops them before thread_block).
	 */
	LOCK_RANK_IPC_SPACE = 36,
	LOCK_RANK_IPC_PSET = 37,
	LOCK_RANK_IPC_PORT = 38,
	LOCK_RANK_IPC_MAREQUEST = 39, /* ipc/ipc_marequest.c: taken under a space's lock */

	/*
	 * kern/ipc_kobject.c: notifications queued for kernel ports; taken
	 * where notifications are sent, under a space's or port's lock.
	 */
	LOCK_RANK_KOBJECT_NOTIFY = 39,

	/* Bus level. */
	LOCK_RANK_PCI_INTX = 40, /* pci/pci.c: shared INTx lines and their handlers */

	/*
	 * Virtual memory (vm/): a map's lock, then the lock of an amap one
	 * of its entries uses; both are held while a fault allocates pages,
	 * heap memory and page tables, so they come before the heap.
	 */
	LOCK_RANK_VM_MAP = 44,  /* vm/vm_map.c: one per map */
	LOCK_RANK_VM_AMAP = 46, /* vm/vm_amap.c: one per amap */
	/* ipc/ipc_kmsg_cache.c: free message buffers; messages are freed under any of the above. */
	LOCK_RANK_IPC_KMSG_CACHE = 48,
	/* vm/vm_copy.c: the pool of copy headers; copies are freed under any of the above. */
	LOCK_RANK_VM_COPY_POOL = 49,

	/* Memory and machine: taken under any of the above. */
	LOCK_RANK_KMALLOC = 50, /* kern/kmalloc.c: the heap */
	LOCK_RANK_PCI_CFG = 60, /* x86_64/pci_cfg.c: config space (maps ECAM buses) */
	LOCK_RANK_KSTACK = 62,  /* kern/kstack.c: the kernel-stack area's slots */
	/*
	 * x86_64/pmap.c: one per pmap, around its user-half tables. Taken by
	 * the VM with its map and object locks held; takes page_alloc (new
	 * tables) under it, so the balloon may run under it too.
	 */
	LOCK_RANK_PMAP = 65,
	LOCK_RANK_PAGING = 70, /* x86_64/paging.c: kernel page tables, MMIO window */
	/*
	 * drivers/vioballoon_glue.c: the attached balloon and its page stack.
	 * This low down because the page allocator's out-of-memory hook runs
	 * the balloon with the heap or paging lock held; above them, and
	 * below the allocator, which the glue calls only with it released.
	 */
	LOCK_RANK_BALLOON = 75,
	LOCK_RANK_PAGE_ALLOC = 80, /* kern/page_alloc.c: the buddy allocator */
	LOCK_RANK_IRQ = 85,        /* kern/irq.c: the vector table */
	LOCK_RANK_REALTIME = 86,   /* kern/realtime.c: the time of day's writers (the tick too) */

	/* Output: anything may print, so these come last. */
	LOCK_RANK_COM1_RX = 87,       /* x86_64/serial.c: the UART's receive path */
	LOCK_RANK_CONSOLE_INPUT = 88, /* kern/console.c: the input ring's producers */
	/*
	 * kern/sched.c: threads' scheduling state, run queues, wait queues,
	 * task thread lists. Wake-ups come from interrupt handlers that hold
	 * driver or UART locks, so it ranks above them; only output after.
	 */
	LOCK_RANK_SCHED = 89,
	LOCK_RANK_CONSOLE = 90, /* kern/console.c: the console list and output */
	LOCK_RANK_HVC = 92,     /* drivers/viocon_glue.c: one hvc output ring */
	LOCK_RANK_LOG = 95,     /* kern/log.c: the log ring */
};

#endif
