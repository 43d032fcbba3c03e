// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel implementation of virtio/platform.h: DMA memory from the page
 * allocator (device address = physical address; no IOMMU), I/O regions over
 * port I/O or uncached MMIO, PCI config space and interrupts through
 * pci/pci.c (each device's handlers under its device lock), waiting through
 * kern/wait.h, logging into the kernel log.
 */
#include "drivers/virtio_platform.h"

#include <stdarg.h>

#include "kern/clock.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/page_alloc.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "kern/wait.h"
#include "virtio/virtio_err.h"
#include "virtio/vtpci.h"
#include "x86_64/machine.h"

struct virtio_io_region {
	bool io_port;
	uint16_t io_base;          /* port number */
	volatile uint8_t *io_mmio; /* mapped registers */
	size_t io_len;
};

int
virtio_dma_alloc(size_t size, size_t align, struct virtio_dma *dma)
{
	if (size == 0 || (align & (align - 1)) || align > PAGE_SIZE)
		return VIRTIO_EINVAL;
	/* Whole pages: naturally aligned, zeroed, physically contiguous. */
	uint64_t pa = page_alloc_bytes(size, PAGE_ZERO);
	if (!pa)
		return VIRTIO_ENOMEM;
	dma->vd_cpu = phys_to_virt(pa);
	dma->vd_dev = pa;
	dma->vd_size = size;
	dma->vd_cookie = NULL;
	return VIRTIO_OK;
}

void
virtio_dma_free(struct virtio_dma *dma)
{
	if (dma->vd_cpu)
		page_free_bytes(dma->vd_dev, dma->vd_size);
	memset(dma, 0, sizeof(*dma));
}

void
virtio_dma_sync(const struct virtio_dma *dma, size_t off, size_t len, enum virtio_dma_dir dir)
{
	/* x86 DMA is cache-coherent: ordering is the barriers' job. */
}

uint64_t
virtio_platform_features(void)
{
	return 0; /* no IOMMU: ACCESS_PLATFORM is refused */
}

void *
virtio_mem_alloc(size_t size)
{
	return kzalloc(size);
}

void
virtio_mem_free(void *p, size_t size)
{
	kfree(p);
}

/*
 * One access of size bytes (1, 2 or 4; a constant at every call, so each
 * accessor of virtio/platform_io.h compiles to its one instruction) to a
 * port or MMIO region. 32 bits wide: nothing here reads more at once.
 */
static inline __attribute__((always_inline)) uint32_t
platform_io_read(struct virtio_io_region *r, size_t off, unsigned size)
{
	if (r->io_port) {
		uint16_t port = (uint16_t)(r->io_base + off);
		return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	}
	volatile void *p = r->io_mmio + off;
	return size == 1   ? *(volatile uint8_t *)p
	       : size == 2 ? *(volatile uint16_t *)p
	                   : *(volatile uint32_t *)p;
}

static inline __attribute__((always_inline)) void
platform_io_write(struct virtio_io_region *r, size_t off, unsigned size, uint64_t v)
{
	if (r->io_port) {
		uint16_t port = (uint16_t)(r->io_base + off);
		if (size == 1)
			outb(port, (uint8_t)v);
		else if (size == 2)
			outw(port, (uint16_t)v);
		else
			outl(port, (uint32_t)v);
		return;
	}
	volatile void *p = r->io_mmio + off;
	if (size == 1)
		*(volatile uint8_t *)p = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)p = (uint16_t)v;
	else
		*(volatile uint32_t *)p = (uint32_t)v;
}

#include "virtio/platform_io.h"

uint64_t
virtio_io_read64(struct virtio_io_region *r, size_t off)
{
	/* Two 32-bit reads, low first: virtio never needs a single 64-bit access. */
	return virtio_io_read32(r, off) | ((uint64_t)virtio_io_read32(r, off + 4) << 32);
}

void
virtio_io_write64(struct virtio_io_region *r, size_t off, uint64_t v)
{
	virtio_io_write32(r, off, (uint32_t)v);
	virtio_io_write32(r, off + 4, (uint32_t)(v >> 32));
}

void
virtio_delay_us(unsigned us)
{
	spin_assert_none_held("virtio_delay_us", NULL);
	clock_delay_ns((uint64_t)us * 1000);
}

/*
 * One event for every virtio waiter: waits are rare (control commands) and
 * each waiter re-checks its own condition, so a wake-up meant for another
 * costs one check. With threads, addresses may hash to several.
 */
static struct wait_event virtio_wait_event = WAIT_EVENT_INIT("virtio");

#define VIRTIO_WAIT_SPIN_NS 500000 /* 0.5 ms: see virtio_wait() */

/*
 * Whether cond holds, checked as wait_until checks it: with interrupts off,
 * so that it never races the device's interrupt handler.
 */
static bool
virtio_wait_check(virtio_wait_cond_fn *cond, void *arg)
{
	irq_disable();
	bool done = cond(arg);
	irq_enable();
	return done;
}

int
virtio_wait(const void *event, virtio_wait_cond_fn *cond, void *arg, uint64_t timeout_us)
{
	uint64_t ns = timeout_us > WAIT_FOREVER / 1000 ? WAIT_FOREVER : timeout_us * 1000;
	uint64_t spin = ns < VIRTIO_WAIT_SPIN_NS ? ns : VIRTIO_WAIT_SPIN_NS;
	uint64_t start = clock_monotonic_ns();

	/*
	 * The waits here are for a device's answer (a control command), which
	 * comes within microseconds: poll for it that long before halting.
	 * Halting costs a wake-up, and under icount with sleep=off a halt
	 * moves the guest clock to the next timer tick: the virtio-net probe
	 * on q35 sometimes took 9.8 ms instead of 0.25 ms (docs/bench.md).
	 */
	spin_assert_none_held("virtio_wait", NULL);
	while (clock_monotonic_ns() - start < spin) {
		if (virtio_wait_check(cond, arg))
			return VIRTIO_OK;
		cpu_relax();
	}
	if (ns != WAIT_FOREVER)
		ns -= spin;

	return wait_until(&virtio_wait_event, cond, arg, ns) == KERN_SUCCESS ? VIRTIO_OK
	                                                                     : VIRTIO_ETIMEDOUT;
}

void
virtio_wake(const void *event)
{
	wait_wake(&virtio_wait_event);
}

void
virtio_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	klog((enum log_level)(level < 0   ? 0
	                      : level > 3 ? 3
	                                  : level),
	     "%pV", &(struct va_format){fmt, &ap});
	va_end(ap);
}

/* ---- PCI ---- */

void
virtio_pci_dev_init(struct virtio_pci_dev *vp, struct pci_dev *pd)
{
	memset(vp, 0, sizeof(*vp));
	vp->vp_pci = pd;
	spin_init(&vp->vp_lock, "virtio_dev", LOCK_RANK_VIRTIO_DEV);
	vp->vp_intx_vector = -1;
	vp->vp_intx.vv_dev = vp;
}

struct spinlock *
virtio_device_lock(struct virtio_device *vd)
{
	/* Every virtio device the kernel attaches is a PCI one (virtio_pci_attach.c). */
	return &vtpci_of(vd)->vt_pdev->vp_lock;
}

uint8_t
virtio_pci_cfg_read8(struct virtio_pci_dev *p, uint16_t off)
{
	return pci_cfg_read8(p->vp_pci, off);
}

uint16_t
virtio_pci_cfg_read16(struct virtio_pci_dev *p, uint16_t off)
{
	return pci_cfg_read16(p->vp_pci, off);
}

uint32_t
virtio_pci_cfg_read32(struct virtio_pci_dev *p, uint16_t off)
{
	return pci_cfg_read32(p->vp_pci, off);
}

int
virtio_pci_bar_map(struct virtio_pci_dev *p, unsigned bar, uint64_t off, uint64_t len,
                   struct virtio_io_region **out)
{
	struct pci_dev *pd = p->vp_pci;

	if (bar >= PCI_MAX_BARS || pd->pd_bars[bar].pb_kind == PCI_BAR_NONE)
		return VIRTIO_EINVAL;
	const struct pci_bar *b = &pd->pd_bars[bar];
	if (off > b->pb_size || len > b->pb_size - off || len == 0)
		return VIRTIO_EINVAL;
	struct virtio_io_region *r = kzalloc(sizeof(*r));
	if (!r)
		return VIRTIO_ENOMEM;
	r->io_len = len;
	if (b->pb_kind == PCI_BAR_IO) {
		pci_enable_io(pd);
		r->io_port = true;
		r->io_base = (uint16_t)(b->pb_addr + off);
	} else {
		void *base;
		if (pci_map_bar(pd, bar, &base) != KERN_SUCCESS) {
			kfree(r);
			return VIRTIO_ENOMEM;
		}
		r->io_mmio = (uint8_t *)base + off;
	}
	pci_enable_bus_master(pd);
	*out = r;
	return VIRTIO_OK;
}

void
virtio_pci_bar_unmap(struct virtio_io_region *r)
{
	kfree(r); /* the BAR mapping itself stays: mmio_map() mappings are permanent */
}

/*
 * Every MSI-X entry and the INTx line call this with their handler slot,
 * in interrupt context (interrupts off): the handler runs under the device
 * lock.
 */
static void
virtio_pci_vec_call(void *arg)
{
	struct virtio_pci_vec *v = arg;

	spin_lock(&v->vv_dev->vp_lock);
	if (v->vv_fn)
		v->vv_fn(v->vv_arg);
	spin_unlock(&v->vv_dev->vp_lock);
}

int
virtio_pci_intr_alloc(struct virtio_pci_dev *p, unsigned nvec, unsigned *got)
{
	irq_handler_fn fns[VIRTIO_PCI_MAX_VECTORS];
	void *args[VIRTIO_PCI_MAX_VECTORS];
	unsigned n = nvec;

	*got = 0;
	if (n > VIRTIO_PCI_MAX_VECTORS)
		n = VIRTIO_PCI_MAX_VECTORS;
	if (n > p->vp_pci->pd_msix_count)
		n = p->vp_pci->pd_msix_count;
	if (n == 0)
		return VIRTIO_OK; /* no MSI-X: the caller falls back to INTx */
	for (unsigned i = 0; i < n; i++) {
		p->vp_vec[i] = (struct virtio_pci_vec){NULL, NULL, p};
		fns[i] = virtio_pci_vec_call;
		args[i] = &p->vp_vec[i];
	}
	if (pci_msix_enable(p->vp_pci, n, fns, args, "virtio") != KERN_SUCCESS)
		return VIRTIO_OK; /* no vectors left: INTx */
	p->vp_nvec = n;
	*got = n;
	return VIRTIO_OK;
}

int
virtio_pci_intr_establish(struct virtio_pci_dev *p, unsigned vec, virtio_intr_fn *fn, void *arg)
{
	struct virtio_pci_vec *v;
	uint64_t f;

	if (vec != VIRTIO_PCI_INTX && vec >= p->vp_nvec)
		return VIRTIO_EINVAL;
	v = vec == VIRTIO_PCI_INTX ? &p->vp_intx : &p->vp_vec[vec];
	/* Under the device lock: the vector may be live already. */
	f = spin_lock_irqsave(&p->vp_lock);
	*v = (struct virtio_pci_vec){fn, arg, p};
	spin_unlock_irqrestore(&p->vp_lock, f);
	if (vec != VIRTIO_PCI_INTX || p->vp_intx_vector >= 0)
		return VIRTIO_OK;
	if (pci_intx_enable(p->vp_pci, virtio_pci_vec_call, v, "virtio-intx", &p->vp_intx_vector) !=
	    KERN_SUCCESS)
		return VIRTIO_ENOMEM;
	return VIRTIO_OK;
}

void
virtio_pci_intr_free(struct virtio_pci_dev *p)
{
	uint64_t f;

	if (p->vp_nvec)
		pci_msix_disable(p->vp_pci);
	p->vp_nvec = 0;
	f = spin_lock_irqsave(&p->vp_lock);
	for (unsigned i = 0; i < VIRTIO_PCI_MAX_VECTORS; i++)
		p->vp_vec[i] = (struct virtio_pci_vec){NULL, NULL, p};
	p->vp_intx = (struct virtio_pci_vec){NULL, NULL, p};
	spin_unlock_irqrestore(&p->vp_lock, f);
	/* The INTx route stays (the line is shared); with no handler it does nothing. */
}

void
virtio_pci_intr_ack(struct virtio_pci_dev *p, unsigned vec)
{
	/* kern/irq.c sends the EOI when the handler returns. */
}
