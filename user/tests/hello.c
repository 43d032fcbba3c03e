// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The first user program: it prints through mach_print (trap -30), both
 * directly and through printf's line buffer, and checks the traps' returns.
 */
#include <mach/kern_return.h>
#include <stdio.h>
#include <string.h>
#include <tap.h>
#include <traps.h>

int main(int argc, char **argv)
{
	tap_plan(4);
	tap_is_int(mach_print("hello: # hello from user mode through mach_print\n"), KERN_SUCCESS,
		   "mach_print of a string returns KERN_SUCCESS");
	tap_is_int(mach_print(""), KERN_SUCCESS, "mach_print of an empty string returns KERN_SUCCESS");
	printf("hello: # printf: argc %d, argv[0] %s\n", argc, argc > 0 ? argv[0] : "(none)");
	tap_ok(argc >= 1 && argv[0] && strlen(argv[0]) > 0, "argv[0] is a non-empty string");
	/* Twice the line buffer of printf: it must come out in pieces, not be lost. */
	char big[1100];
	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tap_is_int(printf("hello: # %s\n", big), (int)strlen(big) + 10, "printf of a long line");
	return tap_done();
}
