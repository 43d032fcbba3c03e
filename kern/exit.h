/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The codes given to machine_debug_exit(): QEMU's isa-debug-exit device
 * exits with status (code << 1) | 1, so tests tell a pass, a failure and a
 * panic apart.
 */
#ifndef KERN_EXIT_H
#define KERN_EXIT_H

#define EXIT_PASS 0x10  /* QEMU status 33 */
#define EXIT_FAIL 0x11  /* QEMU status 35 */
#define EXIT_PANIC 0x12 /* QEMU status 37 */

#endif
