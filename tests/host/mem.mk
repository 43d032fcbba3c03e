# SPDX-License-Identifier: GPL-2.0-or-later
# Host tests of the page allocator and the kernel heap.
HOST_TESTS += test_page_alloc test_kmalloc
test_page_alloc_SRCS := tests/host/test_page_alloc.c tests/host/host_panic.c kern/page_alloc.c
test_kmalloc_SRCS := tests/host/test_kmalloc.c tests/host/host_panic.c kern/kmalloc.c \
	kern/page_alloc.c
