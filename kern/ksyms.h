/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own symbol table, embedded at build time (scripts/ksyms.sh),
 * for symbolic backtraces.
 */
#ifndef KERN_KSYMS_H
#define KERN_KSYMS_H

#include <stdint.h>

/* The function containing addr, and the offset into it; NULL when unknown. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);
/* Prints a backtrace by following frame pointers from rbp, starting at rip. */
void ksyms_backtrace(uint64_t rip, uint64_t rbp);

#endif
