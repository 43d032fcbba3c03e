/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device objects of the Mach device interface (docs/devices.md): what
 * device_open gives a port to. One object per open device, whatever its
 * kind, with one port (IKOT_DEVICE) carrying no open mode, as GNU Mach
 * has it: a second device_open of the same name returns the same port and
 * counts one more open; the last device_close, or the last send right
 * going away (no-senders: a task died holding it), closes the device and
 * destroys the port.
 *
 * Each kind (disks today; later interfaces, the console, time, random)
 * brings a struct dev_ops; an op it leaves NULL answers
 * D_INVALID_OPERATION. The routines of device.defs (device/ds_routines.c)
 * check the object and call these ops; the ops see checked arguments
 * only.
 *
 * Locking: one spinlock, "dev" (LOCK_RANK_DEVICE), guards the table of
 * open devices, every object's open count and port binding; it is never
 * held across I/O or a call into an op. An op runs on the caller's thread
 * with a reference to the object, so the object outlives it even if the
 * device is closed meanwhile.
 */
#ifndef DEVICE_DEV_H
#define DEVICE_DEV_H

#include <device/device_types.h>
#include <device/net_status.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

struct device;
struct ipc_port;
struct vm_copy;

/*
 * vmach's own device_get_status flavour, on every device: the CPU's idle
 * time so far in ns, as two ints (low 32 bits, then high), so that a
 * user-mode bench under icount can take the halted time out of a device
 * call's elapsed time (docs/devices.md, docs/bench.md "dev"). GNU Mach
 * answers D_INVALID_OPERATION to it. user/bench/dev-bench.c has its value.
 */
#define DEV_GET_VMACH_IDLE 0x766d0001
#define DEV_GET_VMACH_IDLE_COUNT 2

struct dev_ops {
	const char *do_kind; /* "disk" */
	/*
	 * Whether obj (the kind's object) may be opened with mode, checked
	 * at every device_open: D_SUCCESS or the error (D_READ_ONLY for
	 * D_WRITE on a read-only disk). NULL: any mode.
	 */
	io_return_t (*do_open)(void *obj, dev_mode_t mode);
	/* The device is closed (last close or no senders); no op runs after. NULL: nothing to do.
	 */
	void (*do_close)(struct device *d);
	/*
	 * bytes (> 0) from record recnum into a new copy (*data, consumed by
	 * the reply), *count bytes of it: D_SUCCESS (a short read at the end),
	 * D_INVALID_RECNUM, D_INVALID_SIZE, D_NO_MEMORY, the device's error.
	 */
	io_return_t (*do_read)(struct device *d, recnum_t recnum, uint32_t bytes,
	                       struct vm_copy **data, uint32_t *count);
	/* The same into buf (bytes <= IO_INBAND_MAX). */
	io_return_t (*do_read_inband)(struct device *d, recnum_t recnum, uint32_t bytes, char *buf,
	                              uint32_t *count);
	/*
	 * bytes (> 0) of data (a copy, not consumed) to record recnum;
	 * *written bytes written.
	 */
	io_return_t (*do_write)(struct device *d, recnum_t recnum, const struct vm_copy *data,
	                        uint32_t bytes, uint32_t *written);
	io_return_t (*do_write_inband)(struct device *d, recnum_t recnum, const char *buf,
	                               uint32_t bytes, uint32_t *written);
	/* status holds room for *count ints; *count set to what was written. */
	io_return_t (*do_get_status)(struct device *d, dev_flavor_t flavor, int *status,
	                             uint32_t *count);
	io_return_t (*do_set_status)(struct device *d, dev_flavor_t flavor, const int *status,
	                             uint32_t count);
	/*
	 * A send right to a memory object (a kernel pager, kern/kpager.h)
	 * for device_map, which vm_map then maps: D_SUCCESS or the error.
	 * The range asked is checked by vm_map against the object.
	 */
	io_return_t (*do_map)(struct device *d, vm_prot_t prot, struct ipc_port **pager);
	/*
	 * device_set_filter: port (a send right, the op's to keep on
	 * D_SUCCESS, the caller's on an error) gets the frames filter[0..count)
	 * takes, at priority.
	 */
	io_return_t (*do_set_filter)(struct device *d, struct ipc_port *port, int priority,
	                             const filter_t *filter, unsigned count);
};

struct device {
	char d_name[16];
	const struct dev_ops *d_ops;
	void *d_obj; /* the kind's object (a struct blk_disk *) */
	struct ipc_port *d_port;
	/* Under the "dev" lock. */
	unsigned d_refs;  /* the table's while open, and each caller's in an op */
	unsigned d_opens; /* device_open calls not yet closed */
	bool d_open;      /* in the table, its port bound to it */
	struct device *d_next;
};

/*
 * The device behind a device port, with a reference (dev_deallocate), or
 * NULL when the port is not an open device's.
 */
struct device *dev_port_to_device(struct ipc_port *port);
void dev_deallocate(struct device *d);

/* Fill len bytes at buf (a page or less): D_SUCCESS or the device's error. */
typedef io_return_t dev_fill_fn(void *arg, void *buf, uint32_t len);
/*
 * For a do_read: bytes (> 0) of fresh pages, each filled by fill straight
 * (no bounce buffer), as a copy the reply takes (*out). D_SUCCESS, or
 * D_NO_MEMORY or fill's error with nothing made.
 */
io_return_t dev_copy_fill(uint32_t bytes, dev_fill_fn *fill, void *arg, struct vm_copy **out);

/* Open devices now (leak checks: a closed device leaves none). */
unsigned dev_open_count(void);

#endif
