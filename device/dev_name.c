// SPDX-License-Identifier: GPL-2.0-or-later
/* The registry of device names (device/dev_name.h): one lookup per kind, asked in turn. */
#include "device/dev_name.h"

#include "kern/panic.h"

#define DEV_KINDS 8

static struct {
	const char *kind;
	dev_name_lookup_fn *lookup;
} kinds[DEV_KINDS];
static unsigned nkinds;

void
dev_name_register(const char *kind, dev_name_lookup_fn *lookup)
{
	if (nkinds == DEV_KINDS)
		panic("dev_name: more than %d device kinds (%s)", DEV_KINDS, kind);
	kinds[nkinds].kind = kind;
	kinds[nkinds].lookup = lookup;
	nkinds++;
}

bool
dev_name_lookup(const char *name, const struct dev_ops **ops, void **obj)
{
	if (!name || !name[0])
		return false;
	for (unsigned i = 0; i < nkinds; i++)
		if (kinds[i].lookup(name, ops, obj))
			return true;
	return false;
}
