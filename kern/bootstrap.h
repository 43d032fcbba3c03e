/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the boot-module loader (kern/bootstrap.c) needs from layers above
 * kern/, given to it as hooks so kern/ includes none of them.
 */
#ifndef KERN_BOOTSTRAP_H
#define KERN_BOOTSTRAP_H

#include <mach/kern_return.h>

/*
 * The boot script's $(ramdisk-create) on module number module
 * (boot_info.modules[module]): makes it a RAM disk. KERN_SUCCESS or why
 * not; the line then fails. Installed by device/ramdisk.c at INIT_DRIVER.
 */
typedef kern_return_t boot_ramdisk_fn(unsigned module);
void bootstrap_set_ramdisk_hook(boot_ramdisk_fn *fn);

#endif
