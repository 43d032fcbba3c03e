// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * copyinstr (copyin and copyout are inline, x86_64/machine.h). The range is checked
 * first: it must lie wholly in [PAGE_SIZE, USER_SPACE_END), so NULL's
 * page, the kernel half and a wrap-around are refused before any access.
 * Inside the range a page fault goes to the VM (user_page_fault) from the
 * page fault handler, which retries the copy or makes it return
 * USER_COPY_FAULT (x86_64/user_copy_asm.S, x86_64/trap.c).
 *
 * They may block in the VM: call them with interrupts enabled and no
 * spinlock held, on the thread whose address space is meant.
 */
#include "x86_64/machine.h"
#include "x86_64/user_copy.h"

kern_return_t
copyinstr(const void *uaddr, char *kbuf, size_t max, size_t *len)
{
	uint64_t a = (uint64_t)uaddr;
	size_t room;
	int64_t n;

	if (max == 0)
		return KERN_INVALID_ARGUMENT;
	if (!machine_user_range_ok(a, 1))
		return KERN_INVALID_ADDRESS;
	/* Never read past the user half: a string running into it is a bad address. */
	room = USER_SPACE_END - a < max ? USER_SPACE_END - a : max;
	n = user_copy_str(kbuf, uaddr, room);
	if (n == USER_COPY_FAULT)
		return KERN_INVALID_ADDRESS;
	if (n < 0)
		return room < max ? KERN_INVALID_ADDRESS : KERN_INVALID_ARGUMENT;
	*len = n;
	return KERN_SUCCESS;
}
