/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Leaving QEMU through the isa-debug-exit device (port 0xf4): QEMU exits
 * with status (code << 1) | 1, so tests tell a pass, a failure and a panic
 * apart. Without the device the write is ignored and the caller halts.
 */
#ifndef KERN_EXIT_H
#define KERN_EXIT_H

#define EXIT_PASS 0x10  /* QEMU status 33 */
#define EXIT_FAIL 0x11  /* QEMU status 35 */
#define EXIT_PANIC 0x12 /* QEMU status 37 */

void debug_exit(unsigned code) __attribute__((noreturn));

#endif
