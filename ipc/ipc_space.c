// SPDX-License-Identifier: GPL-2.0-or-later
/* Port name spaces (ipc/ipc_space.h). */
#include "ipc/ipc_space.h"

#include "ipc/ipc_right.h"
#include "kern/kmalloc.h"
#include "kern/string.h"

long ipc_space_count;
ipc_entry_free_fn *ipc_entry_free_hook;

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
	kfree(s->is_reverse);
	ipc_space_count--;
	kfree(s);
}

void
ipc_space_destroy(struct ipc_space *s)
{
	ipc_space_terminate(s);
	ipc_space_free(s);
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
ipc_entry_alloc_new(struct ipc_space *s, mach_port_name_t *namep, struct ipc_entry **ep)
{
	mach_port_name_t name;

	if (s->is_next >= s->is_size && !grow(s, s->is_next))
		return KERN_RESOURCE_SHORTAGE;
	name = s->is_next++;
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
	if (__builtin_expect(ipc_entry_free_hook != NULL, 0))
		ipc_entry_free_hook(s, name);
	if (s->is_table[name].ie_object)
		ipc_space_reverse_forget(s, s->is_table[name].ie_object, name);
	s->is_table[name] = (struct ipc_entry){.ie_next_free = s->is_free};
	s->is_free = name;
	s->is_count--;
}

/*
 * The reverse map: linear probing, deletion by shifting back the slots
 * after the hole (no tombstones), grown at half full.
 */
#define REVERSE_INITIAL 16

static uint32_t
reverse_hash(const struct ipc_space *s, const void *p)
{
	uint64_t h = ((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32) & (s->is_reverse_size - 1);
}

/* The slot holding p, or the empty slot where it would go. */
static struct ipc_reverse_slot *
reverse_slot(const struct ipc_space *s, const void *p)
{
	uint32_t mask = s->is_reverse_size - 1;

	for (uint32_t i = reverse_hash(s, p);; i = (i + 1) & mask) {
		struct ipc_reverse_slot *r = &s->is_reverse[i];
		if (r->rs_port == p || r->rs_port == NULL)
			return r;
	}
}

static bool
reverse_grow(struct ipc_space *s)
{
	uint32_t old_size = s->is_reverse_size;
	struct ipc_reverse_slot *old = s->is_reverse;
	uint32_t size = old_size ? old_size * 2 : REVERSE_INITIAL;
	struct ipc_reverse_slot *t = kzalloc(size * sizeof(*t));

	if (!t)
		return false;
	s->is_reverse = t;
	s->is_reverse_size = size;
	for (uint32_t i = 0; i < old_size; i++)
		if (old[i].rs_port)
			*reverse_slot(s, old[i].rs_port) = old[i];
	kfree(old);
	return true;
}

void
ipc_space_reverse_note(struct ipc_space *s, struct ipc_port *p, mach_port_name_t name)
{
	struct ipc_reverse_slot *r;

	if (2 * (s->is_reverse_used + 1) > s->is_reverse_size && !reverse_grow(s)) {
		s->is_reverse_lossy = true;
		return;
	}
	r = reverse_slot(s, p);
	if (!r->rs_port) {
		r->rs_port = p;
		s->is_reverse_used++;
	}
	r->rs_name = name;
}

void
ipc_space_reverse_forget(struct ipc_space *s, const void *object, mach_port_name_t name)
{
	uint32_t mask = s->is_reverse_size - 1;
	struct ipc_reverse_slot *r;

	if (!s->is_reverse_size)
		return;
	r = reverse_slot(s, object);
	if (r->rs_port != object || r->rs_name != name)
		return;
	/* Shift back every later slot of the run that may sit past its home. */
	uint32_t hole = (uint32_t)(r - s->is_reverse);
	for (uint32_t i = (hole + 1) & mask; s->is_reverse[i].rs_port; i = (i + 1) & mask) {
		uint32_t home = reverse_hash(s, s->is_reverse[i].rs_port);
		/* Movable when its home is not within (hole, i], cyclically. */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			s->is_reverse[hole] = s->is_reverse[i];
			hole = i;
		}
	}
	s->is_reverse[hole].rs_port = NULL;
	s->is_reverse_used--;
}

/* Whether name holds a send right to p. */
static bool
names_send(const struct ipc_space *s, mach_port_name_t name, const struct ipc_port *p)
{
	return name != MACH_PORT_NULL && name < s->is_next && s->is_table[name].ie_object == p &&
	       (s->is_table[name].ie_type & MACH_PORT_TYPE_SEND);
}

mach_port_name_t
ipc_space_port_name(struct ipc_space *s, struct ipc_port *p)
{
	if (p->ip_receiver == s)
		return p->ip_receiver_name;
	if (s->is_reverse_size) {
		struct ipc_reverse_slot *r = reverse_slot(s, p);
		if (r->rs_port == p) {
			if (names_send(s, r->rs_name, p))
				return r->rs_name;
			ipc_space_reverse_forget(s, p, r->rs_name); /* stale */
		}
	}
	if (!s->is_reverse_lossy)
		return MACH_PORT_NULL;
	/* Some note was lost: the table itself is the truth. */
	for (mach_port_name_t n = 1; n < s->is_next; n++)
		if (names_send(s, n, p))
			return n;
	return MACH_PORT_NULL;
}
