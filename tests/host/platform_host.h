/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/platform_host.h: the host implementation of virtio/platform.h
 * (platform_host.c) and the knobs tests use on it. DMA memory gets device
 * addresses in a window far from any CPU address (HOST_DMA_BASE), so a
 * driver that gives the device a CPU pointer is caught by host_dma_to_cpu.
 */
#ifndef TESTS_HOST_PLATFORM_HOST_H
#define TESTS_HOST_PLATFORM_HOST_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/platform.h"

#define HOST_DMA_BASE 0xd000000000000000ull

/*
 * Device side: CPU pointer for [dev, dev+len) if it lies inside one live
 * DMA allocation, else NULL (a CPU address, a freed buffer, an overrun).
 */
void *host_dma_to_cpu(uint64_t dev, size_t len);

/* Live DMA allocations and private allocations (leak checks). */
unsigned host_dma_live(void);
unsigned host_mem_live(void);
/* Fail the allocation after n more successful ones (-1: never). */
void host_dma_fail_after(int n);
void host_mem_fail_after(int n);
/* virtio_dma_sync calls so far. */
unsigned long host_dma_syncs(void);

/*
 * Waiting (virtio_wait, virtio_wake, virtio_delay_us): calls so far. A
 * wait checks its condition, then calls host_wait_hook (the test playing
 * the device meanwhile) and checks again while the hook returns true;
 * without a hook, or once it returns false, the wait times out.
 */
struct host_wait_counts {
	unsigned hw_waits;    /* virtio_wait calls */
	unsigned hw_timeouts; /* of those, VIRTIO_ETIMEDOUT */
	unsigned hw_wakes;    /* virtio_wake calls */
	unsigned hw_delays;   /* virtio_delay_us calls */
	uint64_t hw_last_us;  /* timeout of the last wait */
};
void host_wait_counts(struct host_wait_counts *c);
extern bool (*host_wait_hook)(const void *event, void *arg);
extern void *host_wait_hook_arg;

/* What virtio_platform_features() returns. */
extern uint64_t host_platform_features;

/* Log capture: messages per level since host_log_reset, the last one. */
void host_log_reset(void);
unsigned host_log_count(int level);
const char *host_log_last(void);
/* Print log lines to stderr (default: only with VIRTIO_HOST_LOG set). */
extern bool host_log_echo;

/* An I/O region backed by callbacks (a simulated register file). */
struct virtio_io_region {
	uint64_t (*ior_read)(void *arg, size_t off, unsigned width);
	void (*ior_write)(void *arg, size_t off, unsigned width, uint64_t v);
	void *ior_arg;
	size_t ior_len;
	unsigned ior_bad; /* accesses outside ior_len */
};

/* A simulated PCI function: config space bytes, BAR regions, vectors. */
#define HOST_PCI_VECTORS 64
struct virtio_pci_dev {
	uint8_t hp_cfg[4096];
	struct virtio_io_region *hp_bar[6];
	uint64_t hp_bar_len[6];
	unsigned hp_msix;                            /* vectors offered (0: INTx only) */
	unsigned hp_msix_alloc;                      /* vectors allocated */
	virtio_intr_fn *hp_fn[HOST_PCI_VECTORS + 1]; /* last: INTx */
	void *hp_arg[HOST_PCI_VECTORS + 1];
	unsigned hp_acks;
	unsigned hp_maps; /* BAR regions mapped, not unmapped */
};

/* Raise vector vec (VIRTIO_PCI_INTX for the line): calls its handler. */
bool host_pci_raise(struct virtio_pci_dev *pdev, unsigned vec);

#endif /* TESTS_HOST_PLATFORM_HOST_H */
