/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processors and processor sets as mach_host.defs names them: vmach runs
 * on one processor, in one processor set, the default one, which no call
 * can change (GNU Mach's single-CPU answers). Each has a port the kernel
 * receives on: the processor's (IKOT_PROCESSOR), the set's control port
 * (IKOT_PSET, for the privileged) and its name port (IKOT_PSET_NAME, for
 * anyone). Made at boot; they never die.
 */
#ifndef KERN_PROCESSOR_H
#define KERN_PROCESSOR_H

#include "ipc/ipc_port.h"

struct processor {
	struct ipc_port *pr_self;
	int pr_slot; /* its machine_slot */
};

struct processor_set {
	struct ipc_port *ps_self;      /* control port */
	struct ipc_port *ps_name_self; /* name port */
	int ps_max_priority;           /* the best a thread may ask for without set_max */
	int ps_policies;               /* POLICY_* bits (<mach/policy.h>) threads may use */
};

extern struct processor processor_boot;
extern struct processor_set default_pset;

/* The object behind a port of that kind, or NULL. No references: they never go. */
struct processor *ipc_port_to_processor(struct ipc_port *p);
/* The set behind its control port (name_ok: or its name port), or NULL. */
struct processor_set *ipc_port_to_pset(struct ipc_port *p, bool name_ok);

#endif
