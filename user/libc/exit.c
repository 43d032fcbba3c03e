// SPDX-License-Identifier: GPL-2.0-or-later
/* The end of a user program. */
#include <stdio.h>
#include <stdlib.h>
#include <traps.h>

_Noreturn void
exit(int status)
{
	/*
	 * Mach has no exit status: a task just ends. Test programs report
	 * their result in their TAP output (user/test/tap.c) before this.
	 */
	(void)status;
	print_flush();
	syscall_task_terminate(mach_task_self());
	/*
	 * Still here: the kernel refused (no task port yet, or no such trap).
	 * Spinning on swtch() would keep a dead program alive for ever and a
	 * boot that waits for its tasks to end would never end. An invalid
	 * instruction is an exception no one handles, so the kernel kills the
	 * task (and says so in its log).
	 */
	for (;;)
		__asm__ volatile("ud2");
}

_Noreturn void
abort(void)
{
	print_flush();
	for (;;)
		__asm__ volatile("ud2");
}
