// SPDX-License-Identifier: GPL-2.0-or-later
/* The registry of device names (device/dev_name.h): one lookup per kind, asked in turn. */
#include "device/dev_name.h"

#include "kern/panic.h"
#include "kern/string.h"

#define DEV_KINDS 8

static struct {
	const char *kind;
	dev_name_lookup_fn *lookup; /* NULL: one device, named kind (fixed_ops, fixed_obj) */
	const struct dev_ops *fixed_ops;
	void *fixed_obj;
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

void
dev_name_register_fixed(const char *name, const struct dev_ops *ops, void *obj)
{
	dev_name_register(name, NULL);
	kinds[nkinds - 1].fixed_ops = ops;
	kinds[nkinds - 1].fixed_obj = obj;
}

bool
dev_name_lookup(const char *name, const struct dev_ops **ops, void **obj)
{
	if (!name || !name[0])
		return false;
	for (unsigned i = 0; i < nkinds; i++) {
		if (kinds[i].lookup ? kinds[i].lookup(name, ops, obj)
		                    : !strcmp(name, kinds[i].kind)) {
			if (!kinds[i].lookup) {
				*ops = kinds[i].fixed_ops;
				*obj = kinds[i].fixed_obj;
			}
			return true;
		}
	}
	return false;
}
