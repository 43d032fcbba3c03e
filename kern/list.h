/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intrusive doubly linked circular lists: a struct list_node inside each
 * element, a struct list_node as the head. An empty head points at itself.
 * The caller provides the locking.
 */
#ifndef KERN_LIST_H
#define KERN_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *ln_next, *ln_prev;
};

#define LIST_HEAD_INIT(name)                                                                       \
	{                                                                                          \
		&(name), &(name)                                                                   \
	}

static inline void
list_init(struct list_node *head)
{
	head->ln_next = head->ln_prev = head;
}

static inline bool
list_empty(const struct list_node *head)
{
	return head->ln_next == head;
}

/* Whether node is on some list (list_remove leaves it self-linked). */
static inline bool
list_linked(const struct list_node *node)
{
	return node->ln_next != node && node->ln_next != NULL;
}

static inline void
list_insert_between(struct list_node *n, struct list_node *prev, struct list_node *next)
{
	n->ln_prev = prev;
	n->ln_next = next;
	prev->ln_next = n;
	next->ln_prev = n;
}

static inline void
list_append(struct list_node *head, struct list_node *n)
{
	list_insert_between(n, head->ln_prev, head);
}

static inline void
list_prepend(struct list_node *head, struct list_node *n)
{
	list_insert_between(n, head, head->ln_next);
}

static inline void
list_remove(struct list_node *n)
{
	n->ln_prev->ln_next = n->ln_next;
	n->ln_next->ln_prev = n->ln_prev;
	n->ln_next = n->ln_prev = n;
}

static inline struct list_node *
list_first(const struct list_node *head)
{
	return list_empty(head) ? NULL : head->ln_next;
}

#define list_entry(node, type, member) ((type *)((char *)(node)-offsetof(type, member)))

/* Iterates over head's elements; safe against removal of the current one. */
#define list_for_each_safe(pos, tmp, head)                                                         \
	for ((pos) = (head)->ln_next, (tmp) = (pos)->ln_next; (pos) != (head);                     \
	     (pos) = (tmp), (tmp) = (pos)->ln_next)

#endif
