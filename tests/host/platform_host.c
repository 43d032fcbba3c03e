// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/platform_host.c: virtio/platform.h for host unit tests and
 * fuzz targets. DMA allocations live in a table; each gets a device address
 * window at HOST_DMA_BASE + n * 1 MiB-ish (never a CPU address), which the
 * simulated device translates back through host_dma_to_cpu().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtio_err.h"
#include "tests/host/platform_host.h"

#define HOST_DMA_MAX 4096

struct host_dma {
	void *cpu;
	uint64_t dev;
	size_t size;
};

static struct host_dma host_dmas[HOST_DMA_MAX];
static unsigned host_dma_hi;  /* entries in use are below */
static unsigned host_dma_hit; /* last translated entry */
static uint64_t host_dma_next = HOST_DMA_BASE;
static unsigned host_dma_nlive, host_mem_nlive;
static int host_dma_fail = -1, host_mem_fail = -1;
static unsigned long host_nsyncs;
uint64_t host_platform_features;
bool host_log_echo;
static unsigned host_log_counts[4];
static char host_log_buf[512];
static unsigned host_nwaits, host_ntimeouts, host_nwakes, host_ndelays;
static uint64_t host_wait_last_us;
bool (*host_wait_hook)(const void *event, void *arg);
void *host_wait_hook_arg;

static bool
host_fail_now(int *counter)
{
	if (*counter < 0)
		return false;
	if (*counter == 0)
		return true;
	(*counter)--;
	return false;
}

int
virtio_dma_alloc(size_t size, size_t align, struct virtio_dma *dma)
{
	unsigned i;
	size_t a = align < 64 ? 64 : align;
	void *p;

	if (size == 0 || (align & (align - 1)) != 0 || align > 4096)
		return VIRTIO_EINVAL;
	if (host_fail_now(&host_dma_fail))
		return VIRTIO_ENOMEM;
	for (i = 0; i < HOST_DMA_MAX && host_dmas[i].cpu; i++)
		;
	if (i == HOST_DMA_MAX)
		return VIRTIO_ENOMEM;
	if (i >= host_dma_hi)
		host_dma_hi = i + 1;
	p = aligned_alloc(a, (size + a - 1) & ~(a - 1));
	if (!p)
		return VIRTIO_ENOMEM;
	memset(p, 0, size);
	host_dmas[i].cpu = p;
	host_dmas[i].dev = host_dma_next;
	host_dmas[i].size = size;
	/* A guard gap after each window: overruns do not translate. */
	host_dma_next += ((size + 4095) & ~(uint64_t)4095) + 4096;
	dma->vd_cpu = p;
	dma->vd_dev = host_dmas[i].dev;
	dma->vd_size = size;
	dma->vd_cookie = &host_dmas[i];
	host_dma_nlive++;
	return VIRTIO_OK;
}

void
virtio_dma_free(struct virtio_dma *dma)
{
	struct host_dma *h = dma->vd_cookie;

	if (!h || h->cpu != dma->vd_cpu) {
		fprintf(stderr, "virtio_dma_free: not an allocation\n");
		abort();
	}
	free(h->cpu);
	memset(h, 0, sizeof(*h));
	memset(dma, 0, sizeof(*dma));
	host_dma_nlive--;
}

void
virtio_dma_sync(const struct virtio_dma *dma, size_t off, size_t len, enum virtio_dma_dir dir)
{
	if (off > dma->vd_size || len > dma->vd_size - off) {
		fprintf(stderr, "virtio_dma_sync: range outside allocation\n");
		abort();
	}
	host_nsyncs++;
}

static bool
host_dma_inside(const struct host_dma *h, uint64_t dev, size_t len)
{
	return h->cpu && dev >= h->dev && dev - h->dev < h->size && len <= h->size - (dev - h->dev);
}

void *
host_dma_to_cpu(uint64_t dev, size_t len)
{
	struct host_dma *h = &host_dmas[host_dma_hit];
	unsigned i;

	if (len == 0)
		len = 1;
	if (host_dma_inside(h, dev, len))
		return (uint8_t *)h->cpu + (dev - h->dev);
	for (i = 0; i < host_dma_hi; i++) {
		h = &host_dmas[i];
		if (host_dma_inside(h, dev, len)) {
			host_dma_hit = i;
			return (uint8_t *)h->cpu + (dev - h->dev);
		}
	}
	return NULL;
}

unsigned
host_dma_live(void)
{
	return host_dma_nlive;
}

unsigned
host_mem_live(void)
{
	return host_mem_nlive;
}

void
host_dma_fail_after(int n)
{
	host_dma_fail = n;
}

void
host_mem_fail_after(int n)
{
	host_mem_fail = n;
}

unsigned long
host_dma_syncs(void)
{
	return host_nsyncs;
}

uint64_t
virtio_platform_features(void)
{
	return host_platform_features;
}

void *
virtio_mem_alloc(size_t size)
{
	void *p;

	if (host_fail_now(&host_mem_fail))
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p)
		host_mem_nlive++;
	return p;
}

void
virtio_mem_free(void *p, size_t size)
{
	if (!p)
		return;
	free(p);
	host_mem_nlive--;
}

/* One access of w bytes, checked against the region's length. */
static inline uint64_t
platform_io_read(struct virtio_io_region *r, size_t off, unsigned w)
{
	if (off > r->ior_len || w > r->ior_len - off) {
		r->ior_bad++;
		return ~0ull;
	}
	return r->ior_read(r->ior_arg, off, w);
}

static inline void
platform_io_write(struct virtio_io_region *r, size_t off, unsigned w, uint64_t v)
{
	if (off > r->ior_len || w > r->ior_len - off) {
		r->ior_bad++;
		return;
	}
	r->ior_write(r->ior_arg, off, w, v);
}

#include "virtio/platform_io.h"

/* One 8-byte access: the simulated devices see the width the driver used. */
uint64_t
virtio_io_read64(struct virtio_io_region *r, size_t off)
{
	return platform_io_read(r, off, 8);
}

void
virtio_io_write64(struct virtio_io_region *r, size_t off, uint64_t v)
{
	platform_io_write(r, off, 8, v);
}

void
virtio_delay_us(unsigned us)
{
	host_ndelays++;
}

/*
 * No interrupts here: while the driver waits, the test's hook (if any)
 * plays the device, then the condition is checked again; without a hook,
 * or when the hook says time is up, the wait times out at once.
 */
int
virtio_wait(const void *event, virtio_wait_cond_fn *cond, void *arg, uint64_t timeout_us)
{
	host_nwaits++;
	host_wait_last_us = timeout_us;
	for (;;) {
		if (cond(arg))
			return VIRTIO_OK;
		if (!host_wait_hook || !host_wait_hook(event, host_wait_hook_arg)) {
			host_ntimeouts++;
			return VIRTIO_ETIMEDOUT;
		}
	}
}

void
virtio_wake(const void *event)
{
	host_nwakes++;
}

void
host_wait_counts(struct host_wait_counts *c)
{
	*c = (struct host_wait_counts){host_nwaits, host_ntimeouts, host_nwakes, host_ndelays,
	                               host_wait_last_us};
}

void
host_log_reset(void)
{
	memset(host_log_counts, 0, sizeof(host_log_counts));
	host_log_buf[0] = '\0';
}

unsigned
host_log_count(int level)
{
	return level >= 0 && level < 4 ? host_log_counts[level] : 0;
}

const char *
host_log_last(void)
{
	return host_log_buf;
}

void
virtio_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_log_buf, sizeof(host_log_buf), fmt, ap);
	va_end(ap);
	if (level >= 0 && level < 4)
		host_log_counts[level]++;
	if (host_log_echo || getenv("VIRTIO_HOST_LOG"))
		fprintf(stderr, "# virtio[%d]: %s\n", level, host_log_buf);
}

/* ---- PCI: a config space array and test-provided BAR regions ---- */

uint8_t
virtio_pci_cfg_read8(struct virtio_pci_dev *pdev, uint16_t off)
{
	return off < 4096 ? pdev->hp_cfg[off] : 0xff;
}

uint16_t
virtio_pci_cfg_read16(struct virtio_pci_dev *pdev, uint16_t off)
{
	return (uint16_t)(virtio_pci_cfg_read8(pdev, off) |
	                  virtio_pci_cfg_read8(pdev, (uint16_t)(off + 1)) << 8);
}

uint32_t
virtio_pci_cfg_read32(struct virtio_pci_dev *pdev, uint16_t off)
{
	return virtio_pci_cfg_read16(pdev, off) |
	       (uint32_t)virtio_pci_cfg_read16(pdev, (uint16_t)(off + 2)) << 16;
}

/* A window [off, off+len) onto a test BAR region. */
struct host_window {
	struct virtio_io_region hw_region;
	struct virtio_io_region *hw_bar;
	uint64_t hw_off;
};

static uint64_t
host_window_read(void *arg, size_t off, unsigned w)
{
	struct host_window *hw = arg;

	return platform_io_read(hw->hw_bar, hw->hw_off + off, w);
}

static void
host_window_write(void *arg, size_t off, unsigned w, uint64_t v)
{
	struct host_window *hw = arg;

	platform_io_write(hw->hw_bar, hw->hw_off + off, w, v);
}

int
virtio_pci_bar_map(struct virtio_pci_dev *pdev, unsigned bar, uint64_t off, uint64_t len,
                   struct virtio_io_region **out)
{
	struct host_window *hw;

	if (bar >= 6 || !pdev->hp_bar[bar] || off > pdev->hp_bar_len[bar] ||
	    len > pdev->hp_bar_len[bar] - off)
		return VIRTIO_EINVAL;
	hw = calloc(1, sizeof(*hw));
	if (!hw)
		return VIRTIO_ENOMEM;
	hw->hw_bar = pdev->hp_bar[bar];
	hw->hw_off = off;
	hw->hw_region.ior_read = host_window_read;
	hw->hw_region.ior_write = host_window_write;
	hw->hw_region.ior_arg = hw;
	hw->hw_region.ior_len = len;
	pdev->hp_maps++;
	*out = &hw->hw_region;
	return VIRTIO_OK;
}

void
virtio_pci_bar_unmap(struct virtio_io_region *r)
{
	/* hw_region is the first member of the window */
	free(r);
}

int
virtio_pci_intr_alloc(struct virtio_pci_dev *pdev, unsigned nvec, unsigned *got)
{
	unsigned n = nvec < pdev->hp_msix ? nvec : pdev->hp_msix;

	if (n > HOST_PCI_VECTORS)
		n = HOST_PCI_VECTORS;
	pdev->hp_msix_alloc = n;
	*got = n;
	return VIRTIO_OK;
}

int
virtio_pci_intr_establish(struct virtio_pci_dev *pdev, unsigned vec, virtio_intr_fn *fn, void *arg)
{
	unsigned slot = vec == VIRTIO_PCI_INTX ? HOST_PCI_VECTORS : vec;

	if (vec != VIRTIO_PCI_INTX && vec >= pdev->hp_msix_alloc)
		return VIRTIO_EINVAL;
	pdev->hp_fn[slot] = fn;
	pdev->hp_arg[slot] = arg;
	return VIRTIO_OK;
}

void
virtio_pci_intr_free(struct virtio_pci_dev *pdev)
{
	memset(pdev->hp_fn, 0, sizeof(pdev->hp_fn));
	memset(pdev->hp_arg, 0, sizeof(pdev->hp_arg));
	pdev->hp_msix_alloc = 0;
}

void
virtio_pci_intr_ack(struct virtio_pci_dev *pdev, unsigned vec)
{
	pdev->hp_acks++;
}

bool
host_pci_raise(struct virtio_pci_dev *pdev, unsigned vec)
{
	unsigned slot = vec == VIRTIO_PCI_INTX ? HOST_PCI_VECTORS : vec;

	if (slot > HOST_PCI_VECTORS || !pdev->hp_fn[slot])
		return false;
	pdev->hp_fn[slot](pdev->hp_arg[slot]);
	return true;
}
