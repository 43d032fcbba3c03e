// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The server of device.defs (docs/devices.md): the ds_ routines the MIG
 * stubs call (build/mig/kernel/device_server.c, registered with
 * kern/ipc_kobject.c at start-up), the device objects and their ports
 * (device/dev.h), and the intran, outtran and destructor of device_t.
 *
 * Built with the MIG stubs' flags (mig/mig.mk): mach_port_t and device_t
 * are kernel pointers here.
 */
#include "device/dev.h"

#include <mach/notify.h>

#include "device/dev_name.h"
#include "ipc/ipc_port.h"
#include "kern/cpu.h"
#include "kern/initcall.h"
#include "kern/ipc_host.h"
#include "kern/ipc_kobject.h"
#include "kern/kmalloc.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "mig/device_server.h"
#include "vm/vm_user.h"

static struct spinlock dev_lock = SPINLOCK_INIT("dev", LOCK_RANK_DEVICE);
static struct device *dev_table; /* open devices */
static unsigned dev_nopen;

unsigned
dev_open_count(void)
{
	return __atomic_load_n(&dev_nopen, __ATOMIC_RELAXED);
}

static void
dev_ref_locked(struct device *d)
{
	d->d_refs++;
}

void
dev_deallocate(struct device *d)
{
	unsigned long fl;
	bool last;

	if (!d)
		return;
	fl = spin_lock_irqsave(&dev_lock);
	last = --d->d_refs == 0;
	spin_unlock_irqrestore(&dev_lock, fl);
	if (last)
		kfree(d);
}

struct device *
dev_port_to_device(struct ipc_port *port)
{
	struct device *d;
	unsigned long fl;

	if (!IPC_PORT_VALID(port))
		return NULL;
	/* Under the lock that unbinds a closing device: no reference to a freed one. */
	fl = spin_lock_irqsave(&dev_lock);
	d = ipc_port_kobject(port, IKOT_DEVICE, IKOT_DEVICE);
	if (d)
		dev_ref_locked(d);
	spin_unlock_irqrestore(&dev_lock, fl);
	return d;
}

/* The open device of obj (dev_lock held), or NULL. */
static struct device *
dev_find_locked(void *obj)
{
	for (struct device *d = dev_table; d; d = d->d_next)
		if (d->d_obj == obj)
			return d;
	return NULL;
}

/*
 * Closes d for good: out of the table, its port unbound and destroyed (send
 * rights elsewhere become dead names), the kind told. Once only: a
 * no-senders notification and the last device_close may race to it.
 */
static void
dev_close_now(struct device *d)
{
	unsigned long fl = spin_lock_irqsave(&dev_lock);
	struct ipc_port *p = d->d_port;

	if (!d->d_open) {
		spin_unlock_irqrestore(&dev_lock, fl);
		return;
	}
	d->d_open = false;
	d->d_opens = 0;
	for (struct device **pp = &dev_table; *pp; pp = &(*pp)->d_next)
		if (*pp == d) {
			*pp = d->d_next;
			break;
		}
	dev_nopen--;
	ipc_port_set_kobject(p, IKOT_NONE, NULL);
	spin_unlock_irqrestore(&dev_lock, fl);
	d->d_port = NULL;
	ipc_port_destroy(p); /* the receive right: the kernel's no-senders request goes with it */
	if (d->d_ops->do_close)
		d->d_ops->do_close(d);
	dev_deallocate(d); /* the table's reference */
}

/* A new device object for obj, open once, with its port; NULL without memory. */
static struct device *
dev_new(const char *name, const struct dev_ops *ops, void *obj)
{
	struct device *d = kzalloc(sizeof(*d));
	struct ipc_port *p;

	if (!d)
		return NULL;
	if (!(p = ipc_port_alloc())) {
		kfree(d);
		return NULL;
	}
	strlcpy(d->d_name, name, sizeof(d->d_name));
	d->d_ops = ops;
	d->d_obj = obj;
	d->d_port = p;
	d->d_refs = 1; /* the table's */
	d->d_opens = 1;
	d->d_open = true;
	ipc_port_set_kobject(p, IKOT_DEVICE, d);
	/* A task that dies holding the port closes the device (dev_no_senders). */
	if (ipc_kobject_nsrequest(p) != KERN_SUCCESS) {
		ipc_port_set_kobject(p, IKOT_NONE, NULL);
		ipc_port_destroy(p);
		kfree(d);
		return NULL;
	}
	return d;
}

/* Drops a device object that never became visible. */
static void
dev_discard(struct device *d)
{
	ipc_port_set_kobject(d->d_port, IKOT_NONE, NULL);
	ipc_port_destroy(d->d_port);
	kfree(d);
}

/*
 * device_open and device_open_new: the same port for every open of a
 * device, one more open counted. The master port must be the device
 * master port (D_INVALID_OPERATION otherwise, as GNU Mach answers).
 */
static io_return_t
dev_open(ipc_port_t master, dev_mode_t mode, const char *name, struct device **out)
{
	const struct dev_ops *ops;
	struct device *d, *nd;
	unsigned long fl;
	void *obj;
	io_return_t err;

	*out = NULL;
	if (!ipc_port_is_device_master(master))
		return D_INVALID_OPERATION;
	if (!dev_name_lookup(name, &ops, &obj))
		return D_NO_SUCH_DEVICE;
	if (ops->do_open && (err = ops->do_open(obj, mode)) != D_SUCCESS)
		return err;
	for (;;) {
		fl = spin_lock_irqsave(&dev_lock);
		d = dev_find_locked(obj);
		if (d) {
			d->d_opens++;
			dev_ref_locked(d); /* the outtran's, consumed by convert_device_to_port */
			spin_unlock_irqrestore(&dev_lock, fl);
			break;
		}
		spin_unlock_irqrestore(&dev_lock, fl);
		if (!(nd = dev_new(name, ops, obj)))
			return D_NO_MEMORY;
		fl = spin_lock_irqsave(&dev_lock);
		if (dev_find_locked(obj)) { /* opened meanwhile: use that one */
			spin_unlock_irqrestore(&dev_lock, fl);
			dev_discard(nd);
			continue;
		}
		nd->d_next = dev_table;
		dev_table = nd;
		dev_nopen++;
		dev_ref_locked(nd);
		spin_unlock_irqrestore(&dev_lock, fl);
		d = nd;
		break;
	}
	*out = d;
	return D_SUCCESS;
}

kern_return_t
ds_device_open(ipc_port_t master_port, ipc_port_t reply_port, mach_msg_type_name_t reply_portPoly,
               dev_mode_t mode, const_dev_name_t name, device_t *device)
{
	(void)reply_port;
	(void)reply_portPoly;
	return dev_open(master_port, mode, name, device);
}

kern_return_t
ds_device_open_new(ipc_port_t master_port, ipc_port_t reply_port,
                   mach_msg_type_name_t reply_portPoly, dev_mode_t mode, const_dev_name_t name,
                   device_t *device)
{
	(void)reply_port;
	(void)reply_portPoly;
	return dev_open(master_port, mode, name, device);
}

kern_return_t
ds_device_close(device_t d)
{
	unsigned long fl;
	bool last;

	if (!d)
		return D_NO_SUCH_DEVICE;
	fl = spin_lock_irqsave(&dev_lock);
	last = d->d_open && --d->d_opens == 0;
	spin_unlock_irqrestore(&dev_lock, fl);
	if (last)
		dev_close_now(d);
	return D_SUCCESS;
}

/*
 * No senders on a device port: every task that held it has let it go or
 * died, so the device closes, whatever its open count (GNU Mach does the
 * same). A device_open since the notification was sent made a new send
 * right: then the request is armed again instead.
 */
static void
dev_no_senders(struct ipc_port *port, const mach_msg_header_t *msg)
{
	struct device *d;

	if (msg->msgh_id != MACH_NOTIFY_NO_SENDERS || !(d = dev_port_to_device(port)))
		return;
	if (!ipc_port_nsrequest_self(port, true))
		dev_close_now(d);
	dev_deallocate(d);
}

kern_return_t
ds_device_read(device_t d, ipc_port_t reply_port, mach_msg_type_name_t reply_portPoly,
               dev_mode_t mode, recnum_t recnum, int bytes_wanted, io_buf_ptr_t *data,
               mach_msg_type_number_t *dataCnt)
{
	struct vm_copy *c = NULL;
	uint32_t n = 0;
	io_return_t err;

	(void)reply_port;
	(void)reply_portPoly;
	(void)mode; /* as in GNU Mach: the open decided */
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_read)
		return D_INVALID_OPERATION;
	if (bytes_wanted < 0)
		return D_INVALID_SIZE;
	err = d->d_ops->do_read(d, recnum, (uint32_t)bytes_wanted, &c, &n);
	if (err != D_SUCCESS)
		return err;
	*data = (io_buf_ptr_t)c;
	*dataCnt = n;
	return D_SUCCESS;
}

kern_return_t
ds_device_read_inband(device_t d, ipc_port_t reply_port, mach_msg_type_name_t reply_portPoly,
                      dev_mode_t mode, recnum_t recnum, int bytes_wanted, io_buf_ptr_inband_t data,
                      mach_msg_type_number_t *dataCnt)
{
	uint32_t n = 0;
	io_return_t err;

	(void)reply_port;
	(void)reply_portPoly;
	(void)mode;
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_read_inband)
		return D_INVALID_OPERATION;
	if (bytes_wanted < 0)
		return D_INVALID_SIZE;
	if (bytes_wanted > IO_INBAND_MAX) /* GNU Mach caps it: 512 asked, 128 read */
		bytes_wanted = IO_INBAND_MAX;
	err = d->d_ops->do_read_inband(d, recnum, (uint32_t)bytes_wanted, data, &n);
	if (err != D_SUCCESS)
		return err;
	*dataCnt = n;
	return D_SUCCESS;
}

kern_return_t
ds_device_write(device_t d, ipc_port_t reply_port, mach_msg_type_name_t reply_portPoly,
                dev_mode_t mode, recnum_t recnum, io_buf_ptr_t data, mach_msg_type_number_t dataCnt,
                int *bytes_written)
{
	struct vm_copy *c = (struct vm_copy *)data;
	uint32_t n = 0;
	io_return_t err;

	(void)reply_port;
	(void)reply_portPoly;
	(void)mode;
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_write)
		return D_INVALID_OPERATION;
	if (dataCnt > INT32_MAX || (!c && dataCnt) || (c && c->c_size < dataCnt))
		return D_INVALID_SIZE;
	err = d->d_ops->do_write(d, recnum, c, dataCnt, &n);
	if (err != D_SUCCESS)
		return err; /* the server destroys the request, and the data with it */
	vm_copy_discard(c);
	*bytes_written = (int)n;
	return D_SUCCESS;
}

kern_return_t
ds_device_write_inband(device_t d, ipc_port_t reply_port, mach_msg_type_name_t reply_portPoly,
                       dev_mode_t mode, recnum_t recnum, const io_buf_ptr_inband_t data,
                       mach_msg_type_number_t dataCnt, int *bytes_written)
{
	uint32_t n = 0;
	io_return_t err;

	(void)reply_port;
	(void)reply_portPoly;
	(void)mode;
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_write_inband)
		return D_INVALID_OPERATION;
	if (dataCnt > IO_INBAND_MAX)
		return D_INVALID_SIZE;
	err = d->d_ops->do_write_inband(d, recnum, data, dataCnt, &n);
	if (err != D_SUCCESS)
		return err;
	*bytes_written = (int)n;
	return D_SUCCESS;
}

kern_return_t
ds_device_get_status(device_t d, dev_flavor_t flavor, dev_status_t status,
                     mach_msg_type_number_t *statusCnt)
{
	uint32_t n = *statusCnt;
	io_return_t err;

	if (!d)
		return D_NO_SUCH_DEVICE;
	if (flavor == DEV_GET_VMACH_IDLE) {
		uint64_t idle = cpu_idle_ns(cpu_self());
		if (n < DEV_GET_VMACH_IDLE_COUNT)
			return D_INVALID_SIZE;
		status[0] = (int)(uint32_t)idle;
		status[1] = (int)(uint32_t)(idle >> 32);
		*statusCnt = DEV_GET_VMACH_IDLE_COUNT;
		return D_SUCCESS;
	}
	if (!d->d_ops->do_get_status)
		return D_INVALID_OPERATION;
	if (n > DEV_STATUS_MAX)
		n = DEV_STATUS_MAX;
	err = d->d_ops->do_get_status(d, flavor, status, &n);
	if (err != D_SUCCESS)
		return err;
	*statusCnt = n;
	return D_SUCCESS;
}

kern_return_t
ds_device_set_status(device_t d, dev_flavor_t flavor, const dev_status_t status,
                     mach_msg_type_number_t statusCnt)
{
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_set_status)
		return D_INVALID_OPERATION;
	return d->d_ops->do_set_status(d, flavor, status, statusCnt);
}

/*
 * The device's memory object, for vm_map (the `time` page). GNU Mach
 * checks neither the range nor the access here: its pager refuses pages
 * later, at the fault. vmach's pagers say the most access they grant, so
 * vm_map cuts a mapping back to it, and refuses a range past the object.
 */
kern_return_t
ds_device_map(device_t d, vm_prot_t prot, vm_offset_t offset, vm_size_t size, ipc_port_t *pager,
              int unmap)
{
	(void)offset;
	(void)size;
	(void)unmap;
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_map)
		return D_INVALID_OPERATION;
	return d->d_ops->do_map(d, prot, pager);
}

/* Not in this slice (docs/devices.md): answered D_INVALID_OPERATION, as a device without them. */
/* The filter's checks are the kind's (device/net_filter.c); the right is kept on success. */
kern_return_t
ds_device_set_filter(device_t d, ipc_port_t receive_port, int priority, const filter_array_t filter,
                     mach_msg_type_number_t filterCnt)
{
	if (!d)
		return D_NO_SUCH_DEVICE;
	if (!d->d_ops->do_set_filter)
		return D_INVALID_OPERATION;
	if (!IP_VALID(receive_port))
		return D_INVALID_OPERATION;
	return d->d_ops->do_set_filter(d, receive_port, priority, filter, filterCnt);
}

kern_return_t
ds_device_intr_register(device_t d, int id, int flags, ipc_port_t receive_port)
{
	(void)id;
	(void)flags;
	(void)receive_port;
	return d ? D_INVALID_OPERATION : D_NO_SUCH_DEVICE;
}

kern_return_t
ds_device_intr_ack(device_t d, ipc_port_t receive_port)
{
	(void)receive_port;
	return d ? D_INVALID_OPERATION : D_NO_SUCH_DEVICE;
}

/* The intran, outtran and destructor device.defs names (mig/kernel-types.h). */
device_t
dev_port_lookup(ipc_port_t port)
{
	return dev_port_to_device(port);
}

/* A send right to the device's port, made from its receive right; consumes d's reference. */
ipc_port_t
convert_device_to_port(device_t d)
{
	ipc_port_t p = IP_NULL;
	unsigned long fl;

	if (!d)
		return IP_NULL;
	fl = spin_lock_irqsave(&dev_lock);
	if (d->d_open)
		p = ipc_port_make_send(d->d_port);
	spin_unlock_irqrestore(&dev_lock, fl);
	dev_deallocate(d);
	return p;
}

void
device_deallocate(device_t d)
{
	dev_deallocate(d);
}

static void
ds_init(void)
{
	ipc_kobject_add_server(device_server_routine);
	ipc_kobject_set_notify(IKOT_DEVICE, dev_no_senders);
}
INITCALL(INIT_BUS, "device_server", ds_init);
