/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page faults: the VM makes a page of a map present in its pmap.
 *
 *   entry backed by an object   -> map the object's page (its cache mode)
 *   anonymous, slot empty        -> zero fill: a new page in the amap
 *   anonymous, page referenced once -> map it with the entry's protection
 *   anonymous, page shared (COW):
 *       read  -> map it read-only
 *       write -> copy it into this amap, map the copy
 *
 * Out of memory: vm_page_alloc() goes to page_alloc(), which runs its
 * out-of-memory hook (the balloon deflates) before giving up; then the
 * fault fails with KERN_RESOURCE_SHORTAGE and the caller (the trap
 * handler) terminates the task.
 */
#ifndef VM_VM_FAULT_H
#define VM_VM_FAULT_H

#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <stdint.h>

struct vm_map;
struct vm_map_entry;

/*
 * Resolves a fault at addr in map for access (VM_PROT_READ, VM_PROT_WRITE
 * or VM_PROT_EXECUTE, or several). Returns KERN_SUCCESS (the access can be
 * retried), KERN_INVALID_ADDRESS (no entry holds addr),
 * KERN_PROTECTION_FAILURE (the entry does not allow access) or
 * KERN_RESOURCE_SHORTAGE (no page or page table, even after the balloon).
 * Takes the map's lock: not with it held.
 */
kern_return_t vm_fault(struct vm_map *map, uint64_t addr, vm_prot_t access);

/*
 * The same for the page at va in entry e, whose protection the caller has
 * checked; the physical page mapped goes to *pa. Map locked.
 */
kern_return_t vm_fault_entry(struct vm_map *map, struct vm_map_entry *e, uint64_t va,
                             vm_prot_t access, uint64_t *pa);

#endif
