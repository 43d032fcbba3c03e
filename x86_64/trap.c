// SPDX-License-Identifier: GPL-2.0-or-later
/* Trap dispatch: exceptions get a register dump (and a panic), interrupts go to kern/irq.c. */
#include "x86_64/trap.h"

#include "kern/irq.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "x86_64/cpu.h"

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
    "virtualization",
    "control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security",
    "reserved",
};

static trap_catch_fn trap_catch;

trap_catch_fn
trap_set_catch(trap_catch_fn fn)
{
	trap_catch_fn old = trap_catch;
	trap_catch = fn;
	return old;
}

void
machine_trap_dump(const struct trap_frame *tf)
{
	kprintf("  rip %016lx  cs %04lx  rflags %08lx  rsp %016lx  ss %04lx\n", tf->rip, tf->cs,
	        tf->rflags, tf->rsp, tf->ss);
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", tf->rax, tf->rbx, tf->rcx,
	        tf->rdx);
	kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
	        tf->r8);
	kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r9, tf->r10, tf->r11,
	        tf->r12);
	kprintf("  r13 %016lx  r14 %016lx  r15 %016lx  cr2 %016lx  cr3 %016lx\n", tf->r13, tf->r14,
	        tf->r15, read_cr(2), read_cr(3));
}

void
machine_trap_where(const struct trap_frame *tf, uint64_t *pc, uint64_t *fp)
{
	*pc = tf->rip;
	*fp = tf->rbp;
}

static void
trap_page_fault(struct trap_frame *tf)
{
	uint64_t addr = read_cr(2);
	uint64_t e = tf->error;

	panic_frame(tf, "page fault at %#lx: %s, %s, %s mode%s (error %#lx)", addr,
	            e & PF_PRESENT ? "protection violation" : "not present",
	            e & PF_FETCH   ? "instruction fetch"
	            : e & PF_WRITE ? "write"
	                           : "read",
	            e & PF_USER ? "user" : "kernel", e & PF_RSVD ? ", reserved bit set" : "", e);
}

void trap_dispatch(struct trap_frame *tf);

void
trap_dispatch(struct trap_frame *tf)
{
	if (tf->vector >= T_FIRST_IRQ) {
		irq_dispatch(tf->vector);
		return;
	}
	if (trap_catch && trap_catch(tf))
		return;
	if (tf->vector == T_PAGE_FAULT)
		trap_page_fault(tf);
	panic_frame(tf, "%s (vector %lu, error %#lx)", exception_names[tf->vector], tf->vector,
	            tf->error);
}
