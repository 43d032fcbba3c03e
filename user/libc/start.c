// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From the initial stack to main. user/crt0.S passes the stack pointer the
 * kernel gave: argc, argv[0..argc-1], NULL, envp..., NULL (MACH-ABI.md).
 */
#include <start.h>
#include <stdint.h>
#include <stdlib.h>

struct crt0_start_state crt0_start_state;
char **environ;

int main(int argc, char **argv, char **envp);

_Noreturn void crt0_main(uint64_t *sp);

_Noreturn void
crt0_main(uint64_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	exit(main(argc, argv, environ));
}
