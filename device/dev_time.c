// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The `time` device: GNU Mach's mapped time page (kern/mapped_time.h),
 * opened by name and mapped with device_map and vm_map, read-only. It has
 * no reads or writes, as on GNU Mach.
 */
#include <stddef.h>

#include "device/dev.h"
#include "device/dev_name.h"
#include "kern/initcall.h"
#include "kern/kpager.h"
#include "kern/mapped_time.h"

static io_return_t
time_map(struct device *d, vm_prot_t prot, struct ipc_port **pager)
{
	struct kpager *kp = mapped_time_pager();

	(void)d;
	(void)prot;
	*pager = kp ? kpager_make_send(kp) : NULL;
	return *pager ? D_SUCCESS : D_NO_MEMORY;
}

static const struct dev_ops time_dev_ops = {
    .do_kind = "time",
    .do_map = time_map,
};

static char time_object; /* one device: its identity for the open-device table */

static void
dev_time_init(void)
{
	dev_name_register_fixed("time", &time_dev_ops, &time_object);
}
INITCALL(INIT_BUS, "dev_time", dev_time_init);
