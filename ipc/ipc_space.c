// SPDX-License-Identifier: GPL-2.0-or-later
/* Port name spaces (ipc/ipc_space.h). */
#include "ipc/ipc_space.h"

#include "ipc/ipc_right.h"
#include "kern/kmalloc.h"
#include "kern/string.h"

long ipc_space_count;

#define IPC_SPACE_INITIAL 16
mach_port_name_t ipc_space_max_names = IPC_SPACE_MAX_NAMES;

struct ipc_space *
ipc_space_create(void)
{
	struct ipc_space *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	spin_init(&s->is_lock, "ipc_space", LOCK_RANK_IPC_SPACE);
	s->is_active = true;
	s->is_next = 1;
	ipc_space_count++;
	return s;
}

void
ipc_space_terminate(struct ipc_space *s)
{
	spin_lock(&s->is_lock);
	s->is_active = false;
	for (mach_port_name_t n = 1; n < s->is_next; n++)
		if (s->is_table[n].ie_type)
			ipc_right_destroy(s, n);
	spin_unlock(&s->is_lock);
}

void
ipc_space_free(struct ipc_space *s)
{
	kfree(s->is_table);
	ipc_space_count--;
	kfree(s);
}

void
ipc_space_destroy(struct ipc_space *s)
{
	ipc_space_terminate(s);
	ipc_space_free(s);
}

struct ipc_entry *
ipc_entry_lookup(struct ipc_space *s, mach_port_name_t name)
{
	if (name == MACH_PORT_NULL || name >= s->is_next)
		return NULL;
	if (s->is_table[name].ie_type == 0)
		return NULL;
	return &s->is_table[name];
}

struct ipc_entry *
ipc_entry_lookup_check(struct ipc_space *s, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(s, name);

	if (e && (e->ie_type & MACH_PORT_TYPE_SEND_RIGHTS) &&
	    !(e->ie_type & MACH_PORT_TYPE_RECEIVE))
		ipc_right_check_dead(s, name, e);
	return e;
}

static bool
grow(struct ipc_space *s, mach_port_name_t need)
{
	mach_port_name_t size = s->is_size ? s->is_size : IPC_SPACE_INITIAL;
	struct ipc_entry *t;

	while (size <= need)
		size *= 2;
	if (size > ipc_space_max_names)
		return false;
	t = kzalloc(size * sizeof(*t));
	if (!t)
		return false;
	if (s->is_table)
		memcpy(t, s->is_table, s->is_size * sizeof(*t));
	kfree(s->is_table);
	s->is_table = t;
	s->is_size = size;
	return true;
}

kern_return_t
ipc_entry_alloc(struct ipc_space *s, mach_port_name_t *namep, struct ipc_entry **ep)
{
	mach_port_name_t name;

	if (s->is_free) {
		name = s->is_free;
		s->is_free = s->is_table[name].ie_next_free;
	} else {
		if (s->is_next >= s->is_size && !grow(s, s->is_next))
			return KERN_RESOURCE_SHORTAGE;
		name = s->is_next++;
	}
	s->is_table[name] = (struct ipc_entry){0};
	s->is_count++;
	*namep = name;
	*ep = &s->is_table[name];
	return KERN_SUCCESS;
}

kern_return_t
ipc_entry_alloc_name(struct ipc_space *s, mach_port_name_t name, struct ipc_entry **ep)
{
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	if (name < s->is_next) {
		mach_port_name_t *link = &s->is_free;

		if (s->is_table[name].ie_type)
			return KERN_NAME_EXISTS;
		/* Unlink it from the free names, keeping the others' order. */
		while (*link != name)
			link = &s->is_table[*link].ie_next_free;
		*link = s->is_table[name].ie_next_free;
	} else {
		if (name >= ipc_space_max_names || (name >= s->is_size && !grow(s, name)))
			return KERN_RESOURCE_SHORTAGE;
		/* The names skipped become free, lowest reused first. */
		for (mach_port_name_t n = name - 1; n >= s->is_next; n--) {
			s->is_table[n] = (struct ipc_entry){.ie_next_free = s->is_free};
			s->is_free = n;
		}
		s->is_next = name + 1;
	}
	s->is_table[name] = (struct ipc_entry){0};
	s->is_count++;
	*ep = &s->is_table[name];
	return KERN_SUCCESS;
}

void
ipc_entry_free(struct ipc_space *s, mach_port_name_t name)
{
	s->is_table[name] = (struct ipc_entry){.ie_next_free = s->is_free};
	s->is_free = name;
	s->is_count--;
}

mach_port_name_t
ipc_space_port_name(struct ipc_space *s, struct ipc_port *p)
{
	if (p->ip_receiver == s)
		return p->ip_receiver_name;
	/* A linear search: a reverse hash is for later (docs/ipc.md). */
	for (mach_port_name_t n = 1; n < s->is_next; n++) {
		struct ipc_entry *e = &s->is_table[n];
		if (e->ie_object == p && (e->ie_type & MACH_PORT_TYPE_SEND))
			return n;
	}
	return MACH_PORT_NULL;
}
