/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TAP for user test programs. Several programs run in one boot and their
 * lines may interleave, so every line starts with the program's name:
 *
 *   hello: 1..3
 *   hello: ok 1 - mach_print returns KERN_SUCCESS
 *   hello: not ok 2 - strlen
 *   hello: # got 4, expected 5
 *   hello: # done fail (ran 3 of 3, 1 failed)
 *
 * tap_done() prints the last line: "NAME: # done pass" when the plan was
 * announced, every test of it ran and none failed; "NAME: # done fail (...)"
 * otherwise. The harness (tests/qemu/lib.sh) strips "NAME: " to get each
 * program's own TAP stream and passes a program only with its plan, an ok
 * for every number in it, no not ok, and "# done pass": a program that dies
 * half-way never prints that line. Each line goes out in one mach_print.
 *
 * The name is the program's (USER_PROG_NAME, from user/user.mk) unless
 * tap_name() changes it, e.g. for a program run twice in one boot.
 */
#ifndef USER_TAP_H
#define USER_TAP_H

void tap_name(const char *name);
void tap_plan(int n);
/* Each returns cond (true when the test passed). */
int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_is_int(long got, long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int tap_is(const char *got, const char *want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the done line; returns main's status: 0 only when all passed. */
int tap_done(void);

#endif
