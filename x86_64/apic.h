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
/* Starts the periodic LAPIC timer at hz on IRQ_VECTOR_TIMER, calibrated against the clock. */
void lapic_timer_start(unsigned hz);

void ioapic_init(void);
void ioapic_mask(unsigned gsi, bool masked);

#endif
