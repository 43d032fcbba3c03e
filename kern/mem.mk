# SPDX-License-Identifier: GPL-2.0-or-later
# Physical page allocator and kernel heap.
KERNEL_SRCS += kern/page_alloc.c kern/kmalloc.c
