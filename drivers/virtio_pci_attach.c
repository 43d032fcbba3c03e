// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot-time attach of virtio PCI functions: every function with vendor
 * 0x1af4 and device 0x1000-0x107f gets a struct virtio_pci_dev and a
 * transport (virtio/vtpci_*.c), then joins the virtio core, which binds
 * the registered driver for its device type. The kernel option
 * virtio_pci=legacy|modern forces a transport (default: modern when
 * offered, legacy otherwise).
 */
#include "drivers/virtio_pci_attach.h"

#include "kern/boot_phase.h"
#include "kern/cmdline.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "virtio/virtio_err.h"

static enum vtpci_mode
virtio_pci_mode(void)
{
	const char *opt = kernel_option("virtio_pci");

	if (!opt)
		return VTPCI_MODE_AUTO;
	if (!strcmp(opt, "legacy"))
		return VTPCI_MODE_LEGACY;
	if (!strcmp(opt, "modern"))
		return VTPCI_MODE_MODERN;
	log_warn("virtio_pci=%s: unknown (legacy, modern); using auto", opt);
	return VTPCI_MODE_AUTO;
}

static void
virtio_pci_attach_one(struct pci_dev *pd, enum vtpci_mode mode)
{
	struct virtio_pci_attached *a = kzalloc(sizeof(*a));
	int err;

	if (!a) {
		log_err("virtio-pci %02x:%02x.%x: no memory", pd->pd_bus, pd->pd_slot, pd->pd_func);
		return;
	}
	virtio_pci_dev_init(&a->va_pdev, pd);
	err = vtpci_attach(&a->va_pdev, mode, &a->va_tp);
	if (err) {
		log_warn("virtio-pci %02x:%02x.%x (%04x): no transport: %s", pd->pd_bus,
		         pd->pd_slot, pd->pd_func, pd->pd_device, virtio_strerror(err));
		kfree(a);
		return;
	}
	pd->pd_driver = a;
	err = virtio_device_add(&a->va_tp.vt_vdev);
	log_info("%s: pci %02x:%02x.%x id %u %s, %u queues, %s%s%s", a->va_tp.vt_vdev.vd_name,
	         pd->pd_bus, pd->pd_slot, pd->pd_func, a->va_tp.vt_vdev.vd_id,
	         a->va_tp.vt_vdev.vd_ops->vto_name, a->va_tp.vt_nqueues,
	         a->va_tp.vt_nvec ? "MSI-X" : "INTx", err ? ": " : "",
	         err ? virtio_strerror(err) : "");
}

static void
virtio_pci_attach_all(void)
{
	enum vtpci_mode mode = virtio_pci_mode();
	struct pci_dev *pd = NULL;
	char phase[BOOT_PHASE_NAME_MAX];

	/* The drivers registered at INIT_DRIVER: each device binds as it is added. */
	while ((pd = pci_find(pd, VTPCI_VENDOR, 0xffff)) != NULL) {
		if (pd->pd_device < VTPCI_DEVICE_FIRST || pd->pd_device > VTPCI_DEVICE_LAST ||
		    pd->pd_driver)
			continue;
		virtio_pci_attach_one(pd, mode);
		ksnprintf(phase, sizeof(phase), "probe %s %02x:%02x.%x", pci_describe(pd),
		          pd->pd_bus, pd->pd_slot, pd->pd_func);
		boot_probe_end(phase);
	}
}
INITCALL(INIT_ATTACH, "virtio-pci", virtio_pci_attach_all);
