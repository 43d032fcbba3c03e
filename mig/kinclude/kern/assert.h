/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GNU Mach's assert header, which <mach/x86_64/vm_types.h> includes under MACH_KERNEL: ours is in
 * kern/panic.h. */
#include <kern/panic.h>
