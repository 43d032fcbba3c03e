// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device/dev_fill.c: out-of-line read data made by a device kind that
 * fills memory itself (device/dev.h dev_copy_fill), so such kinds need no
 * view of vm/.
 */
#include "device/dev.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

io_return_t
dev_copy_fill(uint32_t bytes, dev_fill_fn *fill, void *arg, struct vm_copy **out)
{
	struct vm_copy *c;
	io_return_t err = D_SUCCESS;

	*out = NULL;
	if (vm_copy_alloc(bytes, &c) != KERN_SUCCESS)
		return D_NO_MEMORY;
	for (uint64_t off = 0; off < bytes && err == D_SUCCESS; off += PAGE_SIZE) {
		uint64_t n = bytes - off < PAGE_SIZE ? bytes - off : PAGE_SIZE;

		err = fill(arg, phys_to_virt(vm_copy_page(c, off / PAGE_SIZE)), n);
	}
	if (err != D_SUCCESS) {
		vm_copy_discard(c);
		return err;
	}
	*out = c;
	return D_SUCCESS;
}
