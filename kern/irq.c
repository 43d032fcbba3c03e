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

/*
 * Slots change under irq_lock. irq_dispatch() reads them without it (it
 * may interrupt a holder): a slot's handler is published last, with
 * release order, and read first, with acquire order, so a dispatch that
 * sees the handler sees its argument too.
 */
static struct irq_slot irq_slots[256];
static struct spinlock irq_lock = SPINLOCK_INIT("irq", LOCK_RANK_IRQ);

static void
irq_slot_set(int vector, irq_handler_fn fn, void *arg, const char *name)
{
	assert_held(&irq_lock);
	irq_slots[vector].arg = arg;
	irq_slots[vector].name = name;
	__atomic_store_n(&irq_slots[vector].fn, fn, __ATOMIC_RELEASE);
}

void
irq_set_handler(int vector, irq_handler_fn fn, void *arg, const char *name)
{
	uint64_t f = spin_lock_irqsave(&irq_lock);
	irq_slot_set(vector, fn, arg, name);
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
		irq_slots[v].count = 0;
		irq_slot_set(v, fn, arg, name);
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
	__atomic_store_n(&irq_slots[vector].fn, NULL, __ATOMIC_RELEASE);
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
	irq_handler_fn fn;

	cpu_idle_end(c, machine_cycles());
	s->count++;
	if (vector == IRQ_VECTOR_SPURIOUS)
		return; /* no EOI for the spurious vector */
	c->cpu_irq_depth++;
	unsigned lock_base = c->cpu_lock_base;
	c->cpu_lock_base = c->cpu_nlocks; /* the handler's locks start a new order */
	fn = __atomic_load_n(&s->fn, __ATOMIC_ACQUIRE);
	if (fn)
		fn(s->arg);
	c->cpu_lock_base = lock_base;
	c->cpu_irq_depth--;
	machine_irq_eoi();
}

int
irq_stats(struct irq_stat *out, int max)
{
	uint64_t f = spin_lock_irqsave(&irq_lock);
	int n = 0;

	for (int v = 32; v < 256 && n < max; v++) {
		if (!irq_slots[v].fn && !irq_slots[v].count)
			continue;
		out[n++] = (struct irq_stat){v, irq_slots[v].name ? irq_slots[v].name : "-",
		                             irq_slots[v].count};
	}
	spin_unlock_irqrestore(&irq_lock, f);
	return n;
}
