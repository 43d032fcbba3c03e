// SPDX-License-Identifier: GPL-2.0-or-later
/* The processor and the default processor set behind their ports (kern/processor.h). */
#include "kern/processor.h"

#include <mach/policy.h>

#include "kern/initcall.h"
#include "kern/panic.h"
#include "kern/thread.h"

struct processor processor_boot;
struct processor_set default_pset = {.ps_max_priority = BASEPRI_USER,
                                     .ps_policies = POLICY_TIMESHARE};

static struct ipc_port *
kernel_port(enum ipc_kobject_type kind, void *object)
{
	struct ipc_port *p = ipc_port_alloc();

	if (!p)
		panic("processor: no memory for the processor ports");
	ipc_port_set_kobject(p, kind, object);
	return p;
}

static void
processor_ports_init(void)
{
	processor_boot.pr_self = kernel_port(IKOT_PROCESSOR, &processor_boot);
	default_pset.ps_self = kernel_port(IKOT_PSET, &default_pset);
	default_pset.ps_name_self = kernel_port(IKOT_PSET_NAME, &default_pset);
}
INITCALL(INIT_BUS, "processor", processor_ports_init);

struct processor *
ipc_port_to_processor(struct ipc_port *p)
{
	return ipc_port_kobject(p, IKOT_PROCESSOR, IKOT_PROCESSOR);
}

struct processor_set *
ipc_port_to_pset(struct ipc_port *p, bool name_ok)
{
	return ipc_port_kobject(p, IKOT_PSET, name_ok ? IKOT_PSET_NAME : IKOT_PSET);
}
