/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Only what sysroot headers (mach_debug/slab_info.h) need from it. */
#ifndef USER_SYS_TYPES_H
#define USER_SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef long ssize_t;
#endif
