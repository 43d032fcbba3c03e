/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Selectors and the per-CPU descriptor tables (x86_64/gdt.c).
 *
 * User selectors are GNU Mach's (MACH-ABI.md): cs 0x1f and ss 0x17 have the
 * table bit set, so they name LDT entries 3 (64-bit code) and 2 (data) with
 * RPL 3. SYSRET builds them from STAR[63:48] = 0x0f: cs = 0x0f + 16 | 3,
 * ss = 0x0f + 8 | 3. SYSCALL takes cs = STAR[47:32] = 0x08 and ss = 0x10.
 */
#ifndef X86_64_GDT_H
#define X86_64_GDT_H

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_TSS 0x18 /* two slots */
#define GDT_LDT 0x28 /* two slots */
#define USER_CS 0x1f /* LDT index 3, RPL 3 */
#define USER_SS 0x17 /* LDT index 2, RPL 3 */
#define STAR_SYSRET_BASE 0x0f

#ifndef __ASSEMBLY__
#include <stdint.h>

/*
 * Loads this CPU's GDT, LDT, TSS and the shared IDT; index is the CPU's
 * index in cpus[]. The boot CPU's double fault and NMI stacks are static;
 * another CPU's come from the page allocator (not before it exists).
 */
void gdt_init_cpu(unsigned index);
/* Sets this CPU's TSS rsp0: the stack that traps from user mode land on. */
void gdt_set_kernel_stack(unsigned index, uint64_t top);
#endif

#endif
