// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mach_port.defs: the MIG stubs' S_ routines (kern/ipc_kobject.h) over
 * ipc/mach_port.h, on the space of the task the request port names (NULL
 * when it names none: KERN_INVALID_TASK, which ipc/mach_port.c returns).
 * Arrays leave as out-of-line data: a struct vm_copy in the pointer slot.
 */
#include "ipc/mach_port.h"
#include "kern/kmalloc.h"
#include "kern/string.h"
#include "mig/mach_port_server.h"
#include "vm/vm_user.h"

/* An array of count 32-bit elements as OOL data (consumes a, kmalloc()ed). */
static kern_return_t
array_out(void *a, unsigned count, void *slot)
{
	struct vm_copy *c = NULL;
	kern_return_t kr = vm_copy_from_kernel(a, (uint64_t)count * 4, &c);

	kfree(a);
	memcpy(slot, &c, sizeof c);
	return kr;
}

kern_return_t
S_mach_port_names(ipc_space_t space, mach_port_name_array_t *names,
                  mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
                  mach_msg_type_number_t *typesCnt)
{
	mach_port_name_t *n = NULL;
	mach_port_type_t *t = NULL;
	unsigned count = 0;
	kern_return_t kr = ipc_mach_port_names(space, &n, &t, &count);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = array_out(n, count, names);
	if (kr != KERN_SUCCESS) {
		kfree(t);
		return kr;
	}
	kr = array_out(t, count, types);
	if (kr != KERN_SUCCESS) {
		vm_copy_discard((struct vm_copy *)*names);
		return kr;
	}
	*namesCnt = *typesCnt = count;
	return KERN_SUCCESS;
}

kern_return_t
S_mach_port_type(ipc_space_t space, mach_port_name_t name, mach_port_type_t *ptype)
{
	return ipc_mach_port_type(space, name, ptype);
}

kern_return_t
S_mach_port_rename(ipc_space_t space, mach_port_name_t old_name, mach_port_name_t new_name)
{
	return ipc_mach_port_rename(space, old_name, new_name);
}

kern_return_t
S_mach_port_allocate_name(ipc_space_t space, mach_port_right_t right, mach_port_name_t name)
{
	return ipc_mach_port_allocate_name(space, right, name);
}

kern_return_t
S_mach_port_allocate(ipc_space_t space, mach_port_right_t right, mach_port_name_t *name)
{
	return ipc_mach_port_allocate(space, right, name);
}

kern_return_t
S_mach_port_destroy(ipc_space_t space, mach_port_name_t name)
{
	return ipc_mach_port_destroy(space, name);
}

kern_return_t
S_mach_port_deallocate(ipc_space_t space, mach_port_name_t name)
{
	return ipc_mach_port_deallocate(space, name);
}

kern_return_t
S_mach_port_get_refs(ipc_space_t space, mach_port_name_t name, mach_port_right_t right,
                     mach_port_urefs_t *refs)
{
	return ipc_mach_port_get_refs(space, name, right, refs);
}

kern_return_t
S_mach_port_mod_refs(ipc_space_t space, mach_port_name_t name, mach_port_right_t right,
                     mach_port_delta_t delta)
{
	return ipc_mach_port_mod_refs(space, name, right, delta);
}

kern_return_t
S_mach_port_set_qlimit(ipc_space_t space, mach_port_name_t name, mach_port_msgcount_t qlimit)
{
	return ipc_mach_port_set_qlimit(space, name, qlimit);
}

kern_return_t
S_mach_port_set_mscount(ipc_space_t space, mach_port_name_t name, mach_port_mscount_t mscount)
{
	return ipc_mach_port_set_mscount(space, name, mscount);
}

kern_return_t
S_mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
                           mach_port_name_array_t *members, mach_msg_type_number_t *membersCnt)
{
	mach_port_name_t *m = NULL;
	unsigned count = 0;
	kern_return_t kr = ipc_mach_port_get_set_status(space, name, &m, &count);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = array_out(m, count, members);
	if (kr == KERN_SUCCESS)
		*membersCnt = count;
	return kr;
}

kern_return_t
S_mach_port_move_member(ipc_space_t space, mach_port_name_t member, mach_port_name_t after)
{
	return ipc_mach_port_move_member(space, member, after);
}

kern_return_t
S_mach_port_request_notification(ipc_space_t space, mach_port_name_t name, mach_msg_id_t id,
                                 mach_port_mscount_t sync, ipc_port_t notify, ipc_port_t *previous)
{
	return ipc_mach_port_request_notification(space, name, id, sync, notify, previous);
}

kern_return_t
S_mach_port_insert_right(ipc_space_t space, mach_port_name_t name, ipc_port_t poly,
                         mach_msg_type_name_t polyPoly)
{
	/*
	 * MIG lets a polymorphic argument through with any type name: when it
	 * names no right, poly is the sender's data, not a port, and must not
	 * be touched (the hostile test sent an INTEGER there and the kernel
	 * read it as a port). GNU Mach: KERN_INVALID_VALUE.
	 */
	if (space && MACH_PORT_VALID(name) && !MACH_MSG_TYPE_PORT_ANY_RIGHT(polyPoly))
		return KERN_INVALID_VALUE;
	/* GNU Mach: a null or dead right is no capability to insert. */
	if (space && MACH_PORT_VALID(name) && !IP_VALID(poly))
		return KERN_INVALID_CAPABILITY;
	return ipc_mach_port_insert_right(space, name, poly, polyPoly);
}

kern_return_t
S_mach_port_extract_right(ipc_space_t space, mach_port_name_t name, mach_msg_type_name_t msgt_name,
                          ipc_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	return ipc_mach_port_extract_right(space, name, msgt_name, poly, polyPoly);
}

kern_return_t
S_mach_port_get_receive_status(ipc_space_t space, mach_port_name_t name, mach_port_status_t *status)
{
	return ipc_mach_port_get_receive_status(space, name, status);
}

kern_return_t
S_mach_port_set_seqno(ipc_space_t space, mach_port_name_t name, mach_port_seqno_t seqno)
{
	return ipc_mach_port_set_seqno(space, name, seqno);
}

kern_return_t
S_mach_port_set_protected_payload(ipc_space_t space, mach_port_name_t name, rpc_uintptr_t payload)
{
	return ipc_mach_port_set_protected_payload(space, name, payload);
}

kern_return_t
S_mach_port_clear_protected_payload(ipc_space_t space, mach_port_name_t name)
{
	return ipc_mach_port_clear_protected_payload(space, name);
}
