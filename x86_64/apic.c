// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The 8259 pair (remapped and masked: we use the APICs only), the local
 * APIC (Intel SDM vol. 3, chapter 11) and the IOAPIC (82093AA datasheet),
 * with the MADT's addresses and interrupt source overrides.
 */
#include "x86_64/apic.h"

#include "kern/clock.h"
#include "kern/irq.h"
#include "kern/log.h"
#include "kern/panic.h"
#include "x86_64/acpi.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"
#include "x86_64/tsc.h"

#define LAPIC_ID 0x20
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LO 0x300
#define ICR_SELF (1u << 18) /* destination shorthand 01: self */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

static volatile uint32_t *lapic;

struct ioapic {
	volatile uint32_t *regs;
	unsigned gsi_base, lines;
};
static struct ioapic ioapics[8];
static unsigned ioapic_count;

static uint32_t
lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void
lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
	(void)lapic[LAPIC_ID / 4]; /* wait for the write to land */
}

void
pic_disable(void)
{
	/* Remap both PICs to 32..47 (away from exceptions) and mask every line. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 32);
	outb(0xa1, 40);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void
lapic_init(void)
{
	const struct acpi_info *ai = acpi_get();
	uint64_t base = ai && ai->ai_madt.madt_valid ? ai->ai_madt.madt_lapic_addr
	                                             : (rdmsr(MSR_APIC_BASE) & ~0xfffULL);
	kern_return_t kr;
	void *va;

	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1 << 11)); /* global enable */
	kr = mmio_map(base, PAGE_SIZE, &va);
	if (kr != KERN_SUCCESS)
		panic("lapic: cannot map %#lx (error %d)", base, kr); /* no interrupts without it */
	lapic = va;
	lapic_write(LAPIC_SVR, 0x100 | IRQ_VECTOR_SPURIOUS); /* software enable */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
}

void
machine_irq_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void
machine_irq_self(uint8_t vector)
{
	lapic_write(LAPIC_ICR_LO, ICR_SELF | vector);
}

uint32_t
machine_cpu_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static void
lapic_timer_tick(void *arg)
{
	clock_tick();
}

/*
 * The timer's count rate (divide by 16): from the clock CPUID states, or
 * counted over 1 ms of TSC time. Both ends are read next to the cycle
 * counter, so time the vCPU loses between the two only lengthens the
 * window, it does not skew the rate.
 */
static uint64_t
lapic_timer_rate(void)
{
	uint64_t clock = tsc_lapic_clock_hz();

	if (clock)
		return clock / 16;
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = machine_cycles();
	clock_delay_ns(1000000);
	uint32_t cur = lapic_read(LAPIC_TIMER_CUR);
	uint64_t t1 = machine_cycles();
	uint64_t elapsed = 0xffffffffu - cur; /* < 2^32: times 10^9 fits in 64 bits */
	return elapsed * 1000000000 / clock_tsc_to_ns(t1 - t0);
}

void
lapic_timer_start(unsigned hz)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	uint64_t lapic_hz = lapic_timer_rate();

	irq_set_handler(IRQ_VECTOR_TIMER, lapic_timer_tick, NULL, "timer");
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | IRQ_VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)(lapic_hz / hz));
	log_info("lapic: id %u, timer %lu kHz bus clock / 16, tick %u Hz%s", machine_cpu_id(),
	         lapic_hz / 1000, hz, tsc_lapic_clock_hz() ? " (clock from CPUID)" : "");
}

static uint32_t
ioapic_read(struct ioapic *io, unsigned reg)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	return io->regs[IOAPIC_WINDOW / 4];
}

static void
ioapic_write(struct ioapic *io, unsigned reg, uint32_t v)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	io->regs[IOAPIC_WINDOW / 4] = v;
}

static void
ioapic_add(uint64_t addr, unsigned gsi_base)
{
	struct ioapic *io = &ioapics[ioapic_count];
	kern_return_t kr;
	void *va;

	kr = mmio_map(addr, PAGE_SIZE, &va);
	if (kr != KERN_SUCCESS) {
		log_err("ioapic: %#lx not mapped (error %d), its lines stay unrouted", addr, kr);
		return;
	}
	io->regs = va;
	io->gsi_base = gsi_base;
	io->lines = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < io->lines; i++) {
		ioapic_write(io, IOAPIC_REDTBL(i), LVT_MASKED);
		ioapic_write(io, IOAPIC_REDTBL(i) + 1, 0);
	}
	ioapic_count++;
	log_info("ioapic: %#lx, gsi %u-%u", addr, gsi_base, gsi_base + io->lines - 1);
}

void
ioapic_init(void)
{
	const struct acpi_info *ai = acpi_get();

	const struct acpi_madt *m = ai ? &ai->ai_madt : NULL;

	for (unsigned i = 0; m && m->madt_valid && i < m->madt_nioapics && ioapic_count < 8; i++)
		ioapic_add(m->madt_ioapics[i].io_addr, m->madt_ioapics[i].io_gsi_base);
	if (!ioapic_count) /* no MADT: the standard PC address */
		ioapic_add(0xfec00000, 0);
}

static struct ioapic *
ioapic_for(unsigned gsi)
{
	for (unsigned i = 0; i < ioapic_count; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].lines)
			return &ioapics[i];
	return NULL;
}

kern_return_t
machine_irq_route(unsigned gsi, uint8_t vector, bool level, bool active_low, uint32_t dest)
{
	struct ioapic *io = ioapic_for(gsi);

	if (!io) {
		log_warn("ioapic: no IOAPIC serves gsi %u", gsi);
		return KERN_INVALID_ARGUMENT;
	}
	unsigned line = gsi - io->gsi_base;
	uint32_t lo = vector | (level ? 1u << 15 : 0) | (active_low ? 1u << 13 : 0);
	ioapic_write(io, IOAPIC_REDTBL(line) + 1, dest << 24);
	ioapic_write(io, IOAPIC_REDTBL(line), lo);
	return KERN_SUCCESS;
}

void
ioapic_mask(unsigned gsi, bool masked)
{
	struct ioapic *io = ioapic_for(gsi);

	if (!io)
		return;
	unsigned line = gsi - io->gsi_base;
	uint32_t lo = ioapic_read(io, IOAPIC_REDTBL(line));
	ioapic_write(io, IOAPIC_REDTBL(line), masked ? lo | LVT_MASKED : lo & ~LVT_MASKED);
}

struct machine_isa_irq
machine_irq_isa(unsigned isa_irq)
{
	const struct acpi_info *ai = acpi_get();
	struct machine_isa_irq r = {isa_irq, false, false}; /* ISA default: edge, high */

	const struct acpi_madt *m = ai ? &ai->ai_madt : NULL;

	for (unsigned i = 0; m && m->madt_valid && i < m->madt_noverrides; i++) {
		const struct acpi_override *o = &m->madt_overrides[i];
		if (o->iso_bus != 0 || o->iso_irq != isa_irq)
			continue;
		r.mi_gsi = o->iso_gsi;
		r.mi_active_low = o->iso_polarity == ACPI_POLARITY_LOW;
		r.mi_level = o->iso_trigger == ACPI_TRIGGER_LEVEL;
	}
	return r;
}

/* Intel SDM vol. 3, 11.11: physical destination, fixed delivery, edge. */
void
machine_msi_compose(uint8_t vector, uint32_t cpu, uint64_t *addr, uint32_t *data)
{
	*addr = 0xfee00000ULL | (cpu << 12);
	*data = vector;
}
