// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `virtio` monitor command: every virtio device with its transport,
 * PCI location, interrupt mode, negotiated features by name and its queues
 * (size, ring kind, counters).
 */
#include "drivers/virtio_pci_attach.h"

#include "debug/monitor.h"
#include "kern/printf.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"
#include "virtio/vtpci.h"

static const char *
virtio_mon_kind(uint32_t id)
{
	switch (id) {
	case VIRTIO_ID_NET:
		return "net";
	case VIRTIO_ID_BLOCK:
		return "blk";
	case VIRTIO_ID_CONSOLE:
		return "console";
	case VIRTIO_ID_RNG:
		return "rng";
	case VIRTIO_ID_BALLOON:
		return "balloon";
	case VIRTIO_ID_SCSI:
		return "scsi";
	default:
		return "other";
	}
}

static void
virtio_mon_pci(struct virtio_device *dev)
{
	struct vtpci *tp = vtpci_of(dev);
	struct pci_dev *pd = tp->vt_pdev->vp_pci;

	kprintf("  pci %02x:%02x.%x %04x:%04x, %s", pd->pd_bus, pd->pd_slot, pd->pd_func,
	        pd->pd_vendor, pd->pd_device, tp->vt_nvec ? "MSI-X" : "INTx");
	if (tp->vt_nvec)
		kprintf(" %u vectors%s, %lu config interrupts\n", tp->vt_nvec,
		        tp->vt_vec_shared ? " (queues share one)" : "", tp->vt_config_irqs);
	else
		kprintf(", %lu interrupts (%lu not ours)\n", tp->vt_intx, tp->vt_intx_spurious);
}

/* The indices and event fields: what to look at when a queue goes quiet. */
static void
virtio_mon_ring(const struct vq *vq)
{
	struct vq_ring_state rs;

	vq_ring_state_get(vq, &rs);
	kprintf("    avail %u used %u last_used %u used_event %u avail_event %u "
	        "flags %#x/%#x in flight %u unkicked %u callbacks %s%s\n",
	        rs.vrs_avail_idx, rs.vrs_used_idx, rs.vrs_last_used, rs.vrs_used_event,
	        rs.vrs_avail_event, rs.vrs_avail_flags, rs.vrs_used_flags, rs.vrs_inflight,
	        rs.vrs_num_added, rs.vrs_cb_off ? "off" : "on",
	        rs.vrs_event_triggered ? ", event passed" : "");
}

static void
virtio_mon_queues(struct virtio_device *dev)
{
	for (unsigned i = 0; i < dev->vd_nvqs; i++) {
		struct vq *vq = dev->vd_vqs[i];
		struct vq_stats st;
		if (!vq)
			continue;
		vq_stats_get(vq, &st);
		kprintf("  queue %u %s: size %u %s%s%s%s: added %lu kicks %lu interrupts %lu "
		        "completions %lu\n",
		        i, vq_name(vq), vq_size(vq), vq_is_packed(vq) ? "packed" : "split",
		        vq_has_indirect(vq) ? " indirect" : "",
		        vq_has_event_idx(vq) ? " event-idx" : "", vq_is_broken(vq) ? " BROKEN" : "",
		        st.vqs_added, st.vqs_kicks, st.vqs_interrupts, st.vqs_completions);
		virtio_mon_ring(vq);
	}
}

static kern_return_t
cmd_virtio(int argc, char **argv)
{
	char feat[400];
	unsigned n = 0;

	if (argc != 1)
		return monitor_error(KERN_INVALID_ARGUMENT, "usage: virtio");
	for (struct virtio_device *dev = virtio_device_next(NULL); dev;
	     dev = virtio_device_next(dev), n++) {
		kprintf("%s: %s (id %u), transport %s, driver %s, status %#x%s\n", dev->vd_name,
		        virtio_mon_kind(dev->vd_id), dev->vd_id, dev->vd_ops->vto_name,
		        dev->vd_driver ? dev->vd_driver->vdrv_name : "none", dev->vd_status,
		        dev->vd_broken ? " BROKEN" : "");
		if (dev->vd_ops->vto_name[0] == 'p')
			virtio_mon_pci(dev);
		virtio_features_format(dev, dev->vd_features, feat, sizeof(feat));
		kprintf("  features: %s\n", feat);
		virtio_mon_queues(dev);
	}
	if (n == 0)
		kprintf("no virtio devices\n");
	return KERN_SUCCESS;
}
MONITOR_COMMAND("virtio", "", "virtio devices: transport, features, queues and counters",
                cmd_virtio);
