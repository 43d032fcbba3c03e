/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio/virtio_err.h: the error codes of portable virtio code. Functions
 * return int: VIRTIO_OK (0) or one of these negative values. The kernel maps
 * them to D_* in one table (device/).
 */
#ifndef VIRTIO_ERR_H
#define VIRTIO_ERR_H

enum virtio_err {
	VIRTIO_OK = 0,
	VIRTIO_EIO = -1,        /* the device reported an I/O error */
	VIRTIO_ENOSPC = -2,     /* no room in the ring / table */
	VIRTIO_EAGAIN = -3,     /* nothing yet (no completion pending) */
	VIRTIO_EBADDEV = -4,    /* the device broke the spec; it is broken */
	VIRTIO_EINVAL = -5,     /* bad argument from the caller */
	VIRTIO_ENOMEM = -6,     /* out of memory */
	VIRTIO_EUNSUPP = -7,    /* feature or operation not supported */
	VIRTIO_EROFS = -8,      /* write to a read-only device */
	VIRTIO_ENODEV = -9,     /* no such device, queue or driver */
	VIRTIO_EBUSY = -10,     /* already bound / in use */
	VIRTIO_ETIMEDOUT = -11, /* the device did not answer in time */
};

/* Short name of an error code ("EBADDEV"), "E?" for unknown values. */
const char *virtio_strerror(int err);

#endif /* VIRTIO_ERR_H */
