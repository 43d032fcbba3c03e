// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/host/test_vtpci.c: the virtio PCI transports against a fake PCI
 * function (platform_host.h's struct virtio_pci_dev: config space bytes
 * and BAR regions backed by a register array here). Checks device
 * identification (spec 4.1.2), the capability walk with lying lists,
 * modern vs legacy choice, MSI-X vs INTx, legacy config offsets, and the
 * notify-offset check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/platform_host.h"
#include "virtio/vtpci.h"

/* A BAR: plain registers, with the few side effects the tests need. */
struct fake_bar {
	uint8_t fb_reg[0x4000];
	struct virtio_io_region fb_region;
	uint16_t fb_notify_off; /* queue_notify_off to report */
	bool fb_refuse_vector;
};

static uint64_t
fb_read(void *arg, size_t off, unsigned w)
{
	struct fake_bar *fb = arg;
	uint64_t v = 0;

	if (off == VTPCI_COMMON_Q_NOFF && w == 2)
		return fb->fb_notify_off;
	for (unsigned i = 0; i < w; i++)
		v |= (uint64_t)fb->fb_reg[off + i] << (8 * i);
	return v;
}

static void
fb_write(void *arg, size_t off, unsigned w, uint64_t v)
{
	struct fake_bar *fb = arg;

	if (fb->fb_refuse_vector && w == 2 &&
	    (off == VTPCI_COMMON_Q_MSIX || off == VTPCI_COMMON_MSIX))
		v = VTPCI_NO_VECTOR;
	for (unsigned i = 0; i < w; i++)
		fb->fb_reg[off + i] = (uint8_t)(v >> (8 * i));
}

static struct fake_bar *
fb_new(struct virtio_pci_dev *p, unsigned bar, uint64_t len)
{
	struct fake_bar *fb = calloc(1, sizeof(*fb));

	fb->fb_region = (struct virtio_io_region){fb_read, fb_write, fb, len, 0};
	p->hp_bar[bar] = &fb->fb_region;
	p->hp_bar_len[bar] = len;
	return fb;
}

static void
cfg16(struct virtio_pci_dev *p, unsigned off, uint16_t v)
{
	p->hp_cfg[off] = (uint8_t)v;
	p->hp_cfg[off + 1] = (uint8_t)(v >> 8);
}

static void
cfg32(struct virtio_pci_dev *p, unsigned off, uint32_t v)
{
	cfg16(p, off, (uint16_t)v);
	cfg16(p, off + 2, (uint16_t)(v >> 16));
}

/* A vendor capability at pos, linked to next. */
static void
cap(struct virtio_pci_dev *p, unsigned pos, unsigned next, uint8_t type, uint8_t bar, uint32_t off,
    uint32_t len)
{
	p->hp_cfg[pos] = 0x09;
	p->hp_cfg[pos + 1] = (uint8_t)next;
	p->hp_cfg[pos + 2] = type == VTPCI_CAP_NOTIFY ? 20 : 16;
	p->hp_cfg[pos + 3] = type;
	p->hp_cfg[pos + 4] = bar;
	cfg32(p, pos + 8, off);
	cfg32(p, pos + 12, len);
	if (type == VTPCI_CAP_NOTIFY)
		cfg32(p, pos + 16, 4);
}

static struct virtio_pci_dev *
pdev_new(uint16_t device, uint16_t subsys)
{
	struct virtio_pci_dev *p = calloc(1, sizeof(*p));

	cfg16(p, VTPCI_CFG_VENDOR, VTPCI_VENDOR);
	cfg16(p, VTPCI_CFG_DEVICE, device);
	cfg16(p, VTPCI_CFG_SUBSYS_ID, subsys);
	return p;
}

/* The four modern capabilities in BAR 4, one queue. */
static struct fake_bar *
modern_caps(struct virtio_pci_dev *p)
{
	struct fake_bar *fb = fb_new(p, 4, 0x4000);

	cfg16(p, VTPCI_CFG_STATUS, 0x10);
	p->hp_cfg[VTPCI_CFG_CAP_PTR] = 0x40;
	cap(p, 0x40, 0x50, VTPCI_CAP_COMMON, 4, 0, 56);
	cap(p, 0x50, 0x68, VTPCI_CAP_NOTIFY, 4, 0x3000, 0x100);
	cap(p, 0x68, 0x78, VTPCI_CAP_ISR, 4, 0x1000, 1);
	cap(p, 0x78, 0, VTPCI_CAP_DEVICE, 4, 0x2000, 60);
	fb->fb_reg[VTPCI_COMMON_NUMQ] = 1;
	return fb;
}

static void
pdev_free(struct virtio_pci_dev *p, struct vtpci *tp)
{
	vtpci_detach(tp);
	for (unsigned i = 0; i < 6; i++)
		if (p->hp_bar[i])
			free(p->hp_bar[i]->ior_arg);
	free(p);
}

static void
test_device_id(void **state)
{
	struct virtio_pci_dev *p = pdev_new(0x1042, 0);

	assert_int_equal(vtpci_device_id(p), 2);
	cfg16(p, VTPCI_CFG_DEVICE, 0x1001);
	cfg16(p, VTPCI_CFG_SUBSYS_ID, 2);
	assert_int_equal(vtpci_device_id(p), 2);
	cfg16(p, VTPCI_CFG_DEVICE, 0x1000);
	cfg16(p, VTPCI_CFG_SUBSYS_ID, 1);
	assert_int_equal(vtpci_device_id(p), 1);
	cfg16(p, VTPCI_CFG_DEVICE, 0x1080);
	assert_int_equal(vtpci_device_id(p), 0);
	cfg16(p, VTPCI_CFG_DEVICE, 0x1041);
	cfg16(p, VTPCI_CFG_VENDOR, 0x8086);
	assert_int_equal(vtpci_device_id(p), 0);
	free(p);
}

static void
test_modern_msix(void **state)
{
	struct virtio_pci_dev *p = pdev_new(0x1042, 0);
	struct fake_bar *fb = modern_caps(p);
	struct virtio_queue_info qi = {128, false, 0x10000, 0x20000, 0x30000};
	struct vtpci tp;

	p->hp_msix = 8;
	fb->fb_reg[VTPCI_COMMON_Q_SIZE] = 0;
	fb->fb_reg[VTPCI_COMMON_Q_SIZE + 1] = 1; /* 256 */
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_OK);
	assert_string_equal(tp.vt_vdev.vd_ops->vto_name, "pci-modern");
	assert_int_equal(tp.vt_vdev.vd_id, 2);
	assert_int_equal(tp.vt_vdev.vd_config_len, 60);
	assert_int_equal(tp.vt_nvec, 2); /* config + one queue */
	assert_int_equal(tp.vt_vdev.vd_ops->vto_queue_max(&tp.vt_vdev, 0), 256);
	fb->fb_notify_off = 3;
	assert_int_equal(tp.vt_vdev.vd_ops->vto_queue_enable(&tp.vt_vdev, 0, &qi), VIRTIO_OK);
	assert_int_equal(fb->fb_reg[VTPCI_COMMON_Q_MSIX], 1);
	assert_int_equal(fb->fb_reg[VTPCI_COMMON_Q_ENABLE], 1);
	assert_int_equal(fb->fb_reg[VTPCI_COMMON_Q_DESCLO + 2], 1);
	tp.vt_vdev.vd_ops->vto_notify(&tp.vt_vdev, 0);
	assert_int_equal(tp.vt_notify_off[0], 12); /* 3 * multiplier 4 */
	/* notify offset past the region: the queue is refused */
	fb->fb_notify_off = 0x40;
	assert_int_equal(tp.vt_vdev.vd_ops->vto_queue_enable(&tp.vt_vdev, 0, &qi), VIRTIO_EBADDEV);
	pdev_free(p, &tp);
}

static void
test_modern_intx(void **state)
{
	struct virtio_pci_dev *p = pdev_new(0x1042, 0);
	struct vtpci tp;

	modern_caps(p);
	p->hp_msix = 0;
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_OK);
	assert_int_equal(tp.vt_nvec, 0);
	assert_non_null(p->hp_fn[HOST_PCI_VECTORS]);
	assert_int_equal(vtpci_queue_vector(&tp, 0), VTPCI_NO_VECTOR);
	pdev_free(p, &tp);
}

/* A list that loops, a BAR that does not exist, a short common cap. */
static void
test_lying_caps(void **state)
{
	struct virtio_pci_dev *p = pdev_new(0x1042, 0);
	struct vtpci tp;

	modern_caps(p);
	p->hp_cfg[0x79] = 0x40; /* device cap points back to common */
	p->hp_cfg[0x44] = 7;    /* common cap in BAR 7 */
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_ENODEV);
	p->hp_cfg[0x44] = 4;
	cfg32(p, 0x40 + 12, 20); /* common cap too short */
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_ENODEV);
	cfg32(p, 0x40 + 12, 56);
	p->hp_cfg[VTPCI_CFG_CAP_PTR] = 0x20; /* into the header */
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_ENODEV);
	p->hp_cfg[VTPCI_CFG_CAP_PTR] = 0x40;
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_OK);
	pdev_free(p, &tp);
}

static void
test_legacy(void **state)
{
	struct virtio_pci_dev *p = pdev_new(0x1001, 2);
	struct fake_bar *io = fb_new(p, 0, 128);
	struct vtpci tp;

	io->fb_reg[VTPCI_LEG_QUEUE_NUM] = 128; /* every queue: 128... */
	p->hp_msix = 0;
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_OK);
	assert_string_equal(tp.vt_vdev.vd_ops->vto_name, "pci-legacy");
	assert_int_equal(tp.vt_nqueues, VTPCI_MAX_QUEUES); /* ...so capped */
	assert_int_equal(tp.vt_cfg_base, 20);
	assert_int_equal(tp.vt_vdev.vd_config_len, 108);
	io->fb_reg[20] = 0xab;
	assert_int_equal(tp.vt_vdev.vd_ops->vto_config_read(&tp.vt_vdev, 0, 1), 0xab);
	pdev_free(p, &tp);

	p = pdev_new(0x1001, 2);
	io = fb_new(p, 0, 64);
	io->fb_reg[VTPCI_LEG_QUEUE_NUM] = 128;
	modern_caps(p);
	p->hp_msix = 4;
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_AUTO, &tp), VIRTIO_OK);
	assert_string_equal(tp.vt_vdev.vd_ops->vto_name, "pci-modern");
	vtpci_detach(&tp);
	assert_int_equal(vtpci_attach(p, VTPCI_MODE_LEGACY, &tp), VIRTIO_OK);
	assert_string_equal(tp.vt_vdev.vd_ops->vto_name, "pci-legacy");
	assert_int_equal(tp.vt_cfg_base, 24); /* MSI-X enabled */
	assert_true(tp.vt_vec_shared);        /* 4 vectors, 64 queues */
	struct virtio_queue_info qi = {128, false, 0x12345000, 0, 0};
	assert_int_equal(tp.vt_vdev.vd_ops->vto_queue_enable(&tp.vt_vdev, 0, &qi), VIRTIO_OK);
	assert_int_equal(io->fb_reg[VTPCI_LEG_QUEUE_PFN], 0x45);
	qi.vqi_desc = 0x12345800; /* not 4096-aligned */
	assert_int_equal(tp.vt_vdev.vd_ops->vto_queue_enable(&tp.vt_vdev, 0, &qi), VIRTIO_EINVAL);
	pdev_free(p, &tp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_device_id),   cmocka_unit_test(test_modern_msix),
	    cmocka_unit_test(test_modern_intx), cmocka_unit_test(test_lying_caps),
	    cmocka_unit_test(test_legacy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
