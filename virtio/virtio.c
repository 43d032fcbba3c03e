// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio/virtio.c: the transport-neutral core. Device initialisation
 * (virtio 1.4 §3.1.1; legacy §3.1.2), feature negotiation (§2.2, §6),
 * device status and DEVICE_NEEDS_RESET (§2.1, §2.4), config space reads in
 * the generation-counter loop (§2.5.1), config change and queue interrupt
 * dispatch, the driver registry, feature names.
 */
#include "virtio/platform.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

#define VIRTIO_MAX_QUEUES	256	/* queues beyond this are ignored */
#define VIRTIO_CONFIG_TRIES	16	/* generation retries before giving up */
#define VIRTIO_CONFIG_MAX	256	/* bytes per virtio_config_read */

/* Bits 24..41 and 50..63 are transport / reserved (§6); the rest the
 * device type's. */
#define VIRTIO_TRANSPORT_BITS	(((VIRTIO_BIT(42) - 1) & ~(VIRTIO_BIT(24) - 1)) \
	| ~(VIRTIO_BIT(50) - 1))

static struct virtio_driver *virtio_drivers;
static struct virtio_device *virtio_devices;
static unsigned virtio_units;

const struct virtio_feature_name virtio_transport_feature_names[] = {
	{ VIRTIO_F_NOTIFY_ON_EMPTY, "NOTIFY_ON_EMPTY" },
	{ VIRTIO_F_ANY_LAYOUT, "ANY_LAYOUT" },
	{ VIRTIO_F_RING_INDIRECT_DESC, "RING_INDIRECT_DESC" },
	{ VIRTIO_F_RING_EVENT_IDX, "RING_EVENT_IDX" },
	{ VIRTIO_F_VERSION_1, "VERSION_1" },
	{ VIRTIO_F_ACCESS_PLATFORM, "ACCESS_PLATFORM" },
	{ VIRTIO_F_RING_PACKED, "RING_PACKED" },
	{ VIRTIO_F_IN_ORDER, "IN_ORDER" },
	{ VIRTIO_F_ORDER_PLATFORM, "ORDER_PLATFORM" },
	{ VIRTIO_F_SR_IOV, "SR_IOV" },
	{ VIRTIO_F_NOTIFICATION_DATA, "NOTIFICATION_DATA" },
	{ VIRTIO_F_NOTIF_CONFIG_DATA, "NOTIF_CONFIG_DATA" },
	{ VIRTIO_F_RING_RESET, "RING_RESET" },
	{ VIRTIO_F_ADMIN_VQ, "ADMIN_VQ" },
	{ 0, NULL },
};

const char *
virtio_strerror(int err)
{
	static const char *const names[] = {
		"OK", "EIO", "ENOSPC", "EAGAIN", "EBADDEV", "EINVAL",
		"ENOMEM", "EUNSUPP", "EROFS", "ENODEV", "EBUSY", "ETIMEDOUT",
	};

	if (err > 0 || -err >= (int)(sizeof(names) / sizeof(names[0])))
		return "E?";
	return names[-err];
}

static bool
virtio_is_legacy(const struct virtio_device *dev)
{
	return (dev->vd_ops->vto_flags & VIRTIO_TRANSPORT_LEGACY) != 0;
}

static void
virtio_status_add(struct virtio_device *dev, uint8_t bits)
{
	dev->vd_status |= bits;
	dev->vd_ops->vto_set_status(dev, dev->vd_status);
}

int
virtio_device_reset(struct virtio_device *dev)
{
	unsigned i;
	int err;

	err = dev->vd_ops->vto_reset(dev);
	dev->vd_status = 0;
	dev->vd_ready = false;
	/* The device forgot every queue: none may be used until restart. */
	for (i = 0; i < dev->vd_nvqs; i++)
		if (dev->vd_vqs[i])
			((struct vq_stats_dummy { int x; } *)0, (void)0);
	for (i = 0; i < dev->vd_nvqs; i++)
		if (dev->vd_vqs[i])
			virtio_vq_kill(dev->vd_vqs[i]);
	if (err)
		virtio_log(VIRTIO_LOG_ERR, "%s: reset timed out", dev->vd_name);
	return err;
}
