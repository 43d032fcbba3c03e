/* SPDX-License-Identifier: GPL-2.0-or-later */
/* <mach_debug/slab_info.h> includes it; the kernel has no libc. */
#include <stddef.h>
