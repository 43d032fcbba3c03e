// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GDT, LDT and TSS per CPU, and the IDT all CPUs share. Each TSS gives the
 * double fault and NMI their own stacks (IST), so a kernel stack overflow
 * still reports, and holds rsp0, the running thread's kernel stack, where
 * traps from user mode land (machine_switch keeps it current).
 */
#include "x86_64/gdt.h"

#include "kern/cpu.h"
#include "kern/kmalloc.h"
#include "kern/page_alloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "x86_64/layout.h"
#include "x86_64/trap.h"

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

#define DESC_KCODE64 0x00af9a000000ffffULL
#define DESC_KDATA 0x00cf92000000ffffULL
#define DESC_UCODE64 0x00affa000000ffffULL
#define DESC_UDATA 0x00cff2000000ffffULL
#define SYS_TSS 0x89 /* present, DPL 0, available 64-bit TSS */
#define SYS_LDT 0x82 /* present, DPL 0, LDT */

/* One CPU's tables; the GDT and LDT sit in the same cache-line-aligned block. */
struct cpu_tables {
	uint64_t ct_gdt[7];
	uint64_t ct_ldt[4];
	struct tss ct_tss;
} __attribute__((aligned(64)));

/* The boot CPU's are static; another CPU's come from the heap when it starts. */
static struct cpu_tables boot_tables;
static struct cpu_tables *cpu_tables[MAX_CPUS];
static struct idt_entry idt[256];
static uint8_t boot_ist_stack[2][KSTACK_SIZE] __attribute__((aligned(16)));

extern char trap_stubs[];

/* A 16-byte system descriptor (TSS or LDT) in two GDT slots. */
static void
gdt_set_system(uint64_t *slot, uint64_t base, uint64_t limit, uint64_t type)
{
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (type << 40) |
	          (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

static void
idt_set(int vec, int ist, int dpl)
{
	uint64_t addr = (uint64_t)trap_stubs + 16 * vec;
	struct idt_entry *e = &idt[vec];

	e->offset_lo = addr & 0xffff;
	e->selector = GDT_KCODE;
	e->ist = ist;
	e->type = 0x8e | dpl << 5; /* present, interrupt gate */
	e->offset_mid = (addr >> 16) & 0xffff;
	e->offset_hi = addr >> 32;
	e->reserved = 0;
}

static void
idt_fill_once(void)
{
	static int done;

	if (done)
		return;
	for (int v = 0; v < 256; v++)
		idt_set(v,
		        v == T_DOUBLE_FAULT ? 1
		        : v == T_NMI        ? 2
		                            : 0,
		        v == T_BREAKPOINT ? 3
		                          : 0); /* int3 from user mode is a breakpoint, not a #GP */
	done = 1;
}

/* The double fault and NMI stacks of a CPU: [0] and [1], each KSTACK_SIZE. */
static uint64_t
ist_stacks(unsigned index)
{
	uint64_t pa;

	if (index == 0)
		return (uint64_t)boot_ist_stack;
	pa = page_alloc_bytes(2 * KSTACK_SIZE, 0);
	if (!pa)
		panic("gdt_init_cpu: no memory for CPU %u's fault stacks", index);
	return (uint64_t)phys_to_virt(pa);
}

static void
tables_fill(struct cpu_tables *t, uint64_t ist)
{
	memset(t, 0, sizeof(*t));
	t->ct_gdt[GDT_KCODE / 8] = DESC_KCODE64;
	t->ct_gdt[GDT_KDATA / 8] = DESC_KDATA;
	gdt_set_system(&t->ct_gdt[GDT_TSS / 8], (uint64_t)&t->ct_tss, sizeof(t->ct_tss) - 1,
	               SYS_TSS);
	gdt_set_system(&t->ct_gdt[GDT_LDT / 8], (uint64_t)t->ct_ldt, sizeof(t->ct_ldt) - 1,
	               SYS_LDT);
	t->ct_ldt[USER_SS >> 3] = DESC_UDATA;
	t->ct_ldt[USER_CS >> 3] = DESC_UCODE64;
	t->ct_tss.ist[0] = ist + KSTACK_SIZE;     /* IST1: double fault */
	t->ct_tss.ist[1] = ist + 2 * KSTACK_SIZE; /* IST2: NMI */
	t->ct_tss.iomap_base = sizeof(t->ct_tss); /* no I/O bitmap: user port I/O faults */
}

void
gdt_init_cpu(unsigned index)
{
	struct cpu_tables *t = index ? kmalloc_aligned(sizeof(*t), 64) : &boot_tables;
	struct table_ptr gp = {sizeof(t->ct_gdt) - 1, (uint64_t)t->ct_gdt};
	struct table_ptr ip = {sizeof(idt) - 1, (uint64_t)idt};

	if (!t)
		panic("gdt_init_cpu: no memory for CPU %u's tables", index);
	cpu_tables[index] = t;
	tables_fill(t, ist_stacks(index));
	idt_fill_once();
	__asm__ volatile("lgdt %0" : : "m"(gp));
	/* Reload CS through a far return, then the data segments and the task register. */
	__asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
	                 :
	                 : "i"(GDT_KCODE)
	                 : "rax", "memory");
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" : : "r"(GDT_KDATA));
	__asm__ volatile("lldt %w0" : : "r"(GDT_LDT));
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS));
	__asm__ volatile("lidt %0" : : "m"(ip));
}

void
gdt_set_kernel_stack(unsigned index, uint64_t top)
{
	cpu_tables[index]->ct_tss.rsp[0] = top;
}
