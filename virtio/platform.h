/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/platform.h: everything portable virtio code needs from the system
 * it runs on. virtio/ files include this header, the other virtio/ headers
 * and <stdint.h>/<stddef.h>/<stdbool.h>, nothing else. The kernel, the host
 * tests (tests/host/platform_host.c) and the user-space driver SDK each
 * implement the functions declared here.
 *
 * Seams (see docs/virtio.md): DMA memory with distinct CPU and device
 * addresses plus a sync at each hand-over; I/O regions accessed by width and
 * offset (port I/O and MMIO look the same); barriers; private memory;
 * logging; PCI config space, BAR mapping and interrupts for the transports.
 *
 * Unless noted, every function may be called from interrupt context except
 * the allocators, BAR mapping, the interrupt setup calls (attach time) and
 * virtio_wait().
 */
#ifndef VIRTIO_PLATFORM_H
#define VIRTIO_PLATFORM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* ---- DMA memory --------------------------------------------------------- */

/*
 * One DMA allocation. vd_cpu is what the driver dereferences; vd_dev is the
 * address the device uses (physical or IOMMU address). The two never mix:
 * only vd_dev (plus an offset) is ever written into a ring or a register.
 */
struct virtio_dma {
	void *vd_cpu;    /* CPU address of byte 0 */
	uint64_t vd_dev; /* device address of byte 0 */
	size_t vd_size;  /* bytes */
	void *vd_cookie; /* platform private */
};

/*
 * Allocate size bytes of zeroed, physically contiguous DMA memory whose
 * device address is a multiple of align (a power of two, at most 4096 is
 * guaranteed). May block. Returns VIRTIO_OK or VIRTIO_ENOMEM / VIRTIO_EINVAL.
 */
int virtio_dma_alloc(size_t size, size_t align, struct virtio_dma *dma);

/* Free an allocation from virtio_dma_alloc (all fields reset). May block. */
void virtio_dma_free(struct virtio_dma *dma);

enum virtio_dma_dir {
	VIRTIO_DMA_TO_DEVICE = 1,   /* CPU wrote, device will read */
	VIRTIO_DMA_FROM_DEVICE = 2, /* device wrote, CPU will read */
	VIRTIO_DMA_BIDIR = 3,
};

/*
 * Make [off, off+len) of dma coherent for the hand-over in direction dir.
 * Called before giving memory to the device (TO_DEVICE) and after the device
 * says it is done (FROM_DEVICE). A no-op on cache-coherent x86 but part of
 * the contract (bounce buffers, non-coherent platforms, the SDK).
 */
void virtio_dma_sync(const struct virtio_dma *dma, size_t off, size_t len, enum virtio_dma_dir dir);

/*
 * Transport feature bits (VIRTIO_F_ bits 28 and up) this platform can honour beyond
 * the ones every platform does. Today only VIRTIO_F_ACCESS_PLATFORM matters:
 * return it set if device addresses go through the platform's DMA mapping
 * (IOMMU or identity physical addresses that the platform vouches for).
 */
uint64_t virtio_platform_features(void);

/* ---- Private (non-DMA) memory ------------------------------------------- */

/* Zeroed memory for driver state that the device never sees. May block. */
void *virtio_mem_alloc(size_t size);
void virtio_mem_free(void *p, size_t size);

/* ---- I/O regions -------------------------------------------------------- */

/*
 * An I/O region is a window of device registers (a mapped PCI BAR slice, an
 * I/O port range, an MMIO window, or a simulated register file). Accesses
 * are by width and byte offset; the platform does the port or MMIO access,
 * little-endian, without caching or merging. Offsets are checked by the
 * caller against the region's length.
 */
struct virtio_io_region;

uint8_t virtio_io_read8(struct virtio_io_region *r, size_t off);
uint16_t virtio_io_read16(struct virtio_io_region *r, size_t off);
uint32_t virtio_io_read32(struct virtio_io_region *r, size_t off);
uint64_t virtio_io_read64(struct virtio_io_region *r, size_t off);
void virtio_io_write8(struct virtio_io_region *r, size_t off, uint8_t v);
void virtio_io_write16(struct virtio_io_region *r, size_t off, uint16_t v);
void virtio_io_write32(struct virtio_io_region *r, size_t off, uint32_t v);
void virtio_io_write64(struct virtio_io_region *r, size_t off, uint64_t v);

/* ---- Barriers ------------------------------------------------------------ */

/*
 * Ordering between the CPU and a device sharing coherent memory, as virtio
 * needs it (Linux calls these virt_*): wmb orders stores before stores
 * (publish descriptors before the index), rmb orders loads before loads
 * (read the used index before the entry), mb orders stores before loads
 * (publish the index before reading the event field). Compiler builtins,
 * so the same code builds in the kernel, on the host and in user space;
 * on x86 rmb/wmb are compiler barriers and mb is a locked instruction.
 * Register accesses through virtio_io_* are ordered by the platform.
 */
static inline void
virtio_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void
virtio_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void
virtio_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* ---- Time and waiting ----------------------------------------------------- */

/*
 * Busy-wait about us microseconds: only for the short polls the spec asks
 * for (a reset reading back 0). Not with a lock held (the kernel's test
 * builds panic): a driver that waits for the device uses virtio_wait().
 */
void virtio_delay_us(unsigned us);

/*
 * The one way a driver waits for its device. The waiter names an event
 * (any address the waker knows too, as Mach's event_t: a queue, a
 * request) and a condition; the side that makes the condition true,
 * usually the queue's interrupt callback, calls virtio_wake() on the same
 * address. virtio_wait() checks cond(arg) first, then again after every
 * wake-up, and returns VIRTIO_OK once it is true or VIRTIO_ETIMEDOUT when
 * timeout_us microseconds passed first. The condition may run with
 * interrupts disabled: it only looks (vq_get, a flag), never waits.
 *
 * Conditions: virtio_wait() blocks: never from interrupt context, with
 * interrupts disabled or with a lock held (the caller's, e.g. a layer
 * lock around the driver call); a driver calls it only from functions
 * whose conditions say they may block. virtio_wake() may be called from
 * anywhere, interrupt callbacks included.
 */
typedef bool virtio_wait_cond_fn(void *arg);
int virtio_wait(const void *event, virtio_wait_cond_fn *cond, void *arg, uint64_t timeout_us);
void virtio_wake(const void *event);

/* ---- Logging ------------------------------------------------------------- */

enum virtio_log_level {
	VIRTIO_LOG_ERR = 0,
	VIRTIO_LOG_WARN = 1,
	VIRTIO_LOG_INFO = 2,
	VIRTIO_LOG_DEBUG = 3,
};

/* printf-like (%d %u %x %lx %llx %s %p %c at least); adds the newline. */
void virtio_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- PCI (for the transports) --------------------------------------------- */

/* One PCI function, as enumerated by the platform. */
struct virtio_pci_dev;

/*
 * Read the function's config space: the transports only identify the
 * device and walk its capabilities. What must be written there (command
 * register, MSI-X control) the platform does in bar_map and intr_alloc.
 */
uint8_t virtio_pci_cfg_read8(struct virtio_pci_dev *pdev, uint16_t off);
uint16_t virtio_pci_cfg_read16(struct virtio_pci_dev *pdev, uint16_t off);
uint32_t virtio_pci_cfg_read32(struct virtio_pci_dev *pdev, uint16_t off);

/*
 * Map [off, off+len) of BAR bar (0-5; an I/O or memory BAR, 64-bit BARs by
 * their low index) as an I/O region, uncached. Enables decoding and bus
 * mastering as needed. Returns VIRTIO_OK, VIRTIO_EINVAL (no such BAR, range
 * outside it) or VIRTIO_ENOMEM. May block.
 */
int virtio_pci_bar_map(struct virtio_pci_dev *pdev, unsigned bar, uint64_t off, uint64_t len,
                       struct virtio_io_region **out);
void virtio_pci_bar_unmap(struct virtio_io_region *r);

/* Interrupt handler: runs in interrupt context (or the SDK's event loop). */
typedef void virtio_intr_fn(void *arg);

/*
 * Allocate up to nvec MSI-X vectors (table entries 0..got-1, programmed and
 * unmasked by the platform, which knows the MSI address format). *got is 0
 * when MSI-X is absent or has no vectors: the caller then uses INTx.
 * Returns VIRTIO_OK or VIRTIO_ENOMEM. May block.
 */
int virtio_pci_intr_alloc(struct virtio_pci_dev *pdev, unsigned nvec, unsigned *got);

/*
 * Route MSI-X entry vec (or INTx when vec is VIRTIO_PCI_INTX) to fn(arg).
 * Returns VIRTIO_OK, VIRTIO_EINVAL or VIRTIO_ENOMEM. May block.
 */
#define VIRTIO_PCI_INTX 0xffffu
int virtio_pci_intr_establish(struct virtio_pci_dev *pdev, unsigned vec, virtio_intr_fn *fn,
                              void *arg);

/* Undo virtio_pci_intr_alloc and every establish. May block. */
void virtio_pci_intr_free(struct virtio_pci_dev *pdev);

/*
 * Called by the handler when it is done with interrupt vec, so the platform
 * can re-arm it (EOI, device_intr_ack in the SDK). A no-op where the
 * platform's own interrupt path does it.
 */
void virtio_pci_intr_ack(struct virtio_pci_dev *pdev, unsigned vec);

#endif /* VIRTIO_PLATFORM_H */
