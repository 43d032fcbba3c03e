// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vtpci_modern.c: the virtio 1.x PCI transport (virtio 1.4 §4.1.4:
 * the vendor capabilities for the common, notify, ISR and device
 * configuration structures; §4.1.5 initialization, MSI-X vector
 * configuration in §4.1.5.1.2). Interrupts and the choice of transport
 * are in vtpci.c.
 *
 * Every value read from the device (capability offsets and lengths, queue
 * notify offsets, vectors read back) is checked before use.
 */
#include "virtio/vtpci.h"
#include "virtio/virtqueue.h"

#define VTPCI_CAP_ID_VENDOR 0x09
#define VTPCI_CAP_WALK_MAX 48 /* (256 - 64) / 4 capabilities at most */

/* ---- the modern ops ------------------------------------------------------ */

static uint8_t
vtpci_modern_get_status(struct virtio_device *dev)
{
	return virtio_io_read8(vtpci_of(dev)->vt_common, VTPCI_COMMON_STATUS);
}

static void
vtpci_modern_set_status(struct virtio_device *dev, uint8_t status)
{
	virtio_io_write8(vtpci_of(dev)->vt_common, VTPCI_COMMON_STATUS, status);
}

/*
 * §4.1.4.3.2: after writing 0 the driver waits for device_status to read
 * 0. A reset also forgets the config vector, so program it again here.
 */
static int
vtpci_modern_reset(struct virtio_device *dev)
{
	struct vtpci *tp = vtpci_of(dev);
	uint16_t vec = vtpci_config_vector(tp);
	int err = vtpci_reset_wait(tp->vt_common, VTPCI_COMMON_STATUS);

	if (err)
		return err;
	virtio_io_write16(tp->vt_common, VTPCI_COMMON_MSIX, vec);
	if (virtio_io_read16(tp->vt_common, VTPCI_COMMON_MSIX) != vec)
		virtio_log(VIRTIO_LOG_WARN, "%s: config vector %u refused", dev->vd_name, vec);
	return VIRTIO_OK;
}

static uint64_t
vtpci_modern_get_features(struct virtio_device *dev)
{
	struct virtio_io_region *c = vtpci_of(dev)->vt_common;
	uint64_t lo, hi;

	virtio_io_write32(c, VTPCI_COMMON_DFSELECT, 0);
	lo = virtio_io_read32(c, VTPCI_COMMON_DF);
	virtio_io_write32(c, VTPCI_COMMON_DFSELECT, 1);
	hi = virtio_io_read32(c, VTPCI_COMMON_DF);
	return lo | hi << 32;
}

static void
vtpci_modern_set_features(struct virtio_device *dev, uint64_t features)
{
	struct virtio_io_region *c = vtpci_of(dev)->vt_common;

	virtio_io_write32(c, VTPCI_COMMON_GFSELECT, 0);
	virtio_io_write32(c, VTPCI_COMMON_GF, (uint32_t)features);
	virtio_io_write32(c, VTPCI_COMMON_GFSELECT, 1);
	virtio_io_write32(c, VTPCI_COMMON_GF, (uint32_t)(features >> 32));
}

static unsigned
vtpci_modern_queue_count(struct virtio_device *dev)
{
	return vtpci_of(dev)->vt_nqueues;
}

static uint16_t
vtpci_modern_queue_max(struct virtio_device *dev, unsigned idx)
{
	struct vtpci *tp = vtpci_of(dev);

	if (idx >= tp->vt_nqueues)
		return 0;
	virtio_io_write16(tp->vt_common, VTPCI_COMMON_Q_SELECT, (uint16_t)idx);
	return virtio_io_read16(tp->vt_common, VTPCI_COMMON_Q_SIZE);
}

/* §4.1.4.4: the queue's notify address must lie inside the notify BAR. */
static int
vtpci_modern_notify_off(struct vtpci *tp, unsigned idx)
{
	uint64_t off =
	    (uint64_t)virtio_io_read16(tp->vt_common, VTPCI_COMMON_Q_NOFF) * tp->vt_notify_mult;

	if (off + 2 > tp->vt_notify_len) {
		virtio_log(VIRTIO_LOG_ERR,
		           "%s: queue %u notify offset %llx "
		           "outside the notify region (%u bytes)",
		           tp->vt_vdev.vd_name, idx, (unsigned long long)off, tp->vt_notify_len);
		return VIRTIO_EBADDEV;
	}
	tp->vt_notify_off[idx] = (uint32_t)off;
	return VIRTIO_OK;
}

static int
vtpci_modern_queue_enable(struct virtio_device *dev, unsigned idx,
                          const struct virtio_queue_info *qi)
{
	struct vtpci *tp = vtpci_of(dev);
	struct virtio_io_region *c = tp->vt_common;
	uint16_t vec = vtpci_queue_vector(tp, idx);
	int err;

	if (idx >= tp->vt_nqueues || qi->vqi_size == 0)
		return VIRTIO_EINVAL;
	virtio_io_write16(c, VTPCI_COMMON_Q_SELECT, (uint16_t)idx);
	err = vtpci_modern_notify_off(tp, idx);
	if (err)
		return err;
	virtio_io_write16(c, VTPCI_COMMON_Q_SIZE, qi->vqi_size);
	virtio_io_write16(c, VTPCI_COMMON_Q_MSIX, vec);
	if (virtio_io_read16(c, VTPCI_COMMON_Q_MSIX) != vec) {
		virtio_log(VIRTIO_LOG_ERR, "%s: queue %u vector %u refused", dev->vd_name, idx,
		           vec);
		return VIRTIO_EBADDEV;
	}
	virtio_io_write64(c, VTPCI_COMMON_Q_DESCLO, qi->vqi_desc);
	virtio_io_write64(c, VTPCI_COMMON_Q_AVAILLO, qi->vqi_driver);
	virtio_io_write64(c, VTPCI_COMMON_Q_USEDLO, qi->vqi_device);
	virtio_io_write16(c, VTPCI_COMMON_Q_ENABLE, 1);
	return VIRTIO_OK;
}

static void
vtpci_modern_notify(struct virtio_device *dev, unsigned idx)
{
	struct vtpci *tp = vtpci_of(dev);

	if (idx < tp->vt_nqueues)
		virtio_io_write16(tp->vt_notify, tp->vt_notify_off[idx], (uint16_t)idx);
}

static uint32_t
vtpci_modern_config_read(struct virtio_device *dev, uint32_t off, unsigned width)
{
	return vtpci_io_read(vtpci_of(dev)->vt_device, off, width);
}

static void
vtpci_modern_config_write(struct virtio_device *dev, uint32_t off, unsigned width, uint32_t val)
{
	vtpci_io_write(vtpci_of(dev)->vt_device, off, width, val);
}

static uint32_t
vtpci_modern_config_generation(struct virtio_device *dev)
{
	return virtio_io_read8(vtpci_of(dev)->vt_common, VTPCI_COMMON_CFGGEN);
}

static uint8_t
vtpci_modern_read_isr(struct virtio_device *dev)
{
	return virtio_io_read8(vtpci_of(dev)->vt_isr, 0);
}

/* ---- capabilities ---------------------------------------------------------- */

/* A vendor capability as read from config space (§4.1.4). */
struct vtpci_cap {
	uint8_t vc_type;
	uint8_t vc_bar;
	uint32_t vc_offset;
	uint32_t vc_length;
	uint32_t vc_mult;
};

static bool
vtpci_cap_read(struct virtio_pci_dev *pdev, unsigned pos, struct vtpci_cap *c)
{
	uint8_t len = virtio_pci_cfg_read8(pdev, (uint16_t)(pos + 2));

	if (len < 16 || pos + len > 256)
		return false;
	c->vc_type = virtio_pci_cfg_read8(pdev, (uint16_t)(pos + 3));
	c->vc_bar = virtio_pci_cfg_read8(pdev, (uint16_t)(pos + 4));
	c->vc_offset = virtio_pci_cfg_read32(pdev, (uint16_t)(pos + 8));
	c->vc_length = virtio_pci_cfg_read32(pdev, (uint16_t)(pos + 12));
	c->vc_mult = 0;
	if (c->vc_type == VTPCI_CAP_NOTIFY) {
		if (len < 20)
			return false;
		c->vc_mult = virtio_pci_cfg_read32(pdev, (uint16_t)(pos + 16));
	}
	return c->vc_bar <= 5; /* §4.1.4: other values are reserved */
}

/* The minimum length each structure needs to be usable. */
static uint32_t
vtpci_cap_minlen(uint8_t type)
{
	switch (type) {
	case VTPCI_CAP_COMMON:
		return VTPCI_COMMON_LEN;
	case VTPCI_CAP_NOTIFY:
		return 2;
	case VTPCI_CAP_ISR:
		return 1;
	default:
		return 1;
	}
}

static struct virtio_io_region **
vtpci_cap_slot(struct vtpci *tp, uint8_t type)
{
	switch (type) {
	case VTPCI_CAP_COMMON:
		return &tp->vt_common;
	case VTPCI_CAP_NOTIFY:
		return &tp->vt_notify;
	case VTPCI_CAP_ISR:
		return &tp->vt_isr;
	case VTPCI_CAP_DEVICE:
		return &tp->vt_device;
	default:
		return NULL;
	}
}

/* Map one structure if it is the first usable one of its kind. */
static void
vtpci_cap_use(struct vtpci *tp, const struct vtpci_cap *c)
{
	struct virtio_io_region **slot = vtpci_cap_slot(tp, c->vc_type);
	uint32_t len = c->vc_length;

	if (!slot || *slot || len < vtpci_cap_minlen(c->vc_type))
		return;
	if (c->vc_type == VTPCI_CAP_DEVICE && len > 4096)
		len = 4096;
	if (virtio_pci_bar_map(tp->vt_pdev, c->vc_bar, c->vc_offset, len, slot) != VIRTIO_OK) {
		*slot = NULL;
		return;
	}
	if (c->vc_type == VTPCI_CAP_NOTIFY) {
		tp->vt_notify_len = len;
		tp->vt_notify_mult = c->vc_mult;
	} else if (c->vc_type == VTPCI_CAP_DEVICE) {
		tp->vt_vdev.vd_config_len = len;
	}
}

/*
 * Walk the capability list (untrusted: bounded count, pointers inside the
 * device-specific area, dword aligned) and map the structures we use.
 */
static void
vtpci_caps_scan(struct vtpci *tp)
{
	struct virtio_pci_dev *pdev = tp->vt_pdev;
	unsigned pos, n;
	struct vtpci_cap c;

	if (!(virtio_pci_cfg_read16(pdev, VTPCI_CFG_STATUS) & 0x10))
		return;
	pos = virtio_pci_cfg_read8(pdev, VTPCI_CFG_CAP_PTR) & ~3u;
	for (n = 0; n < VTPCI_CAP_WALK_MAX && pos >= 0x40 && pos < 256; n++) {
		if (virtio_pci_cfg_read8(pdev, (uint16_t)pos) == VTPCI_CAP_ID_VENDOR &&
		    vtpci_cap_read(pdev, pos, &c))
			vtpci_cap_use(tp, &c);
		pos = virtio_pci_cfg_read8(pdev, (uint16_t)(pos + 1)) & ~3u;
	}
}

static void
vtpci_modern_unmap(struct vtpci *tp)
{
	struct virtio_io_region **r[] = {&tp->vt_common, &tp->vt_notify, &tp->vt_isr,
	                                 &tp->vt_device};
	unsigned i;

	for (i = 0; i < 4; i++) {
		if (*r[i])
			virtio_pci_bar_unmap(*r[i]);
		*r[i] = NULL;
	}
}

/* ---- attach and detach -------------------------------------------------- */

static const struct virtio_transport_ops vtpci_modern_ops = {
    .vto_name = "pci-modern",
    .vto_flags = 0,
    .vto_get_status = vtpci_modern_get_status,
    .vto_set_status = vtpci_modern_set_status,
    .vto_reset = vtpci_modern_reset,
    .vto_get_features = vtpci_modern_get_features,
    .vto_set_features = vtpci_modern_set_features,
    .vto_queue_count = vtpci_modern_queue_count,
    .vto_queue_max = vtpci_modern_queue_max,
    .vto_queue_enable = vtpci_modern_queue_enable,
    .vto_notify = vtpci_modern_notify,
    .vto_config_read = vtpci_modern_config_read,
    .vto_config_write = vtpci_modern_config_write,
    .vto_config_generation = vtpci_modern_config_generation,
    .vto_read_isr = vtpci_modern_read_isr,
};

int
vtpci_modern_attach(struct vtpci *tp)
{
	unsigned nq;
	int err;

	vtpci_caps_scan(tp);
	if (!tp->vt_common || !tp->vt_notify || !tp->vt_isr) {
		vtpci_modern_unmap(tp);
		return VIRTIO_ENODEV;
	}
	nq = virtio_io_read16(tp->vt_common, VTPCI_COMMON_NUMQ);
	if (nq > VTPCI_MAX_QUEUES) {
		virtio_log(VIRTIO_LOG_WARN, "virtio-pci: %u queues, using %u", nq,
		           VTPCI_MAX_QUEUES);
		nq = VTPCI_MAX_QUEUES;
	}
	err = vtpci_intr_setup(tp, nq);
	if (err) {
		vtpci_modern_unmap(tp);
		return err;
	}
	tp->vt_legacy = false;
	tp->vt_vdev.vd_ops = &vtpci_modern_ops;
	return VIRTIO_OK;
}

void
vtpci_modern_detach(struct vtpci *tp)
{
	vtpci_intr_teardown(tp);
	vtpci_modern_unmap(tp);
}
