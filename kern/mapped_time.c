// SPDX-License-Identifier: GPL-2.0-or-later
/* GNU Mach's mapped time page (kern/mapped_time.h). */
#include "kern/mapped_time.h"

#include "kern/initcall.h"
#include "kern/kpager.h"
#include "kern/panic.h"
#include "kern/realtime.h"
#include "x86_64/machine.h"

static struct kpager *time_pager;

/* A page of its own (never freed: its pager keeps the reference), which
 * the time of day then keeps up to date. */
static void
mapped_time_init(void)
{
	struct vm_object *ob;

	if (vm_object_contig(PAGE_SIZE, 0, 0, 0, &ob) != KERN_SUCCESS ||
	    !(time_pager = kpager_create(ob, VM_PROT_READ)))
		panic("mapped_time: no memory for the time page");
	realtime_publish(phys_to_virt(ob->ob_pa));
}
INITCALL(INIT_BUS, "mapped_time", mapped_time_init);

struct kpager *
mapped_time_pager(void)
{
	return time_pager;
}
