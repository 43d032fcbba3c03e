// SPDX-License-Identifier: GPL-2.0-or-later
/* Host stand-ins for the kernel heap (see kmalloc_host.h). */
#include <stdlib.h>

#include "host/kmalloc_host.h"
#include "kern/kmalloc.h"

unsigned kmalloc_host_calls;
int kmalloc_host_fail_at = -1;
long kmalloc_host_live;

static void *
host_alloc(size_t size, int zero)
{
	unsigned call = kmalloc_host_calls++;
	void *p;

	if (kmalloc_host_fail_at >= 0 && call == (unsigned)kmalloc_host_fail_at)
		return NULL;
	p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p)
		kmalloc_host_live++;
	return p;
}

void *
kmalloc(size_t size)
{
	return host_alloc(size, 0);
}

void *
kzalloc(size_t size)
{
	return host_alloc(size, 1);
}

void
kfree(void *p)
{
	if (!p)
		return;
	kmalloc_host_live--;
	free(p);
}
