/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt vectors: allocation, handlers, routing of ISA and GSI lines
 * through the IOAPIC, and per-vector counts (the monitor's `irq`).
 * Handlers run with interrupts disabled; the EOI is sent by irq_dispatch()
 * after the handler returns.
 */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#define IRQ_VECTOR_FIRST 48 /* 32..47 stay free: old PIC range, never used */
#define IRQ_VECTOR_LAST 238
#define IRQ_VECTOR_SPURIOUS 255
#define IRQ_VECTOR_TIMER 239

typedef void (*irq_handler_fn)(void *arg);

/* Installs a handler on a fixed vector (the LAPIC timer). */
void irq_set_handler(int vector, irq_handler_fn fn, void *arg, const char *name);
/*
 * Takes a free vector (IRQ_VECTOR_FIRST..IRQ_VECTOR_LAST) for fn(arg), as
 * MSI and MSI-X need, and stores it in *vector. Any context.
 * Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT when fn or vector is NULL,
 * KERN_RESOURCE_SHORTAGE when every vector is taken.
 */
kern_return_t irq_alloc_vector(irq_handler_fn fn, void *arg, const char *name, int *vector);
void irq_free_vector(int vector);
/*
 * Routes a GSI through the IOAPIC to a newly allocated vector calling
 * fn(arg), unmasked, on this CPU; irq_route_isa() does it for an ISA IRQ
 * after the ACPI MADT overrides. Stores the vector in *vector unless
 * vector is NULL.
 * Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT when fn is NULL or no IOAPIC
 * serves the GSI, KERN_RESOURCE_SHORTAGE when every vector is taken;
 * on failure no vector stays allocated.
 */
kern_return_t irq_route_isa(unsigned isa_irq, irq_handler_fn fn, void *arg, const char *name,
                            int *vector);
kern_return_t irq_route_gsi(unsigned gsi, bool level, bool active_low, irq_handler_fn fn, void *arg,
                            const char *name, int *vector);

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
