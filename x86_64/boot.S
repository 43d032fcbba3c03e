/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multiboot 1 entry: a 32-bit protected-mode start, the switch to long mode
 * with a temporary page table, and the jump to the higher half.
 *
 * The header carries the address fields (flag bit 16), so both QEMU's
 * -kernel loader and GRUB load the 64-bit ELF as a flat image.
 * The temporary table maps the first 1 GiB three times: identity (to survive
 * the switch), at KERNEL_BASE (the kernel's addresses) and at the direct
 * map base (so kern/ can read the Multiboot data before paging_init()).
 */
#include "x86_64/layout.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))

#define PHYS(x) ((x) - KERNEL_BASE)

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header                 /* header_addr (physical: .boot is at its LMA) */
	.long kernel_image_start_phys   /* load_addr */
	.long PHYS(kernel_load_end)     /* load_end_addr */
	.long kernel_image_end_phys     /* bss_end_addr */
	.long boot_entry32              /* entry_addr */

	.section .boot.text, "ax"
	.code32
	.global boot_entry32
boot_entry32:
	cli
	cld
	mov $boot_stack_top_phys, %esp
	mov %eax, %ebp                  /* Multiboot magic */
	mov %ebx, %esi                  /* Multiboot info, physical */
	rdtsc                           /* kernel entry, for the boot phases (kern/boot_phase.h) */
	mov %eax, PHYS(boot_entry_cycles)
	mov %edx, PHYS(boot_entry_cycles) + 4

	/* Zero the three boot tables (file-backed in .boot.data, but be sure). */
	mov $boot_pml4, %edi
	xor %eax, %eax
	mov $(3 * 4096 / 4), %ecx
	rep stosl

	/* PD: 512 x 2 MiB pages covering 0..1 GiB. */
	mov $boot_pd, %ebx
	mov $0x83, %eax                 /* present, write, page size */
	xor %ecx, %ecx
1:	mov %eax, (%ebx,%ecx,8)
	movl $0, 4(%ebx,%ecx,8)
	add $0x200000, %eax
	inc %ecx
	cmp $512, %ecx
	jne 1b

	/* PDPT: entry 0 (identity and direct map) and 510 (-2 GiB) -> PD. */
	mov $boot_pdpt, %ebx
	mov $boot_pd, %eax
	or $0x3, %eax
	mov %eax, (%ebx)
	mov %eax, (510 * 8)(%ebx)

	/* PML4: 0, the direct map slot and 511 -> PDPT. */
	mov $boot_pml4, %ebx
	mov $boot_pdpt, %eax
	or $0x3, %eax
	mov %eax, (%ebx)
	mov %eax, (PML4_INDEX_DIRECT * 8)(%ebx)
	mov %eax, (511 * 8)(%ebx)


	mov %cr4, %eax
	or $(1 << 5), %eax              /* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx           /* EFER */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $boot_entry64

	.code64
boot_entry64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	movabs $boot_higher_half, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.align 4096
boot_pml4:	.fill 4096, 1, 0
boot_pdpt:	.fill 4096, 1, 0
boot_pd:	.fill 4096, 1, 0
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.text
boot_higher_half:
	/* kmain(magic, info): ebp and esi survived the switch, zero-extended. */
	mov %ebp, %edi
	mov %esi, %esi
	xor %ebp, %ebp
	call kmain
1:	cli
	hlt
	jmp 1b

	.data
	.align 8
	.global boot_entry_cycles
boot_entry_cycles:
	.quad 0

	.bss
	.align 16
	.global boot_stack_top
boot_stack:
	.fill BOOT_STACK_SIZE, 1, 0
boot_stack_top:
	.set boot_stack_top_phys, boot_stack_top - KERNEL_BASE
