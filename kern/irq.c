// SPDX-License-Identifier: GPL-2.0-or-later
/* The vector table: handler, argument, name and count for each vector. */
#include "kern/irq.h"

#include "kern/cpu.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "x86_64/machine.h"

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
	const char *name;
	uint64_t count;
};

static struct irq_slot irq_slots[256];
static struct spinlock irq_lock = SPINLOCK_INIT("irq");

void
irq_set_handler(int vector, irq_handler_fn fn, void *arg, const char *name)
{
	uint64_t f = spin_lock_irqsave(&irq_lock);
	irq_slots[vector].arg = arg;
	irq_slots[vector].name = name;
	irq_slots[vector].fn = fn;
	spin_unlock_irqrestore(&irq_lock, f);
}

kern_return_t
irq_alloc_vector(irq_handler_fn fn, void *arg, const char *name, int *vector)
{
	uint64_t f;

	if (!fn || !vector)
		return KERN_INVALID_ARGUMENT;
	f = spin_lock_irqsave(&irq_lock);
	for (int v = IRQ_VECTOR_FIRST; v <= IRQ_VECTOR_LAST; v++) {
		if (irq_slots[v].fn)
			continue;
		irq_slots[v] = (struct irq_slot){fn, arg, name, 0};
		spin_unlock_irqrestore(&irq_lock, f);
		*vector = v;
		return KERN_SUCCESS;
	}
	spin_unlock_irqrestore(&irq_lock, f);
	log_warn("irq: no free vector for %s", name);
	return KERN_RESOURCE_SHORTAGE;
}

void
irq_free_vector(int vector)
{
	uint64_t f = spin_lock_irqsave(&irq_lock);
	irq_slots[vector].fn = NULL;
	spin_unlock_irqrestore(&irq_lock, f);
}

kern_return_t
irq_route_gsi(unsigned gsi, bool level, bool active_low, irq_handler_fn fn, void *arg,
              const char *name, int *vector)
{
	kern_return_t kr;
	int v;

	kr = irq_alloc_vector(fn, arg, name, &v);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = machine_irq_route(gsi, (uint8_t)v, level, active_low, machine_cpu_id());
	if (kr != KERN_SUCCESS) {
		irq_free_vector(v);
		return kr;
	}
	if (vector)
		*vector = v;
	return KERN_SUCCESS;
}

kern_return_t
irq_route_isa(unsigned isa_irq, irq_handler_fn fn, void *arg, const char *name, int *vector)
{
	struct machine_isa_irq r = machine_irq_isa(isa_irq);
	return irq_route_gsi(r.mi_gsi, r.mi_level, r.mi_active_low, fn, arg, name, vector);
}

void
irq_dispatch(uint64_t vector)
{
	struct irq_slot *s = &irq_slots[vector];
	struct cpu *c = cpu_self();

	cpu_idle_end(c, machine_cycles());
	s->count++;
	if (vector == IRQ_VECTOR_SPURIOUS)
		return; /* no EOI for the spurious vector */
	c->cpu_irq_depth++;
	if (s->fn)
		s->fn(s->arg);
	c->cpu_irq_depth--;
	machine_irq_eoi();
}

int
irq_stats(struct irq_stat *out, int max)
{
	int n = 0;

	for (int v = 32; v < 256 && n < max; v++) {
		if (!irq_slots[v].fn && !irq_slots[v].count)
			continue;
		out[n++] = (struct irq_stat){v, irq_slots[v].name ? irq_slots[v].name : "-",
		                             irq_slots[v].count};
	}
	return n;
}
