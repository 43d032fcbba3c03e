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
#include "virtio/vq_impl.h"

#define VIRTIO_MAX_QUEUES 256  /* queues beyond this are ignored */
#define VIRTIO_CONFIG_TRIES 16 /* generation retries before giving up */
#define VIRTIO_CONFIG_MAX 256  /* bytes per virtio_config_read */

/*
 * §2.2: bits 24..40 and 43 extend the queues and negotiation (41 is
 * ADMIN_VQ in §6), 44..49 are reserved: only the core may accept those.
 * 0..23, 42 and 50..63 belong to the device type.
 */
#define VIRTIO_BITS(lo, hi) ((VIRTIO_BIT((hi) + 1) - 1) & ~(VIRTIO_BIT(lo) - 1))
#define VIRTIO_TRANSPORT_BITS (VIRTIO_BITS(24, 41) | VIRTIO_BITS(43, 49))

static struct virtio_driver *virtio_drivers;
static struct virtio_device *virtio_devices;
static unsigned virtio_units;

const struct virtio_feature_name virtio_transport_feature_names[] = {
    {VIRTIO_F_NOTIFY_ON_EMPTY, "NOTIFY_ON_EMPTY"},
    {VIRTIO_F_ANY_LAYOUT, "ANY_LAYOUT"},
    {VIRTIO_F_RING_INDIRECT_DESC, "RING_INDIRECT_DESC"},
    {VIRTIO_F_RING_EVENT_IDX, "RING_EVENT_IDX"},
    {VIRTIO_F_VERSION_1, "VERSION_1"},
    {VIRTIO_F_ACCESS_PLATFORM, "ACCESS_PLATFORM"},
    {VIRTIO_F_RING_PACKED, "RING_PACKED"},
    {VIRTIO_F_IN_ORDER, "IN_ORDER"},
    {VIRTIO_F_ORDER_PLATFORM, "ORDER_PLATFORM"},
    {VIRTIO_F_SR_IOV, "SR_IOV"},
    {VIRTIO_F_NOTIFICATION_DATA, "NOTIFICATION_DATA"},
    {VIRTIO_F_NOTIF_CONFIG_DATA, "NOTIF_CONFIG_DATA"},
    {VIRTIO_F_RING_RESET, "RING_RESET"},
    {VIRTIO_F_ADMIN_VQ, "ADMIN_VQ"},
    {VIRTIO_F_SUSPEND, "SUSPEND"},
    {0, NULL},
};

const char *
virtio_strerror(int err)
{
	static const char *const names[] = {
	    "OK",     "EIO",     "ENOSPC", "EAGAIN", "EBADDEV", "EINVAL",
	    "ENOMEM", "EUNSUPP", "EROFS",  "ENODEV", "EBUSY",   "ETIMEDOUT",
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

/* Stop every queue: the device has forgotten them or cannot be trusted. */
static void
virtio_queues_kill(struct virtio_device *dev)
{
	unsigned i;

	for (i = 0; i < dev->vd_nvqs; i++)
		if (dev->vd_vqs[i])
			dev->vd_vqs[i]->vq_broken = true;
}

static void
virtio_queues_destroy(struct virtio_device *dev)
{
	unsigned i;

	for (i = 0; i < dev->vd_nvqs; i++)
		if (dev->vd_vqs[i])
			vq_destroy(dev->vd_vqs[i]);
}

int
virtio_device_reset(struct virtio_device *dev)
{
	int err = dev->vd_ops->vto_reset(dev);

	dev->vd_status = 0;
	dev->vd_ready = false;
	virtio_queues_kill(dev);
	if (err)
		virtio_log(VIRTIO_LOG_ERR, "%s: reset: %s", dev->vd_name, virtio_strerror(err));
	return err;
}

bool
virtio_device_break(struct virtio_device *dev, const char *reason)
{
	if (dev->vd_broken)
		return false;
	dev->vd_broken = true;
	if (reason)
		virtio_log(VIRTIO_LOG_ERR, "%s: device broken: %s", dev->vd_name, reason);
	virtio_queues_kill(dev);
	virtio_status_add(dev, VIRTIO_STATUS_FAILED);
	if (dev->vd_driver && dev->vd_driver->vdrv_broken)
		dev->vd_driver->vdrv_broken(dev);
	return true;
}

void
virtio_device_ready(struct virtio_device *dev)
{
	if (dev->vd_ready || dev->vd_broken)
		return;
	dev->vd_ready = true;
	virtio_status_add(dev, VIRTIO_STATUS_DRIVER_OK);
}

/* The features to accept: offered & wanted & what the core can do. */
static uint64_t
virtio_features_pick(struct virtio_device *dev, uint64_t want)
{
	uint64_t core =
	    VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX);
	uint64_t f;

	if (!virtio_is_legacy(dev)) {
		core |= VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_PACKED);
		core |= virtio_platform_features() & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
	}
	f = dev->vd_offered & want & (~VIRTIO_TRANSPORT_BITS | core);
	if (virtio_is_legacy(dev))
		f &= 0xffffffffull;
	if ((dev->vd_offered & ~f) & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM))
		virtio_log(VIRTIO_LOG_WARN,
		           "%s: ACCESS_PLATFORM offered, not "
		           "supported here: refused",
		           dev->vd_name);
	return f;
}

/* §3.1.1 steps 4-6: negotiate, FEATURES_OK, re-read it. */
static int
virtio_features_negotiate(struct virtio_device *dev, uint64_t want)
{
	dev->vd_offered = dev->vd_ops->vto_get_features(dev);
	dev->vd_features = virtio_features_pick(dev, want);
	if (!virtio_is_legacy(dev) && !virtio_has_feature(dev, VIRTIO_F_VERSION_1)) {
		virtio_log(VIRTIO_LOG_ERR,
		           "%s: no VERSION_1 on a modern "
		           "transport",
		           dev->vd_name);
		return VIRTIO_EUNSUPP;
	}
	dev->vd_ops->vto_set_features(dev, dev->vd_features);
	if (virtio_is_legacy(dev))
		return VIRTIO_OK; /* §3.1.2: no FEATURES_OK */
	virtio_status_add(dev, VIRTIO_STATUS_FEATURES_OK);
	if (!(dev->vd_ops->vto_get_status(dev) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_log(VIRTIO_LOG_ERR,
		           "%s: device refused FEATURES_OK "
		           "(features %llx)",
		           dev->vd_name, (unsigned long long)dev->vd_features);
		return VIRTIO_EUNSUPP;
	}
	return VIRTIO_OK;
}

/* §3.1.1 steps 1-2: reset, ACKNOWLEDGE. */
static int
virtio_device_start(struct virtio_device *dev)
{
	int err = virtio_device_reset(dev);

	if (err)
		return err;
	virtio_status_add(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	return VIRTIO_OK;
}

/* Give up on binding: stop DMA, free what the probe left, set FAILED. */
static void
virtio_bind_fail(struct virtio_device *dev, bool queues)
{
	if (queues) {
		virtio_device_reset(dev);
		virtio_queues_destroy(dev);
		virtio_status_add(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	}
	dev->vd_driver = NULL;
	dev->vd_priv = NULL;
	virtio_status_add(dev, VIRTIO_STATUS_FAILED);
}

/* §3.1.1 steps 3-8 for drv: DRIVER, features, probe, DRIVER_OK. */
static int
virtio_device_bind(struct virtio_device *dev, struct virtio_driver *drv)
{
	int err;

	virtio_status_add(dev, VIRTIO_STATUS_DRIVER);
	err = virtio_features_negotiate(dev, drv->vdrv_features);
	if (err) {
		virtio_bind_fail(dev, false);
		return err;
	}
	dev->vd_driver = drv;
	err = drv->vdrv_probe(dev);
	if (err == VIRTIO_OK && dev->vd_broken) {
		/*
		 * The probe succeeded, then the device broke: the driver holds
		 * state (a registered disk, buffers) that only its remove undoes.
		 * Reset first so the device stops writing into those buffers.
		 */
		virtio_device_reset(dev);
		drv->vdrv_remove(dev);
		err = VIRTIO_EBADDEV;
	}
	if (err) {
		virtio_log(VIRTIO_LOG_ERR, "%s: %s probe failed: %s", dev->vd_name, drv->vdrv_name,
		           virtio_strerror(err));
		virtio_bind_fail(dev, true);
		return err;
	}
	virtio_device_ready(dev);
	return VIRTIO_OK;
}

static struct virtio_driver *
virtio_driver_find(uint32_t id)
{
	struct virtio_driver *drv;

	for (drv = virtio_drivers; drv; drv = drv->vdrv_next)
		if (drv->vdrv_device_id == id)
			return drv;
	return NULL;
}

int
virtio_driver_register(struct virtio_driver *drv)
{
	struct virtio_device *dev;
	int err = VIRTIO_OK, e;

	if (!drv || !drv->vdrv_probe || !drv->vdrv_remove)
		return VIRTIO_EINVAL;
	if (virtio_driver_find(drv->vdrv_device_id))
		return VIRTIO_EBUSY;
	drv->vdrv_next = virtio_drivers;
	virtio_drivers = drv;
	for (dev = virtio_devices; dev; dev = dev->vd_next) {
		if (dev->vd_driver || dev->vd_id != drv->vdrv_device_id || dev->vd_broken)
			continue;
		e = virtio_device_start(dev);
		if (e == VIRTIO_OK)
			e = virtio_device_bind(dev, drv);
		if (e && err == VIRTIO_OK)
			err = e;
	}
	return err;
}

/* Unbind: reset first so the driver's remove can reclaim its buffers. */
static int
virtio_device_unbind(struct virtio_device *dev)
{
	const struct virtio_driver *drv = dev->vd_driver;
	int err = virtio_device_reset(dev);

	if (drv) {
		drv->vdrv_remove(dev);
		dev->vd_driver = NULL;
		dev->vd_priv = NULL;
	}
	virtio_queues_destroy(dev);
	return err;
}

void
virtio_driver_unregister(struct virtio_driver *drv)
{
	struct virtio_driver **pp;
	struct virtio_device *dev;

	for (dev = virtio_devices; dev; dev = dev->vd_next)
		if (dev->vd_driver == drv)
			virtio_device_unbind(dev);
	for (pp = &virtio_drivers; *pp; pp = &(*pp)->vdrv_next) {
		if (*pp == drv) {
			*pp = drv->vdrv_next;
			break;
		}
	}
}

static void
virtio_device_name(struct virtio_device *dev, unsigned unit)
{
	char tmp[8];
	unsigned i = 0, j = 0;
	static const char prefix[] = "virtio";

	do {
		tmp[i++] = (char)('0' + unit % 10);
		unit /= 10;
	} while (unit && i < sizeof(tmp));
	for (j = 0; prefix[j]; j++)
		dev->vd_name[j] = prefix[j];
	while (i)
		dev->vd_name[j++] = tmp[--i];
	dev->vd_name[j] = '\0';
}

int
virtio_device_add(struct virtio_device *dev)
{
	struct virtio_driver *drv;
	unsigned n;
	int err;

	if (!dev || !dev->vd_ops)
		return VIRTIO_EINVAL;
	dev->vd_unit = virtio_units++;
	virtio_device_name(dev, dev->vd_unit);
	dev->vd_broken = false;
	dev->vd_driver = NULL;
	dev->vd_vqs = NULL;
	dev->vd_nvqs = 0;
	n = dev->vd_ops->vto_queue_count(dev);
	if (n > VIRTIO_MAX_QUEUES) {
		virtio_log(VIRTIO_LOG_WARN, "%s: %u queues, using %u", dev->vd_name, n,
		           VIRTIO_MAX_QUEUES);
		n = VIRTIO_MAX_QUEUES;
	}
	if (n) {
		dev->vd_vqs = virtio_mem_alloc(n * sizeof(struct vq *));
		if (!dev->vd_vqs)
			return VIRTIO_ENOMEM;
	}
	dev->vd_nvqs = n;
	dev->vd_next = virtio_devices;
	virtio_devices = dev;
	err = virtio_device_start(dev);
	if (err)
		return err;
	drv = virtio_driver_find(dev->vd_id);
	return drv ? virtio_device_bind(dev, drv) : VIRTIO_OK;
}

void
virtio_device_remove(struct virtio_device *dev)
{
	struct virtio_device **pp;

	virtio_device_unbind(dev);
	for (pp = &virtio_devices; *pp; pp = &(*pp)->vd_next) {
		if (*pp == dev) {
			*pp = dev->vd_next;
			break;
		}
	}
	if (dev->vd_vqs)
		virtio_mem_free(dev->vd_vqs, dev->vd_nvqs * sizeof(struct vq *));
	dev->vd_vqs = NULL;
	dev->vd_nvqs = 0;
}

struct virtio_device *
virtio_device_next(struct virtio_device *prev)
{
	return prev ? prev->vd_next : virtio_devices;
}

int
virtio_device_restart(struct virtio_device *dev)
{
	struct virtio_driver *drv = (struct virtio_driver *)dev->vd_driver;
	int err;

	err = virtio_device_unbind(dev);
	if (err)
		return err;
	dev->vd_broken = false;
	virtio_status_add(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	if (!drv)
		drv = virtio_driver_find(dev->vd_id);
	return drv ? virtio_device_bind(dev, drv) : VIRTIO_OK;
}

/* Natural access width at off for up to rest bytes (§4.1.3.1). */
static unsigned
virtio_config_width(uint32_t off, size_t rest)
{
	if (rest >= 4 && (off & 3) == 0)
		return 4;
	if (rest >= 2 && (off & 1) == 0)
		return 2;
	return 1;
}

static void
virtio_config_copy(struct virtio_device *dev, uint32_t off, uint8_t *buf, size_t len)
{
	size_t i = 0;
	unsigned w, k;
	uint32_t v;

	while (i < len) {
		w = virtio_config_width(off + (uint32_t)i, len - i);
		v = dev->vd_ops->vto_config_read(dev, off + (uint32_t)i, w);
		for (k = 0; k < w; k++)
			buf[i + k] = (uint8_t)(v >> (8 * k));
		i += w;
	}
}

/* One consistent snapshot: true if it held still while read. */
static bool
virtio_config_try(struct virtio_device *dev, uint32_t off, uint8_t *buf, size_t len)
{
	uint8_t again[VIRTIO_CONFIG_MAX];
	uint32_t g0, g1;
	size_t i;

	if (dev->vd_ops->vto_config_generation) {
		g0 = dev->vd_ops->vto_config_generation(dev);
		virtio_config_copy(dev, off, buf, len);
		g1 = dev->vd_ops->vto_config_generation(dev);
		return g0 == g1;
	}
	/* Legacy: no generation; two reads that agree. */
	virtio_config_copy(dev, off, buf, len);
	virtio_config_copy(dev, off, again, len);
	for (i = 0; i < len; i++)
		if (buf[i] != again[i])
			return false;
	return true;
}

int
virtio_config_read(struct virtio_device *dev, uint32_t off, void *buf, size_t len)
{
	unsigned tries;

	if (!buf || len == 0 || len > VIRTIO_CONFIG_MAX || off > dev->vd_config_len ||
	    len > dev->vd_config_len - off)
		return VIRTIO_EINVAL;
	if (dev->vd_broken)
		return VIRTIO_EBADDEV;
	for (tries = 0; tries < VIRTIO_CONFIG_TRIES; tries++)
		if (virtio_config_try(dev, off, buf, len))
			return VIRTIO_OK;
	virtio_log(VIRTIO_LOG_ERR,
	           "%s: config at %u never settled in %u "
	           "reads",
	           dev->vd_name, off, VIRTIO_CONFIG_TRIES);
	virtio_device_break(dev, NULL);
	return VIRTIO_EBADDEV;
}

int
virtio_config_read8(struct virtio_device *dev, uint32_t off, uint8_t *val)
{
	return virtio_config_read(dev, off, val, 1);
}

int
virtio_config_read16(struct virtio_device *dev, uint32_t off, uint16_t *val)
{
	uint8_t b[2];
	int err = virtio_config_read(dev, off, b, 2);

	if (err == VIRTIO_OK)
		*val = (uint16_t)(b[0] | b[1] << 8);
	return err;
}

int
virtio_config_read32(struct virtio_device *dev, uint32_t off, uint32_t *val)
{
	uint8_t b[4];
	int err = virtio_config_read(dev, off, b, 4);

	if (err == VIRTIO_OK)
		*val = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[3] << 24;
	return err;
}

int
virtio_config_read64(struct virtio_device *dev, uint32_t off, uint64_t *val)
{
	uint8_t b[8];
	int err = virtio_config_read(dev, off, b, 8);
	unsigned i;

	if (err == VIRTIO_OK)
		for (*val = 0, i = 0; i < 8; i++)
			*val |= (uint64_t)b[i] << (8 * i);
	return err;
}

int
virtio_config_write(struct virtio_device *dev, uint32_t off, unsigned width, uint32_t val)
{
	if ((width != 1 && width != 2 && width != 4) || off > dev->vd_config_len ||
	    width > dev->vd_config_len - off)
		return VIRTIO_EINVAL;
	if (dev->vd_broken)
		return VIRTIO_EBADDEV;
	dev->vd_ops->vto_config_write(dev, off, width, val);
	return VIRTIO_OK;
}

void
virtio_device_config_intr(struct virtio_device *dev)
{
	uint8_t status = dev->vd_ops->vto_get_status(dev);

	if (status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		virtio_device_break(dev, "device needs reset");
		return;
	}
	if (dev->vd_driver && dev->vd_driver->vdrv_config_changed && !dev->vd_broken)
		dev->vd_driver->vdrv_config_changed(dev);
}

void
virtio_device_queue_intr(struct virtio_device *dev, unsigned idx)
{
	if (idx < dev->vd_nvqs && dev->vd_vqs[idx])
		vq_intr(dev->vd_vqs[idx]);
}

bool
virtio_device_intr(struct virtio_device *dev)
{
	uint8_t isr = dev->vd_ops->vto_read_isr(dev);
	unsigned i;

	if (isr == 0)
		return false;
	if (isr & 2)
		virtio_device_config_intr(dev);
	if (isr & 1)
		for (i = 0; i < dev->vd_nvqs; i++)
			virtio_device_queue_intr(dev, i);
	return true;
}

static const char *
virtio_name_lookup(const struct virtio_feature_name *t, unsigned bit)
{
	for (; t && t->vfn_name; t++)
		if (t->vfn_bit == bit)
			return t->vfn_name;
	return NULL;
}

const char *
virtio_feature_name(const struct virtio_device *dev, unsigned bit)
{
	if (bit >= 64)
		return NULL;
	if (VIRTIO_TRANSPORT_BITS & VIRTIO_BIT(bit))
		return virtio_name_lookup(virtio_transport_feature_names, bit);
	if (dev && dev->vd_driver)
		return virtio_name_lookup(dev->vd_driver->vdrv_feature_names, bit);
	return NULL;
}

/* Append s to buf[*pos..len-1], keeping it NUL-terminated. */
static void
virtio_str_append(char *buf, size_t len, size_t *pos, const char *s)
{
	while (*s && *pos + 1 < len)
		buf[(*pos)++] = *s++;
	buf[*pos] = '\0';
}

size_t
virtio_features_format(const struct virtio_device *dev, uint64_t features, char *buf, size_t len)
{
	char num[8] = "bit";
	const char *name;
	size_t pos = 0;
	unsigned bit;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		if (!(features & VIRTIO_BIT(bit)))
			continue;
		name = virtio_feature_name(dev, bit);
		if (!name) {
			num[3] = (char)(bit >= 10 ? '0' + bit / 10 : '0' + bit);
			num[4] = (char)(bit >= 10 ? '0' + bit % 10 : '\0');
			num[5] = '\0';
			name = num;
		}
		if (pos)
			virtio_str_append(buf, len, &pos, " ");
		virtio_str_append(buf, len, &pos, name);
	}
	return pos;
}
