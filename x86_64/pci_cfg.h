/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI configuration space access: ECAM (PCI Express Base 4.0 §7.2.2, its
 * ranges from the ACPI MCFG table, PCI Firmware 3.0 §4.1.2) when the
 * firmware gives it, else configuration mechanism #1 (PCI Local Bus 3.0
 * §3.2.2.3.2, ports 0xcf8/0xcfc), which reaches only the first 256 bytes.
 *
 * Every access goes through one lock, pci_cfg_lock. The plain accessors
 * take it; a sequence that must not interleave with other accesses (BAR
 * sizing) takes it with pci_cfg_lock_acquire() and uses the _locked forms.
 * Accesses must be naturally aligned (size 1, 2 or 4); a misaligned or
 * out-of-range access reads all ones and writes nothing.
 */
#ifndef X86_64_PCI_CFG_H
#define X86_64_PCI_CFG_H

#include <stdbool.h>
#include <stdint.h>

/* A function's address. Only segment 0 is reachable through mechanism #1. */
struct pci_cfg_addr {
	uint16_t pa_segment;
	uint8_t pa_bus, pa_slot, pa_func;
};

enum pci_cfg_mech {
	PCI_CFG_NONE = 0,
	PCI_CFG_MECH1,
	PCI_CFG_ECAM,
};

/*
 * Chooses the mechanism (ECAM when acpi_get() has an MCFG entry for
 * segment 0 that covers bus 0, else mechanism #1) and logs the choice.
 * After acpi_init(); not from interrupt context. The option pci_ecam=off
 * forces mechanism #1.
 */
void pci_cfg_init(void);
/* The mechanism in use (PCI_CFG_NONE before pci_cfg_init()). */
enum pci_cfg_mech pci_cfg_mech(void);
/* Size of a function's config space under the mechanism in use: 4096 or 256. */
unsigned pci_cfg_space_size(void);

uint32_t pci_cfg_read(const struct pci_cfg_addr *a, unsigned off, unsigned size);
void pci_cfg_write(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v);

/* The config lock, for sequences; interrupts stay off while it is held. */
uint64_t pci_cfg_lock_acquire(void);
void pci_cfg_lock_release(uint64_t flags);
uint32_t pci_cfg_read_locked(const struct pci_cfg_addr *a, unsigned off, unsigned size);
void pci_cfg_write_locked(const struct pci_cfg_addr *a, unsigned off, unsigned size, uint32_t v);

/*
 * A read through one given mechanism, for tests comparing the two
 * (all ones when that mechanism cannot reach the function).
 */
uint32_t pci_cfg_read_via(enum pci_cfg_mech mech, const struct pci_cfg_addr *a, unsigned off,
                          unsigned size);

#endif
