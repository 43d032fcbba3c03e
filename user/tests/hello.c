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

int
main(int argc, char **argv)
{
	tap_plan(4);
	tap_is_int(mach_print("hello: # hello from user mode through mach_print\n"), KERN_SUCCESS,
	           "mach_print of a string returns KERN_SUCCESS");
	tap_is_int(mach_print(""), KERN_SUCCESS,
	           "mach_print of an empty string returns KERN_SUCCESS");
	printf("hello: # printf: argc %d, argv[0] %s\n", argc, argc > 0 ? argv[0] : "(none)");
	tap_ok(argc >= 1 && argv[0] && strlen(argv[0]) > 0, "argv[0] is a non-empty string");
	/* Longer than printf's line buffer (512): it must come out in pieces, not be cut. */
	char big[600];
	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	size_t before = print_total;
	int n = printf("hello: # %s\n", big);
	print_flush();
	tap_ok(n == (int)strlen(big) + 10 && print_total - before == (size_t)n,
	       "printf of a long line: all %d characters go out (%d, %zu)", (int)strlen(big) + 10,
	       n, print_total - before);
	return tap_done();
}
