/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Local APIC, IOAPIC and the legacy 8259 (masked). The LAPIC timer gives
 * the periodic tick; kern/irq.c routes lines through the IOAPIC.
 */
#ifndef X86_64_APIC_H
#define X86_64_APIC_H

#include <stdbool.h>
#include <stdint.h>

void pic_disable(void);
void lapic_init(void);
void lapic_eoi(void);
/* Sends an interrupt with this vector to the current CPU (tests, and later IPIs). */
void lapic_self_ipi(uint8_t vector);
uint32_t lapic_id(void);
/* Starts the periodic LAPIC timer at hz on IRQ_VECTOR_TIMER, calibrated against the clock. */
void lapic_timer_start(unsigned hz);

void ioapic_init(void);
/* Routes a GSI to vector on the CPU with that APIC id, unmasked. 0 or negative. */
int ioapic_route(unsigned gsi, uint8_t vector, bool level, bool active_low, uint32_t dest);
void ioapic_mask(unsigned gsi, bool masked);

struct ioapic_isa_route {
	unsigned gsi;
	bool level;
	bool active_low;
};
/* The GSI and polarity of an ISA IRQ, after the MADT's interrupt source overrides. */
struct ioapic_isa_route ioapic_isa_lookup(unsigned isa_irq);

/*
 * MSI address and data for a vector on the CPU with that APIC id (edge,
 * fixed delivery), for PCI MSI and MSI-X.
 */
uint64_t msi_address(uint32_t dest);
uint32_t msi_data(uint8_t vector);

#endif
