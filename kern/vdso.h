/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vDSO (user/vdso/, docs/vdso.md): its image, embedded in the kernel,
 * copied once at start-up into a physical object, and the vvar page
 * (kern/vvar.h) beside it, both mapped read-only into every task at
 * creation at fixed addresses (VVAR_ADDR, VDSO_ADDR), shared, never
 * copied. A task may deallocate them; a fixed vm_allocate over them gets
 * KERN_NO_SPACE like over any mapping.
 */
#ifndef KERN_VDSO_H
#define KERN_VDSO_H

#include <mach/kern_return.h>
#include <stdint.h>

struct vm_map;

/*
 * Maps the vvar and the vDSO into map where that range is free (a map
 * forked from a parent that kept them has them already; one whose parent
 * put something else there goes without). KERN_RESOURCE_SHORTAGE without
 * memory for the entries.
 */
kern_return_t vdso_map(struct vm_map *map);
/*
 * Where map has the vDSO: its ELF header's address and its size in bytes.
 * KERN_INVALID_ADDRESS when it is not mapped there (deallocated, or
 * something else in its place), KERN_FAILURE before start-up made it.
 */
kern_return_t vdso_find(struct vm_map *map, uint64_t *addr, uint64_t *size);
/*
 * The vDSO's slow path, trap VMACH_TRAP_CLOCK_GETTIME (kern/vvar.h):
 * args[0] a clock id, args[1] a user struct timespec; KERN_SUCCESS,
 * KERN_INVALID_ARGUMENT (a clock it does not serve) or KERN_INVALID_ADDRESS
 * (a bad pointer): Mach codes, as every trap answers; the vDSO turns them
 * into -EINVAL and -EFAULT.
 */
uint64_t trap_vmach_clock_gettime(const uint64_t *args);

#endif
