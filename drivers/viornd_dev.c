// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/viornd_dev.c: the `random` device of the Mach device interface
 * (docs/devices.md): device_read and device_read_inband give bytes from
 * the kernel's entropy source (drivers/viornd_glue.h, virtio-rng). It
 * exists while a healthy virtio-rng device does; it has no records (the
 * record number is ignored), no writes and no status.
 */
#include "device/dev.h"
#include "device/dev_name.h"
#include "drivers/virtio_errno.h"
#include "drivers/viornd_glue.h"
#include "kern/initcall.h"

/* The most one device_read gives: more is a short read, as at a disk's end. */
#define RANDOM_READ_MAX (64 * 1024)
/* How long a read waits for the host's first byte. */
#define RANDOM_TIMEOUT_MS 5000

static io_return_t
fill(void *arg, void *buf, uint32_t len)
{
	long n = rng_read(buf, len, RANDOM_TIMEOUT_MS);

	(void)arg;
	return n < 0 ? virtio_to_io_return((int)n) : D_SUCCESS;
}

/* Fresh pages, filled straight from the device: no bounce buffer. */
static io_return_t
random_read(struct device *d, recnum_t recnum, uint32_t bytes, struct vm_copy **data,
            uint32_t *count)
{
	io_return_t err;

	(void)d;
	(void)recnum;
	if (bytes > RANDOM_READ_MAX)
		bytes = RANDOM_READ_MAX;
	err = dev_copy_fill(bytes, fill, NULL, data);
	*count = err == D_SUCCESS ? bytes : 0;
	return err;
}

static io_return_t
random_read_inband(struct device *d, recnum_t recnum, uint32_t bytes, char *buf, uint32_t *count)
{
	io_return_t err = fill(NULL, buf, bytes);

	(void)d;
	(void)recnum;
	*count = err == D_SUCCESS ? bytes : 0;
	return err;
}

/* The device exists only while a healthy virtio-rng does. */
static io_return_t
random_open(void *obj, dev_mode_t mode)
{
	(void)obj;
	(void)mode;
	return rng_device_name() && !rng_health() ? D_SUCCESS : D_NO_SUCH_DEVICE;
}

static const struct dev_ops random_dev_ops = {
    .do_kind = "random",
    .do_open = random_open,
    .do_read = random_read,
    .do_read_inband = random_read_inband,
};

static char random_object; /* one device: its identity for the open-device table */

static void
viornd_dev_init(void)
{
	dev_name_register_fixed("random", &random_dev_ops, &random_object);
}
INITCALL(INIT_BUS, "viornd_dev", viornd_dev_init);
