/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A task's port name space (docs/ipc.md): a table indexed by name. Names
 * are handed out lowest first (1, 2, 3...); freed names are reused
 * last-freed first. The table grows as needed, with no small limit.
 * Lock: is_lock (LOCK_RANK_IPC_SPACE), held by every routine on it.
 */
#ifndef IPC_IPC_SPACE_H
#define IPC_IPC_SPACE_H

#include "ipc/ipc_port.h"

/* GNU Mach's limit on user references of one name (its ipc_entry.h). */
#define IPC_UREFS_MAX ((mach_port_urefs_t)0xffff)

struct ipc_entry {
	void *ie_object;          /* struct ipc_port or struct ipc_pset; NULL for dead names */
	mach_port_type_t ie_type; /* MACH_PORT_TYPE_* rights; 0: the name is free */
	mach_port_urefs_t ie_urefs;
	mach_port_name_t ie_next_free; /* free names: the next one to reuse, 0 ends */
	bool ie_dnrequest;             /* a dead-name request (on the port's list) */
};

/* A slot of the reverse map: port to name. */
struct ipc_reverse_slot {
	struct ipc_port *rs_port; /* NULL: empty */
	mach_port_name_t rs_name;
};

struct ipc_space {
	struct spinlock is_lock;
	bool is_active;
	struct ipc_entry *is_table; /* is_table[name], name < is_size; [0] unused */
	mach_port_name_t is_size;
	mach_port_name_t is_next;  /* lowest name never used */
	mach_port_name_t is_free;  /* last freed name, 0: none */
	mach_port_name_t is_count; /* names in use */
	void *is_owner;            /* its task (kern/ipc_tt.c sets it; ipc/ never reads it) */
	/*
	 * The reverse map (ipc_space_port_name): an open-addressed hash of
	 * the ports this space names, to their names. A slot is a hint,
	 * checked against the table before it is believed, so a stale one is
	 * harmless; every place that puts a port's send or receive right under
	 * a name notes it (ipc_space_reverse_note). When a note could not be
	 * stored (no memory), is_reverse_lossy sends lookups to a full search.
	 */
	struct ipc_reverse_slot *is_reverse;
	uint32_t is_reverse_size, is_reverse_used; /* slots (a power of 2), slots in use */
	bool is_reverse_lossy;
};

/* A new empty space; NULL if out of memory. */
struct ipc_space *ipc_space_create(void);
/*
 * Drops every right in the space (destroying its receive rights) and makes
 * it inactive: every later use fails (a dying task's). The structure stays
 * until ipc_space_free(), so that a thread still inside a call sees it dead.
 */
void ipc_space_terminate(struct ipc_space *s);
void ipc_space_free(struct ipc_space *s);
/* Both at once. */
void ipc_space_destroy(struct ipc_space *s);

/* The entry of name, or NULL if the name is not in use. Space locked. */
static inline struct ipc_entry *
ipc_entry_lookup(struct ipc_space *s, mach_port_name_t name)
{
	if (name == MACH_PORT_NULL || name >= s->is_next || s->is_table[name].ie_type == 0)
		return NULL;
	return &s->is_table[name];
}
/*
 * Like ipc_entry_lookup, but first turns a send or send-once right to a
 * dead port into a dead name (as GNU Mach does at every lookup).
 */
bool ipc_right_check_dead(struct ipc_space *s, mach_port_name_t name, struct ipc_entry *e);
static inline struct ipc_entry *
ipc_entry_lookup_check(struct ipc_space *s, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup(s, name);

	/* A live port is the common case: checked inline, the call only for a dead one. */
	if (e && (e->ie_type & MACH_PORT_TYPE_SEND_RIGHTS) &&
	    !(e->ie_type & MACH_PORT_TYPE_RECEIVE) &&
	    !__atomic_load_n(&((struct ipc_port *)e->ie_object)->ip_active, __ATOMIC_RELAXED))
		ipc_right_check_dead(s, name, e);
	return e;
}
/*
 * A free name (the last freed, else the lowest never used):
 * KERN_RESOURCE_SHORTAGE if none. Inline for a freed name (every RPC's
 * reply right takes one); ipc_entry_alloc_new() for a name never used.
 */
kern_return_t ipc_entry_alloc_new(struct ipc_space *s, mach_port_name_t *namep,
                                  struct ipc_entry **ep);
static inline kern_return_t
ipc_entry_alloc(struct ipc_space *s, mach_port_name_t *namep, struct ipc_entry **ep)
{
	mach_port_name_t name = s->is_free;

	if (!name)
		return ipc_entry_alloc_new(s, namep, ep);
	s->is_free = s->is_table[name].ie_next_free;
	s->is_table[name] = (struct ipc_entry){0};
	s->is_count++;
	*namep = name;
	*ep = &s->is_table[name];
	return KERN_SUCCESS;
}
/* Takes the given name: KERN_NAME_EXISTS if in use, KERN_INVALID_VALUE for NULL/DEAD. */
kern_return_t ipc_entry_alloc_name(struct ipc_space *s, mach_port_name_t name,
                                   struct ipc_entry **ep);
/* Returns an entry (already emptied of rights) to the free names. */
void ipc_entry_free(struct ipc_space *s, mach_port_name_t name);
/*
 * Told of each name freed (space locked), while set: the message layer's
 * msg-accepted requests forget a name that goes (ipc/ipc_marequest.c).
 */
typedef void ipc_entry_free_fn(struct ipc_space *s, mach_port_name_t name);
extern ipc_entry_free_fn *ipc_entry_free_hook;
/* The name under which s holds a send or receive right to p, or MACH_PORT_NULL. */
mach_port_name_t ipc_space_port_name(struct ipc_space *s, struct ipc_port *p);
/* p's send or receive right is now under name (space locked). */
void ipc_space_reverse_note(struct ipc_space *s, struct ipc_port *p, mach_port_name_t name);
/* object (a port or set) no longer under name: its note goes, unless it is for another name. */
void ipc_space_reverse_forget(struct ipc_space *s, const void *object, mach_port_name_t name);
/* Names are below MACH_PORT_DEAD; stop well before the table size overflows. */
#define IPC_SPACE_MAX_NAMES ((mach_port_name_t)1 << 24)
/*
 * The names one space may hold: at most IPC_SPACE_MAX_NAMES, less on a
 * small machine (kern/ipc_host.c sizes it from memory), so that a task
 * allocating names without end gets KERN_RESOURCE_SHORTAGE long before
 * the kernel's heap runs out.
 */
extern mach_port_name_t ipc_space_max_names;
/* Spaces alive (leak checks). */
extern long ipc_space_count;

#endif
