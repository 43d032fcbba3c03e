// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GDT, TSS and IDT of the boot CPU. The TSS gives the double fault and NMI
 * their own stacks (IST), so a kernel stack overflow still reports.
 */
#include <stdint.h>

#include "kern/string.h"
#include "x86_64/layout.h"
#include "x86_64/trap.h"

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_TSS 0x28

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS layout");
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry layout");

static uint64_t gdt[7] = {
    0,
    0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
    0x00cf92000000ffff, /* 0x10 kernel data */
    0x00cff2000000ffff, /* 0x18 user data (sysret order: data before code) */
    0x00affa000000ffff, /* 0x20 user code, 64-bit */
    0,
    0, /* 0x28 TSS (two slots) */
};
static struct tss tss;
static struct idt_entry idt[256];
static uint8_t ist_stack[2][KSTACK_SIZE] __attribute__((aligned(16)));

extern char trap_stubs[];

static void
gdt_set_tss(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	         (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

static void
idt_set(int vec, int ist)
{
	uint64_t addr = (uint64_t)trap_stubs + 16 * vec;
	struct idt_entry *e = &idt[vec];

	e->offset_lo = addr & 0xffff;
	e->selector = GDT_KCODE;
	e->ist = ist;
	e->type = 0x8e; /* present, DPL 0, interrupt gate */
	e->offset_mid = (addr >> 16) & 0xffff;
	e->offset_hi = addr >> 32;
	e->reserved = 0;
}

void
trap_init(void)
{
	struct table_ptr gp = {sizeof(gdt) - 1, (uint64_t)gdt};
	struct table_ptr ip = {sizeof(idt) - 1, (uint64_t)idt};

	tss.ist[0] = (uint64_t)ist_stack[0] + KSTACK_SIZE; /* IST1: double fault */
	tss.ist[1] = (uint64_t)ist_stack[1] + KSTACK_SIZE; /* IST2: NMI */
	tss.iomap_base = sizeof(tss);
	gdt_set_tss();
	for (int v = 0; v < 256; v++)
		idt_set(v, v == T_DOUBLE_FAULT ? 1 : v == T_NMI ? 2 : 0);

	__asm__ volatile("lgdt %0" : : "m"(gp));
	/* Reload CS through a far return, then the data segments and the task register. */
	__asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
	                 :
	                 : "i"(GDT_KCODE)
	                 : "rax", "memory");
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" : : "r"(GDT_KDATA));
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS));
	__asm__ volatile("lidt %0" : : "m"(ip));
}
