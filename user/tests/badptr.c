// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bad pointers to mach_print (trap -30). NULL prints nothing and returns;
 * a kernel-half, a non-canonical, an unmapped address and a string that
 * runs into an unmapped page get KERN_INVALID_ADDRESS, and the program goes
 * on. (GNU Mach 2025 panics on all but NULL: vmach is meant to differ, see
 * MACH-ABI.md, so make check-gnumach leaves this program out.)
 */
#include <mach/kern_return.h>
#include <start.h>
#include <stdint.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

int
main(void)
{
	tap_plan(7);

	/* The return value of NULL is not pinned down by GNU Mach: only that it returns. */
	kern_return_t kr = mach_print(NULL);
	tap_ok(1, "mach_print(NULL) returns (%d)", kr);

	tap_is_int(mach_print((const char *)0xffffffff80000000ul), KERN_INVALID_ADDRESS,
	           "a kernel-half address (the kernel image): KERN_INVALID_ADDRESS");
	tap_is_int(mach_print((const char *)0xffff800000000000ul), KERN_INVALID_ADDRESS,
	           "the first kernel-half address: KERN_INVALID_ADDRESS");
	tap_is_int(mach_print((const char *)0x0000800000000000ul), KERN_INVALID_ADDRESS,
	           "the first non-canonical address: KERN_INVALID_ADDRESS");
	tap_is_int(mach_print((const char *)0x1000), KERN_INVALID_ADDRESS,
	           "an unmapped low address: KERN_INVALID_ADDRESS");
	tap_is_int(mach_print(_end + 0x100000), KERN_INVALID_ADDRESS,
	           "an unmapped address past the program: KERN_INVALID_ADDRESS");

	/*
	 * The last 16 bytes before _end (user/user.ld keeps them free), with
	 * no NUL: the string runs into the unmapped page at _end.
	 */
	uintptr_t end = (uintptr_t)_end;
	__asm__("" : "+r"(end)); /* gcc would see _end[-16] as outside the object */
	char *cross = (char *)(end - 16);
	memset(cross, 'X', 16);
	tap_is_int(mach_print(cross), KERN_INVALID_ADDRESS,
	           "a string that crosses into an unmapped page: KERN_INVALID_ADDRESS");
	return tap_done();
}
