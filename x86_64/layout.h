/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's virtual address layout. Shared by C and assembly.
 *
 *   0xffff800000000000  direct map of all physical RAM (DIRECT_MAP_BASE)
 *   0xffffc00000000000  device (MMIO) mappings, uncached (MMIO_BASE)
 *   0xffffc10000000000  kernel stacks, each with an unmapped guard page below
 *                       (KSTACK_AREA_BASE, managed by kern/kstack.c)
 *   0xffffffff80000000  the kernel image (KERNEL_BASE + physical)
 *
 * The user half is [0, USER_SPACE_END); each task has its own.
 */
#ifndef X86_64_LAYOUT_H
#define X86_64_LAYOUT_H

#define KERNEL_BASE 0xffffffff80000000
#define DIRECT_MAP_BASE 0xffff800000000000
#define PML4_INDEX_DIRECT 256
#define MMIO_BASE 0xffffc00000000000
#define MMIO_SIZE 0x0000010000000000 /* 1 TiB of address space */
#define KSTACK_AREA_BASE 0xffffc10000000000
#define KSTACK_AREA_SIZE 0x0000001000000000 /* 64 GiB */
#define USER_SPACE_END 0x0000800000000000
/* Offsets in struct cpu (kern/cpu.h) used by the entry code through %gs. */
#define CPU_OFF_KSTACK_TOP 8
#define CPU_OFF_USER_RSP 16
#define CPU_OFF_THREAD 24
#define CPU_OFF_NEED_RESCHED 32
#define BOOT_STACK_SIZE 16384
#define KSTACK_SIZE 16384
#define PAGE_SIZE 4096
#define PAGE_SHIFT 12

#endif
