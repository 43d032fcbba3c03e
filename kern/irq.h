/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt vectors: allocation, handlers, routing of ISA and GSI lines
 * through the IOAPIC, and per-vector counts (the monitor's `irq`).
 * Handlers run with interrupts disabled; the EOI is sent by irq_dispatch()
 * after the handler returns.
 */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_VECTOR_FIRST 48 /* 32..47 stay free: old PIC range, never used */
#define IRQ_VECTOR_LAST 238
#define IRQ_VECTOR_SPURIOUS 255
#define IRQ_VECTOR_TIMER 239

typedef void (*irq_handler_fn)(void *arg);

/* Installs a handler on a fixed vector (the LAPIC timer). */
void irq_set_handler(int vector, irq_handler_fn fn, void *arg, const char *name);
/* A free vector with this handler (MSI, MSI-X); negative when none is left. */
int irq_alloc_vector(irq_handler_fn fn, void *arg, const char *name);
void irq_free_vector(int vector);
/*
 * Routes an ISA IRQ (applying the ACPI MADT overrides) or a GSI through the
 * IOAPIC to a newly allocated vector. Returns the vector, or negative.
 */
int irq_route_isa(unsigned isa_irq, irq_handler_fn fn, void *arg, const char *name);
int irq_route_gsi(unsigned gsi, bool level, bool active_low, irq_handler_fn fn, void *arg,
                  const char *name);

/* Called by the trap code for vectors >= 32. */
void irq_dispatch(uint64_t vector);

struct irq_stat {
	int vector;
	const char *name;
	uint64_t count;
};
/* Fills up to max entries for vectors that have a handler or have fired; returns the count. */
int irq_stats(struct irq_stat *out, int max);

#endif
