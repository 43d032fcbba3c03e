// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `console` device (docs/devices.md): writes go to every console as
 * the kernel's own output does; reads take the console input, which is
 * the device's, not the monitor's, from the first device_open to the last
 * device_close (or the holder's death). A read waits for the first byte,
 * then gives what has come, up to the size asked, raw: no line editing
 * and no echo (GNU Mach's tty discipline is not here: a program that
 * wants echo writes back what it reads).
 */
#include "device/dev.h"
#include "device/dev_name.h"
#include "kern/console.h"
#include "kern/initcall.h"
#include "kern/kmalloc.h"
#include "vm/vm_user.h"

/* The most one out-of-line read gives. */
#define CONSOLE_READ_MAX 4096
/* Out-of-line writes go to the console through this much at a time. */
#define CONSOLE_WRITE_CHUNK 256

static io_return_t
console_open(void *obj, dev_mode_t mode)
{
	(void)obj;
	(void)mode;
	console_input_claim(true);
	return D_SUCCESS;
}

static void
console_close(struct device *d)
{
	(void)d;
	console_input_claim(false);
}

static io_return_t
console_read_inband(struct device *d, recnum_t recnum, uint32_t bytes, char *buf, uint32_t *count)
{
	long n = console_read(buf, bytes);

	(void)d;
	(void)recnum;
	*count = n > 0 ? (uint32_t)n : 0;
	return n < 0 ? D_IO_ERROR : D_SUCCESS; /* interrupted while it waited */
}

static io_return_t
console_read_ool(struct device *d, recnum_t recnum, uint32_t bytes, struct vm_copy **data,
                 uint32_t *count)
{
	char *buf;
	long n;

	(void)d;
	(void)recnum;
	*data = NULL;
	*count = 0;
	if (bytes > CONSOLE_READ_MAX)
		bytes = CONSOLE_READ_MAX;
	if (!(buf = kmalloc(bytes)))
		return D_NO_MEMORY;
	n = console_read(buf, bytes);
	if (n > 0 && vm_copy_from_kernel(buf, (uint64_t)n, data) != KERN_SUCCESS) {
		kfree(buf);
		return D_NO_MEMORY; /* the bytes read are lost, as a full queue loses them */
	}
	kfree(buf);
	*count = n > 0 ? (uint32_t)n : 0;
	return n < 0 ? D_IO_ERROR : D_SUCCESS;
}

static io_return_t
console_write_inband(struct device *d, recnum_t recnum, const char *buf, uint32_t bytes,
                     uint32_t *written)
{
	(void)d;
	(void)recnum;
	console_write(buf, bytes);
	*written = bytes;
	return D_SUCCESS;
}

static io_return_t
console_write_ool(struct device *d, recnum_t recnum, const struct vm_copy *data, uint32_t bytes,
                  uint32_t *written)
{
	char chunk[CONSOLE_WRITE_CHUNK];
	uint32_t done = 0;

	(void)d;
	(void)recnum;
	while (done < bytes) {
		uint64_t n = vm_copy_read(
		    data, done, chunk, bytes - done < sizeof(chunk) ? bytes - done : sizeof(chunk));
		if (!n)
			break;
		console_write(chunk, n);
		done += (uint32_t)n;
	}
	*written = done;
	return D_SUCCESS;
}

static const struct dev_ops console_dev_ops = {
    .do_kind = "console",
    .do_open = console_open,
    .do_close = console_close,
    .do_read = console_read_ool,
    .do_read_inband = console_read_inband,
    .do_write = console_write_ool,
    .do_write_inband = console_write_inband,
};

static char console_object; /* one device: its identity for the open-device table */

static void
dev_console_init(void)
{
	dev_name_register_fixed("console", &console_dev_ops, &console_object);
}
INITCALL(INIT_BUS, "dev_console", dev_console_init);
