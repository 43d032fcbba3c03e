/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI: enumeration of every bus at boot, decoded BARs and capabilities, and
 * the interface drivers use (find, map a BAR, bus mastering, MSI-X or the
 * legacy INTx line). Config space is reached through ECAM (ACPI MCFG) when
 * the firmware gives it, else through configuration mechanism #1.
 */
#ifndef KERN_PCI_H
#define KERN_PCI_H

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kern/irq.h"

#define PCI_MAX_DEVICES 64
#define PCI_MAX_BARS 6

enum pci_bar_kind {
	PCI_BAR_NONE = 0,
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,
};

struct pci_bar {
	enum pci_bar_kind pb_kind;
	bool pb_prefetchable;
	uint64_t pb_addr; /* bus address (port number for I/O) */
	uint64_t pb_size;
};

struct pci_dev {
	uint16_t pd_segment;
	uint8_t pd_bus, pd_slot, pd_func;
	uint16_t pd_vendor, pd_device;
	uint8_t pd_class, pd_subclass, pd_progif, pd_revision;
	uint16_t pd_subsys_vendor, pd_subsys_id;
	uint8_t pd_header_type;
	uint8_t pd_irq_line, pd_irq_pin; /* pin: 0 none, 1 INTA .. 4 INTD */
	struct pci_bar pd_bars[PCI_MAX_BARS];
	uint8_t pd_msi_cap;     /* config offset of the MSI capability, 0 when absent */
	uint8_t pd_msix_cap;    /* config offset of the MSI-X capability, 0 when absent */
	uint16_t pd_msix_count; /* MSI-X table size */
	void *pd_driver;        /* claimed by a driver (NULL when free) */
};

/* The inventory is built at INIT_BUS (kern/initcall.h). */

/* Device i (0 .. pci_count() - 1) of the inventory. */
unsigned pci_count(void);
struct pci_dev *pci_get(unsigned i);
/* The next device after `from` (NULL: the first) matching; 0xffff matches any id. */
struct pci_dev *pci_find(struct pci_dev *from, uint16_t vendor, uint16_t device);
struct pci_dev *pci_find_class(struct pci_dev *from, uint8_t cls, uint8_t subclass);

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off);
void pci_cfg_write8(const struct pci_dev *d, unsigned off, uint8_t v);
void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/* Offset of the next capability with this id after `after` (0: from the start); 0 when none. */
unsigned pci_find_cap(const struct pci_dev *d, uint8_t cap_id, unsigned after);

/*
 * Maps memory BAR `bar` uncached (once: later calls give the same mapping),
 * stores its address in *va and enables memory decoding. Not from
 * interrupt context.
 * Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT when d or va is NULL or the
 * BAR is not a memory BAR, KERN_INVALID_ADDRESS when the firmware left it
 * unassigned, KERN_NO_SPACE when the MMIO window is full.
 */
kern_return_t pci_map_bar(struct pci_dev *d, unsigned bar, void **va);
/* Enables I/O decoding for I/O BARs. */
void pci_enable_io(struct pci_dev *d);
void pci_enable_bus_master(struct pci_dev *d);

/*
 * Enables MSI-X with `count` vectors: entry i gets a fresh vector calling
 * fns[i](args[i]). Not from interrupt context. On failure nothing is
 * changed. Returns:
 *   KERN_SUCCESS
 *   KERN_INVALID_ARGUMENT   d, fns or an fns[i] is NULL, the device has no
 *                           MSI-X, count is 0 or more than its table has,
 *                           or MSI-X is already on (pci_msix_disable() first)
 *   KERN_INVALID_VALUE      the device places its table outside a memory BAR
 *   KERN_INVALID_ADDRESS    the table's BAR is unassigned (pci_map_bar)
 *   KERN_NO_SPACE           the MMIO window is full (pci_map_bar)
 *   KERN_RESOURCE_SHORTAGE  not enough free vectors, or no memory
 */
kern_return_t pci_msix_enable(struct pci_dev *d, unsigned count, irq_handler_fn *fns, void **args,
                              const char *name);
void pci_msix_disable(struct pci_dev *d);
/* Masks or unmasks MSI-X entry i. */
void pci_msix_mask(struct pci_dev *d, unsigned i, bool masked);
/*
 * The legacy INTx line: routes the firmware-programmed interrupt line as a
 * level-triggered GSI (shared: the handler must check its device), stores
 * its vector in *vector unless vector is NULL, and enables INTx in the
 * device. Returns:
 *   KERN_SUCCESS
 *   KERN_INVALID_ARGUMENT   d or fn is NULL, the function has no interrupt
 *                           pin, its line is unprogrammed (0xff) or beyond
 *                           the GSIs we route, or no IOAPIC serves the line
 *   KERN_RESOURCE_SHORTAGE  no free vector, or the table of shared lines or
 *                           the line's handler slots are full
 */
kern_return_t pci_intx_enable(struct pci_dev *d, irq_handler_fn fn, void *arg, const char *name,
                              int *vector);

/* A short name for the class ("virtio-blk" for virtio devices, else the class). */
const char *pci_describe(const struct pci_dev *d);

/* Added with the implementation (pci/pci.c). */

/* Formats the inventory line "pci 00:04.0 1af4:1042 class 01:00 virtio-blk" into buf. */
void pci_format(const struct pci_dev *d, char *buf, size_t size);
/* "io", "mem32", "mem64" or "none". */
const char *pci_bar_kind_name(enum pci_bar_kind kind);
/*
 * Stores the vector of MSI-X entry i (after pci_msix_enable()) in *vector.
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT when d or vector is NULL,
 * MSI-X is off or entry i was not enabled.
 */
kern_return_t pci_msix_vector(const struct pci_dev *d, unsigned i, int *vector);
/* Number of MSI-X entries enabled by pci_msix_enable() (0 when MSI-X is off). */
unsigned pci_msix_enabled(const struct pci_dev *d);
/* A capability-walker source (pci/pci_caps.h) over the function's config space. */
struct pci_caps_src;
void pci_caps_source(const struct pci_dev *d, struct pci_caps_src *src);

#endif
