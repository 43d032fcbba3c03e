// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vtpci_legacy.c: the legacy virtio PCI transport (virtio 1.4
 * §4.1.4.10 register layout in I/O BAR 0, §4.1.5.1.3.1 queue setup by
 * page frame number, §2.7.2 legacy ring layout with 4096 alignment), for
 * transitional devices (PCI ids 0x1000-0x103f) and `disable-modern=on`.
 *
 * Legacy has 32 feature bits, no FEATURES_OK, queue sizes fixed by the
 * device, and the device config block moves from offset 20 to 24 while
 * MSI-X is enabled. Device config fields are in guest (little) endianness.
 */
#include "virtio/vtpci.h"

#define VTPCI_LEG_BAR_MAX 4096 /* largest BAR 0 we look for */
#define VTPCI_LEG_BAR_MIN 32   /* registers plus a little config */

static uint8_t
vtpci_legacy_get_status(struct virtio_device *dev)
{
	return virtio_io_read8(vtpci_of(dev)->vt_io, VTPCI_LEG_STATUS);
}

static void
vtpci_legacy_set_status(struct virtio_device *dev, uint8_t status)
{
	virtio_io_write8(vtpci_of(dev)->vt_io, VTPCI_LEG_STATUS, status);
}

/* Reset, wait for status 0, and re-program the config vector. */
static int
vtpci_legacy_reset(struct virtio_device *dev)
{
	struct vtpci *tp = vtpci_of(dev);
	int err = vtpci_reset_wait(tp->vt_io, VTPCI_LEG_STATUS);

	if (err)
		return err;
	if (tp->vt_nvec) {
		virtio_io_write16(tp->vt_io, VTPCI_LEG_MSIX_CONFIG, vtpci_config_vector(tp));
		if (virtio_io_read16(tp->vt_io, VTPCI_LEG_MSIX_CONFIG) != vtpci_config_vector(tp))
			virtio_log(VIRTIO_LOG_WARN, "%s: config vector refused", dev->vd_name);
	}
	return VIRTIO_OK;
}

static uint64_t
vtpci_legacy_get_features(struct virtio_device *dev)
{
	return virtio_io_read32(vtpci_of(dev)->vt_io, VTPCI_LEG_HOST_FEATURES);
}

static void
vtpci_legacy_set_features(struct virtio_device *dev, uint64_t features)
{
	virtio_io_write32(vtpci_of(dev)->vt_io, VTPCI_LEG_GUEST_FEATURES, (uint32_t)features);
}

static unsigned
vtpci_legacy_queue_count(struct virtio_device *dev)
{
	return vtpci_of(dev)->vt_nqueues;
}

static uint16_t
vtpci_legacy_queue_max(struct virtio_device *dev, unsigned idx)
{
	struct vtpci *tp = vtpci_of(dev);

	if (idx >= tp->vt_nqueues)
		return 0;
	virtio_io_write16(tp->vt_io, VTPCI_LEG_QUEUE_SEL, (uint16_t)idx);
	return virtio_io_read16(tp->vt_io, VTPCI_LEG_QUEUE_NUM);
}

/*
 * §4.1.5.1.3.1: the ring is one block at a 4096-aligned address given as
 * a 32-bit page frame number; its size is the device's.
 */
static int
vtpci_legacy_queue_enable(struct virtio_device *dev, unsigned idx,
                          const struct virtio_queue_info *qi)
{
	struct vtpci *tp = vtpci_of(dev);
	uint64_t pfn = qi->vqi_desc >> VTPCI_LEG_PFN_SHIFT;
	uint16_t vec = vtpci_queue_vector(tp, idx);

	if (idx >= tp->vt_nqueues || qi->vqi_packed || (qi->vqi_desc & 4095) != 0 || pfn == 0 ||
	    pfn > 0xffffffffull)
		return VIRTIO_EINVAL;
	virtio_io_write16(tp->vt_io, VTPCI_LEG_QUEUE_SEL, (uint16_t)idx);
	if (virtio_io_read16(tp->vt_io, VTPCI_LEG_QUEUE_NUM) != qi->vqi_size)
		return VIRTIO_EINVAL;
	if (tp->vt_nvec) {
		virtio_io_write16(tp->vt_io, VTPCI_LEG_MSIX_QUEUE, vec);
		if (virtio_io_read16(tp->vt_io, VTPCI_LEG_MSIX_QUEUE) != vec) {
			virtio_log(VIRTIO_LOG_ERR,
			           "%s: queue %u vector %u "
			           "refused",
			           dev->vd_name, idx, vec);
			return VIRTIO_EBADDEV;
		}
	}
	virtio_io_write32(tp->vt_io, VTPCI_LEG_QUEUE_PFN, (uint32_t)pfn);
	return VIRTIO_OK;
}

static void
vtpci_legacy_queue_disable(struct virtio_device *dev, unsigned idx)
{
	struct vtpci *tp = vtpci_of(dev);

	if (idx >= tp->vt_nqueues)
		return;
	virtio_io_write16(tp->vt_io, VTPCI_LEG_QUEUE_SEL, (uint16_t)idx);
	virtio_io_write32(tp->vt_io, VTPCI_LEG_QUEUE_PFN, 0);
}

static void
vtpci_legacy_notify(struct virtio_device *dev, unsigned idx)
{
	virtio_io_write16(vtpci_of(dev)->vt_io, VTPCI_LEG_QUEUE_NOTIFY, (uint16_t)idx);
}

/* The device config block follows the registers, at vt_cfg_base. */
static uint32_t
vtpci_legacy_config_read(struct virtio_device *dev, uint32_t off, unsigned width)
{
	struct vtpci *tp = vtpci_of(dev);

	return vtpci_io_read(tp->vt_io, tp->vt_cfg_base + off, width);
}

static void
vtpci_legacy_config_write(struct virtio_device *dev, uint32_t off, unsigned width, uint32_t val)
{
	struct vtpci *tp = vtpci_of(dev);

	vtpci_io_write(tp->vt_io, tp->vt_cfg_base + off, width, val);
}

static uint8_t
vtpci_legacy_read_isr(struct virtio_device *dev)
{
	return virtio_io_read8(vtpci_of(dev)->vt_io, VTPCI_LEG_ISR);
}

/*
 * The platform maps a range only inside the BAR, and legacy gives no
 * length for the config block: map the largest power of two that fits.
 */
static int
vtpci_legacy_map(struct vtpci *tp)
{
	uint32_t len;

	for (len = VTPCI_LEG_BAR_MAX; len >= VTPCI_LEG_BAR_MIN; len /= 2) {
		if (virtio_pci_bar_map(tp->vt_pdev, 0, 0, len, &tp->vt_io) == VIRTIO_OK) {
			tp->vt_io_len = len;
			return VIRTIO_OK;
		}
	}
	tp->vt_io = NULL;
	return VIRTIO_ENODEV;
}

/* Legacy has no queue count: queues exist while their size reads non-0. */
static unsigned
vtpci_legacy_count_queues(struct vtpci *tp)
{
	unsigned n;

	for (n = 0; n < VTPCI_MAX_QUEUES; n++) {
		virtio_io_write16(tp->vt_io, VTPCI_LEG_QUEUE_SEL, (uint16_t)n);
		if (virtio_io_read16(tp->vt_io, VTPCI_LEG_QUEUE_NUM) == 0)
			break;
	}
	return n;
}

static const struct virtio_transport_ops vtpci_legacy_ops = {
    .vto_name = "pci-legacy",
    .vto_flags = VIRTIO_TRANSPORT_LEGACY,
    .vto_get_status = vtpci_legacy_get_status,
    .vto_set_status = vtpci_legacy_set_status,
    .vto_reset = vtpci_legacy_reset,
    .vto_get_features = vtpci_legacy_get_features,
    .vto_set_features = vtpci_legacy_set_features,
    .vto_queue_count = vtpci_legacy_queue_count,
    .vto_queue_max = vtpci_legacy_queue_max,
    .vto_queue_enable = vtpci_legacy_queue_enable,
    .vto_queue_disable = vtpci_legacy_queue_disable,
    .vto_notify = vtpci_legacy_notify,
    .vto_config_read = vtpci_legacy_config_read,
    .vto_config_write = vtpci_legacy_config_write,
    .vto_config_generation = NULL,
    .vto_read_isr = vtpci_legacy_read_isr,
};

int
vtpci_legacy_attach(struct vtpci *tp)
{
	int err;

	if (!vtpci_is_transitional(tp->vt_pci_device))
		return VIRTIO_ENODEV;
	err = vtpci_legacy_map(tp);
	if (err)
		return err;
	/* Reset first: queue sizes read while the device runs are moot. */
	virtio_io_write8(tp->vt_io, VTPCI_LEG_STATUS, 0);
	err = vtpci_intr_setup(tp, vtpci_legacy_count_queues(tp));
	if (err) {
		virtio_pci_bar_unmap(tp->vt_io);
		tp->vt_io = NULL;
		return err;
	}
	tp->vt_cfg_base = tp->vt_nvec ? VTPCI_LEG_CONFIG_MSIX : VTPCI_LEG_CONFIG;
	tp->vt_vdev.vd_config_len = tp->vt_io_len - tp->vt_cfg_base;
	tp->vt_legacy = true;
	tp->vt_vdev.vd_ops = &vtpci_legacy_ops;
	return VIRTIO_OK;
}

void
vtpci_legacy_detach(struct vtpci *tp)
{
	vtpci_intr_teardown(tp);
	if (tp->vt_io)
		virtio_pci_bar_unmap(tp->vt_io);
	tp->vt_io = NULL;
}
