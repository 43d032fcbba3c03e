// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Trap dispatch. Interrupts go to kern/irq.c. Exceptions from user mode
 * become Mach exceptions (user_exception, kern/user_entry.h), with GNU
 * Mach's mapping (i386/i386/trap.c: user_trap); page faults first go to
 * the VM. Kernel exceptions get a register dump and a panic, except page
 * faults in the user-copy instructions (x86_64/user_copy_asm.S), which the VM
 * resolves or which fail the copy. Every return to user mode passes the
 * scheduler's preemption point.
 */
#include "x86_64/trap.h"

#include <mach/exception.h>
#include <mach/vm_prot.h>

#include "kern/irq.h"
#include "kern/kstack.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/user_entry.h"
#include "x86_64/cpu.h"
#include "x86_64/gdt.h"
#include "x86_64/user_copy.h"

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
static trap_user_catch_fn trap_user_catch;

trap_user_catch_fn
trap_set_user_catch(trap_user_catch_fn fn)
{
	trap_user_catch_fn old = trap_user_catch;
	trap_user_catch = fn;
	return old;
}

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

static unsigned
pf_access(uint64_t error)
{
	if (error & PF_FETCH)
		return VM_PROT_EXECUTE;
	return error & PF_WRITE ? VM_PROT_WRITE : VM_PROT_READ;
}

/*
 * A page fault in the user-copy instructions: the VM maps the page and the
 * copy retries, or the copy returns its failure. Interrupts are back on
 * while the VM works if the copy ran with them on.
 */
static void
trap_copy_fault(struct trap_frame *tf, uint64_t addr)
{
	kern_return_t kr = KERN_INVALID_ADDRESS;

	if (user_addr_canonical(addr) && !(tf->error & PF_RSVD)) {
		if (tf->rflags & MACHINE_RFLAGS_IF)
			irq_enable();
		kr = user_page_fault(addr, pf_access(tf->error));
		irq_disable();
	}
	if (kr != KERN_SUCCESS)
		tf->rip = (uint64_t)user_copy_fault_recover;
}

static void
trap_page_fault(struct trap_frame *tf)
{
	uint64_t addr = read_cr(2);
	uint64_t e = tf->error;

	if (user_copy_fault_at(tf->rip)) {
		trap_copy_fault(tf, addr);
		return;
	}
	panic_frame(tf, "page fault at %#lx: %s, %s, %s mode%s (error %#lx)", addr,
	            e & PF_PRESENT ? "protection violation" : "not present",
	            e & PF_FETCH   ? "instruction fetch"
	            : e & PF_WRITE ? "write"
	                           : "read",
	            e & PF_USER ? "user" : "kernel", e & PF_RSVD ? ", reserved bit set" : "", e);
}

struct exc_map {
	int em_exc, em_code;
	bool em_error_subcode; /* the subcode is the CPU's error code (selector faults) */
};

/* GNU Mach's mapping of x86 exceptions from user mode to Mach exceptions. */
static const struct exc_map user_exc_map[32] = {
    [0] = {EXC_ARITHMETIC, EXC_I386_DIV, false},
    [1] = {EXC_BREAKPOINT, EXC_I386_SGL, false},
    [3] = {EXC_BREAKPOINT, EXC_I386_BPT, false},
    [4] = {EXC_ARITHMETIC, EXC_I386_INTO, false},
    [5] = {EXC_SOFTWARE, EXC_I386_BOUND, false},
    [6] = {EXC_BAD_INSTRUCTION, EXC_I386_INVOP, false},
    [7] = {EXC_ARITHMETIC, EXC_I386_NOEXT, false},
    [9] = {EXC_ARITHMETIC, EXC_I386_EXTOVR, false},
    [10] = {EXC_BAD_INSTRUCTION, EXC_I386_INVTSSFLT, true},
    [11] = {EXC_BAD_INSTRUCTION, EXC_I386_SEGNPFLT, true},
    [12] = {EXC_BAD_INSTRUCTION, EXC_I386_STKFLT, true},
    [13] = {EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, true},
    [16] = {EXC_ARITHMETIC, EXC_I386_EXTERR, false},
    [17] = {EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, true},
    [19] = {EXC_ARITHMETIC, EXC_I386_EXTERR, false},
};

/* The x87 status word, or MXCSR for a SIMD exception: the kernel never touches the FPU. */
static uint64_t
fpu_error_status(bool simd)
{
	uint32_t v = 0;

	if (simd)
		__asm__ volatile("stmxcsr %0" : "=m"(v));
	else
		__asm__ volatile("fnstsw %0" : "=m"(*(uint16_t *)&v));
	return v;
}

static void
trap_raise(struct trap_frame *tf, int exc, int code, uint64_t subcode)
{
	if (trap_user_catch && trap_user_catch(tf, exc, code, subcode))
		return;
	user_exception(exc, code, subcode, tf->rip);
}

/* An exception from user mode, with interrupts enabled: never a panic. */
static void
trap_user_exception(struct trap_frame *tf)
{
	unsigned v = tf->vector;
	const struct exc_map *m = &user_exc_map[v];
	uint64_t subcode = 0;

	if (v == T_PAGE_FAULT) {
		uint64_t addr = read_cr(2);
		kern_return_t kr;

		irq_enable();
		kr = user_page_fault(addr, pf_access(tf->error));
		if (kr != KERN_SUCCESS)
			trap_raise(tf, EXC_BAD_ACCESS, kr, addr);
		return;
	}
	irq_enable();
	if (m->em_exc == 0) {
		/* Nothing GNU Mach names (e.g. control protection): an invalid instruction. */
		trap_raise(tf, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, v);
		return;
	}
	if (m->em_error_subcode)
		subcode = tf->error & 0xffff;
	else if (v == 16 || v == 19)
		subcode = fpu_error_status(v == 19); /* as GNU Mach: the status that raised it */
	trap_raise(tf, m->em_exc, m->em_code, subcode);
}

/*
 * Whether an interrupt that came in from kernel code with interrupts
 * enabled may switch threads. The kernel is not preemptible (as GNU Mach;
 * docs/threads.md says why), so never: kernel threads give the CPU away
 * when they block or yield, user threads also on the way back to user mode.
 */
static bool
trap_kernel_preemptible(void)
{
	return false;
}

void
trap_user_return(struct trap_frame *tf)
{
	for (;;) {
		irq_disable();
		sched_preempt_point();
		if (user_addr_canonical(tf->rip))
			return;
		/*
		 * No return instruction can restore a non-canonical rip (iretq
		 * and sysret would fault in the kernel): the user takes the #GP
		 * its own jump there would have raised.
		 */
		irq_enable();
		trap_raise(tf, EXC_BAD_INSTRUCTION, EXC_I386_GPFLT, 0);
	}
}

void trap_dispatch(struct trap_frame *tf);

void
trap_dispatch(struct trap_frame *tf)
{
	bool from_user = tf->cs & 3;

	if (tf->vector >= T_FIRST_IRQ) {
		irq_dispatch(tf->vector);
		if (from_user)
			trap_user_return(tf);
		else if ((tf->rflags & MACHINE_RFLAGS_IF) && trap_kernel_preemptible())
			sched_preempt_point();
		return;
	}
	if (from_user && tf->vector != T_NMI && tf->vector != T_DOUBLE_FAULT &&
	    tf->vector != 18 /* machine check: the machine's fault, not the user's */) {
		trap_user_exception(tf);
		trap_user_return(tf);
		return;
	}
	if (trap_catch && trap_catch(tf))
		return;
	if (tf->vector == T_PAGE_FAULT) {
		trap_page_fault(tf);
		return;
	}
	/* A push into a stack's guard page faults, and so does delivering that fault. */
	if (tf->vector == T_DOUBLE_FAULT && kstack_is_guard(tf->rsp - 8))
		panic_frame(tf, "kernel stack overflow: rsp %#lx is in a stack's guard page",
		            tf->rsp);
	panic_frame(tf, "%s (vector %lu, error %#lx)", exception_names[tf->vector], tf->vector,
	            tf->error);
}

uint64_t
machine_syscall_user_sp(const uint64_t *args)
{
	return ((const struct trap_frame *)args)->rsp;
}
