// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bad pointers to mach_print (trap -30). NULL prints nothing and returns;
 * a kernel-half, a non-canonical, an unmapped address and a string that
 * runs into an unmapped page get KERN_INVALID_ADDRESS, and the program goes
 * on, and none of them prints anything. (GNU Mach 2025 panics on all but
 * NULL: vmach is meant to differ, see MACH-ABI.md, so make check-gnumach
 * runs only `badptr null`.)
 */
#include <mach/kern_return.h>
#include <start.h>
#include <stdint.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

/* The 16 bytes before _end, with no NUL; the harness checks they never reach the log. */
static const char marker[16] = {'B', 'A', 'D', 'P', 'T', 'R', '-', 'C',
                                'R', 'O', 'S', 'S', 'I', 'N', 'G', '!'};

int
main(int argc, char **argv)
{
	/* `badptr null`: only the NULL case, which GNU Mach survives too. */
	int null_only = argc >= 2 && strcmp(argv[1], "null") == 0;

	tap_plan(null_only ? 2 : 8);

	/* GNU Mach prints nothing and returns KERN_SUCCESS. */
	kern_return_t kr = mach_print(NULL);
	tap_ok(1, "mach_print(NULL) returns");
	tap_is_int(kr, KERN_SUCCESS, "mach_print(NULL) returns KERN_SUCCESS");
	if (null_only)
		return tap_done();

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
	char *cross = (char *)(end - sizeof(marker));
	memcpy(cross, marker, sizeof(marker));
	tap_is_int(mach_print(cross), KERN_INVALID_ADDRESS,
	           "a string that crosses into an unmapped page: KERN_INVALID_ADDRESS");
	return tap_done();
}
