/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/virtio.h: the transport-neutral virtio core (virtio 1.4 §2.1-2.4,
 * §3.1, §6): the device object, the ops table each transport fills, the
 * driver registry, feature bits and status bits.
 *
 * Life of a device: a transport (vtpci_modern, vtpci_legacy, the test sim)
 * fills a struct virtio_device (vd_ops, vd_tp, vd_id, vd_config_len) and
 * calls virtio_device_add(). The core resets the device, sets ACKNOWLEDGE,
 * and when a driver for vd_id is registered: DRIVER, feature negotiation,
 * FEATURES_OK (re-read), the driver's probe (which reads config and creates
 * queues), then DRIVER_OK. Any failure sets FAILED.
 *
 * Locking: the registry calls (register, add, remove, restart) are made
 * from one thread at attach time. The interrupt entry points may run in
 * interrupt context; the driver serialises them with its queue use.
 */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "virtio/virtio_err.h"

#define VIRTIO_BIT(n) (1ull << (n))

/* Device status bits (§2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

/* Reserved (transport / ring) feature bit numbers (§6). */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24 /* legacy */
#define VIRTIO_F_ANY_LAYOUT 27      /* legacy */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34
#define VIRTIO_F_IN_ORDER 35
#define VIRTIO_F_ORDER_PLATFORM 36
#define VIRTIO_F_SR_IOV 37
#define VIRTIO_F_NOTIFICATION_DATA 38
#define VIRTIO_F_NOTIF_CONFIG_DATA 39
#define VIRTIO_F_RING_RESET 40
#define VIRTIO_F_ADMIN_VQ 41
#define VIRTIO_F_SUSPEND 43

/*
 * The transport bits the core implements. A driver ORs this into
 * vdrv_features (minus any it wants off, e.g. to force split rings);
 * ACCESS_PLATFORM is then kept only if virtio_platform_features() has it.
 */
#define VIRTIO_F_CORE_DEFAULT                                                                      \
	(VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) |           \
	 VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |                   \
	 VIRTIO_BIT(VIRTIO_F_RING_PACKED))

/* Device IDs (§5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_ID_BALLOON 5
#define VIRTIO_ID_SCSI 8

struct virtio_device;
struct vq;

/* Ring addresses handed to the transport (device addresses only). */
struct virtio_queue_info {
	uint16_t vqi_size;   /* entries the driver chose */
	bool vqi_packed;     /* packed ring (§2.8) or split (§2.7) */
	uint64_t vqi_desc;   /* descriptor table / descriptor ring */
	uint64_t vqi_driver; /* available ring / driver event suppression */
	uint64_t vqi_device; /* used ring / device event suppression */
};

/* vto_flags */
#define VIRTIO_TRANSPORT_LEGACY                                                                    \
	1 /* §4.1.5 legacy: no FEATURES_OK, 32                                                    \
	   * feature bits, split ring in one                                                       \
	   * 4096-aligned block, size fixed */

/*
 * The ops table between the core and a transport. Every op is mandatory
 * unless marked optional. The transport owns queue selection and interrupt
 * vectors (MSI-X: one per queue plus one for config, or INTx).
 */
struct virtio_transport_ops {
	const char *vto_name; /* "pci-modern", "pci-legacy", "sim" */
	unsigned vto_flags;
	uint8_t (*vto_get_status)(struct virtio_device *dev);
	void (*vto_set_status)(struct virtio_device *dev, uint8_t status);
	/* Write 0 and wait (bounded) until the status reads 0: VIRTIO_OK or
	 * VIRTIO_ETIMEDOUT. The device has then stopped all DMA. */
	int (*vto_reset)(struct virtio_device *dev);
	uint64_t (*vto_get_features)(struct virtio_device *dev);
	void (*vto_set_features)(struct virtio_device *dev, uint64_t features);
	unsigned (*vto_queue_count)(struct virtio_device *dev);
	/* Maximum size of queue idx as the device offers it (0: none). */
	uint16_t (*vto_queue_max)(struct virtio_device *dev, unsigned idx);
	/* Select idx, program size and addresses (and its MSI-X vector),
	 * enable. VIRTIO_OK, VIRTIO_EINVAL, VIRTIO_EBADDEV. */
	int (*vto_queue_enable)(struct virtio_device *dev, unsigned idx,
	                        const struct virtio_queue_info *qi);
	/* Optional: forget queue idx (legacy PFN 0); called after a reset. */
	void (*vto_queue_disable)(struct virtio_device *dev, unsigned idx);
	/* Available buffer notification for queue idx. */
	void (*vto_notify)(struct virtio_device *dev, unsigned idx);
	/* Device config space access at off, width 1, 2 or 4 bytes; the core
	 * has checked off + width <= vd_config_len. */
	uint32_t (*vto_config_read)(struct virtio_device *dev, uint32_t off, unsigned width);
	void (*vto_config_write)(struct virtio_device *dev, uint32_t off, unsigned width,
	                         uint32_t val);
	/* Optional (NULL on legacy): the config generation counter. */
	uint32_t (*vto_config_generation)(struct virtio_device *dev);
	/* Read (and so clear) the ISR status: bit 0 queue, bit 1 config. */
	uint8_t (*vto_read_isr)(struct virtio_device *dev);
};

/* The core object: one per virtio device. */
struct virtio_device {
	/* Filled by the transport before virtio_device_add(). */
	const struct virtio_transport_ops *vd_ops;
	void *vd_tp;            /* transport private */
	uint32_t vd_id;         /* device ID (VIRTIO_ID_*) */
	uint32_t vd_config_len; /* bytes of device config space */

	/* Owned by the core. */
	char vd_name[16];                      /* "virtio0" ... */
	uint64_t vd_offered;                   /* feature bits the device offered */
	uint64_t vd_features;                  /* negotiated feature bits */
	uint8_t vd_status;                     /* last status the core wrote */
	bool vd_broken;                        /* broke the spec; no more I/O */
	bool vd_ready;                         /* DRIVER_OK set */
	const struct virtio_driver *vd_driver; /* bound driver or NULL */
	void *vd_priv;                         /* the driver's softc */
	struct vq **vd_vqs;                    /* created queues by index */
	unsigned vd_nvqs;                      /* entries in vd_vqs */
	unsigned vd_unit;                      /* N in virtioN */
	struct virtio_device *vd_next;         /* registry list */
};

/* Name of a feature bit, for printing. */
struct virtio_feature_name {
	unsigned vfn_bit;
	const char *vfn_name;
};

/* A driver for one device ID. */
struct virtio_driver {
	const char *vdrv_name;   /* "vioblk" */
	uint32_t vdrv_device_id; /* VIRTIO_ID_* */
	uint64_t vdrv_features;  /* bits the driver can use */
	/* Device-specific bit names, ending with a NULL name; may be NULL. */
	const struct virtio_feature_name *vdrv_feature_names;
	/* After FEATURES_OK: read config, create queues, maybe
	 * virtio_device_ready(). 0 or a VIRTIO_E* code (device then FAILED). */
	int (*vdrv_probe)(struct virtio_device *dev);
	/* The device has been reset (no more DMA): reclaim in-flight tokens
	 * with vq_detach_unused(), fail them, destroy queues, free state. */
	void (*vdrv_remove)(struct virtio_device *dev);
	/* Optional: device config changed (interrupt context). */
	void (*vdrv_config_changed)(struct virtio_device *dev);
	/* Optional: the device was marked broken (interrupt context). Requests
	 * in flight will not complete; the driver may fail them after
	 * virtio_device_reset(). */
	void (*vdrv_broken)(struct virtio_device *dev);
	struct virtio_driver *vdrv_next; /* registry list */
};

/* Names of the transport bits (24..43), ending with a NULL name. */
extern const struct virtio_feature_name virtio_transport_feature_names[];

/*
 * Registry. virtio_driver_register() binds the driver to every added
 * device of its ID that has none. virtio_device_add() names the device,
 * resets it, sets ACKNOWLEDGE and binds a registered driver if there is
 * one. Both return VIRTIO_OK, or the probe's error (the device is then
 * left FAILED and unbound; it stays listed).
 */
int virtio_driver_register(struct virtio_driver *drv);
void virtio_driver_unregister(struct virtio_driver *drv);
int virtio_device_add(struct virtio_device *dev);

/* Unbind (reset, then the driver's remove, then free leftover queues) and
 * drop the device from the registry. */
void virtio_device_remove(struct virtio_device *dev);

/* Iterate: NULL gives the first device. */
struct virtio_device *virtio_device_next(struct virtio_device *prev);

/*
 * Reset the device, unbind the driver (its remove) and bind it again from
 * scratch: the way out of DEVICE_NEEDS_RESET or a broken device.
 * VIRTIO_OK or the probe's error. Not in interrupt context.
 */
int virtio_device_restart(struct virtio_device *dev);

/*
 * Reset the device (status 0, waiting for it). After this the device no
 * longer touches any buffer, so in-flight tokens can be reclaimed. Queues
 * stay allocated but dead until a restart. VIRTIO_OK or VIRTIO_ETIMEDOUT.
 */
int virtio_device_reset(struct virtio_device *dev);

/* Set DRIVER_OK (from probe, before the first kick; idempotent). */
void virtio_device_ready(struct virtio_device *dev);

static inline bool
virtio_has_feature(const struct virtio_device *dev, unsigned bit)
{
	return bit < 64 && (dev->vd_features & VIRTIO_BIT(bit)) != 0;
}

/*
 * Mark the device broken: log reason once (NULL: the caller has logged
 * it), set FAILED, break every queue, tell the driver (vdrv_broken).
 * Returns true the first time only. Interrupt context is fine.
 */
bool virtio_device_break(struct virtio_device *dev, const char *reason);

/*
 * Config space (§2.5). virtio_config_read copies len bytes at off into buf
 * inside the generation-counter retry loop (on legacy: read twice until two
 * reads agree), each field read at its natural width (1/2/4; 8 as two 4).
 * Returns VIRTIO_OK, VIRTIO_EINVAL (outside vd_config_len, len 0 or > 256),
 * VIRTIO_EBADDEV (the config never settled: device marked broken).
 */
int virtio_config_read(struct virtio_device *dev, uint32_t off, void *buf, size_t len);
int virtio_config_read8(struct virtio_device *dev, uint32_t off, uint8_t *val);
int virtio_config_read16(struct virtio_device *dev, uint32_t off, uint16_t *val);
int virtio_config_read32(struct virtio_device *dev, uint32_t off, uint32_t *val);
int virtio_config_read64(struct virtio_device *dev, uint32_t off, uint64_t *val);
/* Write one field of width 1, 2 or 4: VIRTIO_OK or VIRTIO_EINVAL. */
int virtio_config_write(struct virtio_device *dev, uint32_t off, unsigned width, uint32_t val);

/*
 * Interrupt entry points, called by the transport's handlers.
 * virtio_device_intr: INTx, reads the ISR, returns false if the interrupt
 * was not this device's (shared line). virtio_device_config_intr: MSI-X
 * config vector (checks DEVICE_NEEDS_RESET, else vdrv_config_changed).
 * virtio_device_queue_intr: MSI-X vector of queue idx (calls vq_intr).
 */
bool virtio_device_intr(struct virtio_device *dev);
void virtio_device_config_intr(struct virtio_device *dev);
void virtio_device_queue_intr(struct virtio_device *dev, unsigned idx);

/* Name of feature bit of dev (transport or its driver's table), or NULL. */
const char *virtio_feature_name(const struct virtio_device *dev, unsigned bit);

/*
 * Write the names of the bits set in features, space separated, into buf
 * (always NUL-terminated, truncated to len); unknown bits as "bitN".
 * Returns the length of the string written.
 */
size_t virtio_features_format(const struct virtio_device *dev, uint64_t features, char *buf,
                              size_t len);

#endif /* VIRTIO_VIRTIO_H */
