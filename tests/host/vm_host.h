/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What host tests of vm/ share: "physical memory" is an arena
 * (phys = VM_ARENA_PHYS + offset) under the real page allocator and heap,
 * and the pmap is tests/host/fake_pmap.c.
 */
#ifndef TESTS_HOST_VM_HOST_H
#define TESTS_HOST_VM_HOST_H

#include <stdbool.h>
#include <stdint.h>

#define VM_ARENA_PHYS (4ULL << 20)
#define VM_ARENA_SIZE (64ULL << 20)

/* Starts the page allocator over the first bytes of the arena, and an empty heap. */
void vm_host_start(uint64_t bytes);
/* Free pages, after giving empty slab pages back. */
uint64_t vm_host_free_pages(void);
struct vm_map;
/* True when every page map's pmap maps in [start, end) agrees with the map. */
bool vm_host_pmap_consistent(struct vm_map *map, uint64_t start, uint64_t end);
/* A byte of physical memory. */
uint8_t *vm_host_phys(uint64_t pa);

#endif
