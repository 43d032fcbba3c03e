// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64/machine.c: the parts of machine.h that are sequences of the
 * machine's own pieces (boot steps, halting, leaving QEMU).
 */
#include "x86_64/machine.h"

#include "kern/boot_phase.h"

#include "x86_64/acpi.h"
#include "x86_64/apic.h"
#include "kern/cpu.h"
#include "x86_64/cpu.h"
#include "x86_64/fpu.h"
#include "x86_64/gdt.h"
#include "x86_64/serial.h"
#include "x86_64/thread.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4

extern char kernel_image_end_phys[];
extern uint64_t boot_entry_cycles; /* x86_64/boot.S */

uint64_t
machine_entry_cycles(void)
{
	return boot_entry_cycles;
}

void
machine_early_init(void *cpu)
{
	serial_init();
	wrmsr(MSR_GS_BASE, (uint64_t)cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0); /* the user GS base, swapped in on the way to user mode */
	gdt_init_cpu(((struct cpu *)cpu)->cpu_index);
	fpu_init_cpu();
	thread_syscall_init_cpu();
}

void
machine_interrupts_init(unsigned hz)
{
	acpi_init();
	boot_phase_end("acpi");
	pic_disable();
	lapic_init();
	ioapic_init();
	boot_phase_end("pic, lapic, ioapic");
	lapic_timer_start(hz);
	boot_phase_end("lapic timer calibration");
	irq_enable();
	serial_enable_rx_irq();
}

void
machine_idle_halt(void)
{
	/* sti takes effect after the next instruction, so no interrupt slips in before hlt. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

void
machine_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
machine_debug_exit(unsigned code)
{
	outl(QEMU_DEBUG_EXIT_PORT, code);
	machine_halt(); /* no isa-debug-exit device */
}

uint64_t
machine_image_end_phys(void)
{
	return (uint64_t)kernel_image_end_phys;
}
