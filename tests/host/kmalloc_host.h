/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmalloc(), kzalloc() and kfree() for host tests of code that allocates
 * (kern/boot_script*.c), over the host's malloc so ASan sees every block:
 * counts live blocks (a test asserts none is left) and fails the Nth
 * call on request (a test walks every allocation's error path).
 */
#ifndef TESTS_HOST_KMALLOC_HOST_H
#define TESTS_HOST_KMALLOC_HOST_H

/* kmalloc/kzalloc calls so far, and the call number that returns NULL (-1: none). */
extern unsigned kmalloc_host_calls;
extern int kmalloc_host_fail_at;
/* Blocks handed out and not freed. */
extern long kmalloc_host_live;

#endif
