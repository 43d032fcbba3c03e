/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vm_* operations of mach.defs and gnumach.defs, as kernel functions
 * on a struct vm_map with GNU Mach's argument order and return codes (the
 * IPC layer wraps them as RPCs). Addresses and sizes are rounded out to
 * pages as GNU Mach does: start down, start + size up. Every one returns
 * KERN_INVALID_ARGUMENT for a NULL map.
 */
#ifndef VM_VM_USER_H
#define VM_VM_USER_H

#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <stdbool.h>
#include <stdint.h>

struct vm_map;

/*
 * Zero-filled memory, read-write (maximum VM_PROT_ALL), inheritance COPY:
 * anywhere (the lowest free range from VM_MAP_ANYWHERE_MIN) or at
 * trunc_page(*addr). Size 0: *addr = 0 and KERN_SUCCESS. KERN_NO_SPACE
 * when the range overlaps or no room is left, KERN_INVALID_ADDRESS when a
 * fixed range leaves the user half or wraps, KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_allocate(struct vm_map *map, uint64_t *addr, uint64_t size, bool anywhere);
/* Removes the range (clamped to the user half; holes are fine). Size 0: nothing. */
kern_return_t vm_deallocate(struct vm_map *map, uint64_t start, uint64_t size);
/*
 * Sets the current protection (set_maximum false) or the maximum (true,
 * the current one is lowered to fit). KERN_INVALID_ARGUMENT for bits
 * outside VM_PROT_ALL, KERN_PROTECTION_FAILURE when an entry's maximum
 * does not allow the new protection (then nothing changes). Holes are
 * skipped, as on GNU Mach.
 */
kern_return_t vm_protect(struct vm_map *map, uint64_t start, uint64_t size, bool set_maximum,
                         vm_prot_t prot);
/* KERN_INVALID_ARGUMENT for an inheritance other than SHARE, COPY or NONE. */
kern_return_t vm_inherit(struct vm_map *map, uint64_t start, uint64_t size, vm_inherit_t inherit);
/*
 * The entry holding *addr, or else the first one after it: its range in
 * *addr and *size, its protections, inheritance, whether its memory is
 * shared with another map, and its offset in its object. KERN_NO_SPACE
 * when there is none at or after *addr.
 */
kern_return_t vm_region(struct vm_map *map, uint64_t *addr, uint64_t *size, vm_prot_t *prot,
                        vm_prot_t *max_prot, vm_inherit_t *inherit, bool *shared, uint64_t *offset);
/*
 * Wires the range for access (faulting every page in now), or unwires it
 * (VM_PROT_NONE). KERN_INVALID_ARGUMENT for bad access bits, a hole in the
 * range or unwiring what is not wired; KERN_INVALID_ADDRESS when start is
 * not mapped; KERN_PROTECTION_FAILURE when the protection does not allow
 * access; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_wire(struct vm_map *map, uint64_t start, uint64_t size, vm_prot_t access);
/*
 * VM_WIRE_CURRENT wires every entry now, VM_WIRE_FUTURE every entry
 * vm_allocate makes from now on, VM_WIRE_NONE unwires all and stops that.
 * KERN_INVALID_ARGUMENT for other bits.
 */
kern_return_t vm_wire_all(struct vm_map *map, int flags);
/*
 * Physically contiguous, zeroed, wired memory of size bytes within
 * physical [pmin, pmax) (pmax 0: anywhere) aligned to palign (0: a page),
 * mapped read-write anywhere in map: its address in *vaddr, its physical
 * address in *paddr. KERN_INVALID_ARGUMENT for size 0, bad bounds or
 * alignment; KERN_RESOURCE_SHORTAGE when no such memory is free;
 * KERN_NO_SPACE when the map has no room.
 */
kern_return_t vm_allocate_contiguous(struct vm_map *map, uint64_t *vaddr, uint64_t *paddr,
                                     uint64_t size, uint64_t pmin, uint64_t pmax, uint64_t palign);
/* The machine-wide counters of <mach/vm_statistics.h>. */
kern_return_t vm_statistics(struct vm_map *map, struct vm_statistics *st);

/*
 * A kernel-side copy of memory (vm_read's result, the data of vm_write):
 * the pages of [trunc_page(addr), round_page(addr + size)), shared
 * copy-on-write with where they came from, and where in them the data
 * starts. NULL is the empty copy. The IPC layer moves these as out-of-line
 * data: vm_map_copyout() maps one into a map.
 */
struct vm_copy {
	uint64_t c_offset; /* of the data in the first page */
	uint64_t c_size;   /* bytes of data */
	uint64_t c_npages;
	/*
	 * A moved region's whole amap (vm_move_commit): the data is its
	 * slots [c_slot, c_slot + c_npages), the copy holds the reference,
	 * and c_pages is unused. NULL: the data is c_pages.
	 */
	struct vm_amap *c_amap;
	uint64_t c_slot;
	/*
	 * A move not yet committed: the data is still the sender's
	 * (vm_read_move), and the copy has no c_pages (vm_move_commit gives
	 * it c_amap).
	 */
	bool c_pending;
	uint64_t c_pages[]; /* anonymous pages, each holding a reference; 0: zeros */
};

/*
 * A copy of [addr, addr + size) of map. Size 0: *copy = NULL.
 * KERN_INVALID_ADDRESS for a hole or a range outside the user half,
 * KERN_PROTECTION_FAILURE for memory that is not readable (or device
 * memory), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_read(struct vm_map *map, uint64_t addr, uint64_t size, struct vm_copy **copy);
/*
 * Overwrites map's memory at addr with copy (which stays the caller's).
 * KERN_INVALID_ARGUMENT when addr, or the copy's offset or size, is not
 * page-aligned (GNU Mach's vm_map_copy_overwrite), KERN_INVALID_ADDRESS
 * for a hole, KERN_PROTECTION_FAILURE for memory that is not writable.
 */
kern_return_t vm_write(struct vm_map *map, uint64_t addr, const struct vm_copy *copy);
/*
 * The first half of a move (out-of-line memory sent with deallocate):
 * vm_read's checks and codes. When [addr, addr + size) lies in one entry
 * of anonymous memory that only it uses (or never touched), no page is
 * touched: the copy is pending, and vm_move_commit() takes the pages.
 * Otherwise it is vm_read's copy. Between the two, the range must stay as
 * it is (the sender is in mach_msg; on one CPU nothing else runs).
 */
kern_return_t vm_read_move(struct vm_map *map, uint64_t addr, uint64_t size, struct vm_copy **copy);
/*
 * The second half, once the message is sure to go: the range leaves map
 * (vm_deallocate's rounding), and a pending copy takes its pages: the
 * entry's whole amap when the range is the entry, else the range's slots
 * moved to a new amap (or, if the entry changed meanwhile, its pages read
 * copy-on-write; the copy is empty when memory is short then).
 */
void vm_move_commit(struct vm_map *map, uint64_t addr, uint64_t size, struct vm_copy *copy);
/* vm_read of [src, src + size) then vm_write at dst: the same codes. */
kern_return_t vm_copy(struct vm_map *map, uint64_t src, uint64_t size, uint64_t dst);

/* A copy holding len bytes of a kernel buffer (NULL for 0). KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_copy_from_kernel(const void *buf, uint64_t len, struct vm_copy **copy);
/*
 * A copy of len bytes (> 0) of fresh pages for a device to fill, with no
 * copy: c_offset 0, c_size len; the bytes past len to the end of the last
 * page are zeroed, the rest the caller must write (by DMA, into each
 * vm_copy_page()) before the copy leaves the kernel. KERN_RESOURCE_SHORTAGE.
 * The caller may then narrow the data (raise c_offset, lower c_size).
 */
kern_return_t vm_copy_alloc(uint64_t len, struct vm_copy **copy);
/* The physical address of the copy's page i (0: a page of zeros never made). */
uint64_t vm_copy_page(const struct vm_copy *copy, uint64_t i);
/* Copies up to len bytes of the copy's data into buf; returns how many. */
uint64_t vm_copy_to_kernel(const struct vm_copy *copy, void *buf, uint64_t len);
/* The same from the data's byte from on. */
uint64_t vm_copy_read(const struct vm_copy *copy, uint64_t from, void *buf, uint64_t len);
void vm_copy_discard(struct vm_copy *copy);
/*
 * The kernel memory the copy holds while it waits in a message: itself,
 * its page array, and its pages (shared ones too: a copy may be all that
 * keeps them once the sender writes), the bound on queued bytes counts it.
 */
uint64_t vm_copy_held_bytes(const struct vm_copy *copy);
/*
 * Maps copy anywhere in map (read-write, copy-on-write with its source)
 * and consumes it; the data's address goes to *addr. KERN_NO_SPACE or
 * KERN_RESOURCE_SHORTAGE (then the copy is still the caller's).
 */
kern_return_t vm_map_copyout(struct vm_map *map, struct vm_copy *copy, uint64_t *addr);

#endif
