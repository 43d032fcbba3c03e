/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The end of a user program (user/libc/exit.c). */
#ifndef USER_STDLIB_H
#define USER_STDLIB_H

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* Flushes printf and terminates the task; never returns. */
_Noreturn void exit(int status);
_Noreturn void abort(void);

unsigned long strtoul(const char *s, char **end, int base);

#endif
