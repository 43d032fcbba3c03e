// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI configuration space access: configuration mechanism #1 (PCI Local
 * Bus 3.0 §3.2.2.3.2) and ECAM (PCI Express Base 4.0 §7.2.2) over the
 * ranges of the ACPI MCFG table (PCI Firmware 3.0 §4.1.2).
 *
 * ECAM is mapped one bus (1 MiB) at a time, on the first access to that
 * bus, so a machine with a 256-bus MCFG window but one populated bus costs
 * one megabyte of mappings, not 256.
 */
#include "x86_64/machine.h"

#include "kern/cmdline.h"
#include "kern/log.h"
#include "kern/spinlock.h"
#include "kern/string.h"
#include "x86_64/acpi.h"
#include "x86_64/cpu.h"
#include "x86_64/machine.h"

#define MECH1_ADDR 0xcf8
#define MECH1_DATA 0xcfc
#define MECH1_ENABLE 0x80000000u
#define ECAM_BUS_SIZE (1u << 20)

static struct spinlock pci_cfg_lock = SPINLOCK_INIT("pci_cfg", LOCK_RANK_PCI_CFG);
static enum pci_cfg_mech cfg_mech;

/* The MCFG entry in use (segment 0) and the per-bus mappings. */
static struct acpi_mcfg_entry ecam;
static bool ecam_present;
static volatile uint8_t *ecam_bus[256];

static bool
cfg_args_valid(unsigned off, unsigned size, unsigned limit)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	return (off & (size - 1)) == 0 && off + size <= limit;
}

static uint32_t
mech1_addr(const struct pci_cfg_addr *a, unsigned off)
{
	return MECH1_ENABLE | (uint32_t)a->pa_bus << 16 | (uint32_t)(a->pa_slot & 31) << 11 |
	       (uint32_t)(a->pa_func & 7) << 8 | (off & 0xfc);
}

/* Mechanism #1: the dword is selected at 0xcf8, the byte lane is 0xcfc + (off & 3). */
static uint32_t
mech1_read(const struct pci_cfg_addr *a, unsigned off, unsigned size)
{
	assert_held(&pci_cfg_lock); /* 0xcf8 and 0xcfc are one access */
	if (a->pa_segment != 0 || !cfg_args_valid(off, size, 256))
		return 0xffffffffu;
	outl(MECH1_ADDR, mech1_addr(a, off));
	if (size == 1)
		return inb(MECH1_DATA + (off & 3));
	if (size == 2)
		return inw(MECH1_DATA + (off & 2));
	return inl(MECH1_DATA);
}

static void
mech1_write(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v)
{
	assert_held(&pci_cfg_lock); /* 0xcf8 and 0xcfc are one access */
	if (a->pa_segment != 0 || !cfg_args_valid(off, size, 256))
		return;
	outl(MECH1_ADDR, mech1_addr(a, off));
	if (size == 1)
		outb(MECH1_DATA + (off & 3), (uint8_t)v);
	else if (size == 2)
		outw(MECH1_DATA + (off & 2), (uint16_t)v);
	else
		outl(MECH1_DATA, v);
}

/*
 * The config space of a function under ECAM, or NULL when outside the MCFG
 * range or unmappable. Maps the bus on first use; called with the lock held
 * (mmio_map takes the paging lock inside it: pci_cfg_lock comes first).
 */
static volatile uint8_t *
ecam_func(const struct pci_cfg_addr *a)
{
	assert_held(&pci_cfg_lock);
	if (!ecam_present || a->pa_segment != ecam.mc_segment || a->pa_bus < ecam.mc_bus_start ||
	    a->pa_bus > ecam.mc_bus_end)
		return NULL;
	if (!ecam_bus[a->pa_bus]) {
		uint64_t phys = ecam.mc_base + ((uint64_t)a->pa_bus << 20);
		void *va;
		if (mmio_map(phys, ECAM_BUS_SIZE, &va) != KERN_SUCCESS)
			return NULL; /* the access reads all ones, as for an absent function */
		ecam_bus[a->pa_bus] = va;
	}
	return ecam_bus[a->pa_bus] + ((unsigned)(a->pa_slot & 31) << 15) +
	       ((unsigned)(a->pa_func & 7) << 12);
}

static uint32_t
ecam_read(const struct pci_cfg_addr *a, unsigned off, unsigned size)
{
	volatile uint8_t *p;

	if (!cfg_args_valid(off, size, 4096) || !(p = ecam_func(a)))
		return 0xffffffffu;
	if (size == 1)
		return p[off];
	if (size == 2)
		return *(volatile uint16_t *)(p + off);
	return *(volatile uint32_t *)(p + off);
}

static void
ecam_write(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v)
{
	volatile uint8_t *p;

	if (!cfg_args_valid(off, size, 4096) || !(p = ecam_func(a)))
		return;
	if (size == 1)
		p[off] = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)(p + off) = (uint16_t)v;
	else
		*(volatile uint32_t *)(p + off) = v;
}

/* The MCFG entry for segment 0 that covers bus 0, if any and sane. */
static bool
ecam_pick(void)
{
	const struct acpi_info *ai = acpi_get();
	const char *opt = kernel_option("pci_ecam");

	if (opt && !strcmp(opt, "off")) {
		log_info("pci: ECAM disabled by pci_ecam=off");
		return false;
	}
	for (unsigned i = 0; ai && i < ai->ai_nmcfg && i < ACPI_MAX_MCFG; i++) {
		const struct acpi_mcfg_entry *e = &ai->ai_mcfg[i];
		if (e->mc_segment != 0 || e->mc_bus_start != 0 || e->mc_bus_end < e->mc_bus_start)
			continue;
		if (e->mc_base == 0 || (e->mc_base & (ECAM_BUS_SIZE - 1))) {
			log_warn("pci: MCFG entry %u base %#lx is not 1 MiB aligned, ignored", i,
			         e->mc_base);
			continue;
		}
		ecam = *e;
		return true;
	}
	return false;
}

void
pci_cfg_init(void)
{
	ecam_present = ecam_pick();
	if (ecam_present) {
		cfg_mech = PCI_CFG_ECAM;
		log_info("pci: config access through ECAM at %#lx, buses %u-%u", ecam.mc_base,
		         ecam.mc_bus_start, ecam.mc_bus_end);
	} else {
		cfg_mech = PCI_CFG_MECH1;
		log_info("pci: config access through mechanism #1 (ports 0xcf8/0xcfc)");
	}
}

enum pci_cfg_mech
pci_cfg_mech(void)
{
	return cfg_mech;
}

unsigned
pci_cfg_space_size(void)
{
	return cfg_mech == PCI_CFG_ECAM ? 4096 : 256;
}

uint64_t
pci_cfg_lock_acquire(void)
{
	return spin_lock_irqsave(&pci_cfg_lock);
}

void
pci_cfg_lock_release(uint64_t flags)
{
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
}

static uint32_t
cfg_read_mech(enum pci_cfg_mech mech, const struct pci_cfg_addr *a, unsigned off, unsigned size)
{
	if (mech == PCI_CFG_ECAM)
		return ecam_read(a, off, size);
	if (mech == PCI_CFG_MECH1)
		return mech1_read(a, off, size);
	return 0xffffffffu;
}

uint32_t
pci_cfg_read_locked(const struct pci_cfg_addr *a, unsigned off, unsigned size)
{
	uint32_t v;

	assert_held(&pci_cfg_lock);
	v = cfg_read_mech(cfg_mech, a, off, size);

	/* Narrow reads that fail give all ones of their own width. */
	return size < 4 ? v & ((1u << (size * 8)) - 1) : v;
}

void
pci_cfg_write_locked(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v)
{
	assert_held(&pci_cfg_lock);
	if (cfg_mech == PCI_CFG_ECAM)
		ecam_write(a, off, size, v);
	else if (cfg_mech == PCI_CFG_MECH1)
		mech1_write(a, off, size, v);
}

uint32_t
pci_cfg_read(const struct pci_cfg_addr *a, unsigned off, unsigned size)
{
	uint64_t f = pci_cfg_lock_acquire();
	uint32_t v = pci_cfg_read_locked(a, off, size);

	pci_cfg_lock_release(f);
	return v;
}

void
pci_cfg_write(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v)
{
	uint64_t f = pci_cfg_lock_acquire();

	pci_cfg_write_locked(a, off, size, v);
	pci_cfg_lock_release(f);
}

uint32_t
pci_cfg_read_via(enum pci_cfg_mech mech, const struct pci_cfg_addr *a, unsigned off, unsigned size)
{
	uint64_t f = pci_cfg_lock_acquire();
	uint32_t v = cfg_read_mech(mech, a, off, size);

	pci_cfg_lock_release(f);
	return size < 4 ? v & ((1u << (size * 8)) - 1) : v;
}
