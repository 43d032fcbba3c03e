// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual-memory RPCs (kern/ipc_kobject.h): vm_* of mach.defs over
 * vm/vm_user.h, vm_wire of mach_host.defs, and gnumach.defs' vm_wire_all,
 * vm_allocate_contiguous, vm_pages_phys, vm_cache_statistics and
 * vm_msync. Out-of-line data travels as a struct vm_copy (vm_read's
 * result, vm_write's data). No map (a port naming no task):
 * KERN_INVALID_ARGUMENT from vm/vm_user.h, KERN_INVALID_TASK where GNU
 * Mach says so (the wiring calls).
 */
#include "ipc/ipc_kmsg_cache.h"
#include "kern/ipc_host.h"
#include "kern/ipc_traps.h"
#include "kern/kmalloc.h"
#include "kern/kpager.h"
#include "kern/string.h"
#include "mig/gnumach_server.h"
#include "mig/mach_host_server.h"
#include "mig/mach_server.h"
#include "vm/vm_map.h"
#include "vm/vm_user.h"
#include "x86_64/machine.h"

kern_return_t
S_vm_allocate(vm_map_t map, vm_address_t *address, vm_size_t size, boolean_t anywhere)
{
	uint64_t addr = *address;
	kern_return_t kr = vm_allocate(map, &addr, size, anywhere);

	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

kern_return_t
S_vm_deallocate(vm_map_t map, vm_address_t address, vm_size_t size)
{
	return vm_deallocate(map, address, size);
}

kern_return_t
S_vm_protect(vm_map_t map, vm_address_t address, vm_size_t size, boolean_t set_maximum,
             vm_prot_t prot)
{
	return vm_protect(map, address, size, set_maximum, prot);
}

kern_return_t
S_vm_inherit(vm_map_t map, vm_address_t address, vm_size_t size, vm_inherit_t inheritance)
{
	return vm_inherit(map, address, size, inheritance);
}

kern_return_t
S_vm_read(vm_map_t map, vm_address_t address, vm_size_t size, vm_offset_t *data,
          mach_msg_type_number_t *count)
{
	struct vm_copy *copy = NULL;
	kern_return_t kr;

	if (size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT; /* the count is 32 bits */
	kr = vm_read(map, address, size, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	*data = (vm_offset_t)copy;
	*count = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

/* The copy is consumed on success only (on failure the request is destroyed with it). */
kern_return_t
S_vm_write(vm_map_t map, vm_address_t address, vm_offset_t data, mach_msg_type_number_t count)
{
	struct vm_copy *copy = (struct vm_copy *)data;
	kern_return_t kr = vm_write(map, address, copy);

	if (kr == KERN_SUCCESS && copy)
		vm_copy_discard(copy);
	return kr;
}

kern_return_t
S_vm_copy(vm_map_t map, vm_address_t source, vm_size_t size, vm_address_t dest)
{
	return vm_copy(map, source, size, dest);
}

kern_return_t
S_vm_region(vm_map_t map, vm_address_t *address, vm_size_t *size, vm_prot_t *protection,
            vm_prot_t *max_protection, vm_inherit_t *inheritance, boolean_t *is_shared,
            ipc_port_t *object_name, vm_offset_t *offset)
{
	uint64_t addr = *address, len = 0, off = 0;
	bool shared = false;
	kern_return_t kr =
	    vm_region(map, &addr, &len, protection, max_protection, inheritance, &shared, &off);

	if (kr != KERN_SUCCESS)
		return kr;
	*address = addr;
	*size = len;
	*is_shared = shared;
	*object_name = IP_NULL; /* no memory object names yet */
	*offset = off;
	return KERN_SUCCESS;
}

kern_return_t
S_vm_statistics(vm_map_t map, vm_statistics_data_t *stats)
{
	/*
	 * The heap's empty slabs count as free: a task that freed all it made
	 * (ports, messages, map entries) sees its pages back, which the
	 * hostile and exhaustion tests (user/tests/ipc-hostile.c) rely on.
	 * The message buffers kept for reuse go back to the heap first, and so
	 * does the entry the map keeps for its next insertion (it can pin a
	 * heap page of its own: ipc-ool-cow's fork scenario saw one).
	 */
	ipc_kmsg_cache_drain();
	if (map)
		vm_map_drop_spare(map);
	kmalloc_reclaim();
	return vm_statistics(map, stats);
}

/* Anywhere, aligned to mask + 1: a larger range, its ends given back. */
static kern_return_t
allocate_aligned(struct vm_map *map, uint64_t *addr, uint64_t size, uint64_t mask)
{
	uint64_t a = 0, align = mask + 1;
	kern_return_t kr;

	if (align & mask)
		return KERN_INVALID_ARGUMENT; /* not a power of two */
	if (size + align < size)
		return KERN_NO_SPACE;
	kr = vm_allocate(map, &a, size + align, true);
	if (kr != KERN_SUCCESS)
		return kr;
	uint64_t start = (a + mask) & ~mask;
	vm_deallocate(map, a, start - a);
	vm_deallocate(map, start + size, a + size + align - (start + size));
	*addr = start;
	return KERN_SUCCESS;
}

static kern_return_t
map_anonymous(struct vm_map *map, uint64_t *address, uint64_t size, uint64_t mask, bool anywhere,
              vm_prot_t cur_protection, vm_prot_t max_protection, vm_inherit_t inheritance)
{
	uint64_t addr = *address;
	kern_return_t kr;

	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	kr = anywhere && mask ? allocate_aligned(map, &addr, size, mask)
	                      : vm_allocate(map, &addr, size, anywhere);
	if (kr != KERN_SUCCESS)
		return kr;
	if (max_protection != VM_PROT_ALL)
		vm_protect(map, addr, size, true, max_protection);
	if (cur_protection != VM_PROT_DEFAULT)
		vm_protect(map, addr, size, false, cur_protection & max_protection);
	if (inheritance != VM_INHERIT_DEFAULT)
		vm_inherit(map, addr, size, inheritance);
	*address = addr;
	return KERN_SUCCESS;
}

/*
 * A kernel pager's object, shared (copy=FALSE): whole pages, as GNU Mach
 * rounds (a task maps the 64-byte time area with its size), with at most
 * the access the pager grants (more is cut back, not refused: a write then
 * faults, as on GNU Mach, whose pager refuses it). An alignment mask is
 * met by finding an aligned hole first (one CPU: nothing takes it between
 * the two steps; SMP will want vm_map_object to take the mask).
 */
static kern_return_t
map_pager(struct vm_map *map, uint64_t *address, uint64_t size, uint64_t mask, bool anywhere,
          struct kpager *kp, uint64_t offset, bool copy, vm_prot_t cur_protection,
          vm_prot_t max_protection, vm_inherit_t inheritance)
{
	uint64_t addr = anywhere ? 0 : *address & ~(uint64_t)(PAGE_SIZE - 1);
	kern_return_t kr;

	if (copy)
		return KERN_INVALID_ARGUMENT; /* no private copies of device memory yet */
	if (size == 0 || size + PAGE_SIZE - 1 < size)
		return KERN_INVALID_ARGUMENT;
	size = (size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	max_protection &= kp->kp_max_prot;
	cur_protection &= max_protection;
	if (anywhere && mask) {
		kr = allocate_aligned(map, &addr, size, mask);
		if (kr != KERN_SUCCESS)
			return kr;
		vm_deallocate(map, addr, size);
		anywhere = false;
	}
	kr = vm_map_object(map, &addr, size, anywhere, kp->kp_object, offset, cur_protection,
	                   max_protection, inheritance);
	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

kern_return_t
vm_map_port(struct vm_map *map, uint64_t *address, uint64_t size, uint64_t mask, bool anywhere,
            struct ipc_port *memory_object, uint64_t offset, bool copy, vm_prot_t cur_protection,
            vm_prot_t max_protection, vm_inherit_t inheritance)
{
	struct kpager *kp = NULL;

	if (!map || (cur_protection & ~VM_PROT_ALL) || (max_protection & ~VM_PROT_ALL) ||
	    inheritance > VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	if (memory_object && !(kp = kpager_from_port(memory_object)))
		return KERN_INVALID_ARGUMENT; /* GNU Mach's answer for a port that is no pager */
	if (kp)
		return map_pager(map, address, size, mask, anywhere, kp, offset, copy,
		                 cur_protection, max_protection, inheritance);
	return map_anonymous(map, address, size, mask, anywhere, cur_protection, max_protection,
	                     inheritance);
}

/*
 * Anonymous memory, or a kernel pager's object (the `time` device's page,
 * through device_map): vmach has no external pagers yet, so any other
 * port gives KERN_INVALID_ARGUMENT, GNU Mach's answer for a port that is
 * no pager. The memory object's send right is the stub's to release
 * (MIG's vm_map releases it on success; the request's destruction on
 * failure).
 */
kern_return_t
S_vm_map(vm_map_t map, vm_address_t *address, vm_size_t size, vm_address_t mask, boolean_t anywhere,
         ipc_port_t memory_object, vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
         vm_prot_t max_protection, vm_inherit_t inheritance)
{
	uint64_t addr = *address;
	kern_return_t kr = vm_map_port(map, &addr, size, mask, anywhere, memory_object, offset,
	                               copy, cur_protection, max_protection, inheritance);

	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

/* x86 caches need no attribute calls: GNU Mach's pmap_attribute refuses them. */
kern_return_t
S_vm_machine_attribute(vm_map_t map, vm_address_t address, vm_size_t size,
                       vm_machine_attribute_t attribute, vm_machine_attribute_val_t *value)
{
	if (!map)
		return KERN_INVALID_ARGUMENT;
	return KERN_INVALID_ADDRESS;
}

kern_return_t
S_vm_wire(ipc_port_t host, vm_map_t map, vm_address_t address, vm_size_t size, vm_prot_t access)
{
	if (!convert_port_to_host(host))
		return KERN_INVALID_HOST;
	if (!map)
		return KERN_INVALID_TASK;
	return vm_wire(map, address, size, access);
}

kern_return_t
S_vm_wire_all(ipc_port_t host, vm_map_t map, vm_wire_t flags)
{
	if (!convert_port_to_host(host))
		return KERN_INVALID_HOST;
	if (!map)
		return KERN_INVALID_TASK;
	return vm_wire_all(map, flags);
}

kern_return_t
S_vm_allocate_contiguous(host_t host_priv, vm_map_t map, vm_address_t *vaddr,
                         rpc_phys_addr_t *paddr, vm_size_t size, rpc_phys_addr_t pmin,
                         rpc_phys_addr_t pmax, rpc_phys_addr_t palign)
{
	uint64_t va = 0, pa = 0;
	kern_return_t kr;

	if (!host_priv)
		return KERN_INVALID_HOST;
	if (!map)
		return KERN_INVALID_TASK;
	kr = vm_allocate_contiguous(map, &va, &pa, size, pmin, pmax, palign);
	if (kr != KERN_SUCCESS)
		return kr;
	*vaddr = va;
	*paddr = pa;
	return KERN_SUCCESS;
}

/*
 * The physical address of each page of [vaddr, vaddr + size), 0 for one
 * not present. vmach answers in the reply's inline array only (256
 * pages); a larger range is KERN_INVALID_ARGUMENT.
 */
kern_return_t
S_vm_pages_phys(host_t host_priv, vm_map_t map, vm_address_t vaddr, vm_size_t size,
                rpc_phys_addr_array_t *pages, mach_msg_type_number_t *count)
{
	uint64_t n = size / PAGE_SIZE;

	if (!host_priv)
		return KERN_INVALID_HOST;
	if (!map)
		return KERN_INVALID_TASK;
	if ((vaddr | size) & (PAGE_SIZE - 1) || n > *count)
		return KERN_INVALID_ARGUMENT;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		if (!pmap_extract(vm_map_pmap(map), vaddr + i * PAGE_SIZE, &pa))
			pa = 0;
		(*pages)[i] = pa;
	}
	*count = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

/* No object cache: every count is 0. */
kern_return_t
S_vm_cache_statistics(vm_map_t map, vm_cache_statistics_data_t *stats)
{
	if (!map)
		return KERN_INVALID_ARGUMENT;
	memset(stats, 0, sizeof(*stats));
	return KERN_SUCCESS;
}

/* Anonymous memory has no pager to write back to: nothing to do (GNU Mach, temporary objects). */
kern_return_t
S_vm_msync(vm_map_t map, vm_address_t address, vm_size_t size, vm_sync_t sync_flags)
{
	if (!map)
		return KERN_INVALID_TASK;
	return KERN_SUCCESS;
}
