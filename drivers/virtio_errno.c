// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drivers/virtio_errno.c: VIRTIO_E* to D_*, one table (see
 * drivers/virtio_errno.h for what each code means on either side).
 */
#include "drivers/virtio_errno.h"

#include "virtio/virtio_err.h"

/*
 * Indexed by -err. VIRTIO_EINVAL is what virtio drivers answer for a
 * length, a range, an alignment or a buffer layout they cannot take,
 * which is D_INVALID_SIZE's meaning; a layer that knows more (the block
 * layer tells a range error apart) refines it.
 */
static const io_return_t virtio_io_returns[] = {
    [-VIRTIO_OK] = D_SUCCESS,          [-VIRTIO_EIO] = D_IO_ERROR,
    [-VIRTIO_ENOSPC] = D_WOULD_BLOCK,  [-VIRTIO_EAGAIN] = D_WOULD_BLOCK,
    [-VIRTIO_EBADDEV] = D_DEVICE_DOWN, [-VIRTIO_EINVAL] = D_INVALID_SIZE,
    [-VIRTIO_ENOMEM] = D_NO_MEMORY,    [-VIRTIO_EUNSUPP] = D_INVALID_OPERATION,
    [-VIRTIO_EROFS] = D_READ_ONLY,     [-VIRTIO_ENODEV] = D_NO_SUCH_DEVICE,
    [-VIRTIO_EBUSY] = D_ALREADY_OPEN,  [-VIRTIO_ETIMEDOUT] = D_IO_ERROR,
};
_Static_assert(sizeof(virtio_io_returns) / sizeof(virtio_io_returns[0]) == 1 - VIRTIO_ETIMEDOUT,
               "one D_* code for every VIRTIO_E* code");

io_return_t
virtio_to_io_return(int err)
{
	unsigned i = (unsigned)-err;

	if (err > 0 || i >= sizeof(virtio_io_returns) / sizeof(virtio_io_returns[0]))
		return D_IO_ERROR;
	return virtio_io_returns[i];
}
