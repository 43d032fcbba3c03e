/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drivers/virtio_errno.h: the one mapping from the portable virtio code's
 * errors (virtio/virtio_err.h, VIRTIO_E*) to GNU Mach's device codes
 * (<device/device_types.h>, D_*), for every glue in drivers/ that hands a
 * virtio result to a kernel layer or, later, to a task.
 */
#ifndef DRIVERS_VIRTIO_ERRNO_H
#define DRIVERS_VIRTIO_ERRNO_H

#include <device/device_types.h>

/*
 * The D_* code for err (VIRTIO_OK or a negative VIRTIO_E* value):
 *   VIRTIO_OK        D_SUCCESS
 *   VIRTIO_EIO       D_IO_ERROR        the device reported an error
 *   VIRTIO_ETIMEDOUT D_IO_ERROR        the device did not answer
 *   VIRTIO_EAGAIN    D_WOULD_BLOCK     nothing can be done now: retry
 *   VIRTIO_ENOSPC    D_WOULD_BLOCK     no room in the ring now: retry
 *   VIRTIO_EBADDEV   D_DEVICE_DOWN     the device broke the spec and was stopped
 *   VIRTIO_ENODEV    D_NO_SUCH_DEVICE  no such device, or it went away
 *   VIRTIO_EINVAL    D_INVALID_SIZE    a length, range or buffer layout
 *   VIRTIO_EUNSUPP   D_INVALID_OPERATION  the device does not offer it
 *   VIRTIO_EROFS     D_READ_ONLY
 *   VIRTIO_ENOMEM    D_NO_MEMORY
 *   VIRTIO_EBUSY     D_ALREADY_OPEN    already bound or in use
 * and D_IO_ERROR for any other value. Any context.
 */
io_return_t virtio_to_io_return(int err);

#endif
