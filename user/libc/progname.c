// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program's name, which tap.c puts at the start of each line. make
 * builds this file once per program with USER_PROG_NAME set (user/user.mk),
 * so a kernel that garbles argv still leaves the output attributable.
 */
const char user_prog_name[] = USER_PROG_NAME;
