// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/vtpci.c: what the two virtio PCI transports share (virtio 1.4
 * §4.1): device identification (§4.1.2), the reset wait and device config
 * accesses by width, interrupts (MSI-X with one vector for configuration
 * changes and one per queue, §4.1.5.1.2, or INTx with an ISR read,
 * §4.1.4.5), and vtpci_attach, which prefers the modern transport
 * (vtpci_modern.c) to the legacy one (vtpci_legacy.c). The two transports
 * use the helpers here and never each other.
 */
#include "virtio/vtpci.h"

#define VTPCI_RESET_POLLS 10000 /* x 10 us = 100 ms */

uint32_t
vtpci_device_id(struct virtio_pci_dev *pdev)
{
	uint16_t vendor = virtio_pci_cfg_read16(pdev, VTPCI_CFG_VENDOR);
	uint16_t device = virtio_pci_cfg_read16(pdev, VTPCI_CFG_DEVICE);

	if (vendor != VTPCI_VENDOR)
		return 0;
	if (device >= VTPCI_DEVICE_MODERN && device <= VTPCI_DEVICE_LAST)
		return device - VTPCI_DEVICE_MODERN;
	if (vtpci_is_transitional(device))
		return virtio_pci_cfg_read16(pdev, VTPCI_CFG_SUBSYS_ID);
	return 0;
}

/* ---- registers (both transports) ---------------------------------------- */

int
vtpci_reset_wait(struct virtio_io_region *r, size_t status_off)
{
	unsigned i;

	virtio_io_write8(r, status_off, 0);
	for (i = 0; virtio_io_read8(r, status_off); i++) {
		if (i == VTPCI_RESET_POLLS)
			return VIRTIO_ETIMEDOUT;
		virtio_delay_us(10);
	}
	return VIRTIO_OK;
}

uint32_t
vtpci_io_read(struct virtio_io_region *r, size_t off, unsigned width)
{
	if (width == 1)
		return virtio_io_read8(r, off);
	if (width == 2)
		return virtio_io_read16(r, off);
	return virtio_io_read32(r, off);
}

void
vtpci_io_write(struct virtio_io_region *r, size_t off, unsigned width, uint32_t val)
{
	if (width == 1)
		virtio_io_write8(r, off, (uint8_t)val);
	else if (width == 2)
		virtio_io_write16(r, off, (uint16_t)val);
	else
		virtio_io_write32(r, off, val);
}

/* ---- interrupts (both transports) --------------------------------------- */

static void
vtpci_intr_queue(void *arg)
{
	struct vtpci_vec *vv = arg;
	struct vtpci *tp = vv->vv_tp;
	unsigned i;

	if (!tp->vt_vec_shared) {
		virtio_device_queue_intr(&tp->vt_vdev, vv->vv_queue);
	} else {
		for (i = 0; i < tp->vt_nqueues; i++)
			virtio_device_queue_intr(&tp->vt_vdev, i);
	}
	virtio_pci_intr_ack(tp->vt_pdev, vv->vv_vec);
}

static void
vtpci_intr_config(void *arg)
{
	struct vtpci_vec *vv = arg;
	struct vtpci *tp = vv->vv_tp;

	tp->vt_config_irqs++;
	virtio_device_config_intr(&tp->vt_vdev);
	virtio_pci_intr_ack(tp->vt_pdev, vv->vv_vec);
}

/* INTx: the line may be shared, so the ISR read says whether it is ours. */
static void
vtpci_intr_intx(void *arg)
{
	struct vtpci *tp = arg;

	tp->vt_intx++;
	if (!virtio_device_intr(&tp->vt_vdev))
		tp->vt_intx_spurious++;
	virtio_pci_intr_ack(tp->vt_pdev, VIRTIO_PCI_INTX);
}

/* Entry 0: config; entry 1 + i: queue i (or entry 1 for all queues). */
static int
vtpci_intr_msix(struct vtpci *tp, unsigned got)
{
	unsigned i, n = got > tp->vt_nqueues + 1 ? tp->vt_nqueues + 1 : got;
	int err;

	tp->vt_nvec = n;
	tp->vt_vec_shared = n < tp->vt_nqueues + 1;
	for (i = 0; i < n; i++) {
		tp->vt_vecs[i].vv_tp = tp;
		tp->vt_vecs[i].vv_vec = i;
		tp->vt_vecs[i].vv_queue = i == 0 ? VTPCI_NO_VECTOR : i - 1;
		err = virtio_pci_intr_establish(
		    tp->vt_pdev, i, i == 0 ? vtpci_intr_config : vtpci_intr_queue, &tp->vt_vecs[i]);
		if (err)
			return err;
	}
	return VIRTIO_OK;
}

int
vtpci_intr_setup(struct vtpci *tp, unsigned nqueues)
{
	unsigned got = 0;
	int err;

	if (nqueues > VTPCI_MAX_QUEUES)
		nqueues = VTPCI_MAX_QUEUES;
	tp->vt_nqueues = nqueues;
	tp->vt_nvec = 0;
	err = virtio_pci_intr_alloc(tp->vt_pdev, nqueues + 1, &got);
	if (err == VIRTIO_OK && got >= 2 && nqueues > 0) {
		err = vtpci_intr_msix(tp, got);
		if (err == VIRTIO_OK)
			return VIRTIO_OK;
	}
	/* One vector cannot tell config from queue events: use INTx. */
	if (got)
		virtio_pci_intr_free(tp->vt_pdev);
	tp->vt_nvec = 0;
	tp->vt_vec_shared = false;
	return virtio_pci_intr_establish(tp->vt_pdev, VIRTIO_PCI_INTX, vtpci_intr_intx, tp);
}

void
vtpci_intr_teardown(struct vtpci *tp)
{
	virtio_pci_intr_free(tp->vt_pdev);
	tp->vt_nvec = 0;
}

uint16_t
vtpci_queue_vector(const struct vtpci *tp, unsigned idx)
{
	if (tp->vt_nvec == 0)
		return VTPCI_NO_VECTOR;
	if (tp->vt_vec_shared)
		return 1;
	return idx < tp->vt_nvec - 1 ? (uint16_t)(idx + 1) : VTPCI_NO_VECTOR;
}

uint16_t
vtpci_config_vector(const struct vtpci *tp)
{
	return tp->vt_nvec ? 0 : VTPCI_NO_VECTOR;
}

/* ---- choosing a transport ------------------------------------------------- */

int
vtpci_attach(struct virtio_pci_dev *pdev, enum vtpci_mode mode, struct vtpci *tp)
{
	uint32_t id = vtpci_device_id(pdev);
	int err = VIRTIO_ENODEV;
	bool trans;

	*tp = (struct vtpci){0};
	if (id == 0)
		return VIRTIO_ENODEV;
	tp->vt_pdev = pdev;
	tp->vt_pci_device = virtio_pci_cfg_read16(pdev, VTPCI_CFG_DEVICE);
	tp->vt_vdev.vd_tp = tp;
	tp->vt_vdev.vd_id = id;
	trans = vtpci_is_transitional(tp->vt_pci_device);
	if (mode == VTPCI_MODE_LEGACY && trans) {
		err = vtpci_legacy_attach(tp);
		if (err != VIRTIO_ENODEV)
			return err;
	}
	err = vtpci_modern_attach(tp);
	if (err != VIRTIO_ENODEV || mode == VTPCI_MODE_MODERN || !trans)
		return err;
	return mode == VTPCI_MODE_LEGACY ? err : vtpci_legacy_attach(tp);
}

void
vtpci_detach(struct vtpci *tp)
{
	if (tp->vt_legacy)
		vtpci_legacy_detach(tp);
	else
		vtpci_modern_detach(tp);
}
